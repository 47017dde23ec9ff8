package dev.lambdaproxy.sigv4;

import java.util.List;
import java.util.Set;

/**
 * Step 1 of the canonical request, the CanonicalHeaders and SignedHeaders: names lower-cased and
 * sorted, values trimmed with inner runs of whitespace collapsed to one space, the values of a
 * repeated name joined with {@code ','} in the order sent.
 *
 * <p>Every given header is signed except {@link #UNSIGNED_HEADERS}; {@link #SIGNER_HEADERS} are
 * dropped from the input because the signer sets them itself.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request">
 *     Create a canonical request</a>
 */
public final class CanonicalHeaders {

  /**
   * Headers never signed: proxies and HTTP clients add, drop or rewrite them on the way, so signing
   * them would break the signature. The same set as the AWS SDK for Java v2 (2.56).
   */
  public static final Set<String> UNSIGNED_HEADERS = Set.of(
      "connection", "expect", "transfer-encoding", "user-agent", "x-amzn-trace-id", "x-forwarded-for");

  /** Headers the signer writes itself, so a value supplied by the caller is never signed. */
  public static final Set<String> SIGNER_HEADERS =
      Set.of("authorization", "x-amz-date", "x-amz-security-token");

  static final String HOST = "host";
  static final String X_AMZ_DATE = "x-amz-date";
  static final String X_AMZ_SECURITY_TOKEN = "x-amz-security-token";

  // Arrays, because iterating a Set allocates an iterator per header and this runs per request.
  private static final String[] SKIPPED = concat(UNSIGNED_HEADERS, SIGNER_HEADERS);

  // name0, value0, name1, value1, ... in canonical order (names as given, compared lower-cased).
  private final String[] entries;
  private final int count;

  private CanonicalHeaders(String[] entries, int count) {
    this.entries = entries;
    this.count = count;
  }

  /**
   * The headers to sign: {@code headers} (which must include Host) plus {@code x-amz-date} and,
   * when {@code securityToken} is not null, {@code x-amz-security-token}.
   */
  public static CanonicalHeaders of(List<Header> headers, String amzDate, String securityToken) {
    String[] entries = new String[2 * (headers.size() + 2)];
    int count = 0;
    boolean hasHost = false;
    for (int i = 0, n = headers.size(); i < n; i++) {
      Header header = headers.get(i);
      String name = header.name();
      if (isSkipped(name)) {
        continue;
      }
      hasHost |= name.equalsIgnoreCase(HOST);
      entries[2 * count] = name;
      entries[2 * count + 1] = header.value();
      count++;
    }
    if (!hasHost) {
      throw new IllegalArgumentException("headers must include Host");
    }
    entries[2 * count] = X_AMZ_DATE;
    entries[2 * count + 1] = amzDate;
    count++;
    if (securityToken != null) {
      entries[2 * count] = X_AMZ_SECURITY_TOKEN;
      entries[2 * count + 1] = securityToken;
      count++;
    }
    sort(entries, count);
    return new CanonicalHeaders(entries, count);
  }

  /** The CanonicalHeaders block: one {@code name:value\n} line per distinct name. */
  public String canonicalHeaders() {
    return appendCanonicalHeaders(new Utf8Sink(64 * count)).toString();
  }

  /** The SignedHeaders line: distinct lower-case names joined with {@code ';'}. */
  public String signedHeaders() {
    return appendSignedHeaders(new Utf8Sink(16 * count)).toString();
  }

  Utf8Sink appendCanonicalHeaders(Utf8Sink out) {
    for (int i = 0; i < count; i++) {
      String name = entries[2 * i];
      if (i > 0 && name.equalsIgnoreCase(entries[2 * i - 2])) {
        out.ascii(',');
      } else {
        if (i > 0) {
          out.ascii('\n');
        }
        appendLowerCase(out, name).ascii(':');
      }
      appendTrimmed(out, entries[2 * i + 1]);
    }
    return out.ascii('\n');
  }

  Utf8Sink appendSignedHeaders(Utf8Sink out) {
    for (int i = 0; i < count; i++) {
      String name = entries[2 * i];
      if (i == 0) {
        appendLowerCase(out, name);
      } else if (!name.equalsIgnoreCase(entries[2 * i - 2])) {
        appendLowerCase(out.ascii(';'), name);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "CanonicalHeaders[" + signedHeaders() + "]";
  }

  private static boolean isSkipped(String name) {
    for (String skipped : SKIPPED) {
      if (skipped.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  // Stable insertion sort on lower-cased names, so a repeated name keeps the order sent; a request
  // has a few dozen headers at most, and this sort allocates nothing.
  private static void sort(String[] entries, int count) {
    for (int i = 1; i < count; i++) {
      String name = entries[2 * i];
      String value = entries[2 * i + 1];
      int j = i - 1;
      while (j >= 0 && compareLowerCase(entries[2 * j], name) > 0) {
        entries[2 * j + 2] = entries[2 * j];
        entries[2 * j + 3] = entries[2 * j + 1];
        j--;
      }
      entries[2 * j + 2] = name;
      entries[2 * j + 3] = value;
    }
  }

  // Header names are ASCII tokens (see Header), so ASCII lower-casing is exact.
  private static int compareLowerCase(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      int diff = toLower(a.charAt(i)) - toLower(b.charAt(i));
      if (diff != 0) {
        return diff;
      }
    }
    return a.length() - b.length();
  }

  private static Utf8Sink appendLowerCase(Utf8Sink out, String name) {
    byte[] b = out.reserve(name.length());
    int n = out.length();
    for (int i = 0; i < name.length(); i++) {
      b[n++] = (byte) toLower(name.charAt(i));
    }
    out.setLength(n);
    return out;
  }

  private static char toLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  // Appends value without leading and trailing whitespace, inner runs as one space.
  private static void appendTrimmed(Utf8Sink out, String value) {
    int length = value.length();
    int i = 0;
    while (i < length && isWhitespace(value.charAt(i))) {
      i++;
    }
    while (i < length) {
      int wordEnd = i;
      while (wordEnd < length && !isWhitespace(value.charAt(wordEnd))) {
        wordEnd++;
      }
      out.utf8(value, i, wordEnd);
      i = wordEnd;
      while (i < length && isWhitespace(value.charAt(i))) {
        i++;
      }
      if (i < length) {
        out.ascii(' ');
      }
    }
  }

  // The spec says "spaces"; AWS's own signers also fold tabs and line breaks (obs-fold) the same way.
  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\r' || c == '\f';
  }

  private static String[] concat(Set<String> a, Set<String> b) {
    String[] all = new String[a.size() + b.size()];
    int i = 0;
    for (String s : a) {
      all[i++] = s;
    }
    for (String s : b) {
      all[i++] = s;
    }
    return all;
  }
}
