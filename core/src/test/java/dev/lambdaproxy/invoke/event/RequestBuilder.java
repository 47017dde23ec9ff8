package dev.lambdaproxy.invoke.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link ClientRequestView}s of the tests. Its defaults are a {@code GET /hello} from
 * curl with no query and no body, arriving at the time of AWS's 2.0 example ({@code timeEpoch}).
 */
final class RequestBuilder {

  static final String HOST = "lambda-proxy.example.com";
  static final String USER_AGENT = "curl/8.5.0";
  static final String SOURCE_IP = "203.0.113.7";
  static final String REQUEST_ID = "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41";
  static final long TIME = 1583348638390L;

  private String method = "GET";
  private String rawPath = "/hello";
  private String path = "/hello";
  private String rawQuery;
  private final List<Header> headers = new ArrayList<>(List.of(new Header("Host", HOST), new Header("User-Agent", USER_AGENT)));
  private byte[] body = new byte[0];
  private String routePattern = "/hello";
  private final Map<String, String> pathParameters = new LinkedHashMap<>();

  static RequestBuilder get(String rawPath) {
    return new RequestBuilder().method("GET").path(rawPath, rawPath);
  }

  static RequestBuilder post(String rawPath) {
    return new RequestBuilder().method("POST").path(rawPath, rawPath);
  }

  RequestBuilder method(String method) {
    this.method = method;
    return this;
  }

  RequestBuilder path(String rawPath, String decodedPath) {
    this.rawPath = rawPath;
    this.path = decodedPath;
    this.routePattern = rawPath;
    return this;
  }

  RequestBuilder query(String rawQuery) {
    this.rawQuery = rawQuery;
    return this;
  }

  RequestBuilder header(String name, String value) {
    headers.add(new Header(name, value));
    return this;
  }

  RequestBuilder body(String contentType, byte[] body) {
    header("Content-Type", contentType);
    header("Content-Length", Integer.toString(body.length));
    this.body = body;
    return this;
  }

  RequestBuilder body(String contentType, String body) {
    return body(contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  RequestBuilder route(String pattern) {
    this.routePattern = pattern;
    return this;
  }

  RequestBuilder pathParameter(String name, String value) {
    pathParameters.put(name, value);
    return this;
  }

  ClientRequestView build() {
    return new ClientRequestView(method, rawPath, path, rawQuery, headers, body, SOURCE_IP, "HTTP/1.1", HOST,
        REQUEST_ID, TIME, routePattern, pathParameters);
  }
}
