package io.melo.matrix.internal;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;

/** Small helpers for hand-written Moshi codecs. */
public final class Json {

  /** {@code application/json; charset=utf-8}. */
  public static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private Json() {}

  /** Reads one JSON value. */
  @FunctionalInterface
  public interface Decoder<T> {
    /** Reads one value from {@code reader}, which is positioned at it. */
    T read(JsonReader reader) throws IOException;
  }

  /** Writes the members of one JSON object. */
  @FunctionalInterface
  public interface ObjectWriter {
    /** Writes names and values; the object's braces are written by the caller. */
    void write(JsonWriter writer) throws IOException;
  }

  /** Reacts to one member of an object. */
  @FunctionalInterface
  public interface MemberReader {
    /** Reads (or skips) the value of member {@code name}; must consume exactly one value. */
    void read(String name, JsonReader reader) throws IOException;
  }

  /** Reads an object, handing each member to {@code member}. Fails if the value is not an object. */
  public static void readObject(JsonReader reader, MemberReader member) throws IOException {
    reader.beginObject();
    while (reader.hasNext()) {
      member.read(reader.nextName(), reader);
    }
    reader.endObject();
  }

  /** A string, or null for JSON null; fails on other kinds. */
  public static String stringOrNull(JsonReader reader) throws IOException {
    if (reader.peek() == JsonReader.Token.NULL) {
      return reader.nextNull();
    }
    if (reader.peek() != JsonReader.Token.STRING) {
      throw new JsonDataException(
          "expected a string but was " + reader.peek() + " at " + reader.getPath());
    }
    return reader.nextString();
  }

  /** An integer that must be exact (no fraction), or null for JSON null. */
  public static Long longOrNull(JsonReader reader) throws IOException {
    if (reader.peek() == JsonReader.Token.NULL) {
      return reader.nextNull();
    }
    return reader.nextLong();
  }

  /** A boolean, or null for JSON null. */
  public static Boolean booleanOrNull(JsonReader reader) throws IOException {
    if (reader.peek() == JsonReader.Token.NULL) {
      return reader.nextNull();
    }
    return reader.nextBoolean();
  }

  /** A list of strings; null becomes an empty list. */
  public static List<String> stringList(JsonReader reader) throws IOException {
    return list(reader, Json::stringOrNullChecked);
  }

  private static String stringOrNullChecked(JsonReader reader) throws IOException {
    String value = stringOrNull(reader);
    if (value == null) {
      throw new JsonDataException("expected a string but was null at " + reader.getPath());
    }
    return value;
  }

  /** A list of values; null becomes an empty list. The result is unmodifiable. */
  public static <T> List<T> list(JsonReader reader, Decoder<T> element) throws IOException {
    if (reader.peek() == JsonReader.Token.NULL) {
      reader.nextNull();
      return List.of();
    }
    List<T> out = new ArrayList<>();
    reader.beginArray();
    while (reader.hasNext()) {
      out.add(element.read(reader));
    }
    reader.endArray();
    return Collections.unmodifiableList(out);
  }

  /** An object of values by key, in the server's order; null becomes empty. Unmodifiable. */
  public static <T> Map<String, T> map(JsonReader reader, Decoder<T> value) throws IOException {
    if (reader.peek() == JsonReader.Token.NULL) {
      reader.nextNull();
      return Map.of();
    }
    Map<String, T> out = new LinkedHashMap<>();
    reader.beginObject();
    while (reader.hasNext()) {
      out.put(reader.nextName(), value.read(reader));
    }
    reader.endObject();
    return Collections.unmodifiableMap(out);
  }

  /** The next value's exact JSON text (numbers and key order kept). */
  public static String rawValue(JsonReader reader) throws IOException {
    try (okio.BufferedSource source = reader.nextSource()) {
      return source.readUtf8();
    }
  }

  /**
   * Fails with a message naming the missing field when {@code value} is null.
   *
   * @param what the object the field belongs to, such as {@code "login response"}
   */
  public static <T> T require(T value, String field, String what) {
    if (value == null) {
      throw new JsonDataException(what + " lacks required field '" + field + "'");
    }
    return value;
  }

  /** Skips the object (or any value) and returns null: for endpoints that answer {@code {}}. */
  public static Void ignore(JsonReader reader) throws IOException {
    if (reader.peek() != JsonReader.Token.BEGIN_OBJECT) {
      throw new JsonDataException("expected an object but was " + reader.peek() + " at $");
    }
    reader.skipValue();
    return null;
  }

  /** A JSON object body written by {@code members}. */
  public static RequestBody object(ObjectWriter members) {
    return RequestBody.create(objectBytes(members), JSON);
  }

  /** The bytes of a JSON object written by {@code members}. */
  public static byte[] objectBytes(ObjectWriter members) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.setSerializeNulls(false);
      writer.beginObject();
      members.write(writer);
      writer.endObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory failed", e);
    }
    return buffer.readByteArray();
  }

  /** Writes {@code name: value} unless {@code value} is null. */
  public static void field(JsonWriter writer, String name, String value) throws IOException {
    if (value != null) {
      writer.name(name).value(value);
    }
  }

  /** Writes {@code name: value} unless {@code value} is null. */
  public static void field(JsonWriter writer, String name, Number value) throws IOException {
    if (value != null) {
      writer.name(name).value(value);
    }
  }

  /** Writes {@code name: value} unless {@code value} is null. */
  public static void field(JsonWriter writer, String name, Boolean value) throws IOException {
    if (value != null) {
      writer.name(name).value(value);
    }
  }

  /** Writes {@code name: [values]} unless {@code values} is null. */
  public static void field(JsonWriter writer, String name, List<String> values) throws IOException {
    if (values != null) {
      writer.name(name).beginArray();
      for (String value : values) {
        writer.value(value);
      }
      writer.endArray();
    }
  }

  /** Writes {@code name: <raw json>} unless {@code rawJson} is null; the JSON is checked first. */
  public static void rawField(JsonWriter writer, String name, String rawJson) throws IOException {
    if (rawJson != null) {
      writer.name(name);
      rawValue(writer, rawJson);
    }
  }

  /** Writes {@code rawJson} as the next value, after checking it is one well-formed JSON value. */
  public static void rawValue(JsonWriter writer, String rawJson) throws IOException {
    Buffer check = new Buffer().writeUtf8(rawJson);
    JsonReader reader = JsonReader.of(check.clone());
    try {
      reader.skipValue();
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new IllegalArgumentException("not a single JSON value: " + abbreviate(rawJson));
      }
    } catch (IOException | JsonDataException e) {
      throw new IllegalArgumentException("not valid JSON: " + abbreviate(rawJson), e);
    }
    try (okio.BufferedSink sink = writer.valueSink()) {
      sink.writeAll(check);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 60) + "...";
  }
}
