package dev.lambdaproxy.invoke.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 2.0 event of each request, written by hand after the examples of "Working with AWS Lambda
 * proxy integrations for HTTP APIs" (payload format 2.0) and the Lambda Developer Guide's function
 * URL "Request payload format".
 */
class ApiGatewayV2EventTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a GET without query leaves out the query, cookies, path parameters and body", (Supplier<ClientRequestView>) Requests::getWithoutQuery, """
            {
              "version": "2.0", "routeKey": "GET /hello", "rawPath": "/hello", "rawQueryString": "",
              "headers": {"host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0"},
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "GET", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "GET /hello", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "isBase64Encoded": false
            }"""),
        Arguments.of("repeated query keys are joined with commas", (Supplier<ClientRequestView>) Requests::repeatedQueryKeys, """
            {
              "version": "2.0", "routeKey": "GET /hello", "rawPath": "/hello", "rawQueryString": "a=1&a=2&b=",
              "headers": {"host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0"},
              "queryStringParameters": {"a": "1,2", "b": ""},
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "GET", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "GET /hello", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "isBase64Encoded": false
            }"""),
        Arguments.of("the raw path and query stay encoded while query values and path parameters are decoded", (Supplier<ClientRequestView>) Requests::percentEncodedAndUnicode, """
            {
              "version": "2.0", "routeKey": "GET /users/{id}", "rawPath": "/users/%C3%A9t%C3%A9",
              "rawQueryString": "q=caf%C3%A9+cr%C3%A8me&plus=%2B1&check=%E2%9C%93",
              "headers": {"host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0"},
              "queryStringParameters": {"q": "café crème", "plus": "+1", "check": "✓"},
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "GET", "path": "/users/%C3%A9t%C3%A9", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "GET /users/{id}", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "pathParameters": {"id": "été"},
              "isBase64Encoded": false
            }"""),
        Arguments.of("repeated headers of any case are lower-cased and joined with commas", (Supplier<ClientRequestView>) Requests::repeatedHeaders, """
            {
              "version": "2.0", "routeKey": "GET /hello", "rawPath": "/hello", "rawQueryString": "",
              "headers": {
                "host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0",
                "accept": "text/html,application/json", "x-trace": "one,two"
              },
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "GET", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "GET /hello", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "isBase64Encoded": false
            }"""),
        Arguments.of("Cookie headers become the cookies array and leave the headers", (Supplier<ClientRequestView>) Requests::twoCookieHeaders, """
            {
              "version": "2.0", "routeKey": "GET /hello", "rawPath": "/hello", "rawQueryString": "",
              "cookies": ["theme=dark", "lang=fr", "session=abc123"],
              "headers": {"host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0"},
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "GET", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "GET /hello", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "isBase64Encoded": false
            }"""),
        Arguments.of("a JSON body travels as text", (Supplier<ClientRequestView>) Requests::jsonBody, """
            {
              "version": "2.0", "routeKey": "POST /hello", "rawPath": "/hello", "rawQueryString": "",
              "headers": {
                "host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0",
                "content-type": "application/json", "content-length": "31"
              },
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "POST", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "POST /hello", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "body": "{\\"name\\":\\"APISIX\\",\\"tags\\":[\\"é\\"]}",
              "isBase64Encoded": false
            }"""),
        Arguments.of("a form body travels as text", (Supplier<ClientRequestView>) Requests::formBody, """
            {
              "version": "2.0", "routeKey": "POST /hello", "rawPath": "/hello", "rawQueryString": "",
              "headers": {
                "host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0",
                "content-type": "application/x-www-form-urlencoded", "content-length": "19"
              },
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "POST", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "POST /hello", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "body": "name=APISIX&lang=fr",
              "isBase64Encoded": false
            }"""),
        Arguments.of("a PNG body travels as base64", (Supplier<ClientRequestView>) Requests::pngBody, """
            {
              "version": "2.0", "routeKey": "POST /hello", "rawPath": "/hello", "rawQueryString": "",
              "headers": {
                "host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0",
                "content-type": "image/png", "content-length": "8"
              },
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "POST", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "POST /hello", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "body": "iVBORw0KGgo=",
              "isBase64Encoded": true
            }"""),
        Arguments.of("a text/plain body that is not UTF-8 travels as base64", (Supplier<ClientRequestView>) Requests::latin1BodyCalledText, """
            {
              "version": "2.0", "routeKey": "POST /hello", "rawPath": "/hello", "rawQueryString": "",
              "headers": {
                "host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0",
                "content-type": "text/plain", "content-length": "4"
              },
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "POST", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "POST /hello", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "body": "Y2Fm6Q==",
              "isBase64Encoded": true
            }"""),
        Arguments.of("an empty body is left out", (Supplier<ClientRequestView>) Requests::emptyPost, """
            {
              "version": "2.0", "routeKey": "POST /hello", "rawPath": "/hello", "rawQueryString": "",
              "headers": {
                "host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0",
                "content-type": "application/json", "content-length": "0"
              },
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "POST", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "POST /hello", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "isBase64Encoded": false
            }"""),
        Arguments.of("a greedy path template is in the route key and names its parameter", (Supplier<ClientRequestView>) Requests::greedyPathParameter, """
            {
              "version": "2.0", "routeKey": "GET /files/{path+}", "rawPath": "/files/docs/a%20b.txt", "rawQueryString": "",
              "headers": {"host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0"},
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "GET", "path": "/files/docs/a%20b.txt", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "GET /files/{path+}", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "pathParameters": {"path": "docs/a b.txt"},
              "isBase64Encoded": false
            }"""),
        Arguments.of("a prefix route is in the route key as written", (Supplier<ClientRequestView>) Requests::prefixRoute, """
            {
              "version": "2.0", "routeKey": "GET /api/*", "rawPath": "/api/v2/items", "rawQueryString": "",
              "headers": {"host": "lambda-proxy.example.com", "user-agent": "curl/8.5.0"},
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy",
                "http": {"method": "GET", "path": "/api/v2/items", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
                "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41", "routeKey": "GET /api/*", "stage": "$default",
                "time": "04/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
              },
              "isBase64Encoded": false
            }"""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void writesTheDocumentedEvent(String name, Supplier<ClientRequestView> request, String expected) throws IOException {
    assertEquals(JSON.readTree(expected), JSON.readTree(ApiGatewayV2Event.toJson(request.get())));
  }
}
