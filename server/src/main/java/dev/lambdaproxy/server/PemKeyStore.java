package dev.lambdaproxy.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A keystore made in memory from PEM files, as certificate tools and ACME clients write them: a
 * certificate chain and an unencrypted PKCS#8 private key. The JDK reads both parts but has no
 * one call for it, hence this small class rather than a library.
 */
final class PemKeyStore {

  static final String ALIAS = "lambda-proxy";

  private PemKeyStore() {}

  /**
   * @throws IllegalArgumentException saying what is wrong with which file (never its content)
   */
  static KeyStore load(Path certificateFile, Path keyFile, char[] password) throws IOException {
    List<Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : blocks(certificateFile, "CERTIFICATE")) {
        chain.add(factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(certificateFile + ": not a PEM certificate chain (" + e.getClass().getSimpleName() + ")");
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(certificateFile + ": no '-----BEGIN CERTIFICATE-----' block");
    }
    String keyText = Files.readString(keyFile, StandardCharsets.US_ASCII);
    if (keyText.contains("BEGIN RSA PRIVATE KEY") || keyText.contains("BEGIN EC PRIVATE KEY")
        || keyText.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
      throw new IllegalArgumentException(keyFile + ": the key must be an unencrypted PKCS#8 '-----BEGIN PRIVATE KEY-----'"
          + " block; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    List<byte[]> keys = blocks(keyFile, "PRIVATE KEY");
    if (keys.size() != 1) {
      throw new IllegalArgumentException(keyFile + ": expected one '-----BEGIN PRIVATE KEY-----' block, found " + keys.size());
    }
    PrivateKey key = privateKey(keys.get(0), keyFile);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(keyFile + ": the key does not go with " + certificateFile + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static PrivateKey privateKey(byte[] pkcs8, Path keyFile) {
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "EdDSA"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(keyFile + ": not an RSA, EC or Ed25519 PKCS#8 private key");
  }

  private static List<byte[]> blocks(Path file, String type) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    List<byte[]> blocks = new ArrayList<>();
    for (int from = text.indexOf(begin); from >= 0; from = text.indexOf(begin, from)) {
      int to = text.indexOf(end, from);
      if (to < 0) {
        throw new IllegalArgumentException(file + ": '" + begin + "' without its END line");
      }
      try {
        blocks.add(Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": a " + type + " block is not base64");
      }
      from = to + end.length();
    }
    return blocks;
  }
}
