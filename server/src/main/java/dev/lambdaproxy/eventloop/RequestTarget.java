package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.http.ProxyError;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request target as the proxy reads it: the path as sent, the query, and the path decoded and
 * normalized, which is what routes match. What could be read two ways is refused rather than
 * guessed: an encoded {@code /}, {@code \}, NUL, {@code %} or dot segment, an empty segment, a
 * {@code ..} above the root, invalid UTF-8, a control character, a fragment (Jetty refuses the same).
 *
 * @param rawPath the path as sent, percent-encoded
 * @param rawQuery the query without {@code ?}, or null
 * @param path decoded and normalized
 */
record RequestTarget(String rawPath, String rawQuery, String path) {

  /** A target refused, with the answer that says why. */
  static final class Refused extends Exception {
    private final transient ProxyError error;

    Refused(ProxyError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    ProxyError error() {
      return error;
    }
  }

  /** Reads a target as the request line gave it: chars are the bytes sent. */
  static RequestTarget parse(String target) throws Refused {
    if (target.equals("*")) {
      throw new Refused(ProxyError.targetNotAPath());
    }
    String pathAndQuery = target;
    // An origin-form target (the usual case) starts with '/': no copy is made to tell it from an absolute one.
    if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
      int authority = target.indexOf("://") + 3;
      int slash = target.indexOf('/', authority);
      int query = target.indexOf('?', authority);
      if (slash < 0 || (query >= 0 && query < slash)) {
        pathAndQuery = "/" + (query >= 0 ? target.substring(query) : "");
      } else {
        pathAndQuery = target.substring(slash);
      }
    }
    if (!pathAndQuery.startsWith("/")) {
      throw new Refused(ProxyError.badRequest("the request target is not a path"));
    }
    if (pathAndQuery.indexOf('#') >= 0) {
      throw new Refused(ProxyError.badRequest("a request target has no fragment (#)"));
    }
    int query = pathAndQuery.indexOf('?');
    String rawPath = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    String rawQuery = query < 0 ? null : pathAndQuery.substring(query + 1);
    String path = normalize(rawPath);
    if (path == null) {
      throw new Refused(ProxyError.badRequest("ambiguous path"));
    }
    return new RequestTarget(rawPath, rawQuery, path);
  }

  /** The decoded path without dot segments or ;parameters, or null when it is ambiguous. */
  static String normalize(String rawPath) {
    String[] segments = rawPath.substring(1).split("/", -1);
    List<String> out = new ArrayList<>(segments.length);
    for (int i = 0; i < segments.length; i++) {
      boolean last = i == segments.length - 1;
      String segment = segments[i];
      int parameters = segment.indexOf(';');
      String bare = parameters >= 0 ? segment.substring(0, parameters) : segment;
      if (bare.isEmpty() && !last) {
        return null;
      }
      String lower = bare.toLowerCase(Locale.ROOT);
      if (lower.contains("%2e") || lower.contains("%25") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")
          || lower.contains("%u") || bare.indexOf('\\') >= 0) {
        return null;
      }
      if (parameters >= 0 && (bare.equals(".") || bare.equals(".."))) {
        return null;
      }
      String decoded = decode(bare);
      if (decoded == null) {
        return null;
      }
      if (decoded.equals(".")) {
        if (last) {
          out.add("");
        }
        continue;
      }
      if (decoded.equals("..")) {
        if (out.isEmpty()) {
          return null;
        }
        out.remove(out.size() - 1);
        if (last) {
          out.add("");
        }
        continue;
      }
      out.add(decoded);
    }
    return "/" + String.join("/", out);
  }

  /** Percent-decodes as UTF-8; null for a bad escape, invalid UTF-8 or a control character. */
  private static String decode(String segment) {
    boolean plain = true;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%' || c >= 0x80 || c < 0x20 || c == 0x7f) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          return null;
        }
        int high = Character.digit(segment.charAt(i + 1), 16);
        int low = Character.digit(segment.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else {
        bytes.write(c & 0xff);
      }
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return null;
      }
    }
    return decoded;
  }
}
