package dev.lambdaproxy.sigv4;

/**
 * Step 1 of the canonical request, the CanonicalQueryString: each name and value percent-decoded
 * and strictly re-encoded, pairs sorted by encoded name then encoded value, a missing value
 * signed as empty ({@code a} signs as {@code a=}).
 *
 * <p>A parameter with an empty name is left out, as the AWS SDKs do; empty pieces between
 * {@code &&} carry no parameter at all.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request">
 *     Create a canonical request</a>
 */
public final class CanonicalQueryString {

  // Each parameter's encoded name and value as [nameFrom, nameTo, valueFrom, valueTo) in the sink.
  private static final int RANGE_INTS = 4;

  private CanonicalQueryString() {
  }

  /** The canonical query string of {@code rawQuery} (as sent, without {@code '?'}; may be null). */
  public static String of(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    return appendTo(new Utf8Sink(3 * rawQuery.length() + 16), rawQuery).toString();
  }

  static Utf8Sink appendTo(Utf8Sink out, String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    int length = rawQuery.length();
    int pieces = 1;
    for (int i = 0; i < length; i++) {
      if (rawQuery.charAt(i) == '&') {
        pieces++;
      }
    }
    if (pieces == 1) {
      // The common case (one Qualifier, say) has nothing to sort.
      appendParameter(out, rawQuery, 0, length);
      return out;
    }
    // Encode every parameter once, in order sent; sort their ranges; write them again sorted
    // behind; then move the sorted copy over the unsorted one.
    int begin = out.length();
    int[] ranges = new int[RANGE_INTS * pieces];
    int count = 0;
    int start = 0;
    while (start <= length) {
      int end = endOfParameter(rawQuery, start, length);
      int equals = indexOfEquals(rawQuery, start, end);
      int nameEnd = equals < 0 ? end : equals;
      if (nameEnd > start) {
        int r = RANGE_INTS * count++;
        ranges[r] = out.length();
        UriEncoder.reencodeTo(out, rawQuery, start, nameEnd);
        ranges[r + 1] = out.length();
        ranges[r + 2] = out.length();
        if (equals >= 0) {
          UriEncoder.reencodeTo(out, rawQuery, equals + 1, end);
        }
        ranges[r + 3] = out.length();
      }
      start = end + 1;
    }
    sort(out, ranges, count);
    int sorted = out.length();
    for (int i = 0; i < count; i++) {
      int r = RANGE_INTS * i;
      if (i > 0) {
        out.ascii('&');
      }
      out.copyRange(ranges[r], ranges[r + 1]).ascii('=').copyRange(ranges[r + 2], ranges[r + 3]);
    }
    out.moveTail(sorted, begin);
    return out;
  }

  private static void appendParameter(Utf8Sink out, String rawQuery, int start, int end) {
    int equals = indexOfEquals(rawQuery, start, end);
    int nameEnd = equals < 0 ? end : equals;
    if (nameEnd == start) {
      return;
    }
    UriEncoder.reencodeTo(out, rawQuery, start, nameEnd).ascii('=');
    if (equals >= 0) {
      UriEncoder.reencodeTo(out, rawQuery, equals + 1, end);
    }
  }

  // Insertion sort by name, then value: queries have a handful of parameters.
  private static void sort(Utf8Sink out, int[] ranges, int count) {
    int[] moving = new int[RANGE_INTS];
    for (int i = 1; i < count; i++) {
      System.arraycopy(ranges, RANGE_INTS * i, moving, 0, RANGE_INTS);
      int j = i - 1;
      while (j >= 0 && compare(out, ranges, RANGE_INTS * j, moving) > 0) {
        System.arraycopy(ranges, RANGE_INTS * j, ranges, RANGE_INTS * (j + 1), RANGE_INTS);
        j--;
      }
      System.arraycopy(moving, 0, ranges, RANGE_INTS * (j + 1), RANGE_INTS);
    }
  }

  private static int compare(Utf8Sink out, int[] ranges, int r, int[] other) {
    int byName = out.compareRanges(ranges[r], ranges[r + 1], other[0], other[1]);
    return byName != 0 ? byName : out.compareRanges(ranges[r + 2], ranges[r + 3], other[2], other[3]);
  }

  // The index of the next '&' in s[from, to), else to.
  private static int endOfParameter(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '&') {
        return i;
      }
    }
    return to;
  }

  // The index of the first '=' in s[from, to), else -1.
  private static int indexOfEquals(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '=') {
        return i;
      }
    }
    return -1;
  }
}
