package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.config.TrustedProxies;
import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.frontdoor.Trace;
import dev.lambdaproxy.http.Headers;
import dev.lambdaproxy.invoke.InvokeTarget;
import dev.lambdaproxy.invoke.Payloads;
import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.invoke.event.ApiGatewayV1Event;
import dev.lambdaproxy.invoke.event.ApiGatewayV2Event;
import dev.lambdaproxy.invoke.event.ClientRequestView;
import dev.lambdaproxy.invoke.event.FrontDoorContext;
import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.route.HttpEndpoint;
import dev.lambdaproxy.route.InvocationType;
import dev.lambdaproxy.route.RouteMatch;
import dev.lambdaproxy.sigv4.PayloadHash;
import dev.lambdaproxy.sigv4.SigV4Result;
import dev.lambdaproxy.sigv4.SigV4Signer;
import dev.lambdaproxy.sigv4.SignableRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepare stage: turns the client's request into the call that goes upstream, signed. For a
 * Lambda route, an Invoke POST whose payload is the client's JSON body ({@code {}} when it has
 * none) or an API Gateway event, with only the headers the route asks for; for an HTTP endpoint,
 * the client's request with its own headers filtered, the forwarding headers this proxy vouches
 * for, and the endpoint's authentication. The signer hands back the headers to set; nothing the
 * client sent decides where the call goes or what is signed beyond its route.
 */
final class Prepare {

  private static final Logger LOG = LoggerFactory.getLogger(Prepare.class);
  private static final String JSON = "application/json";
  private static final List<ByteBuffer> EMPTY_OBJECT = List.of(ByteBuffer.wrap(Payloads.EMPTY_OBJECT).asReadOnlyBuffer());
  private static final String EMPTY_OBJECT_SHA256 = PayloadHash.sha256Hex(Payloads.EMPTY_OBJECT, 0, Payloads.EMPTY_OBJECT.length);

  private final SigV4Signer signer;

  Prepare(SigV4Signer signer) {
    this.signer = signer;
  }

  /**
   * The call for this request.
   *
   * @param trace the request's trace, sent as {@code X-Amzn-Trace-Id}; null when tracing is off
   * @throws Failures.Refusal for a body the proxy cannot send (400) or credentials it cannot have (500)
   * @throws CredentialsUnavailableException when the route signs and there are no credentials
   */
  ProxyRequest call(Routed routed, ClientRequest clientRequest, RequestBody body, FrontDoorContext frontDoor, Trace trace)
      throws CredentialsUnavailableException {
    FunctionTarget function = routed.function();
    return function != null ? invoke(routed, function, clientRequest, body, frontDoor, trace)
        : endpoint(routed, routed.endpoint(), clientRequest, body, trace);
  }

  private ProxyRequest invoke(Routed routed, FunctionTarget function, ClientRequest clientRequest, RequestBody body,
      FrontDoorContext frontDoor, Trace trace) throws CredentialsUnavailableException {
    List<ByteBuffer> payload;
    String payloadSha256;
    if (function.event() == EventFormat.RAW) {
      if (!routed.readsBody() || body.chunks().isEmpty()) {
        payload = EMPTY_OBJECT;
        payloadSha256 = EMPTY_OBJECT_SHA256;
      } else {
        String problem = Payloads.jsonProblem(body.chunks());
        if (problem != null) {
          throw new Failures.Refusal(ProxyError.bodyNotJson(problem));
        }
        payload = body.chunks();
        payloadSha256 = body.sha256Hex();
      }
    } else {
      ClientRequestView view = view(routed, clientRequest, body, frontDoor);
      byte[] event = function.event() == EventFormat.APIGW_V1 ? ApiGatewayV1Event.toJson(view) : ApiGatewayV2Event.toJson(view);
      payload = List.of(ByteBuffer.wrap(event));
      payloadSha256 = PayloadHash.sha256Hex(event, 0, event.length);
    }
    InvokeTarget target = routed.invokeTarget();
    AwsCredentials credentials = credentials(routed);
    List<Header> signed = new ArrayList<>(4);
    signed.add(new Header("host", target.hostHeader()));
    if (function.invocation() != InvocationType.REQUEST_RESPONSE) {
      signed.add(new Header("x-amz-invocation-type", function.invocation().headerValue()));
    }
    if (function.logTail()) {
      signed.add(new Header("x-amz-log-type", "Tail"));
    }
    if (function.clientContext() != null) {
      signed.add(new Header("x-amz-client-context", function.clientContext()));
    }
    SigV4Result signature = signer.sign(new SignableRequest("POST", target.encodedPath(), target.rawQuery(), sigv4(signed), payloadSha256),
        credentials, target.signingRegion(), InvokeTarget.SERVICE);
    List<Header> headers = new ArrayList<>(signed.size() + 4);
    headers.addAll(signed);
    headers.add(new Header("Content-Type", JSON));
    addSignature(headers, signature);
    if (trace != null) {
      // Not signed, as the AWS SDKs leave it unsigned: X-Ray may rewrite it on the way.
      headers.add(new Header(Trace.AMZN_HEADER, trace.header()));
    }
    return new ProxyRequest("POST", target.uri(), headers, payload, routed.timeout(), false);
  }

  /**
   * A synchronous Invoke call of an authorizer function with {@code event}, signed with the
   * proxy's own credentials, as API Gateway invokes an authorizer with its own.
   *
   * @throws CredentialsUnavailableException when there are no credentials
   */
  ProxyRequest authorizerCall(Routed routed, InvokeTarget target, byte[] event, java.time.Duration timeout)
      throws CredentialsUnavailableException {
    AwsCredentials credentials = routed.config().credentials().resolve();
    List<Header> signed = List.of(new Header("host", target.hostHeader()));
    SigV4Result signature = signer.sign(new SignableRequest("POST", target.encodedPath(), target.rawQuery(), sigv4(signed),
        PayloadHash.sha256Hex(event, 0, event.length)), credentials, target.signingRegion(), InvokeTarget.SERVICE);
    List<Header> headers = new ArrayList<>(6);
    headers.addAll(signed);
    headers.add(new Header("Content-Type", JSON));
    addSignature(headers, signature);
    return new ProxyRequest("POST", target.uri(), headers, List.of(ByteBuffer.wrap(event)), timeout, false);
  }

  private ProxyRequest endpoint(Routed routed, HttpEndpoint endpoint, ClientRequest clientRequest, RequestBody body, Trace trace)
      throws CredentialsUnavailableException {
    URI uri = URI.create(endpointUri(endpoint, routed.match(), clientRequest.rawQuery()));
    String host = InvokeTarget.hostHeader(uri);
    List<Header> headers = new ArrayList<>(clientRequest.headers().size() + 6);
    headers.add(new Header("Host", host));
    Set<String> connectionHeaders = clientRequest.connectionHeaderNames();
    List<String> via = new ArrayList<>(1);
    for (Header header : clientRequest.headers()) {
      String lower = header.name().toLowerCase(Locale.ROOT);
      if (lower.equals("via")) {
        via.add(header.value());
      } else if (trace != null && lower.equals("x-amzn-trace-id")) {
        // dropped: the trace goes on as read and checked, below
      } else if (Headers.isForwardableToEndpoint(header.name(), endpoint.forwardAuth()) && !connectionHeaders.contains(lower)) {
        headers.add(header);
      }
    }
    via.add(viaValue(clientRequest.protocol()));
    headers.add(new Header("Via", String.join(", ", via)));
    addForwarding(headers, clientRequest, routed.settings().trustedProxies());
    if (trace != null) {
      headers.add(new Header(Trace.AMZN_HEADER, trace.header()));
    }
    if (endpoint.auth() == HttpEndpoint.Auth.APIKEY) {
      headers.add(new Header("x-api-key", endpoint.apiKey().reveal()));
    }
    if (endpoint.auth() == HttpEndpoint.Auth.IAM) {
      SigV4Result signature = signer.sign(
          new SignableRequest(clientRequest.method(), uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(),
              uri.getRawQuery(), List.of(new dev.lambdaproxy.sigv4.Header("host", host)), body.sha256Hex()),
          credentials(routed), endpoint.region(), endpoint.service());
      addSignature(headers, signature);
    }
    return new ProxyRequest(clientRequest.method(), uri, headers, body.chunks(), routed.timeout(), true);
  }

  private static List<dev.lambdaproxy.sigv4.Header> sigv4(List<Header> headers) {
    List<dev.lambdaproxy.sigv4.Header> signed = new ArrayList<>(headers.size());
    for (Header header : headers) {
      signed.add(new dev.lambdaproxy.sigv4.Header(header.name(), header.value()));
    }
    return signed;
  }

  private static void addSignature(List<Header> headers, SigV4Result signature) {
    headers.add(new Header("X-Amz-Date", signature.amzDate()));
    if (signature.securityToken() != null) {
      headers.add(new Header("X-Amz-Security-Token", signature.securityToken()));
    }
    headers.add(new Header("Authorization", signature.authorization()));
  }

  /** Resolved here, after the cache: a fresh cached answer needs no credentials. */
  /**
   * Null when the route's credentials can be had at once (or it signs nothing); otherwise the load
   * that must end first, run off the caller's thread: an event loop must not wait on STS.
   */
  static java.util.concurrent.CompletableFuture<Void> credentialsLoading(Routed routed) {
    HttpEndpoint endpoint = routed.endpoint();
    if (endpoint != null && endpoint.auth() != HttpEndpoint.Auth.IAM) {
      return null;
    }
    return routed.config().credentials(routed.route()).loading();
  }

  private static AwsCredentials credentials(Routed routed) throws CredentialsUnavailableException {
    try {
      return routed.config().credentials(routed.route()).resolve();
    } catch (CredentialsUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      // A provider's own failure (a refresh that threw) must not become a stack trace for the client.
      LOG.warn("the AWS credentials provider failed", e);
      throw new Failures.Refusal(ProxyError.noCredentials(
          "the credentials provider failed (" + e.getClass().getSimpleName() + "); see the log"));
    }
  }

  /**
   * {@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and {@code Forwarded}, by the rule the
   * events' {@code sourceIp} follows (nginx's {@code set_real_ip_from}, Envoy's trusted hops): from
   * a peer in {@code trusted-proxies} the incoming {@link Headers#FORWARDING} headers are kept and
   * the peer appended to both chains; from anyone else they are dropped, and the endpoint learns
   * only what this proxy saw: the peer, the scheme and the Host the client sent.
   */
  static void addForwarding(List<Header> headers, ClientRequest clientRequest, TrustedProxies trustedProxies) {
    String peer = clientRequest.peerAddress();
    String proto = clientRequest.scheme();
    String host = clientRequest.header("Host");
    boolean trusted = trustedProxies.trusts(peer);
    List<String> forwardedFor = new ArrayList<>(1);
    List<String> forwarded = new ArrayList<>(1);
    String forwardedProto = null;
    String forwardedHost = null;
    if (trusted) {
      for (Header header : clientRequest.headers()) {
        String lower = header.name().toLowerCase(Locale.ROOT);
        switch (lower) {
          case "x-forwarded-for" -> forwardedFor.add(header.value());
          case "forwarded" -> forwarded.add(header.value());
          case "x-forwarded-proto" -> forwardedProto = forwardedProto == null ? header.value() : forwardedProto;
          case "x-forwarded-host" -> forwardedHost = forwardedHost == null ? header.value() : forwardedHost;
          default -> {
            if (Headers.FORWARDING.contains(lower)) {
              headers.add(header); // X-Forwarded-Port, X-Real-IP...: a trusted proxy's word, kept as sent
            }
          }
        }
      }
    }
    forwardedFor.add(Headers.unbracketed(peer));
    forwarded.add(Headers.forwardedElement(peer, proto, host));
    headers.add(new Header("X-Forwarded-For", String.join(", ", forwardedFor)));
    headers.add(new Header("Forwarded", String.join(", ", forwarded)));
    // A trusted proxy's Proto and Host describe the client's request; this hop's are the fallback.
    headers.add(new Header("X-Forwarded-Proto", forwardedProto != null ? forwardedProto : proto));
    if (forwardedHost != null || host != null) {
      headers.add(new Header("X-Forwarded-Host", forwardedHost != null ? forwardedHost : host));
    }
  }

  /** RFC 9110 7.6.3: the protocol version (its name too, unless HTTP) and this proxy's host name. */
  private static String viaValue(String protocol) {
    String[] parts = protocol.split("/", 2);
    String version = parts.length == 2 && "HTTP".equalsIgnoreCase(parts[0]) ? parts[1] : protocol;
    return version + " " + ViaHost.NAME;
  }

  /** Looked up once: the local host's name can take a DNS round trip. */
  private static final class ViaHost {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "localhost";
      }
    }
  }

  /**
   * The endpoint's URL with the route's path variables it names filled in, then the rest of the
   * path of a prefix or greedy route (unless the URL names the greedy variable), then the client's query.
   */
  static String endpointUri(HttpEndpoint endpoint, RouteMatch match, String rawQuery) {
    URI base = endpoint.uri();
    StringBuilder uri = new StringBuilder(128).append(base.getScheme()).append("://").append(base.getRawAuthority());
    String basePath = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
    boolean greedyNamed = false;
    if (endpoint.pathVariables().isEmpty()) {
      uri.append(basePath);
    } else {
      greedyNamed = fillPathVariables(uri, basePath, match);
    }
    if (!greedyNamed && !match.remainder().isEmpty()) {
      if (uri.charAt(uri.length() - 1) != '/') {
        uri.append('/');
      }
      appendEncodedPath(uri, match.remainder());
    }
    if (rawQuery != null && !rawQuery.isEmpty()) {
      uri.append('?').append(rawQuery);
    }
    return uri.toString();
  }

  /** Appends the URL's path with each {@code %7Bname%7D} replaced by the encoded value; whether the greedy variable was one. */
  private static boolean fillPathVariables(StringBuilder uri, String basePath, RouteMatch match) {
    String greedy = match.route().path().greedyVariable();
    boolean greedyNamed = false;
    int from = 0;
    for (int open = basePath.indexOf(HttpEndpoint.VARIABLE_OPEN); open >= 0;
        open = basePath.indexOf(HttpEndpoint.VARIABLE_OPEN, from)) {
      int close = basePath.indexOf(HttpEndpoint.VARIABLE_CLOSE, open);
      if (close < 0) {
        break;
      }
      String name = basePath.substring(open + HttpEndpoint.VARIABLE_OPEN.length(), close);
      String value = match.pathParameters().get(name);
      uri.append(basePath, from, open);
      if (value == null) {
        uri.append(basePath, open, close + HttpEndpoint.VARIABLE_CLOSE.length()); // not a variable: as written
      } else {
        appendEncodedPath(uri, value);
        greedyNamed |= name.equals(greedy);
      }
      from = close + HttpEndpoint.VARIABLE_CLOSE.length();
    }
    uri.append(basePath, from, basePath.length());
    return greedyNamed;
  }

  /** Percent-encodes a decoded path, keeping '/' and the characters RFC 3986 allows in a segment. */
  private static void appendEncodedPath(StringBuilder out, String decoded) {
    for (byte b : decoded.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
  }

  /** What an API Gateway event needs to know of the request, collected once. */
  static ClientRequestView view(Routed routed, ClientRequest clientRequest, RequestBody body, FrontDoorContext frontDoor) {
    String sourceIp = routed.settings().trustedProxies().clientAddress(clientRequest.peerAddress(),
        clientRequest.headers("X-Forwarded-For"));
    return new ClientRequestView(
        clientRequest.method(),
        clientRequest.rawPath(),
        clientRequest.path(),
        clientRequest.rawQuery(),
        clientRequest.headers(),
        body.bytes(),
        sourceIp,
        clientRequest.protocol(),
        clientRequest.serverName(),
        requestId(),
        routed.receivedMillis(),
        routed.route().pattern(),
        routed.match().pathParameters(),
        frontDoor);
  }

  /** A random UUID without SecureRandom's cost: a request id needs to be unique, not secret. */
  private static String requestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L, random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L)
        .toString();
  }
}
