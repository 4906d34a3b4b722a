package io.melo.spec.internal;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;

/**
 * A JSON tree on plain Java types: {@code Map<String, Object>} (insertion ordered), {@code List<Object>},
 * {@code String}, {@link BigDecimal} (numbers kept exactly as written, so 100 stays an integer), {@code Boolean}
 * and {@code null}. Reading rejects trailing data and duplicate object keys.
 */
public final class Json {
  private Json() {}

  /**
   * Parses one JSON document.
   *
   * @param json the JSON text
   * @return the tree
   * @throws IllegalArgumentException naming the problem, when the text is not one JSON value
   */
  public static Object parse(String json) {
    if (json == null) {
      throw new IllegalArgumentException("JSON text is null");
    }
    try (JsonReader reader = JsonReader.of(new Buffer().writeUtf8(json))) {
      Object value = read(reader);
      boolean end;
      try {
        end = reader.peek() == JsonReader.Token.END_DOCUMENT;
      } catch (IOException e) {
        end = false;
      }
      if (!end) {
        throw new IllegalArgumentException("trailing data after the JSON value");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
  }

  private static Object read(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          Object value = read(reader);
          if (map.containsKey(name)) {
            throw new IllegalArgumentException("duplicate key '" + name + "' at " + reader.getPath());
          }
          map.put(name, value);
        }
        reader.endObject();
        return map;
      }
      case BEGIN_ARRAY: {
        List<Object> list = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
          list.add(read(reader));
        }
        reader.endArray();
        return list;
      }
      case STRING:
        return reader.nextString();
      case NUMBER:
        return new BigDecimal(reader.nextString());
      case BOOLEAN:
        return reader.nextBoolean();
      case NULL:
        return reader.nextNull();
      default:
        throw new IllegalArgumentException("unexpected " + reader.peek() + " at " + reader.getPath());
    }
  }

  /**
   * Writes a tree as compact JSON.
   *
   * @param value a JSON tree value
   * @return the JSON text
   */
  public static String write(Object value) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.setSerializeNulls(true);
      write(writer, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.readUtf8();
  }

  private static void write(JsonWriter writer, Object value) throws IOException {
    if (value == null) {
      writer.nullValue();
    } else if (value instanceof Map) {
      writer.beginObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        writer.name((String) e.getKey());
        write(writer, e.getValue());
      }
      writer.endObject();
    } else if (value instanceof List) {
      writer.beginArray();
      for (Object o : (List<?>) value) {
        write(writer, o);
      }
      writer.endArray();
    } else if (value instanceof String) {
      writer.value((String) value);
    } else if (value instanceof Boolean) {
      writer.value((Boolean) value);
    } else if (value instanceof Number) {
      writer.value((Number) value);
    } else {
      throw new IllegalArgumentException("not a JSON tree value: " + value.getClass().getName());
    }
  }

  /**
   * {@return the JSON type name of a tree value: object, array, string, number, boolean or null}
   *
   * @param value a JSON tree value
   */
  public static String typeOf(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof Map) {
      return "object";
    } else if (value instanceof List) {
      return "array";
    } else if (value instanceof String) {
      return "string";
    } else if (value instanceof Boolean) {
      return "boolean";
    } else if (value instanceof Number) {
      return "number";
    }
    return value.getClass().getSimpleName();
  }

  /**
   * {@return jSON equality: numbers compare by value (1 equals 1.0), objects ignore key order}
   *
   * @param a one template
   * @param b the other template
   */
  public static boolean equal(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Number && b instanceof Number) {
      return toBigDecimal((Number) a).compareTo(toBigDecimal((Number) b)) == 0;
    }
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> ma = (Map<?, ?>) a;
      Map<?, ?> mb = (Map<?, ?>) b;
      if (ma.size() != mb.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        if (!mb.containsKey(e.getKey()) || !equal(e.getValue(), mb.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List && b instanceof List) {
      List<?> la = (List<?>) a;
      List<?> lb = (List<?>) b;
      if (la.size() != lb.size()) {
        return false;
      }
      Iterator<?> ia = la.iterator();
      Iterator<?> ib = lb.iterator();
      while (ia.hasNext()) {
        if (!equal(ia.next(), ib.next())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /**
   * {@return a number as an exact {@link BigDecimal}}
   *
   * @param n a number
   */
  public static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof Double || n instanceof Float) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return new BigDecimal(n.toString());
  }

  /**
   * {@return deep copy of a tree, so callers may change it without touching cached spec data}
   *
   * @param value a JSON tree value
   */
  @SuppressWarnings("unchecked")
  public static Object copy(Object value) {
    if (value instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
        out.put(e.getKey(), copy(e.getValue()));
      }
      return out;
    }
    if (value instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object o : (List<Object>) value) {
        out.add(copy(o));
      }
      return out;
    }
    return value;
  }
}
