package io.melo.matrix.json;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import okio.BufferedSource;

/** Moshi's reader as {@link JsonTokens}, for the trees read outside the {@code /sync} path. */
final class MoshiTokens implements JsonTokens {

  private final JsonReader reader;

  MoshiTokens(JsonReader reader) {
    this.reader = reader;
  }

  @Override
  public JsonReader.Token peek() throws IOException {
    return reader.peek();
  }

  @Override
  public void beginObject() throws IOException {
    reader.beginObject();
  }

  @Override
  public void endObject() throws IOException {
    reader.endObject();
  }

  @Override
  public void beginArray() throws IOException {
    reader.beginArray();
  }

  @Override
  public void endArray() throws IOException {
    reader.endArray();
  }

  @Override
  public boolean hasNext() throws IOException {
    return reader.hasNext();
  }

  @Override
  public String nextName() throws IOException {
    return reader.nextName();
  }

  @Override
  public int selectName(JsonStreamReader.Names names) throws IOException {
    return reader.selectName(names.options);
  }

  @Override
  public int selectString(JsonStreamReader.Names values) throws IOException {
    return reader.selectString(values.options);
  }

  @Override
  public String nextString() throws IOException {
    return reader.nextString();
  }

  @Override
  public JsonNumber nextNumber() throws IOException {
    return JsonNumber.ofLiteral(reader.nextString());
  }

  @Override
  public boolean nextBoolean() throws IOException {
    return reader.nextBoolean();
  }

  @Override
  public void nextNull() throws IOException {
    reader.nextNull();
  }

  /** Moshi's nextSource has no depth limit. */
  @Override
  public String nextRawValue() throws IOException {
    try (BufferedSource source = reader.nextSource()) {
      return source.readUtf8();
    }
  }

  @Override
  public String getPath() {
    return reader.getPath();
  }
}
