package dev.lambdaproxy.authorizer;

import dev.lambdaproxy.invoke.event.Header;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where an authorizer finds the caller's identity: {@code $request.header.NAME} or
 * {@code $request.querystring.NAME} (HTTP APIs' syntax; REST's {@code method.request.header.NAME}
 * is read the same). A source that is absent or empty means the caller brought no identity.
 *
 * @param inHeader true for a header, false for a query parameter
 * @param name the header (any case) or parameter (exact) name
 */
public record IdentitySource(boolean inHeader, String name) {

  public IdentitySource {
    Objects.requireNonNull(name, "name");
  }

  /** The source of {@code Authorization}: JWT and token authorizers read it unless told otherwise. */
  public static final IdentitySource AUTHORIZATION = new IdentitySource(true, "Authorization");

  static IdentitySource parse(String text) {
    String value = text.strip();
    for (String prefix : List.of("$request.", "method.request.")) {
      if (value.startsWith(prefix)) {
        String rest = value.substring(prefix.length());
        int dot = rest.indexOf('.');
        String where = dot < 0 ? rest : rest.substring(0, dot).toLowerCase(Locale.ROOT);
        String name = dot < 0 ? "" : rest.substring(dot + 1);
        if (!name.isEmpty() && name.chars().noneMatch(c -> c <= ' ' || c == 0x7f)) {
          if (where.equals("header")) {
            return new IdentitySource(true, name);
          }
          if (where.equals("querystring")) {
            return new IdentitySource(false, name);
          }
        }
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not an identity source; write $request.header.NAME"
        + " or $request.querystring.NAME");
  }

  /**
   * The value the request carries, or null when it carries none or an empty one. Repeated headers
   * and parameters are joined with commas, as HTTP APIs join them.
   */
  public String valueIn(List<Header> headers, String rawQuery) {
    StringBuilder joined = null;
    if (inHeader) {
      for (Header header : headers) {
        if (header.name().equalsIgnoreCase(name) && !header.value().isBlank()) {
          joined = joined == null ? new StringBuilder(header.value().strip()) : joined.append(',').append(header.value().strip());
        }
      }
    } else if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int equals = pair.indexOf('=');
        String key = decode(equals < 0 ? pair : pair.substring(0, equals));
        String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
        if (key != null && key.equals(name) && value != null && !value.isEmpty()) {
          joined = joined == null ? new StringBuilder(value) : joined.append(',').append(value);
        }
      }
    }
    return joined == null ? null : joined.toString();
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null; // a broken escape names nothing
    }
  }

  @Override
  public String toString() {
    return (inHeader ? "$request.header." : "$request.querystring.") + name;
  }
}
