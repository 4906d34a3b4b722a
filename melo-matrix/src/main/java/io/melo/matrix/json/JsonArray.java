package io.melo.matrix.json;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** An immutable JSON array. */
public final class JsonArray implements JsonValue {

  /** The empty array. */
  public static final JsonArray EMPTY = new JsonArray(List.of());

  private final List<JsonValue> values;

  private JsonArray(List<JsonValue> values) {
    this.values = values;
  }

  /**
   * {@return an array of these values, in order} Nulls are not allowed: use {@link
   * JsonNull#INSTANCE}.
   *
   * @param values the elements
   */
  public static JsonArray of(JsonValue... values) {
    return of(Arrays.asList(values));
  }

  /**
   * {@return an array of these values, in order} Nulls are not allowed: use {@link
   * JsonNull#INSTANCE}.
   *
   * @param values the elements
   */
  public static JsonArray of(Collection<? extends JsonValue> values) {
    ArrayList<JsonValue> copy = new ArrayList<>(values.size());
    for (JsonValue value : values) {
      if (value == null) {
        throw new IllegalArgumentException("a JSON array element must not be null; use JsonNull.INSTANCE");
      }
      copy.add(value);
    }
    return copy.isEmpty() ? EMPTY : new JsonArray(Collections.unmodifiableList(copy));
  }

  /**
   * {@return an array of strings}
   *
   * @param strings the strings, in order
   */
  public static JsonArray ofStrings(Collection<String> strings) {
    ArrayList<JsonValue> copy = new ArrayList<>(strings.size());
    for (String s : strings) {
      copy.add(new JsonString(s));
    }
    return copy.isEmpty() ? EMPTY : new JsonArray(Collections.unmodifiableList(copy));
  }

  static JsonArray ofTrusted(ArrayList<JsonValue> values) {
    return values.isEmpty() ? EMPTY : new JsonArray(Collections.unmodifiableList(values));
  }

  /** {@return the number of elements} */
  public int size() {
    return values.size();
  }

  /** {@return true when the array has no elements} */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * {@return the element at an index, or empty when the index is out of range}
   *
   * @param index the index, from 0
   */
  public Optional<JsonValue> get(int index) {
    return index >= 0 && index < values.size() ? Optional.of(values.get(index)) : Optional.empty();
  }

  /** {@return the elements, as an unmodifiable list} */
  public List<JsonValue> values() {
    return values;
  }

  /** {@return the elements as a stream} */
  public Stream<JsonValue> stream() {
    return values.stream();
  }

  /** {@return the string elements, in order; elements of other kinds are left out} */
  public List<String> strings() {
    ArrayList<String> out = new ArrayList<>(values.size());
    for (JsonValue value : values) {
      if (value instanceof JsonString s) {
        out.add(s.value());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** {@return the object elements, in order; elements of other kinds are left out} */
  public List<JsonObject> objects() {
    ArrayList<JsonObject> out = new ArrayList<>(values.size());
    for (JsonValue value : values) {
      if (value instanceof JsonObject o) {
        out.add(o);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Writes this array. */
  @Override
  public void write(JsonWriter writer) throws IOException {
    writer.beginArray();
    for (JsonValue value : values) {
      value.write(writer);
    }
    writer.endArray();
  }

  /** True when the other value is an array with equal elements in the same order. */
  @Override
  public boolean equals(Object other) {
    return other instanceof JsonArray that && values.equals(that.values);
  }

  /** A hash consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** This array as JSON text. */
  @Override
  public String toString() {
    return toJson();
  }
}
