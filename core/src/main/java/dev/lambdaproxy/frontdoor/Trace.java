package dev.lambdaproxy.frontdoor;

import java.nio.charset.StandardCharsets;
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
 *
 * <p>Every request gets one, so it is kept as the header's text alone, made in one go; the root is
 * cut from it only when a log line asks.
 */
public final class Trace {

  public static final String AMZN_HEADER = "X-Amzn-Trace-Id";
  public static final String W3C_HEADER = "traceparent";

  /** Far longer than any header X-Ray writes: a longer one is not read. */
  private static final int MAX_HEADER_LENGTH = 256;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int ROOT_LENGTH = 35;
  private static final String ROOT = "Root=";
  private static final String PARENT = ";Parent=";
  private static final String SAMPLED = ";Sampled=";

  /** {@code Root=...;Parent=...;Sampled=0|1}, or without the Parent. */
  private final String header;

  private Trace(String header) {
    this.header = header;
  }

  /**
   * @param root {@code 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx}
   * @param parent the caller's segment or span id (16 hex), or null
   * @param sampled whether X-Ray records it
   */
  static Trace of(String root, String parent, boolean sampled) {
    return new Trace(ROOT + root + (parent == null ? "" : PARENT + parent) + SAMPLED + (sampled ? '1' : '0'));
  }

  /** The value of the Invoke call's {@code X-Amzn-Trace-Id}. */
  public String header() {
    return header;
  }

  /** The root, {@code 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx}: what the access log names. */
  public String root() {
    return header.substring(ROOT.length(), ROOT.length() + ROOT_LENGTH);
  }

  /** The caller's segment or span id, or null for a trace started here. */
  public String parent() {
    int at = header.indexOf(PARENT);
    return at < 0 ? null : header.substring(at + PARENT.length(), at + PARENT.length() + 16);
  }

  /** Whether X-Ray records it. */
  public boolean sampled() {
    return header.charAt(header.length() - 1) == '1';
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Trace trace && trace.header.equals(header);
  }

  @Override
  public int hashCode() {
    return header.hashCode();
  }

  @Override
  public String toString() {
    return header;
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

  /** A new trace: the root's time part is now, the rest random; sampled at the settings' rate. Written in one go. */
  static Trace started(TracingSettings settings, long epochSeconds) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] header = new byte[ROOT.length() + ROOT_LENGTH + SAMPLED.length() + 1];
    ascii(ROOT, header, 0);
    int at = ROOT.length();
    header[at] = '1';
    header[at + 1] = '-';
    hex(epochSeconds & 0xffffffffL, header, at + 2, 8);
    header[at + 10] = '-';
    hex(random.nextLong(), header, at + 11, 16);
    hex(random.nextInt() & 0xffffffffL, header, at + 27, 8);
    ascii(SAMPLED, header, at + ROOT_LENGTH);
    header[header.length - 1] = (byte) (decide(settings) ? '1' : '0');
    return new Trace(new String(header, StandardCharsets.ISO_8859_1));
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
    return of(root, parent, sampled != null ? sampled : decide(settings));
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
    return of("1-" + traceId.substring(0, 8) + "-" + traceId.substring(8), parentId, sampled);
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

  private static void ascii(String text, byte[] into, int at) {
    for (int i = 0; i < text.length(); i++) {
      into[at + i] = (byte) text.charAt(i);
    }
  }

  private static void hex(long bits, byte[] into, int at, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      into[at + i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }
}
