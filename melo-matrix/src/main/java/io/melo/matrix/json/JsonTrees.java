package io.melo.matrix.json;

import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.util.ArrayList;

/** Reads JSON trees from a Moshi reader. Not API. */
final class JsonTrees {

  private JsonTrees() {}

  static JsonValue read(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT:
        return readObject(reader);
      case BEGIN_ARRAY:
        return readArray(reader);
      case STRING:
        return new JsonString(reader.nextString());
      case NUMBER:
        return JsonNumber.ofLiteral(reader.nextString());
      case BOOLEAN:
        return JsonBoolean.of(reader.nextBoolean());
      case NULL:
        reader.nextNull();
        return JsonNull.INSTANCE;
      default:
        throw new JsonEncodingException("expected a JSON value but was " + reader.peek() + " at " + reader.getPath());
    }
  }

  static JsonObject readObject(JsonReader reader) throws IOException {
    reader.beginObject();
    String[] keys = new String[8];
    JsonValue[] values = new JsonValue[8];
    int size = 0;
    while (reader.hasNext()) {
      String key = reader.nextName();
      JsonValue value = read(reader);
      if (size == keys.length) {
        keys = java.util.Arrays.copyOf(keys, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = value;
      size++;
    }
    reader.endObject();
    return JsonObject.fromParsed(keys, values, size);
  }

  static JsonArray readArray(JsonReader reader) throws IOException {
    reader.beginArray();
    ArrayList<JsonValue> values = new ArrayList<>();
    while (reader.hasNext()) {
      values.add(read(reader));
    }
    reader.endArray();
    return JsonArray.ofTrusted(values);
  }
}
