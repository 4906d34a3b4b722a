package io.melo.matrix.json;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;

/** A JSON string. */
public record JsonString(String value) implements JsonValue {

  /**
   * Creates a JSON string; the value must not be null.
   *
   * @param value the string; null is an {@link IllegalArgumentException}
   */
  public JsonString {
    if (value == null) {
      throw new IllegalArgumentException("a JSON string value must not be null");
    }
  }

  /** Writes this string. */
  @Override
  public void write(JsonWriter writer) throws IOException {
    writer.value(value);
  }

  /** This string as JSON text, quoted and escaped. */
  @Override
  public String toString() {
    return toJson();
  }
}
