package io.melo.matrix.json;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable JSON object that keeps its keys in the order they were read or added.
 *
 * <p>The typed getters ({@link #getString(String)}, {@link #getLong(String)}, ...) return empty or
 * the given default when a key is missing <em>or</em> holds another kind of value: they never throw.
 * {@link #with(String, JsonValue)} and {@link #toBuilder()} make modified copies that keep every
 * other field, so a read-modify-write never drops fields Melo does not know. Equality ignores key
 * order, as JSON does. When a document repeats a key, the last value wins.
 */
public final class JsonObject implements JsonValue {

  /** The empty object. */
  public static final JsonObject EMPTY = new JsonObject(new String[0], new JsonValue[0], 0);

  /** Up to this many keys a linear scan beats hashing (keys are mostly shared constants: == hits first). */
  private static final int INDEX_THRESHOLD = 16;

  private final String[] keys;
  private final JsonValue[] values;
  private final int size;
  private volatile Map<String, Integer> index;
  private int hash;

  private JsonObject(String[] keys, JsonValue[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.size = size;
  }

  /** Adopts arrays filled by the parser, dropping earlier duplicates of a key. */
  static JsonObject fromParsed(String[] keys, JsonValue[] values, int size) {
    if (size == 0) {
      return EMPTY;
    }
    if (size < keys.length) { // trees of large /sync answers are retained: no empty slots
      keys = Arrays.copyOf(keys, size);
      values = Arrays.copyOf(values, size);
    }
    if (size <= INDEX_THRESHOLD) {
      for (int i = 1; i < size; i++) {
        for (int j = 0; j < i; j++) {
          if (keys[i].equals(keys[j])) {
            return dedupe(keys, values, size);
          }
        }
      }
      return new JsonObject(keys, values, size);
    }
    HashMap<String, Integer> seen = new HashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      if (seen.put(keys[i], i) != null) {
        return dedupe(keys, values, size);
      }
    }
    JsonObject object = new JsonObject(keys, values, size);
    object.index = seen; // needed for lookups anyway
    return object;
  }

  /**
   * Adopts exact-size arrays filled by the parser whose keys are known to be distinct (each a
   * different shared common name), so the duplicate check of {@link #fromParsed} is not needed.
   */
  static JsonObject fromParsedDistinct(String[] keys, JsonValue[] values, int size) {
    if (size == 0) {
      return EMPTY;
    }
    if (size > INDEX_THRESHOLD || size != keys.length) {
      return fromParsed(keys, values, size);
    }
    return new JsonObject(keys, values, size);
  }

  private static JsonObject dedupe(String[] keys, JsonValue[] values, int size) {
    Builder builder = new Builder(size);
    for (int i = 0; i < size; i++) {
      builder.put(keys[i], values[i]);
    }
    return builder.build();
  }

  /** {@return a builder for a new object} */
  public static Builder builder() {
    return new Builder(8);
  }

  /** {@return a builder that starts with this object's fields, in order} */
  public Builder toBuilder() {
    Builder builder = new Builder(size + 4);
    for (int i = 0; i < size; i++) {
      builder.put(keys[i], values[i]);
    }
    return builder;
  }

  /**
   * Parses JSON text supplied by the app that must be an object.
   *
   * @param json the JSON text; null is an {@link IllegalArgumentException}
   * @return the object
   * @throws IllegalArgumentException if the text is not valid JSON or not an object
   */
  public static JsonObject parseObject(String json) {
    JsonValue value = JsonValue.parse(json);
    if (value instanceof JsonObject o) {
      return o;
    }
    throw new IllegalArgumentException("expected a JSON object but was: " + kind(value));
  }

  /**
   * {@return a short name of a value's kind, for messages: "object", "array", "string", ...}
   *
   * @param value any value, or null (named {@code "null"})
   */
  public static String kind(JsonValue value) {
    if (value instanceof JsonObject) {
      return "object";
    } else if (value instanceof JsonArray) {
      return "array";
    } else if (value instanceof JsonString) {
      return "string";
    } else if (value instanceof JsonNumber) {
      return "number";
    } else if (value instanceof JsonBoolean) {
      return "boolean";
    }
    return "null";
  }

  private int indexOf(String key) {
    if (size > INDEX_THRESHOLD) {
      Map<String, Integer> map = index;
      if (map == null) {
        HashMap<String, Integer> built = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
          built.put(keys[i], i);
        }
        index = map = built;
      }
      Integer i = map.get(key);
      return i == null ? -1 : i;
    }
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** {@return the number of fields} */
  public int size() {
    return size;
  }

  /** {@return true when the object has no fields} */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * {@return true when the object has this key (with any value, even null)}
   *
   * @param key the key
   */
  public boolean containsKey(String key) {
    return indexOf(key) >= 0;
  }

  /** {@return the keys, in order} */
  public List<String> keys() {
    return Collections.unmodifiableList(Arrays.asList(keys).subList(0, size));
  }

  /**
   * {@return the value of a key, or null when absent}
   *
   * @param key the key
   */
  public JsonValue getOrNull(String key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  /**
   * {@return the value of a key, or empty when absent}
   *
   * @param key the key
   */
  public Optional<JsonValue> get(String key) {
    return Optional.ofNullable(getOrNull(key));
  }

  /**
   * {@return the string value of a key; empty when absent or not a string}
   *
   * @param key the key
   */
  public Optional<String> getString(String key) {
    return Optional.ofNullable(getStringOrNull(key));
  }

  /**
   * {@return the string value of a key; null when absent or not a string}
   *
   * @param key the key
   */
  public String getStringOrNull(String key) {
    return getOrNull(key) instanceof JsonString s ? s.value() : null;
  }

  /**
   * {@return the string value of a key, or the default when absent or not a string}
   *
   * @param key the key
   * @param defaultValue returned when the key is absent or not a string
   */
  public String getString(String key, String defaultValue) {
    String value = getStringOrNull(key);
    return value == null ? defaultValue : value;
  }

  /**
   * {@return the integer value of a key; empty when absent, not a number or not integral}
   *
   * @param key the key
   */
  public OptionalLong getLong(String key) {
    return getOrNull(key) instanceof JsonNumber n ? n.longValue() : OptionalLong.empty();
  }

  /**
   * {@return the integer value of a key, or the default when absent, not a number or not integral}
   *
   * @param key the key
   * @param defaultValue returned when the key is absent, not a number or not integral
   */
  public long getLong(String key, long defaultValue) {
    return getLong(key).orElse(defaultValue);
  }

  /**
   * {@return the number value of a key; empty when absent or not a number}
   *
   * @param key the key
   */
  public Optional<JsonNumber> getNumber(String key) {
    return getOrNull(key) instanceof JsonNumber n ? Optional.of(n) : Optional.empty();
  }

  /**
   * {@return the boolean value of a key; empty when absent or not a boolean}
   *
   * @param key the key
   */
  public Optional<Boolean> getBoolean(String key) {
    return getOrNull(key) instanceof JsonBoolean b ? Optional.of(b.value()) : Optional.empty();
  }

  /**
   * {@return the boolean value of a key, or the default when absent or not a boolean}
   *
   * @param key the key
   * @param defaultValue returned when the key is absent or not a boolean
   */
  public boolean getBoolean(String key, boolean defaultValue) {
    return getOrNull(key) instanceof JsonBoolean b ? b.value() : defaultValue;
  }

  /**
   * {@return the object value of a key; empty when absent or not an object}
   *
   * @param key the key
   */
  public Optional<JsonObject> getObject(String key) {
    return getOrNull(key) instanceof JsonObject o ? Optional.of(o) : Optional.empty();
  }

  /**
   * {@return the object value of a key; {@link #EMPTY} when absent or not an object}
   *
   * @param key the key
   */
  public JsonObject getObjectOrEmpty(String key) {
    return getOrNull(key) instanceof JsonObject o ? o : EMPTY;
  }

  /**
   * {@return the array value of a key; empty when absent or not an array}
   *
   * @param key the key
   */
  public Optional<JsonArray> getArray(String key) {
    return getOrNull(key) instanceof JsonArray a ? Optional.of(a) : Optional.empty();
  }

  /**
   * {@return the array value of a key; {@link JsonArray#EMPTY} when absent or not an array}
   *
   * @param key the key
   */
  public JsonArray getArrayOrEmpty(String key) {
    return getOrNull(key) instanceof JsonArray a ? a : JsonArray.EMPTY;
  }

  /**
   * {@return the string elements of an array value; empty when absent or not an array}
   *
   * @param key the key
   */
  public List<String> getStringList(String key) {
    return getArrayOrEmpty(key).strings();
  }

  /**
   * Calls the action for each field, in order.
   *
   * @param action called with each key and value
   */
  public void forEach(BiConsumer<String, JsonValue> action) {
    for (int i = 0; i < size; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  /** {@return the fields as an unmodifiable map that iterates in order} */
  public Map<String, JsonValue> asMap() {
    return new MapView();
  }

  /**
   * {@return a copy with the key set to the value (replacing it in place, or added at the end)}
   *
   * @param key the key; null is an {@link IllegalArgumentException}
   * @param value the value; null is an {@link IllegalArgumentException} (use {@link
   *     JsonNull#INSTANCE})
   */
  public JsonObject with(String key, JsonValue value) {
    return toBuilder().put(key, value).build();
  }

  /**
   * {@return a copy with the key set to a string; null removes the key}
   *
   * @param key the key; null is an {@link IllegalArgumentException}
   * @param value the string, or null to remove the key
   */
  public JsonObject with(String key, String value) {
    return toBuilder().putOrRemove(key, value).build();
  }

  /**
   * {@return a copy with the key set to an integer}
   *
   * @param key the key; null is an {@link IllegalArgumentException}
   * @param value the integer
   */
  public JsonObject with(String key, long value) {
    return toBuilder().put(key, value).build();
  }

  /**
   * {@return a copy with the key set to a boolean}
   *
   * @param key the key; null is an {@link IllegalArgumentException}
   * @param value the boolean
   */
  public JsonObject with(String key, boolean value) {
    return toBuilder().put(key, value).build();
  }

  /**
   * {@return a copy without these keys}
   *
   * @param keysToRemove the keys; absent ones are ignored
   */
  public JsonObject without(String... keysToRemove) {
    Builder builder = toBuilder();
    for (String key : keysToRemove) {
      builder.remove(key);
    }
    return builder.build();
  }

  /**
   * {@return a copy without these keys}
   *
   * @param keysToRemove the keys; absent ones are ignored
   */
  public JsonObject without(Collection<String> keysToRemove) {
    return without(keysToRemove.toArray(new String[0]));
  }

  /** Writes this object, fields in order. */
  @Override
  public void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    for (int i = 0; i < size; i++) {
      writer.name(keys[i]);
      values[i].write(writer);
    }
    writer.endObject();
  }

  /** True when the other value is an object with the same keys and equal values, in any order. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof JsonObject that) || that.size != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      JsonValue theirs = that.getOrNull(keys[i]);
      if (theirs == null || !theirs.equals(values[i])) {
        return false;
      }
    }
    return true;
  }

  /** A hash consistent with {@link #equals(Object)}: independent of key order. */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      for (int i = 0; i < size; i++) {
        h += keys[i].hashCode() ^ values[i].hashCode();
      }
      hash = h;
    }
    return h;
  }

  /** This object as JSON text. */
  @Override
  public String toString() {
    return toJson();
  }

  /** Builds a {@link JsonObject}; keys keep the order of their first {@code put}. Not thread-safe. */
  public static final class Builder {
    private String[] keys;
    private JsonValue[] values;
    private int size;
    private boolean built;

    private Builder(int capacity) {
      keys = new String[Math.max(capacity, 4)];
      values = new JsonValue[keys.length];
    }

    private int find(String key) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }

    private void copyIfBuilt() {
      if (built) {
        keys = keys.clone();
        values = values.clone();
        built = false;
      }
    }

    /**
     * Sets a field (replacing an existing value in place).
     *
     * @param key the key
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException if the key or value is null (use {@link JsonNull#INSTANCE})
     */
    public Builder put(String key, JsonValue value) {
      if (key == null) {
        throw new IllegalArgumentException("a JSON object key must not be null");
      }
      if (value == null) {
        throw new IllegalArgumentException("the value of \"" + key + "\" must not be null; use JsonNull.INSTANCE or remove()");
      }
      copyIfBuilt();
      int i = find(key);
      if (i >= 0) {
        values[i] = value;
        return this;
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = value;
      size++;
      return this;
    }

    /**
     * Sets a string field; the value must not be null.
     *
     * @param key the key; null is an {@link IllegalArgumentException}
     * @param value the string; null is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder put(String key, String value) {
      if (value == null) {
        throw new IllegalArgumentException("the value of \"" + key + "\" must not be null");
      }
      return put(key, new JsonString(value));
    }

    /**
     * Sets an integer field.
     *
     * @param key the key; null is an {@link IllegalArgumentException}
     * @param value the integer
     * @return this builder
     */
    public Builder put(String key, long value) {
      return put(key, JsonNumber.of(value));
    }

    /**
     * Sets a boolean field.
     *
     * @param key the key; null is an {@link IllegalArgumentException}
     * @param value the boolean
     * @return this builder
     */
    public Builder put(String key, boolean value) {
      return put(key, JsonBoolean.of(value));
    }

    /**
     * Sets an array of strings.
     *
     * @param key the key; null is an {@link IllegalArgumentException}
     * @param strings the strings, in order
     * @return this builder
     */
    public Builder putStrings(String key, Collection<String> strings) {
      return put(key, JsonArray.ofStrings(strings));
    }

    /**
     * Sets a string field, or removes the key when the value is null.
     *
     * @param key the key
     * @param value the string, or null to remove the key
     * @return this builder
     */
    public Builder putOrRemove(String key, String value) {
      return value == null ? remove(key) : put(key, new JsonString(value));
    }

    /**
     * Sets a field, or removes the key when the value is null.
     *
     * @param key the key
     * @param value the value, or null to remove the key
     * @return this builder
     */
    public Builder putOrRemove(String key, JsonValue value) {
      return value == null ? remove(key) : put(key, value);
    }

    /**
     * Sets an integer field, or removes the key when the value is null.
     *
     * @param key the key
     * @param value the integer, or null to remove the key
     * @return this builder
     */
    public Builder putOrRemove(String key, Long value) {
      return value == null ? remove(key) : put(key, JsonNumber.of(value));
    }

    /**
     * Sets a boolean field, or removes the key when the value is null.
     *
     * @param key the key
     * @param value the boolean, or null to remove the key
     * @return this builder
     */
    public Builder putOrRemove(String key, Boolean value) {
      return value == null ? remove(key) : put(key, JsonBoolean.of(value));
    }

    /**
     * Copies every field of another object into this one.
     *
     * @param other the object whose fields are copied; its values replace existing ones in place
     * @return this builder
     */
    public Builder putAll(JsonObject other) {
      for (int i = 0; i < other.size; i++) {
        put(other.keys[i], other.values[i]);
      }
      return this;
    }

    /**
     * Removes a field if present.
     *
     * @param key the key; an absent key is ignored
     * @return this builder
     */
    public Builder remove(String key) {
      int i = find(key);
      if (i >= 0) {
        copyIfBuilt();
        System.arraycopy(keys, i + 1, keys, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        keys[size] = null;
        values[size] = null;
      }
      return this;
    }

    /** {@return the object built so far; the builder stays usable} */
    public JsonObject build() {
      if (size == 0) {
        return EMPTY;
      }
      built = true;
      return new JsonObject(keys, values, size);
    }
  }

  private final class MapView extends AbstractMap<String, JsonValue> {
    @Override
    public Set<Entry<String, JsonValue>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, JsonValue>> iterator() {
          return new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
              return next < size;
            }

            @Override
            public Entry<String, JsonValue> next() {
              if (next >= size) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return new SimpleImmutableEntry<>(keys[i], values[i]);
            }
          };
        }

        @Override
        public int size() {
          return size;
        }
      };
    }

    @Override
    public JsonValue get(Object key) {
      return key instanceof String s ? getOrNull(s) : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String s && JsonObject.this.containsKey(s);
    }
  }

}
