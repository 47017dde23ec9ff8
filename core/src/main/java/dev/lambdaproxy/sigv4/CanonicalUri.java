package dev.lambdaproxy.sigv4;

import java.util.ArrayList;
import java.util.List;

/**
 * Step 1 of the canonical request, the CanonicalURI: the path as sent, URI-encoded once more
 * (every byte but the unreserved characters and {@code '/'}), which is what every service but S3
 * verifies. A path that already holds {@code %3A} therefore signs as {@code %253A}.
 *
 * <p>Path normalization (removing dot segments, collapsing repeated slashes) is optional: our own
 * paths are clean and sent as signed, so the product signs them unchanged; AWS's test suite has
 * cases for both.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request">
 *     Create a canonical request</a>
 */
public final class CanonicalUri {

  private CanonicalUri() {
  }

  /** The canonical URI of {@code path}, normalized first when {@code normalizePath} is set. */
  public static String of(String path, boolean normalizePath) {
    return appendTo(new Utf8Sink(path.length() + 32), path, normalizePath).toString();
  }

  static Utf8Sink appendTo(Utf8Sink out, String path, boolean normalizePath) {
    String source = normalizePath ? normalize(path) : path;
    if (source.isEmpty()) {
      return out.ascii('/');
    }
    return UriEncoder.encodeTo(out, source, 0, source.length(), true);
  }

  /**
   * Removes {@code .} and {@code ..} segments and empty segments (repeated slashes). The result
   * ends in {@code '/'} only if {@code path} did, as AWS SDKs do, and is never empty.
   */
  public static String normalize(String path) {
    if (!needsNormalization(path)) {
      return path.isEmpty() ? "/" : path;
    }
    List<String> segments = new ArrayList<>();
    int start = 0;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String segment = path.substring(start, end);
      if (segment.equals("..")) {
        if (!segments.isEmpty()) {
          segments.remove(segments.size() - 1);
        }
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
      start = end + 1;
    }
    if (segments.isEmpty()) {
      return "/";
    }
    StringBuilder normalized = new StringBuilder(path.length());
    for (String segment : segments) {
      normalized.append('/').append(segment);
    }
    if (path.endsWith("/")) {
      normalized.append('/');
    }
    return normalized.toString();
  }

  private static boolean needsNormalization(String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      return true;
    }
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/' && i + 1 < path.length()) {
        char next = path.charAt(i + 1);
        if (next == '/' || (next == '.' && isDotSegment(path, i + 1))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isDotSegment(String path, int start) {
    int end = path.indexOf('/', start);
    int length = (end < 0 ? path.length() : end) - start;
    return length == 1 || (length == 2 && path.charAt(start + 1) == '.');
  }
}
