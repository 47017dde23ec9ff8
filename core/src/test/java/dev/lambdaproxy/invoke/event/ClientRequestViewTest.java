package dev.lambdaproxy.invoke.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientRequestViewTest {

  private static ClientRequestView view(String rawPath, List<Header> headers, Map<String, String> pathParameters) {
    return new ClientRequestView("GET", rawPath, rawPath, null, headers, new byte[0], "203.0.113.7", "HTTP/1.1",
        "example.com", "id", 0L, "/x", pathParameters);
  }

  @Test
  void headersAndPathParametersAreCopiedInOrder() {
    List<Header> headers = new ArrayList<>(List.of(new Header("B", "1"), new Header("a", "2")));
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("z", "1");
    parameters.put("a", "2");
    ClientRequestView view = view("/x", headers, parameters);
    headers.clear();
    parameters.clear();
    assertEquals(List.of(new Header("B", "1"), new Header("a", "2")), view.headers());
    assertEquals(List.of("z", "a"), List.copyOf(view.pathParameters().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> view.pathParameters().put("b", "3"));
  }

  @Test
  void theFirstHeaderOfANameIsFoundInAnyCase() {
    ClientRequestView view = view("/x", List.of(new Header("content-type", "a"), new Header("Content-Type", "b")), Map.of());
    assertEquals("a", view.firstHeader("CONTENT-TYPE"));
    assertNull(view.firstHeader("Accept"));
  }

  @Test
  void missingPartsAreRefusedByName() {
    NullPointerException missing = assertThrows(NullPointerException.class,
        () -> new ClientRequestView("GET", "/x", "/x", null, List.of(), null, "ip", "HTTP/1.1", "h", "id", 0L, "/x", Map.of()));
    assertEquals("body", missing.getMessage());
    Map<String, String> nullValue = new LinkedHashMap<>();
    nullValue.put("id", null);
    NullPointerException parameter = assertThrows(NullPointerException.class, () -> view("/x", List.of(), nullValue));
    assertEquals("pathParameters.id", parameter.getMessage());
    assertThrows(NullPointerException.class, () -> new Header("X", null));
  }

  @Test
  void aRawPathMustBeAbsolute() {
    IllegalArgumentException relative = assertThrows(IllegalArgumentException.class, () -> view("hello", List.of(), Map.of()));
    assertTrue(relative.getMessage().contains("rawPath"));
  }

  @Test
  void toStringShowsNoQueryHeaderValuesOrBody() {
    ClientRequestView view = new ClientRequestView("POST", "/x", "/x", "token=q-secret", List.of(new Header("Authorization", "h-secret")),
        "b-secret".getBytes(StandardCharsets.UTF_8), "203.0.113.7", "HTTP/1.1", "example.com", "id", 0L, "/x", Map.of());
    String text = view.toString();
    assertTrue(!text.contains("secret"), text);
  }
}
