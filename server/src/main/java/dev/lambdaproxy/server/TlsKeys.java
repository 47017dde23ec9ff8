package dev.lambdaproxy.server;

import dev.lambdaproxy.config.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;

/** The server's key and certificate chain from the TLS options: a PKCS#12 or JKS keystore, or PEM files. */
final class TlsKeys {

  private TlsKeys() {}

  static KeyManagerFactory keyManagers(ServerOptions.Tls tls) throws IOException, GeneralSecurityException {
    KeyStore store;
    char[] password;
    if (tls.keystore() != null) {
      if (!Files.isReadable(tls.keystore())) {
        throw new IllegalArgumentException("--tls-keystore " + tls.keystore() + " cannot be read");
      }
      password = tls.password() == null ? new char[0] : tls.password().toCharArray();
      String name = tls.keystore().getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      store = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
      try (InputStream in = Files.newInputStream(tls.keystore())) {
        store.load(in, password);
      } catch (IOException e) {
        // A JKS file named .p12, or the other way round: the JDK's keystore reads both.
        store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream again = Files.newInputStream(tls.keystore())) {
          store.load(again, password);
        }
      }
    } else {
      // The PEM files become an in-memory keystore, locked with a password nobody needs to know.
      password = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(18)).toCharArray();
      store = PemKeyStore.load(tls.certificate(), tls.privateKey(), password);
    }
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory;
  }
}
