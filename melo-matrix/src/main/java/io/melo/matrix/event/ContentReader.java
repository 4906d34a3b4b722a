package io.melo.matrix.event;

import io.melo.matrix.json.JsonArray;
import io.melo.matrix.json.JsonNumber;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonString;
import io.melo.matrix.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads known fields of a content object and remembers which ones it understood, so that everything
 * else (unknown keys, and known keys with values of an unexpected kind) stays in {@link #extra()}.
 */
final class ContentReader {

  private final JsonObject raw;
  private final List<String> consumed = new ArrayList<>(8);

  ContentReader(JsonObject raw) {
    if (raw == null) {
      throw new IllegalArgumentException("content must not be null");
    }
    this.raw = raw;
  }

  String string(String key) {
    if (raw.getOrNull(key) instanceof JsonString s) {
      consumed.add(key);
      return s.value();
    }
    return null;
  }

  Long integer(String key) {
    Long value = asLevel(raw.getOrNull(key));
    if (value != null) {
      consumed.add(key);
    }
    return value;
  }

  Boolean bool(String key) {
    Boolean value = raw.getBoolean(key).orElse(null);
    if (value != null) {
      consumed.add(key);
    }
    return value;
  }

  JsonObject object(String key) {
    JsonObject value = raw.getObject(key).orElse(null);
    if (value != null) {
      consumed.add(key);
    }
    return value;
  }

  /** The strings of an array; null (and left in extra) when absent or when any element is not a string. */
  List<String> strings(String key) {
    if (raw.getOrNull(key) instanceof JsonArray a) {
      List<String> strings = a.strings();
      if (strings.size() == a.size()) {
        consumed.add(key);
        return strings;
      }
    }
    return null;
  }

  /** Marks a key as understood. */
  void consume(String key) {
    consumed.add(key);
  }

  JsonObject extra() {
    return consumed.isEmpty() ? raw : raw.without(consumed);
  }

  /** An integer level: a JSON integer, or (as older room versions allow) a string holding one. */
  static Long asLevel(JsonValue value) {
    if (value instanceof JsonNumber n) {
      return n.longValue().isPresent() ? n.longValue().getAsLong() : null;
    }
    if (value instanceof JsonString s) {
      try {
        return Long.parseLong(s.value().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** Adds the extra fields that the typed fields did not already set. */
  static JsonObject withExtra(JsonObject.Builder builder, JsonObject extra) {
    JsonObject typed = builder.build();
    if (extra.isEmpty()) {
      return typed;
    }
    extra.forEach((key, value) -> {
      if (!typed.containsKey(key)) {
        builder.put(key, value);
      }
    });
    return builder.build();
  }

  static JsonObject orEmpty(JsonObject extra) {
    return extra == null ? JsonObject.EMPTY : extra;
  }

  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
