package io.melo.matrix.json;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;

/** The JSON literal {@code null}. */
public enum JsonNull implements JsonValue {
  /** The only instance. */
  INSTANCE;

  /** Writes {@code null}, even where the writer would otherwise skip nulls. */
  @Override
  public void write(JsonWriter writer) throws IOException {
    boolean serializeNulls = writer.getSerializeNulls();
    writer.setSerializeNulls(true);
    writer.nullValue();
    writer.setSerializeNulls(serializeNulls);
  }

  /** {@code null}. */
  @Override
  public String toString() {
    return "null";
  }
}
