package io.melo.matrix.internal;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Turns a successful response's body into a value. The body is already limited to the configured
 * size; {@link com.squareup.moshi.JsonEncodingException} means not JSON and
 * {@link com.squareup.moshi.JsonDataException} a wrong shape.
 */
@FunctionalInterface
public interface ResponseReader<T> {

  /** Reads the body; {@code response} gives access to headers such as Content-Type. */
  T read(BufferedSource body, Response response) throws IOException;

  /**
   * A reader for endpoints that answer {@code {}}: accepts an empty body or any JSON object (servers
   * differ), refuses other JSON, and returns null.
   */
  static ResponseReader<Void> ignoring() {
    return (body, response) -> {
      if (body.exhausted()) {
        return null;
      }
      JsonReader reader = JsonReader.of(body);
      Json.ignore(reader);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new com.squareup.moshi.JsonDataException("trailing data after the JSON document");
      }
      return null;
    };
  }

  /**
   * This reader followed by {@code then}, which runs only once the whole answer was read and
   * accepted, so a side effect (new credentials, a cached answer) never follows an answer that is
   * then refused as malformed.
   */
  default ResponseReader<T> andThen(java.util.function.Consumer<? super T> then) {
    java.util.Objects.requireNonNull(then, "then");
    return (body, response) -> {
      T value = read(body, response);
      then.accept(value);
      return value;
    };
  }

  /** A reader of one JSON document. */
  static <T> ResponseReader<T> json(Json.Decoder<T> decoder) {
    return (body, response) -> {
      JsonReader reader = JsonReader.of(body);
      T value = decoder.read(reader);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new com.squareup.moshi.JsonDataException("trailing data after the JSON document");
      }
      return value;
    };
  }
}
