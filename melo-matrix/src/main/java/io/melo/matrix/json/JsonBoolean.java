package io.melo.matrix.json;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;

/** A JSON {@code true} or {@code false}. */
public record JsonBoolean(boolean value) implements JsonValue {

  /** The JSON literal {@code true}. */
  public static final JsonBoolean TRUE = new JsonBoolean(true);
  /** The JSON literal {@code false}. */
  public static final JsonBoolean FALSE = new JsonBoolean(false);

  /**
   * {@return the shared instance for a boolean}
   *
   * @param value the boolean
   */
  public static JsonBoolean of(boolean value) {
    return value ? TRUE : FALSE;
  }

  /** Writes this boolean. */
  @Override
  public void write(JsonWriter writer) throws IOException {
    writer.value(value);
  }

  /** {@code true} or {@code false}. */
  @Override
  public String toString() {
    return Boolean.toString(value);
  }
}
