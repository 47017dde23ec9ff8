package dev.lambdaproxy.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * Credentials from a container's credentials endpoint: ECS task roles
 * ({@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}) and EKS Pod Identity or any local agent
 * ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, with {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} or
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}), with the rules of the SDK's
 * ContainerCredentialsProvider.
 *
 * <p>Ours rather than the SDK's because that one reads the URI and token from the process's
 * environment only, with no builder option for them.
 *
 * @see <a href="https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html">Container credential provider</a>
 */
final class ContainerCredentialsSource implements CredentialSource {

  static final String NAME = "container endpoint";
  static final String ECS_ENDPOINT = "http://169.254.170.2";
  /** The link-local hosts of ECS and EKS agents, allowed over plain http besides loopback addresses. */
  static final Set<String> AGENT_HOSTS = Set.of("169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final URI uri;
  private final String problem;
  private final String token;
  private final Path tokenFile;

  ContainerCredentialsSource(AwsEnvironment environment) {
    String relative = environment.get("aws.containerCredentialsPath", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    String full = environment.get("aws.containerCredentialsFullUri", "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    String serviceEndpoint = environment.get("aws.containerServiceEndpoint", "AWS_CONTAINER_SERVICE_ENDPOINT");
    URI found = null;
    String why = null;
    try {
      if (relative != null) {
        found = URI.create((serviceEndpoint != null ? serviceEndpoint : ECS_ENDPOINT) + relative);
      } else if (full != null) {
        found = URI.create(full);
        why = checkFullUri(found);
      } else {
        why = "AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI not set";
      }
    } catch (IllegalArgumentException e) {
      why = "'" + (relative != null ? relative : full) + "' is not a URI";
    }
    this.uri = why == null ? found : null;
    this.problem = why;
    this.token = environment.get("aws.containerAuthorizationToken", "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    String file = environment.get("aws.containerAuthorizationTokenFile", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    this.tokenFile = file == null ? null : Path.of(file);
  }

  // Plain http only to this host: credentials must not cross a network in clear.
  private static String checkFullUri(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !scheme.equals("http") && !scheme.equals("https")) {
      return "AWS_CONTAINER_CREDENTIALS_FULL_URI '" + uri + "' is not an http:// or https:// URL";
    }
    if (scheme.equals("https") || AGENT_HOSTS.contains(uri.getHost())) {
      return null;
    }
    try {
      InetAddress[] addresses = InetAddress.getAllByName(uri.getHost());
      for (InetAddress address : addresses) {
        if (!address.isLoopbackAddress()) {
          return "AWS_CONTAINER_CREDENTIALS_FULL_URI '" + uri + "' must be https, or http to a loopback address or the ECS/EKS agent";
        }
      }
      return null;
    } catch (UnknownHostException e) {
      return "AWS_CONTAINER_CREDENTIALS_FULL_URI host '" + uri.getHost() + "' does not resolve";
    }
  }

  @Override
  public String name() {
    return uri == null ? NAME : NAME + " " + uri;
  }

  @Override
  public Loaded load() {
    if (uri == null) {
      throw new CredentialsUnavailableException(NAME + ": " + problem);
    }
    String authorization = authorization();
    HttpURLConnection connection = null;
    try {
      // HttpURLConnection rather than java.net.http: no selector thread left behind in a WAR.
      connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
      connection.setInstanceFollowRedirects(false);
      connection.setRequestProperty("Accept", "application/json");
      if (authorization != null) {
        connection.setRequestProperty("Authorization", authorization);
      }
      int status = connection.getResponseCode();
      if (status != 200) {
        throw new CredentialsUnavailableException(name() + ": answered HTTP " + status);
      }
      byte[] body;
      try (InputStream in = connection.getInputStream()) {
        body = in.readNBytes(MAX_ANSWER_BYTES);
      }
      return parse(body);
    } catch (IOException e) {
      throw new CredentialsUnavailableException(name() + ": " + Reasons.of(e));
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private String authorization() {
    String value = token;
    if (value == null && tokenFile != null) {
      try {
        // Read each time: EKS Pod Identity rotates the token in place.
        value = Files.readString(tokenFile).strip();
      } catch (IOException e) {
        throw new CredentialsUnavailableException(name() + ": cannot read the authorization token file " + tokenFile
            + " (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE): " + Reasons.of(e));
      }
    }
    if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
      throw new CredentialsUnavailableException(name() + ": the authorization token holds a line break");
    }
    return value == null || value.isEmpty() ? null : value;
  }

  private Loaded parse(byte[] body) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      throw new CredentialsUnavailableException(name() + ": the answer is not JSON");
    }
    if (answer == null || !answer.isObject()) {
      throw new CredentialsUnavailableException(name() + ": the answer is not a JSON object");
    }
    String accessKeyId = text(answer, "AccessKeyId");
    String secret = text(answer, "SecretAccessKey");
    if (accessKeyId == null || secret == null) {
      throw new CredentialsUnavailableException(name() + ": the answer lacks AccessKeyId or SecretAccessKey");
    }
    Instant expiration = null;
    String expires = text(answer, "Expiration");
    if (expires != null) {
      try {
        expiration = Instant.parse(expires);
      } catch (DateTimeParseException e) {
        throw new CredentialsUnavailableException(name() + ": Expiration '" + expires + "' is not an ISO-8601 instant");
      }
    }
    return new Loaded(new AwsCredentials(accessKeyId, secret, text(answer, "Token")), expiration, name());
  }

  private static String text(JsonNode answer, String field) {
    JsonNode node = answer.get(field);
    return node == null || !node.isTextual() || node.asText().isBlank() ? null : node.asText();
  }

  @Override
  public String toString() {
    return "ContainerCredentialsSource[" + name() + "]";
  }
}
