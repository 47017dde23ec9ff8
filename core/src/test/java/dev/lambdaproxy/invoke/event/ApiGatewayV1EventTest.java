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
 * The 1.0 event of each request, written by hand after the examples of "Set up Lambda proxy
 * integrations in API Gateway" (input format) and "Working with AWS Lambda proxy integrations for
 * HTTP APIs" (payload format 1.0).
 */
class ApiGatewayV1EventTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a GET without query has null query maps, path parameters and body", (Supplier<ClientRequestView>) Requests::getWithoutQuery, """
            {
              "version": "1.0", "resource": "/hello", "path": "/hello", "httpMethod": "GET",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0"},
              "multiValueHeaders": {"Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"]},
              "queryStringParameters": null,
              "multiValueQueryStringParameters": null,
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "GET",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/hello", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/hello", "stage": "$default"
              },
              "pathParameters": null,
              "stageVariables": null,
              "body": null,
              "isBase64Encoded": false
            }"""),
        Arguments.of("repeated query keys keep the last value in the single-value map and all in the multi-value one", (Supplier<ClientRequestView>) Requests::repeatedQueryKeys, """
            {
              "version": "1.0", "resource": "/hello", "path": "/hello", "httpMethod": "GET",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0"},
              "multiValueHeaders": {"Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"]},
              "queryStringParameters": {"a": "2", "b": ""},
              "multiValueQueryStringParameters": {"a": ["1", "2"], "b": [""]},
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "GET",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/hello", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/hello", "stage": "$default"
              },
              "pathParameters": null,
              "stageVariables": null,
              "body": null,
              "isBase64Encoded": false
            }"""),
        Arguments.of("a percent-encoded path stays encoded while query values and path parameters are decoded", (Supplier<ClientRequestView>) Requests::percentEncodedAndUnicode, """
            {
              "version": "1.0", "resource": "/users/{id}", "path": "/users/%C3%A9t%C3%A9", "httpMethod": "GET",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0"},
              "multiValueHeaders": {"Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"]},
              "queryStringParameters": {"q": "café crème", "plus": "+1", "check": "✓"},
              "multiValueQueryStringParameters": {"q": ["café crème"], "plus": ["+1"], "check": ["✓"]},
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "GET",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/users/%C3%A9t%C3%A9", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/users/{id}", "stage": "$default"
              },
              "pathParameters": {"id": "été"},
              "stageVariables": null,
              "body": null,
              "isBase64Encoded": false
            }"""),
        Arguments.of("repeated headers of any case group under the first spelling, last value in headers", (Supplier<ClientRequestView>) Requests::repeatedHeaders, """
            {
              "version": "1.0", "resource": "/hello", "path": "/hello", "httpMethod": "GET",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0", "Accept": "application/json", "X-Trace": "two"},
              "multiValueHeaders": {
                "Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"],
                "Accept": ["text/html", "application/json"], "X-Trace": ["one", "two"]
              },
              "queryStringParameters": null,
              "multiValueQueryStringParameters": null,
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "GET",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/hello", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/hello", "stage": "$default"
              },
              "pathParameters": null,
              "stageVariables": null,
              "body": null,
              "isBase64Encoded": false
            }"""),
        Arguments.of("Cookie headers stay headers in 1.0", (Supplier<ClientRequestView>) Requests::twoCookieHeaders, """
            {
              "version": "1.0", "resource": "/hello", "path": "/hello", "httpMethod": "GET",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0", "Cookie": "session=abc123"},
              "multiValueHeaders": {
                "Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"],
                "Cookie": ["theme=dark; lang=fr", "session=abc123"]
              },
              "queryStringParameters": null,
              "multiValueQueryStringParameters": null,
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "GET",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/hello", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/hello", "stage": "$default"
              },
              "pathParameters": null,
              "stageVariables": null,
              "body": null,
              "isBase64Encoded": false
            }"""),
        Arguments.of("a JSON body travels as text", (Supplier<ClientRequestView>) Requests::jsonBody, """
            {
              "version": "1.0", "resource": "/hello", "path": "/hello", "httpMethod": "POST",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0", "Content-Type": "application/json", "Content-Length": "31"},
              "multiValueHeaders": {
                "Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"],
                "Content-Type": ["application/json"], "Content-Length": ["31"]
              },
              "queryStringParameters": null,
              "multiValueQueryStringParameters": null,
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "POST",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/hello", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/hello", "stage": "$default"
              },
              "pathParameters": null,
              "stageVariables": null,
              "body": "{\\"name\\":\\"APISIX\\",\\"tags\\":[\\"é\\"]}",
              "isBase64Encoded": false
            }"""),
        Arguments.of("a form body travels as text", (Supplier<ClientRequestView>) Requests::formBody, """
            {
              "version": "1.0", "resource": "/hello", "path": "/hello", "httpMethod": "POST",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0", "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "19"},
              "multiValueHeaders": {
                "Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"],
                "Content-Type": ["application/x-www-form-urlencoded"], "Content-Length": ["19"]
              },
              "queryStringParameters": null,
              "multiValueQueryStringParameters": null,
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "POST",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/hello", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/hello", "stage": "$default"
              },
              "pathParameters": null,
              "stageVariables": null,
              "body": "name=APISIX&lang=fr",
              "isBase64Encoded": false
            }"""),
        Arguments.of("a PNG body travels as base64", (Supplier<ClientRequestView>) Requests::pngBody, """
            {
              "version": "1.0", "resource": "/hello", "path": "/hello", "httpMethod": "POST",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0", "Content-Type": "image/png", "Content-Length": "8"},
              "multiValueHeaders": {
                "Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"],
                "Content-Type": ["image/png"], "Content-Length": ["8"]
              },
              "queryStringParameters": null,
              "multiValueQueryStringParameters": null,
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "POST",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/hello", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/hello", "stage": "$default"
              },
              "pathParameters": null,
              "stageVariables": null,
              "body": "iVBORw0KGgo=",
              "isBase64Encoded": true
            }"""),
        Arguments.of("a text/plain body that is not UTF-8 travels as base64", (Supplier<ClientRequestView>) Requests::latin1BodyCalledText, """
            {
              "version": "1.0", "resource": "/hello", "path": "/hello", "httpMethod": "POST",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0", "Content-Type": "text/plain", "Content-Length": "4"},
              "multiValueHeaders": {
                "Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"],
                "Content-Type": ["text/plain"], "Content-Length": ["4"]
              },
              "queryStringParameters": null,
              "multiValueQueryStringParameters": null,
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "POST",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/hello", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/hello", "stage": "$default"
              },
              "pathParameters": null,
              "stageVariables": null,
              "body": "Y2Fm6Q==",
              "isBase64Encoded": true
            }"""),
        Arguments.of("an empty body is null", (Supplier<ClientRequestView>) Requests::emptyPost, """
            {
              "version": "1.0", "resource": "/hello", "path": "/hello", "httpMethod": "POST",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0", "Content-Type": "application/json", "Content-Length": "0"},
              "multiValueHeaders": {
                "Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"],
                "Content-Type": ["application/json"], "Content-Length": ["0"]
              },
              "queryStringParameters": null,
              "multiValueQueryStringParameters": null,
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "POST",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/hello", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/hello", "stage": "$default"
              },
              "pathParameters": null,
              "stageVariables": null,
              "body": null,
              "isBase64Encoded": false
            }"""),
        Arguments.of("a greedy path template names its resource and parameter", (Supplier<ClientRequestView>) Requests::greedyPathParameter, """
            {
              "version": "1.0", "resource": "/files/{path+}", "path": "/files/docs/a%20b.txt", "httpMethod": "GET",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0"},
              "multiValueHeaders": {"Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"]},
              "queryStringParameters": null,
              "multiValueQueryStringParameters": null,
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "GET",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/files/docs/a%20b.txt", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/files/{path+}", "stage": "$default"
              },
              "pathParameters": {"path": "docs/a b.txt"},
              "stageVariables": null,
              "body": null,
              "isBase64Encoded": false
            }"""),
        Arguments.of("a prefix route is the resource as written, without path parameters", (Supplier<ClientRequestView>) Requests::prefixRoute, """
            {
              "version": "1.0", "resource": "/api/*", "path": "/api/v2/items", "httpMethod": "GET",
              "headers": {"Host": "lambda-proxy.example.com", "User-Agent": "curl/8.5.0"},
              "multiValueHeaders": {"Host": ["lambda-proxy.example.com"], "User-Agent": ["curl/8.5.0"]},
              "queryStringParameters": null,
              "multiValueQueryStringParameters": null,
              "requestContext": {
                "domainName": "lambda-proxy.example.com", "domainPrefix": "lambda-proxy", "httpMethod": "GET",
                "identity": {
                  "accessKey": null, "accountId": null, "apiKey": null, "caller": null,
                  "cognitoAuthenticationProvider": null, "cognitoAuthenticationType": null,
                  "cognitoIdentityId": null, "cognitoIdentityPoolId": null, "principalOrgId": null,
                  "sourceIp": "203.0.113.7", "user": null, "userAgent": "curl/8.5.0", "userArn": null
                },
                "path": "/api/v2/items", "protocol": "HTTP/1.1", "requestId": "8f1c5a8e-3b1f-4c53-9d3c-2a1e0f6b7d41",
                "requestTime": "04/Mar/2020:19:03:58 +0000", "requestTimeEpoch": 1583348638390,
                "resourcePath": "/api/*", "stage": "$default"
              },
              "pathParameters": null,
              "stageVariables": null,
              "body": null,
              "isBase64Encoded": false
            }"""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void writesTheDocumentedEvent(String name, Supplier<ClientRequestView> request, String expected) throws IOException {
    assertEquals(JSON.readTree(expected), JSON.readTree(ApiGatewayV1Event.toJson(request.get())));
  }
}
