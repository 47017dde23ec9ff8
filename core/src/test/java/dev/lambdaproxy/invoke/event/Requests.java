package dev.lambdaproxy.invoke.event;

/** The requests both event tables describe, by name, so that the 1.0 and 2.0 tables cover the same ground. */
final class Requests {

  /** The first bytes of every PNG file. */
  static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** "café" in ISO-8859-1: the é is a lone 0xE9, not UTF-8. */
  static final byte[] LATIN1_CAFE = {'c', 'a', 'f', (byte) 0xe9};

  private Requests() {}

  static ClientRequestView getWithoutQuery() {
    return RequestBuilder.get("/hello").build();
  }

  static ClientRequestView repeatedQueryKeys() {
    return RequestBuilder.get("/hello").query("a=1&a=2&b=").build();
  }

  static ClientRequestView percentEncodedAndUnicode() {
    return RequestBuilder.get("/users/%C3%A9t%C3%A9")
        .path("/users/%C3%A9t%C3%A9", "/users/été")
        .route("/users/{id}")
        .pathParameter("id", "été")
        .query("q=caf%C3%A9+cr%C3%A8me&plus=%2B1&check=%E2%9C%93")
        .build();
  }

  static ClientRequestView repeatedHeaders() {
    return RequestBuilder.get("/hello")
        .header("Accept", "text/html")
        .header("X-Trace", "one")
        .header("accept", "application/json")
        .header("x-trace", "two")
        .build();
  }

  static ClientRequestView twoCookieHeaders() {
    return RequestBuilder.get("/hello")
        .header("Cookie", "theme=dark; lang=fr")
        .header("Cookie", "session=abc123")
        .build();
  }

  static ClientRequestView jsonBody() {
    return RequestBuilder.post("/hello").body("application/json", "{\"name\":\"APISIX\",\"tags\":[\"é\"]}").build();
  }

  static ClientRequestView formBody() {
    return RequestBuilder.post("/hello").body("application/x-www-form-urlencoded", "name=APISIX&lang=fr").build();
  }

  static ClientRequestView pngBody() {
    return RequestBuilder.post("/hello").body("image/png", PNG_SIGNATURE).build();
  }

  static ClientRequestView latin1BodyCalledText() {
    return RequestBuilder.post("/hello").body("text/plain", LATIN1_CAFE).build();
  }

  static ClientRequestView emptyPost() {
    return RequestBuilder.post("/hello").body("application/json", new byte[0]).build();
  }

  static ClientRequestView greedyPathParameter() {
    return RequestBuilder.get("/files/docs/a%20b.txt")
        .path("/files/docs/a%20b.txt", "/files/docs/a b.txt")
        .route("/files/{path+}")
        .pathParameter("path", "docs/a b.txt")
        .build();
  }

  static ClientRequestView prefixRoute() {
    return RequestBuilder.get("/api/v2/items").route("/api/*").build();
  }
}
