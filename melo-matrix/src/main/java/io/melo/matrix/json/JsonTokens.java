package io.melo.matrix.json;

import com.squareup.moshi.JsonReader;
import java.io.IOException;

/**
 * The tokens {@link JsonTrees} reads a tree from: Melo's {@link JsonStreamReader} on the {@code /sync}
 * path, Moshi's {@link JsonReader} (through {@link MoshiTokens}) everywhere else. Names and methods as
 * in Moshi's reader.
 */
interface JsonTokens {

  JsonReader.Token peek() throws IOException;

  void beginObject() throws IOException;

  void endObject() throws IOException;

  void beginArray() throws IOException;

  void endArray() throws IOException;

  boolean hasNext() throws IOException;

  String nextName() throws IOException;

  /** The index of the next name in {@code names}, consumed; -1 (nothing consumed) when it is none of them. */
  int selectName(JsonStreamReader.Names names) throws IOException;

  /** The index of the next string value in {@code values}, consumed; -1 (nothing consumed) when none. */
  int selectString(JsonStreamReader.Names values) throws IOException;

  String nextString() throws IOException;

  JsonNumber nextNumber() throws IOException;

  boolean nextBoolean() throws IOException;

  void nextNull() throws IOException;

  /** The next object or array as its raw JSON text, with no nesting limit. */
  String nextRawValue() throws IOException;

  String getPath();
}
