package io.melo.matrix.json;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.MatrixProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;

/**
 * One immutable JSON value: an object, array, string, number, boolean or null.
 *
 * <p>Two entry points parse, split by who supplied the bytes: {@link #parse(String)} is for JSON the
 * app gives (malformed input is an {@link IllegalArgumentException}), {@link #read(BufferedSource)}
 * is for bytes from the homeserver (malformed or truncated input is a {@link MatrixProtocolException}). Writing
 * gives back the same numbers that were read, digit for digit.
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

  /**
   * The deepest nesting of objects and arrays Melo reads (128). Matrix content never comes near it;
   * deeper input is refused with a {@link JsonNestingException} after it was consumed.
   */
  int MAX_DEPTH = 128;

  /**
   * Parses JSON text supplied by the app.
   *
   * @param json the JSON text; null is an {@link IllegalArgumentException}
   * @return the value
   * @throws IllegalArgumentException if the text is not one complete JSON value
   */
  static JsonValue parse(String json) {
    if (json == null) {
      throw new IllegalArgumentException("json must not be null");
    }
    try {
      return readComplete(new Buffer().writeUtf8(json));
    } catch (JsonEncodingException | JsonDataException | EOFException | JsonNestingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: an in-memory buffer
    }
  }

  /**
   * Reads one complete JSON value sent by the homeserver, such as a response body.
   *
   * @param source the bytes; read to their end
   * @return the value
   * @throws MatrixProtocolException if the bytes are not one complete JSON value
   * @throws MatrixNetworkException if reading the source failed
   */
  static JsonValue read(BufferedSource source) {
    try {
      return readComplete(source);
    } catch (JsonEncodingException | JsonDataException | EOFException | JsonNestingException e) {
      throw new MatrixProtocolException("the server sent invalid JSON: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MatrixNetworkException("reading the response failed: " + e.getMessage(), true, e);
    }
  }

  private static JsonValue readComplete(BufferedSource source) throws IOException {
    try (JsonReader reader = JsonReader.of(source)) {
      JsonValue value = read(reader);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new JsonEncodingException("unexpected data after the JSON value at " + reader.getPath());
      }
      return value;
    }
  }

  /**
   * Reads the next value from a streaming reader, leaving the reader after it. Low-level: for
   * parsers that read part of a document themselves.
   *
   * @param reader positioned at the value
   * @return the value
   * @throws IOException if the reader fails or the JSON is malformed ({@code JsonEncodingException})
   * @throws JsonNestingException if the value nests deeper than {@link #MAX_DEPTH}; the reader is then
   *     positioned after the value
   */
  static JsonValue read(JsonReader reader) throws IOException {
    return JsonTrees.read(reader);
  }

  /**
   * As {@link #read(JsonReader)} for a value that sits {@code level} objects or arrays deep in the
   * document being read (a field of the top-level object is at level 1), so that
   * {@link #MAX_DEPTH} counts from the top of the document, as when the whole document is read as
   * one tree. Low-level: for parsers that read the outer levels themselves.
   *
   * @param reader the reader, positioned at the value
   * @param level how deep the value sits; 0 for a whole document
   * @return the value
   * @throws IOException if the reader fails or the JSON is malformed ({@code JsonEncodingException})
   * @throws JsonNestingException if the value nests deeper than {@link #MAX_DEPTH} counted from the
   *     top of the document; the reader is then positioned after the value
   * @throws IllegalArgumentException if {@code level} is negative
   */
  static JsonValue read(JsonReader reader, int level) throws IOException {
    return JsonTrees.read(reader, level);
  }

  /**
   * Writes this value to a streaming writer.
   *
   * @param writer the writer to write to
   * @throws IOException if the writer fails
   */
  void write(JsonWriter writer) throws IOException;

  /**
   * Writes this value as compact UTF-8 JSON to a sink.
   *
   * @param sink the sink to write to; not closed
   * @throws IOException if the sink fails
   */
  default void writeTo(BufferedSink sink) throws IOException {
    try (JsonWriter writer = JsonWriter.of(sink)) {
      write(writer);
    }
  }

  /** {@return this value as compact JSON text} */
  default String toJson() {
    Buffer buffer = new Buffer();
    try {
      writeTo(buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: an in-memory buffer
    }
    return buffer.readUtf8();
  }

  /** {@return this value as an object, or empty when it is another kind of value} */
  default Optional<JsonObject> asObject() {
    return this instanceof JsonObject o ? Optional.of(o) : Optional.empty();
  }

  /** {@return this value as an array, or empty when it is another kind of value} */
  default Optional<JsonArray> asArray() {
    return this instanceof JsonArray a ? Optional.of(a) : Optional.empty();
  }

  /** {@return this value as a string, or empty when it is another kind of value} */
  default Optional<String> asString() {
    return this instanceof JsonString s ? Optional.of(s.value()) : Optional.empty();
  }

  /** {@return true for the JSON literal {@code null}} */
  default boolean isNull() {
    return this == JsonNull.INSTANCE;
  }

  /**
   * Wraps a string; null becomes {@link JsonNull#INSTANCE}.
   *
   * @param value the string, or null
   * @return the JSON string, or {@link JsonNull#INSTANCE}
   */
  static JsonValue of(String value) {
    return value == null ? JsonNull.INSTANCE : new JsonString(value);
  }

  /**
   * Wraps an integer.
   *
   * @param value the integer
   * @return the JSON number
   */
  static JsonValue of(long value) {
    return JsonNumber.of(value);
  }

  /**
   * Wraps a boolean.
   *
   * @param value the boolean
   * @return the JSON boolean
   */
  static JsonValue of(boolean value) {
    return JsonBoolean.of(value);
  }
}
