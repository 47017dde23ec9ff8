package dev.lambdaproxy.cache;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds the client requests of the tests. */
final class Requests {

  private String route = "/things/*";
  private String method = "GET";
  private final String path;
  private String query;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private Requests(String method, String path) {
    this.method = method;
    int question = path.indexOf('?');
    this.path = question < 0 ? path : path.substring(0, question);
    this.query = question < 0 ? null : path.substring(question + 1);
  }

  /** A GET of a path, {@code ?query} included. */
  static Requests get(String pathAndQuery) {
    return new Requests("GET", pathAndQuery);
  }

  static Requests head(String pathAndQuery) {
    return new Requests("HEAD", pathAndQuery);
  }

  static Requests method(String method, String pathAndQuery) {
    return new Requests(method, pathAndQuery);
  }

  Requests route(String routeKey) {
    route = routeKey;
    return this;
  }

  Requests header(String name, String value) {
    headers.put(name.toLowerCase(Locale.ROOT), value);
    return this;
  }

  CacheRequest build() {
    Map<String, String> copy = Map.copyOf(headers);
    return CacheRequest.of(route, method, path, query, copy::get);
  }
}
