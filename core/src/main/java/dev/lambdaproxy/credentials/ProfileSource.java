package dev.lambdaproxy.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * A profile of the shared files {@code ~/.aws/credentials} and {@code ~/.aws/config} (or
 * AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE): keys, {@code credential_process}, or a role with a
 * source profile, as the SDK's {@link ProfileCredentialsProvider} reads them. The files are read
 * again on each load, so an edit shows at the next renewal.
 */
final class ProfileSource implements CredentialSource {

  private final AwsEnvironment environment;
  private final String profileName;
  private final String hint;
  private ProfileFile lastFile; // guarded by this
  private ProfileCredentialsProvider provider; // guarded by this

  /**
   * @param hint what to set when the profile is missing, e.g. {@code set AWS_PROFILE or the profile setting}
   */
  ProfileSource(AwsEnvironment environment, String profileName, String hint) {
    this.environment = environment;
    this.profileName = profileName;
    this.hint = hint;
  }

  @Override
  public String name() {
    return "profile '" + profileName + "'";
  }

  /** The shared files that exist, aggregated as the SDK does (the credentials file wins); null when none does. */
  static ProfileFile read(AwsEnvironment environment) {
    ProfileFile.Aggregator files = ProfileFile.aggregator();
    boolean any = false;
    Path credentials = environment.credentialsFile();
    if (credentials != null && Files.isRegularFile(credentials)) {
      files.addFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build());
      any = true;
    }
    Path config = environment.configFile();
    if (config != null && Files.isRegularFile(config)) {
      files.addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build());
      any = true;
    }
    return any ? files.build() : null;
  }

  /** The shared files, or an empty profile file when there are none. */
  static ProfileFile readOrEmpty(AwsEnvironment environment) {
    ProfileFile file = read(environment);
    return file != null ? file : ProfileFile.aggregator().build();
  }

  String files() {
    List<String> paths = new ArrayList<>();
    paths.add(String.valueOf(environment.credentialsFile()));
    paths.add(String.valueOf(environment.configFile()));
    return String.join(" and ", paths);
  }

  @Override
  public Loaded load() {
    ProfileFile file;
    try {
      file = read(environment);
    } catch (RuntimeException e) {
      throw new CredentialsUnavailableException(name() + ": cannot read " + files() + ": " + Reasons.of(e));
    }
    if (file == null) {
      throw new CredentialsUnavailableException(name() + ": no file at " + files());
    }
    if (file.profile(profileName).isEmpty()) {
      throw new CredentialsUnavailableException(name() + ": not in " + files() + "; " + hint);
    }
    ProfileCredentialsProvider current = providerFor(file);
    try {
      return SdkCredentialSource.loaded(current.resolveCredentials(), name() + " of " + files());
    } catch (CredentialsUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CredentialsUnavailableException(name() + ": " + Reasons.of(e));
    }
  }

  // One provider per content of the files, so a credential_process provider keeps its state between loads.
  private synchronized ProfileCredentialsProvider providerFor(ProfileFile file) {
    if (provider == null || !file.equals(lastFile)) {
      if (provider != null) {
        provider.close();
      }
      provider = ProfileCredentialsProvider.builder().profileFile(file).profileName(profileName).build();
      lastFile = file;
    }
    return provider;
  }

  @Override
  public synchronized void close() {
    if (provider != null) {
      provider.close();
      provider = null;
    }
  }

  @Override
  public String toString() {
    return "ProfileSource[" + profileName + "]";
  }
}
