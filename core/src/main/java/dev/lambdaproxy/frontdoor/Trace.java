package dev.lambdaproxy.frontdoor;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A request's X-Ray trace, as the Invoke call's {@code X-Amzn-Trace-Id} carries it:
 * {@code Root=1-{8 hex epoch seconds}-{24 hex};Parent={16 hex};Sampled=0|1}. Continued from the
 * client's {@code X-Amzn-Trace-Id} or W3C {@code traceparent} when it sent a valid one, else new.
 * Incoming headers are read strictly: anything malformed starts a new trace rather than reaching
 * AWS, and fields other than Root, Parent and Sampled are dropped.
 *
 * <p>See <a href="https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader">the
 * tracing header</a> and <a href="https://www.w3.org/TR/trace-context/#traceparent-header">W3C traceparent</a>.
 *
 * @param root {@code 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx}
 * @param parent the caller's segment or span id (16 hex), or null for a new trace
 * @param sampled whether X-Ray records it
 */
public record Trace(String root, String parent, boolean sampled) {

  public static final String AMZN_HEADER = "X-Amzn-Trace-Id";
  public static final String W3C_HEADER = "traceparent";

  /** Far longer than any header X-Ray writes: a longer one is not read. */
  private static final int MAX_HEADER_LENGTH = 256;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The value of the Invoke call's {@code X-Amzn-Trace-Id}. */
  public String header() {
    StringBuilder header = new StringBuilder(80).append("Root=").append(root);
    if (parent != null) {
      header.append(";Parent=").append(parent);
    }
    return header.append(";Sampled=").append(sampled ? '1' : '0').toString();
  }

  /**
   * The trace of a request.
   *
   * @param amznTraceId the client's {@code X-Amzn-Trace-Id}, or null; wins over {@code traceparent}
   * @param traceparent the client's {@code traceparent}, or null
   * @param epochSeconds now, for a new trace's root
   */
  public static Trace of(TracingSettings settings, String amznTraceId, String traceparent, long epochSeconds) {
    Trace continued = amznTraceId != null ? fromAmzn(amznTraceId, settings) : null;
    if (continued == null && traceparent != null) {
      continued = fromTraceparent(traceparent);
    }
    return continued != null ? continued : started(settings, epochSeconds);
  }

  /** A new trace: the root's time part is now, the rest random; sampled at the settings' rate. */
  static Trace started(TracingSettings settings, long epochSeconds) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] root = new char[2 + 8 + 1 + 24];
    root[0] = '1';
    root[1] = '-';
    hex(epochSeconds & 0xffffffffL, root, 2, 8);
    root[10] = '-';
    hex(random.nextLong(), root, 11, 16);
    hex(random.nextInt() & 0xffffffffL, root, 27, 8);
    return new Trace(new String(root), null, decide(settings));
  }

  private static boolean decide(TracingSettings settings) {
    double rate = settings.sampleRate();
    return rate >= 1 || rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
  }

  /** {@code Root=...;Parent=...;Sampled=...} in any order; null when the root is missing or any known field is malformed. */
  static Trace fromAmzn(String header, TracingSettings settings) {
    if (header.length() > MAX_HEADER_LENGTH) {
      return null;
    }
    String root = null;
    String parent = null;
    Boolean sampled = null;
    for (String field : header.split(";", -1)) {
      String part = field.strip();
      int equals = part.indexOf('=');
      if (equals <= 0) {
        if (part.isEmpty()) {
          continue;
        }
        return null;
      }
      String name = part.substring(0, equals);
      String value = part.substring(equals + 1);
      switch (name) {
        case "Root" -> {
          if (root != null || !isRoot(value)) {
            return null;
          }
          root = value;
        }
        case "Parent" -> {
          if (parent != null || !isLowerHex(value, 16) || isZeros(value)) {
            return null;
          }
          parent = value;
        }
        case "Sampled" -> {
          if (sampled != null) {
            return null;
          }
          switch (value) {
            case "1" -> sampled = true;
            case "0" -> sampled = false;
            case "?" -> sampled = decide(settings); // the caller asks the next hop to decide
            default -> {
              return null;
            }
          }
        }
        default -> {
          // Self, Lineage and what else a hop adds: not passed on.
        }
      }
    }
    if (root == null) {
      return null;
    }
    return new Trace(root, parent, sampled != null ? sampled : decide(settings));
  }

  /**
   * W3C {@code version-traceid-parentid-flags}: version 00 exactly, a later version by its first
   * four fields; version ff, an all-zero id or upper-case hex is invalid. The 32-hex trace id
   * becomes X-Ray's root {@code 1-{first 8}-{last 24}}, the sampled flag {@code Sampled}.
   */
  static Trace fromTraceparent(String header) {
    String value = header.strip();
    if (value.length() < 55 || value.length() > MAX_HEADER_LENGTH) {
      return null;
    }
    String version = value.substring(0, 2);
    if (!isLowerHex(version, 2) || version.equals("ff") || version.equals("00") && value.length() != 55
        || value.length() > 55 && value.charAt(55) != '-') {
      return null;
    }
    if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
      return null;
    }
    String traceId = value.substring(3, 35);
    String parentId = value.substring(36, 52);
    String flags = value.substring(53, 55);
    if (!isLowerHex(traceId, 32) || isZeros(traceId) || !isLowerHex(parentId, 16) || isZeros(parentId) || !isLowerHex(flags, 2)) {
      return null;
    }
    boolean sampled = (Integer.parseInt(flags, 16) & 1) == 1;
    return new Trace("1-" + traceId.substring(0, 8) + "-" + traceId.substring(8), parentId, sampled);
  }

  private static boolean isRoot(String value) {
    return value.length() == 35 && value.charAt(0) == '1' && value.charAt(1) == '-' && value.charAt(10) == '-'
        && isLowerHex(value.substring(2, 10), 8) && isLowerHex(value.substring(11), 24) && !isZeros(value.substring(11));
  }

  private static boolean isLowerHex(String value, int length) {
    if (value.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZeros(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  private static void hex(long bits, char[] into, int at, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      into[at + i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }
}
