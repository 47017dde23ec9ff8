package dev.lambdaproxy.invoke.stream;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A typed event-stream header value. The wire has separate type ids for {@code true} (0) and
 * {@code false} (1); here both are {@link Type#BOOLEAN}.
 *
 * @param type what the value is
 * @param value a {@link Boolean}, {@link Byte}, {@link Short}, {@link Integer}, {@link Long},
 *     {@code byte[]}, {@link String}, {@link Instant} (millisecond precision) or {@link java.util.UUID},
 *     as {@code type} says
 * @see <a href="https://docs.aws.amazon.com/transcribe/latest/dg/event-stream.html">Event stream encoding</a>
 */
public record HeaderValue(Type type, Object value) {

  /** The value types of the event-stream encoding, with their wire ids. */
  public enum Type {
    BOOLEAN(Boolean.class),
    BYTE(Byte.class),
    SHORT(Short.class),
    INTEGER(Integer.class),
    LONG(Long.class),
    BYTES(byte[].class),
    STRING(String.class),
    TIMESTAMP(Instant.class),
    UUID(java.util.UUID.class);

    private final Class<?> javaType;

    Type(Class<?> javaType) {
      this.javaType = javaType;
    }
  }

  public HeaderValue {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    if (!type.javaType.isInstance(value)) {
      throw new IllegalArgumentException(
          "a " + type + " header value must be a " + type.javaType.getSimpleName() + ", was " + value.getClass().getSimpleName());
    }
    if (value instanceof byte[] bytes) {
      value = bytes.clone();
    }
  }

  public static HeaderValue ofBoolean(boolean value) {
    return new HeaderValue(Type.BOOLEAN, value);
  }

  public static HeaderValue ofByte(byte value) {
    return new HeaderValue(Type.BYTE, value);
  }

  public static HeaderValue ofShort(short value) {
    return new HeaderValue(Type.SHORT, value);
  }

  public static HeaderValue ofInteger(int value) {
    return new HeaderValue(Type.INTEGER, value);
  }

  public static HeaderValue ofLong(long value) {
    return new HeaderValue(Type.LONG, value);
  }

  public static HeaderValue ofBytes(byte[] value) {
    return new HeaderValue(Type.BYTES, value);
  }

  public static HeaderValue ofString(String value) {
    return new HeaderValue(Type.STRING, value);
  }

  public static HeaderValue ofTimestamp(Instant value) {
    return new HeaderValue(Type.TIMESTAMP, value);
  }

  public static HeaderValue ofUuid(java.util.UUID value) {
    return new HeaderValue(Type.UUID, value);
  }

  /** A copy of the value of a {@link Type#BYTES} header. */
  @Override
  public Object value() {
    return value instanceof byte[] bytes ? bytes.clone() : value;
  }

  public boolean asBoolean() {
    return (Boolean) expect(Type.BOOLEAN);
  }

  public byte asByte() {
    return (Byte) expect(Type.BYTE);
  }

  public short asShort() {
    return (Short) expect(Type.SHORT);
  }

  public int asInteger() {
    return (Integer) expect(Type.INTEGER);
  }

  public long asLong() {
    return (Long) expect(Type.LONG);
  }

  public byte[] asBytes() {
    return ((byte[]) expect(Type.BYTES)).clone();
  }

  public String asString() {
    return (String) expect(Type.STRING);
  }

  public Instant asTimestamp() {
    return (Instant) expect(Type.TIMESTAMP);
  }

  public java.util.UUID asUuid() {
    return (java.util.UUID) expect(Type.UUID);
  }

  private Object expect(Type wanted) {
    if (type != wanted) {
      throw new IllegalStateException("header value is a " + type + ", not a " + wanted);
    }
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HeaderValue that && type == that.type
        && (value instanceof byte[] bytes ? Arrays.equals(bytes, (byte[]) that.value) : value.equals(that.value));
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + (value instanceof byte[] bytes ? Arrays.hashCode(bytes) : value.hashCode());
  }

  @Override
  public String toString() {
    return type + ":" + (value instanceof byte[] bytes ? Arrays.toString(bytes) : value);
  }
}
