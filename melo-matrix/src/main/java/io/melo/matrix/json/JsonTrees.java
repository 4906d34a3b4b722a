package io.melo.matrix.json;

import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.util.ArrayList;
import okio.BufferedSource;

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

  /**
   * Reads one value. A value nested deeper than {@link JsonValue#MAX_DEPTH} is still consumed
   * completely (its deep part as raw text), and then {@link JsonNestingException} is thrown with what
   * was read, so the reader stays positioned after the value and the caller can go on.
   */
  static JsonValue read(JsonReader reader) throws IOException {
    Depth depth = new Depth();
    JsonValue value = read(reader, 0, depth);
    if (depth.exceededAt != null) {
      throw new JsonNestingException("JSON nested deeper than " + JsonValue.MAX_DEPTH + " levels at "
          + depth.exceededAt, value);
    }
    return value;
  }

  /** Remembers where a value first went too deep. */
  private static final class Depth {
    String exceededAt;
  }

  private static JsonValue read(JsonReader reader, int level, Depth depth) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT:
        if (level >= JsonValue.MAX_DEPTH) {
          return tooDeep(reader, depth);
        }
        return readObject(reader, level, depth);
      case BEGIN_ARRAY:
        if (level >= JsonValue.MAX_DEPTH) {
          return tooDeep(reader, depth);
        }
        return readArray(reader, level, depth);
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

  /** Consumes a too-deep value as raw bytes (Moshi's nextSource has no depth limit) and keeps its text. */
  private static JsonValue tooDeep(JsonReader reader, Depth depth) throws IOException {
    if (depth.exceededAt == null) {
      depth.exceededAt = reader.getPath();
    }
    try (BufferedSource source = reader.nextSource()) {
      return new JsonString(source.readUtf8());
    }
  }

  private static JsonObject readObject(JsonReader reader, int level, Depth depth) throws IOException {
    reader.beginObject();
    String[] keys = new String[8];
    JsonValue[] values = new JsonValue[8];
    int size = 0;
    while (reader.hasNext()) {
      int common = reader.selectName(NAMES);
      String key = common >= 0 ? COMMON_NAMES[common] : reader.nextName();
      JsonValue value = read(reader, level + 1, depth);
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

  private static JsonArray readArray(JsonReader reader, int level, Depth depth) throws IOException {
    reader.beginArray();
    ArrayList<JsonValue> values = new ArrayList<>();
    while (reader.hasNext()) {
      values.add(read(reader, level + 1, depth));
    }
    reader.endArray();
    return JsonArray.ofTrusted(values);
  }

}
