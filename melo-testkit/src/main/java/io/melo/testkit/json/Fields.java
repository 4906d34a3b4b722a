package io.melo.testkit.json;

import io.melo.testkit.model.MatrixError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed access to the fields of a parsed JSON object. A missing required field raises 400
 * {@code M_MISSING_PARAM}; a field of the wrong type raises 400 {@code M_BAD_JSON}; both name the
 * field, for example {@code 'room_version' must be a string}. A field whose value is JSON
 * {@code null} counts as absent.
 */
public final class Fields {
  private Fields() {}

  /**
   * Casts a parsed JSON object (a map with string keys) to its static type.
   *
   * @param value a parsed JSON object; an unchecked cast, so only pass values known to be objects
   * @return the same value, typed
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> castObject(Object value) {
    return (Map<String, Object>) value;
  }

  /**
   * {@return the value as a JSON object, or 400 M_BAD_JSON naming {@code what}}
   *
   * @param value a parsed JSON value
   * @param what the field name for the error message
   */
  public static Map<String, Object> asObject(Object value, String what) {
    if (!(value instanceof Map)) {
      throw MatrixError.badJson("'" + what + "' must be an object");
    }
    return castObject(value);
  }

  /**
   * {@return a required string field}
   *
   * @param object the JSON object to read
   * @param key the field name; absent or null is 400 {@code M_MISSING_PARAM}, not a string is 400
   *     {@code M_BAD_JSON}
   */
  public static String string(Map<String, ?> object, String key) {
    String value = optString(object, key);
    if (value == null) {
      throw MatrixError.missingParam("'" + key + "' is required");
    }
    return value;
  }

  /**
   * {@return an optional string field, or null when absent}
   *
   * @param object the JSON object to read
   * @param key the field name; not a string is 400 {@code M_BAD_JSON}
   */
  public static String optString(Map<String, ?> object, String key) {
    Object value = object.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String)) {
      throw MatrixError.badJson("'" + key + "' must be a string");
    }
    return (String) value;
  }

  /**
   * {@return an optional string field with a default}
   *
   * @param object the JSON object to read
   * @param key the field name; not a string is 400 {@code M_BAD_JSON}
   * @param defaultValue returned when the field is absent or null
   */
  public static String optString(Map<String, ?> object, String key, String defaultValue) {
    String value = optString(object, key);
    return value == null ? defaultValue : value;
  }

  /**
   * {@return a required integer field}
   *
   * @param object the JSON object to read
   * @param key the field name; absent is 400 {@code M_MISSING_PARAM}, not an integer (a fraction
   *     included) is 400 {@code M_BAD_JSON}
   */
  public static long integer(Map<String, ?> object, String key) {
    Long value = optInteger(object, key);
    if (value == null) {
      throw MatrixError.missingParam("'" + key + "' is required");
    }
    return value;
  }

  /**
   * {@return an optional integer field, or null when absent}
   *
   * @param object the JSON object to read
   * @param key the field name; not an integer is 400 {@code M_BAD_JSON}
   */
  public static Long optInteger(Map<String, ?> object, String key) {
    Object value = object.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Long || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    throw MatrixError.badJson("'" + key + "' must be an integer");
  }

  /**
   * {@return an optional integer field with a default}
   *
   * @param object the JSON object to read
   * @param key the field name; not an integer is 400 {@code M_BAD_JSON}
   * @param defaultValue returned when the field is absent or null
   */
  public static long optInteger(Map<String, ?> object, String key, long defaultValue) {
    Long value = optInteger(object, key);
    return value == null ? defaultValue : value;
  }

  /**
   * {@return an optional boolean field with a default}
   *
   * @param object the JSON object to read
   * @param key the field name; not a boolean is 400 {@code M_BAD_JSON}
   * @param defaultValue returned when the field is absent or null
   */
  public static boolean optBoolean(Map<String, ?> object, String key, boolean defaultValue) {
    Object value = object.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean)) {
      throw MatrixError.badJson("'" + key + "' must be a boolean");
    }
    return (Boolean) value;
  }

  /**
   * {@return a required object field}
   *
   * @param object the JSON object to read
   * @param key the field name; absent is 400 {@code M_MISSING_PARAM}, not an object is 400 {@code
   *     M_BAD_JSON}
   */
  public static Map<String, Object> object(Map<String, ?> object, String key) {
    Map<String, Object> value = optObject(object, key);
    if (value == null) {
      throw MatrixError.missingParam("'" + key + "' is required");
    }
    return value;
  }

  /**
   * {@return an optional object field, or null when absent}
   *
   * @param object the JSON object to read
   * @param key the field name; not an object is 400 {@code M_BAD_JSON}
   */
  public static Map<String, Object> optObject(Map<String, ?> object, String key) {
    Object value = object.get(key);
    if (value == null) {
      return null;
    }
    return asObject(value, key);
  }

  /**
   * {@return an optional array field, or null when absent}
   *
   * @param object the JSON object to read
   * @param key the field name; not an array is 400 {@code M_BAD_JSON}
   */
  @SuppressWarnings("unchecked")
  public static List<Object> optList(Map<String, ?> object, String key) {
    Object value = object.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof List)) {
      throw MatrixError.badJson("'" + key + "' must be an array");
    }
    return (List<Object>) value;
  }

  /**
   * {@return an optional array of strings, or null when absent}
   *
   * @param object the JSON object to read
   * @param key the field name; not an array of strings is 400 {@code M_BAD_JSON}
   */
  public static List<String> optStringList(Map<String, ?> object, String key) {
    List<Object> list = optList(object, key);
    if (list == null) {
      return null;
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof String)) {
        throw MatrixError.badJson("'" + key + "' must be an array of strings");
      }
      out.add((String) item);
    }
    return out;
  }

  /**
   * {@return an optional array of objects, or null when absent}
   *
   * @param object the JSON object to read
   * @param key the field name; not an array of objects is 400 {@code M_BAD_JSON}
   */
  public static List<Map<String, Object>> optObjectList(Map<String, ?> object, String key) {
    List<Object> list = optList(object, key);
    if (list == null) {
      return null;
    }
    List<Map<String, Object>> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof Map)) {
        throw MatrixError.badJson("'" + key + "' must be an array of objects");
      }
      out.add(castObject(item));
    }
    return out;
  }
}
