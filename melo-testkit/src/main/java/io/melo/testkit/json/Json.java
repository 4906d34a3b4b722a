package io.melo.testkit.json;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import io.melo.testkit.model.MatrixError;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;

/**
 * Strict JSON parsing into plain Java values and serialisation back.
 *
 * <p>Parsed values are {@code Map<String, Object>} (insertion order kept), {@code List<Object>},
 * {@code String}, {@code Boolean}, {@code null}, {@code Long} for integral numbers (exact; never
 * {@code 100.0}) and {@code Double} for the rest. Parsing is strict: trailing data, duplicate
 * object keys, nesting deeper than {@link #MAX_DEPTH} and bodies larger than the limit are refused.
 * Bytes that are not JSON raise 400 {@code M_NOT_JSON}; a body of the wrong shape raises 400
 * {@code M_BAD_JSON}; a body over the size limit raises 413 {@code M_TOO_LARGE}.
 *
 * <p>All methods are static and thread-safe.
 */
public final class Json {
  /** The deepest nesting of objects and arrays accepted. */
  public static final int MAX_DEPTH = 64;

  /** The default largest body accepted by {@link #parse(byte[])}: 1 MiB. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  /** The largest integer canonical JSON allows: 2^53 - 1. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private static final Comparator<String> CODE_POINT_ORDER = Json::compareCodePoints;

  private Json() {}

  /**
   * Parses a JSON text; see the class documentation for the value types and errors.
   *
   * @param text the JSON text; no size limit
   * @return the parsed value
   */
  public static Object parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
  }

  /**
   * Parses UTF-8 JSON of at most {@link #DEFAULT_MAX_BYTES} bytes.
   *
   * @param utf8 the JSON bytes
   * @return the parsed value
   */
  public static Object parse(byte[] utf8) {
    return parse(utf8, DEFAULT_MAX_BYTES);
  }

  /**
   * Parses UTF-8 JSON of at most {@code maxBytes} bytes.
   *
   * @param utf8 the JSON bytes; empty is 400 {@code M_NOT_JSON}
   * @param maxBytes the largest accepted length in bytes
   * @return the parsed value
   * @throws MatrixError 400 M_NOT_JSON if it is not JSON, 413 M_TOO_LARGE if it is too large
   */
  public static Object parse(byte[] utf8, int maxBytes) {
    if (utf8.length > maxBytes) {
      throw new MatrixError(
          413, "M_TOO_LARGE", "Request body is larger than " + maxBytes + " bytes");
    }
    if (utf8.length == 0) {
      throw MatrixError.notJson("Request body is empty; expected JSON");
    }
    JsonReader reader = JsonReader.of(new Buffer().write(utf8));
    try {
      reader.setLenient(false);
      Object value = read(reader, 0);
      boolean trailing;
      try {
        trailing = reader.peek() != JsonReader.Token.END_DOCUMENT;
      } catch (IOException | JsonDataException e) {
        trailing = true; // something that is not even a JSON token follows the value
      }
      if (trailing) {
        throw MatrixError.notJson("Content not JSON: more data follows the JSON value");
      }
      return value;
    } catch (java.io.EOFException e) {
      throw MatrixError.notJson("Content not JSON: the text ends before the JSON value is complete");
    } catch (JsonEncodingException | JsonDataException e) {
      // Moshi's own message is advice for a Java programmer (setLenient): say in JSON's terms where it broke.
      throw MatrixError.notJson("Content not JSON: invalid JSON syntax at " + where(reader));
    } catch (IOException e) {
      throw MatrixError.notJson("Content not JSON: the text could not be read as JSON");
    } catch (NumberFormatException e) {
      throw MatrixError.notJson("Content not JSON: a number is malformed at " + where(reader));
    } finally {
      try {
        reader.close();
      } catch (IOException ignored) {
        // a memory buffer: nothing to release
      }
    }
  }

  /** Where a syntax error was found, as a JSONPath ({@code $} is the top-level value). */
  private static String where(JsonReader reader) {
    String path = reader.getPath();
    if ("$".equals(path)) {
      return "the top-level value";
    }
    return path.length() > 80 ? path.substring(0, 80) + "..." : path;
  }

  /**
   * Parses a request body that must be a JSON object.
   *
   * @param utf8 the body bytes
   * @param maxBytes the largest accepted length in bytes (larger is 413 {@code M_TOO_LARGE})
   * @return the parsed object, keys in document order
   * @throws MatrixError M_NOT_JSON if not JSON, M_BAD_JSON if JSON but not an object
   */
  public static Map<String, Object> parseObject(byte[] utf8, int maxBytes) {
    Object value = parse(utf8, maxBytes);
    if (!(value instanceof Map)) {
      throw MatrixError.badJson("Request body must be a JSON object");
    }
    return Fields.castObject(value);
  }

  /**
   * Parses a JSON text that must be an object.
   *
   * @param text the JSON text; not an object is 400 {@code M_BAD_JSON}
   * @return the parsed object, keys in document order
   */
  public static Map<String, Object> parseObject(String text) {
    return parseObject(text.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
  }

  private static Object read(JsonReader reader, int depth) throws IOException {
    JsonReader.Token token = reader.peek();
    switch (token) {
      case BEGIN_OBJECT:
        {
          if (depth >= MAX_DEPTH) {
            throw MatrixError.notJson("Content not JSON: nested deeper than " + MAX_DEPTH);
          }
          Map<String, Object> map = new LinkedHashMap<>();
          reader.beginObject();
          while (reader.hasNext()) {
            String name = reader.nextName();
            Object value = read(reader, depth + 1);
            if (map.containsKey(name)) {
              throw MatrixError.notJson("Content not JSON: duplicate key '" + name + "'");
            }
            map.put(name, value);
          }
          reader.endObject();
          return map;
        }
      case BEGIN_ARRAY:
        {
          if (depth >= MAX_DEPTH) {
            throw MatrixError.notJson("Content not JSON: nested deeper than " + MAX_DEPTH);
          }
          List<Object> list = new ArrayList<>();
          reader.beginArray();
          while (reader.hasNext()) {
            list.add(read(reader, depth + 1));
          }
          reader.endArray();
          return list;
        }
      case STRING:
        return reader.nextString();
      case NUMBER:
        return number(reader.nextString());
      case BOOLEAN:
        return reader.nextBoolean();
      case NULL:
        return reader.nextNull();
      default:
        throw MatrixError.notJson("Content not JSON: unexpected " + token);
    }
  }

  private static Object number(String literal) {
    boolean integral = literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0;
    if (integral) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException tooBig) {
        return new BigDecimal(literal).doubleValue();
      }
    }
    double d = Double.parseDouble(literal);
    if (Double.isInfinite(d) || Double.isNaN(d)) {
      throw MatrixError.notJson("Content not JSON: number out of range: "
          + (literal.length() > 40 ? literal.substring(0, 40) + "..." : literal));
    }
    return d;
  }

  /**
   * Serialises a value built of maps, lists, strings, numbers, booleans and nulls, compactly.
   *
   * @param value the value to write; map keys are written in iteration order
   * @return the compact JSON text
   */
  public static String write(Object value) {
    return writeBuffer(value).readUtf8();
  }

  /**
   * Serialises like {@link #write(Object)}, as UTF-8 bytes.
   *
   * @param value the value to write
   * @return the compact JSON as UTF-8 bytes
   */
  public static byte[] writeBytes(Object value) {
    return writeBuffer(value).readByteArray();
  }

  private static Buffer writeBuffer(Object value) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.setSerializeNulls(true);
      writeValue(writer, value, 0);
    } catch (IOException e) {
      throw new IllegalStateException("writing to a memory buffer failed", e);
    }
    return buffer;
  }

  private static void writeValue(JsonWriter writer, Object value, int depth) throws IOException {
    if (depth > 512) {
      throw new IllegalArgumentException("value nested too deeply (a cycle?)");
    }
    if (value == null) {
      writer.nullValue();
    } else if (value instanceof String) {
      writer.value((String) value);
    } else if (value instanceof Boolean) {
      writer.value((Boolean) value);
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      writer.value(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON has no NaN or infinity: " + d);
      }
      writer.value(d);
    } else if (value instanceof BigInteger || value instanceof BigDecimal) {
      writer.value((Number) value);
    } else if (value instanceof Map) {
      writer.beginObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("JSON object keys must be strings: " + e.getKey());
        }
        writer.name((String) e.getKey());
        writeValue(writer, e.getValue(), depth + 1);
      }
      writer.endObject();
    } else if (value instanceof Collection) {
      writer.beginArray();
      for (Object item : (Collection<?>) value) {
        writeValue(writer, item, depth + 1);
      }
      writer.endArray();
    } else {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON");
    }
  }

  /**
   * {@return the spec's canonical JSON: keys sorted by code point, no insignificant whitespace,
   * UTF-8 unescaped except for the characters JSON requires to be escaped, integers only}
   *
   * @param value a value built of maps, lists, strings, numbers, booleans and nulls
   * @throws MatrixError 400 M_BAD_JSON if the value holds a non-integral number or an integer
   *     outside [-(2^53)+1, 2^53-1]
   */
  public static String canonical(Object value) {
    StringBuilder out = new StringBuilder();
    canonical(out, value, 0);
    return out.toString();
  }

  private static void canonical(StringBuilder out, Object value, int depth) {
    if (depth > 512) {
      throw new IllegalArgumentException("value nested too deeply (a cycle?)");
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      quote(out, (String) value);
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      long l = ((Number) value).longValue();
      checkSafeInteger(l);
      out.append(l);
    } else if (value instanceof Number) {
      double d = ((Number) value).doubleValue();
      if (d != Math.rint(d) || Double.isInfinite(d) || Math.abs(d) > MAX_SAFE_INTEGER) {
        throw MatrixError.badJson("Canonical JSON allows integers only, found: " + value);
      }
      out.append((long) d);
    } else if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      String[] keys = new String[map.size()];
      int n = 0;
      for (Object k : map.keySet()) {
        keys[n++] = String.valueOf(k);
      }
      java.util.Arrays.sort(keys, CODE_POINT_ORDER);
      out.append('{');
      for (int i = 0; i < keys.length; i++) {
        if (i > 0) {
          out.append(',');
        }
        quote(out, keys[i]);
        out.append(':');
        canonical(out, map.get(keys[i]), depth + 1);
      }
      out.append('}');
    } else if (value instanceof Collection) {
      out.append('[');
      boolean first = true;
      for (Object item : (Collection<?>) value) {
        if (!first) {
          out.append(',');
        }
        first = false;
        canonical(out, item, depth + 1);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON");
    }
  }

  private static void checkSafeInteger(long l) {
    if (l > MAX_SAFE_INTEGER || l < -MAX_SAFE_INTEGER) {
      throw MatrixError.badJson("Integer out of the canonical JSON range: " + l);
    }
  }

  /**
   * Checks that a value can be an event's content under canonical JSON: integers in range, no
   * fractional numbers.
   *
   * @param value the content to check
   * @throws MatrixError 400 M_BAD_JSON naming the offending value
   */
  public static void requireCanonical(Object value) {
    canonical(value);
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    int plain = 0;
    while (plain < s.length()) {
      char c = s.charAt(plain);
      if (c < 0x20 || c == '"' || c == '\\') {
        break;
      }
      plain++;
    }
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  /**
   * Compares two strings by Unicode code point, the key order of canonical JSON (not
   * {@link String#compareTo}, which compares UTF-16 units and orders astral characters wrongly).
   *
   * @param a the first string
   * @param b the second string
   * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
   */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * {@return a deep, mutable copy of a JSON value (maps keep their order)} Use it to store values
   * that a caller may still change.
   *
   * @param value a JSON value; anything else is kept as is
   */
  public static Object copy(Object value) {
    if (value instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        out.put(String.valueOf(e.getKey()), copy(e.getValue()));
      }
      return out;
    }
    if (value instanceof Collection) {
      List<Object> out = new ArrayList<>();
      for (Object item : (Collection<?>) value) {
        out.add(copy(item));
      }
      return out;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    return value;
  }

  /**
   * {@return a deep copy of a JSON object, see {@link #copy(Object)}}
   *
   * @param value a JSON object
   */
  public static Map<String, Object> copyObject(Map<String, ?> value) {
    return Fields.castObject(copy(value));
  }

  /**
   * {@return a deep, unmodifiable copy of a JSON value: safe to share between threads}
   *
   * @param value a JSON value; anything else is kept as is
   */
  public static Object frozen(Object value) {
    if (value instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        out.put(String.valueOf(e.getKey()), frozen(e.getValue()));
      }
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof Collection) {
      List<Object> out = new ArrayList<>();
      for (Object item : (Collection<?>) value) {
        out.add(frozen(item));
      }
      return Collections.unmodifiableList(out);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    return value;
  }

  /**
   * {@return a deep, unmodifiable copy of a JSON object, see {@link #frozen(Object)}}
   *
   * @param value a JSON object
   */
  public static Map<String, Object> frozenObject(Map<String, ?> value) {
    return Fields.castObject(frozen(value));
  }
}
