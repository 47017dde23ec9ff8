package dev.lambdaproxy.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An immutable, case-insensitive multimap of HTTP header fields, kept in the order they were
 * received (repeated fields stay separate values).
 *
 * <p>{@link #toString()} masks the values of {@link #MASKED}: session tokens are credentials.
 */
public final class Headers {

  /** Header names whose values never appear in {@link #toString()}. */
  public static final Set<String> MASKED = Set.of("x-amz-security-token");

  private static final Headers EMPTY = new Headers(List.of());

  private final List<Map.Entry<String, String>> fields;

  private Headers(List<Map.Entry<String, String>> fields) {
    this.fields = fields;
  }

  public static Headers empty() {
    return EMPTY;
  }

  /** Headers from name/value pairs: {@code Headers.of("Host", "a", "X-Amz-Date", "b")}. */
  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("namesAndValues needs an even length, got " + namesAndValues.length);
    }
    Builder builder = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The first value of {@code name}, ignoring case. */
  public Optional<String> first(String name) {
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equalsIgnoreCase(name)) {
        return Optional.of(field.getValue());
      }
    }
    return Optional.empty();
  }

  /** Every value of {@code name} in received order, ignoring case; empty when absent. */
  public List<String> all(String name) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equalsIgnoreCase(name)) {
        values.add(field.getValue());
      }
    }
    return Collections.unmodifiableList(values);
  }

  public boolean contains(String name) {
    return first(name).isPresent();
  }

  /** Distinct names in lower case, in first-received order. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (Map.Entry<String, String> field : fields) {
      names.add(field.getKey().toLowerCase(Locale.ROOT));
    }
    return Collections.unmodifiableSet(names);
  }

  /** Every field as received, names in their received case. */
  public List<Map.Entry<String, String>> fields() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  /** The fields whose lower-case name passes {@code nameFilter}. */
  public Headers filter(Predicate<String> nameFilter) {
    Builder builder = builder();
    for (Map.Entry<String, String> field : fields) {
      if (nameFilter.test(field.getKey().toLowerCase(Locale.ROOT))) {
        builder.add(field.getKey(), field.getValue());
      }
    }
    return builder.build();
  }

  /** A copy with every value of {@code name} replaced by {@code value}. */
  public Headers with(String name, String value) {
    return toBuilder().set(name, value).build();
  }

  /** A copy without {@code name}. */
  public Headers without(String name) {
    return toBuilder().remove(name).build();
  }

  /** A case-insensitive view keyed by lower-case name, for clients that take a map. */
  public Map<String, List<String>> asMap() {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> field : fields) {
      map.computeIfAbsent(field.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(field.getValue());
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(map);
  }

  public Builder toBuilder() {
    Builder builder = builder();
    fields.forEach(field -> builder.add(field.getKey(), field.getValue()));
    return builder;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Headers && ((Headers) other).fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (Map.Entry<String, String> field : fields) {
      if (text.length() > 1) {
        text.append(", ");
      }
      boolean masked = MASKED.contains(field.getKey().toLowerCase(Locale.ROOT));
      text.append(field.getKey()).append(": ").append(masked ? "***" : field.getValue());
    }
    return text.append('}').toString();
  }

  /** Collects fields in order; {@link #add} keeps repeats, {@link #set} replaces. */
  public static final class Builder {
    private final List<Map.Entry<String, String>> fields = new ArrayList<>();

    private Builder() {}

    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      fields.add(Map.entry(name, value));
      return this;
    }

    public Builder set(String name, String value) {
      remove(name);
      return add(name, value);
    }

    public Builder remove(String name) {
      fields.removeIf(field -> field.getKey().equalsIgnoreCase(name));
      return this;
    }

    public Builder addAll(Headers headers) {
      headers.fields.forEach(field -> add(field.getKey(), field.getValue()));
      return this;
    }

    public Headers build() {
      return fields.isEmpty() ? EMPTY : new Headers(List.copyOf(fields));
    }
  }
}
