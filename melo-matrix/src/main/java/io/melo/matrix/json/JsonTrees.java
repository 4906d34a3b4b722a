package io.melo.matrix.json;

import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.util.ArrayList;

/** Reads JSON trees from a Moshi reader. Not API. */
final class JsonTrees {

  private JsonTrees() {}

  /**
   * Keys that Matrix events use again and again. Reading them with {@code selectName} matches the
   * bytes without allocating a new String per key: this is most of the keys of a {@code /sync} answer.
   */
  private static final String[] COMMON_NAMES = {
    "type", "event_id", "sender", "origin_server_ts", "content", "unsigned", "state_key", "age", "room_id",
    "transaction_id", "prev_content", "replaces_state", "redacted_because", "redacts", "membership",
    "displayname", "avatar_url", "is_direct", "reason", "msgtype", "body", "format", "formatted_body", "url",
    "info", "mimetype", "size", "w", "h", "duration", "thumbnail_url", "thumbnail_info", "filename",
    "m.relates_to", "rel_type", "key", "m.in_reply_to", "m.new_content", "is_falling_back", "m.mentions",
    "user_ids", "ts", "thread_id", "m.read", "name", "topic", "join_rule", "allow", "via", "users",
    "users_default", "events", "events_default", "state_default", "invite", "kick", "ban", "redact",
    "notifications", "room_version", "creator", "predecessor", "m.relations", "presence",
  };
  private static final JsonReader.Options NAMES = JsonReader.Options.of(COMMON_NAMES);

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
      int common = reader.selectName(NAMES);
      String key = common >= 0 ? COMMON_NAMES[common] : reader.nextName();
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
