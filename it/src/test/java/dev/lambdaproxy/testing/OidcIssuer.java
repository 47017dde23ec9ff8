package dev.lambdaproxy.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenID Connect issuers on an ephemeral loopback port (the JDK's HTTP server): each serves
 * {@code /NAME/.well-known/openid-configuration} and its JWKS at {@code /NAME/jwks}, with keys the
 * test makes, and mints tokens signed with them. An issuer can be taken down (503) and its keys
 * rotated; it counts what it was asked.
 *
 * <pre>{@code
 * try (OidcIssuer issuers = OidcIssuer.start()) {
 *   OidcIssuer.Issuer users = issuers.issuer("users");
 *   String token = users.token().audience("app").sign(users.rsa());
 * }
 * }</pre>
 */
public final class OidcIssuer implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, Issuer> issuers = new ConcurrentHashMap<>();

  private OidcIssuer(HttpServer server) {
    this.server = server;
  }

  public static OidcIssuer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "oidc-issuer");
      thread.setDaemon(true);
      return thread;
    }));
    OidcIssuer fixture = new OidcIssuer(server);
    server.createContext("/", fixture::handle);
    server.start();
    return fixture;
  }

  /** The issuer at {@code /name}, made on first use with one RSA key ({@code rsa-1}) and one P-256 key ({@code ec-1}) published. */
  public Issuer issuer(String name) {
    return issuers.computeIfAbsent(name, Issuer::new);
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String[] parts = path.split("/", 3);
      Issuer issuer = parts.length == 3 ? issuers.get(parts[1]) : null;
      if (issuer == null) {
        send(exchange, 404, "{}");
        return;
      }
      String rest = "/" + parts[2];
      if (rest.equals("/.well-known/openid-configuration")) {
        issuer.discoveries.incrementAndGet();
        if (issuer.down.get()) {
          send(exchange, 503, "{\"error\":\"down\"}");
          return;
        }
        send(exchange, 200, "{\"issuer\":\"" + issuer.uri() + "\",\"jwks_uri\":\"" + issuer.uri() + "/jwks\"}");
      } else if (rest.equals("/jwks")) {
        issuer.jwksFetches.incrementAndGet();
        if (issuer.down.get()) {
          send(exchange, 503, "{\"error\":\"down\"}");
          return;
        }
        send(exchange, 200, new JWKSet(new ArrayList<>(issuer.published)).toPublicJWKSet().toString());
      } else {
        send(exchange, 404, "{}");
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** One issuer: its keys, what it publishes, and counts of what it was asked. */
  public final class Issuer {
    private final String name;
    private final RSAKey rsa;
    private final ECKey ec;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger discoveries = new AtomicInteger();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicBoolean down = new AtomicBoolean();

    private Issuer(String name) {
      this.name = name;
      this.rsa = newRsaKey("rsa-1");
      this.ec = newEcKey("ec-1", Curve.P_256);
      published.add(rsa);
      published.add(ec);
    }

    public String uri() {
      return baseUri() + "/" + name;
    }

    public RSAKey rsa() {
      return rsa;
    }

    public ECKey ec() {
      return ec;
    }

    /** Adds a key to the JWKS (a rotation). */
    public Issuer publish(JWK key) {
      published.add(key);
      return this;
    }

    /** 503 for discovery and JWKS while down. */
    public Issuer down(boolean isDown) {
      down.set(isDown);
      return this;
    }

    public int jwksFetches() {
      return jwksFetches.get();
    }

    public int discoveries() {
      return discoveries.get();
    }

    /** A token with this issuer, audience {@code app}, subject {@code user-1}, issued now, expiring in 5 minutes. */
    public Token token() {
      Instant now = Instant.now();
      return new Token().claim("iss", uri()).claim("sub", "user-1").claim("aud", "app")
          .claim("iat", now.getEpochSecond()).claim("exp", now.getEpochSecond() + 300);
    }
  }

  public static RSAKey newRsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ECKey newEcKey(String kid, Curve curve) {
    try {
      return new ECKeyGenerator(curve).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token's claims, then signed (or not) into its compact form. */
  public static final class Token {
    private final Map<String, Object> claims = new LinkedHashMap<>();

    /** Sets a claim; null removes it. Numbers, booleans, strings, lists and maps as JSON has them. */
    public Token claim(String name, Object value) {
      if (value == null) {
        claims.remove(name);
      } else {
        claims.put(name, value);
      }
      return this;
    }

    public Token without(String name) {
      return claim(name, null);
    }

    private JWTClaimsSet claimsSet() {
      try {
        return JWTClaimsSet.parse(new LinkedHashMap<>(claims));
      } catch (java.text.ParseException e) {
        throw new IllegalArgumentException(e);
      }
    }

    /** Signed with the key (RS256 for RSA, ES256/ES384 by the curve), its kid in the header. */
    public String sign(JWK key) {
      try {
        if (key instanceof RSAKey rsaKey) {
          return sign(JWSAlgorithm.RS256, key.getKeyID(), new RSASSASigner(rsaKey));
        }
        ECKey ecKey = (ECKey) key;
        return sign(Curve.P_384.equals(ecKey.getCurve()) ? JWSAlgorithm.ES384 : JWSAlgorithm.ES256, key.getKeyID(),
            new ECDSASigner(ecKey));
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    public String sign(JWSAlgorithm algorithm, String kid, JWSSigner signer) {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(), claimsSet());
      try {
        jwt.sign(signer);
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
      return jwt.serialize();
    }

    /** HS256 with a shared secret: what an authorizer must refuse. */
    public String signHs256(String kid, byte[] secret) {
      try {
        return sign(JWSAlgorithm.HS256, kid, new MACSigner(secret));
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** {@code alg: none}: no signature at all. */
    public String unsigned() {
      return new PlainJWT(claimsSet()).serialize();
    }
  }
}
