package dev.lambdaproxy.credentials;

import java.util.ArrayList;
import java.util.List;

/**
 * Sources asked in order until one has credentials. The one that had them last is asked first next
 * time, as the SDK's chain does, and alone to renew them.
 */
final class CredentialChain implements CredentialSource {

  private final String name;
  private final List<CredentialSource> sources;
  private final String advice;
  private volatile CredentialSource lastGood;

  /**
   * @param advice what an operator can set when no source has credentials, said before what was tried
   */
  CredentialChain(String name, List<CredentialSource> sources, String advice) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("a chain needs a source");
    }
    this.name = name;
    this.sources = List.copyOf(sources);
    this.advice = advice;
  }

  @Override
  public String name() {
    return name;
  }

  List<CredentialSource> sources() {
    return sources;
  }

  @Override
  public Loaded load() {
    List<String> tried = new ArrayList<>();
    CredentialSource first = lastGood;
    if (first != null) {
      Loaded loaded = tryLoad(first, tried);
      if (loaded != null) {
        return loaded;
      }
    }
    for (CredentialSource source : sources) {
      if (source != first) {
        Loaded loaded = tryLoad(source, tried);
        if (loaded != null) {
          lastGood = source;
          return loaded;
        }
      }
    }
    throw new CredentialsUnavailableException(advice + "; tried " + String.join("; ", tried));
  }

  @Override
  public Loaded renew() {
    CredentialSource source = lastGood;
    return source != null ? source.load() : load();
  }

  private static Loaded tryLoad(CredentialSource source, List<String> tried) {
    try {
      return source.load();
    } catch (CredentialsUnavailableException e) {
      tried.add(e.getMessage());
    } catch (RuntimeException e) {
      tried.add(source.name() + ": " + Reasons.of(e));
    }
    return null;
  }

  @Override
  public void close() {
    for (CredentialSource source : sources) {
      source.close();
    }
  }

  @Override
  public String toString() {
    return "CredentialChain[" + name + "]";
  }
}
