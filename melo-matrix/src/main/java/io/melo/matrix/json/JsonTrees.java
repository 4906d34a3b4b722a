package io.melo.matrix.json;

import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.util.ArrayList;

/** Reads JSON trees from Melo's {@link JsonStreamReader} or from a Moshi reader. Not API. */
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
  private static final JsonStreamReader.Names NAMES = JsonStreamReader.Names.of(COMMON_NAMES);

  /**
   * String values that events repeat again and again (event types, memberships, message types, ...),
   * read with {@code selectString} into shared instances instead of a new String and JsonString each
   * time. Tried only under the keys in {@link #VALUE_KEYS}, where a hit is likely.
   */
  private static final String[] COMMON_VALUES = {
    "m.room.message", "m.room.member", "m.reaction", "m.room.redaction", "m.room.name", "m.room.topic",
    "m.room.avatar", "m.room.create", "m.room.power_levels", "m.room.join_rules", "m.room.history_visibility",
    "m.room.guest_access", "m.room.canonical_alias", "m.room.encryption", "m.room.encrypted", "m.room.pinned_events",
    "m.room.server_acl", "m.room.tombstone", "m.space.child", "m.space.parent", "m.typing", "m.receipt",
    "m.fully_read", "m.presence", "m.direct", "m.tag", "join", "leave", "invite", "ban", "knock", "m.text",
    "m.notice", "m.emote", "m.image", "m.file", "m.audio", "m.video", "m.location", "m.annotation", "m.replace",
    "m.thread", "m.reference", "org.matrix.custom.html", "m.space", "public", "restricted", "knock_restricted",
    "private", "shared", "joined", "invited", "world_readable", "can_join", "forbidden", "m.room_membership",
    "online", "offline", "unavailable",
  };
  private static final JsonString[] COMMON_VALUE_STRINGS = new JsonString[COMMON_VALUES.length];
  private static final JsonStreamReader.Names VALUES = JsonStreamReader.Names.of(COMMON_VALUES);
  /** Keys (by index in {@link #COMMON_NAMES}) whose string values are looked up in {@link #COMMON_VALUES}. */
  private static final boolean[] VALUE_KEYS = new boolean[COMMON_NAMES.length];

  static {
    for (int i = 0; i < COMMON_VALUES.length; i++) {
      COMMON_VALUE_STRINGS[i] = new JsonString(COMMON_VALUES[i]);
    }
    for (String key : new String[] {"type", "membership", "msgtype", "rel_type", "format", "join_rule", "presence"}) {
      VALUE_KEYS[java.util.Arrays.asList(COMMON_NAMES).indexOf(key)] = true;
    }
  }

  /**
   * Per-thread scratch arrays for the objects being read, one pair per nesting level: element 0 is
   * a {@code String[][]} of keys, element 1 an {@code Object[][]} of values. Only JDK types, so a
   * pooled thread of an application server does not pin this library's class loader.
   */
  private static final ThreadLocal<Object[]> SCRATCH =
      ThreadLocal.withInitial(() -> new Object[] {new String[8][], new Object[8][]});

  /**
   * Reads one value. A value nested deeper than {@link JsonValue#MAX_DEPTH} is still consumed
   * completely (its deep part as raw text), and then {@link JsonNestingException} is thrown with what
   * was read, so the reader stays positioned after the value and the caller can go on.
   */
  static JsonValue read(JsonReader reader) throws IOException {
    return read(new MoshiTokens(reader), 0);
  }

  /** As {@link #read(JsonReader)} for a value {@code level} objects or arrays deep in its document. */
  static JsonValue read(JsonReader reader, int level) throws IOException {
    return read(new MoshiTokens(reader), level);
  }

  /** As {@link #read(JsonReader, int)} from either reader. */
  static JsonValue read(JsonTokens reader, int level) throws IOException {
    if (level < 0) {
      throw new IllegalArgumentException("level must not be negative, was " + level);
    }
    Depth depth = new Depth();
    depth.scratch = SCRATCH.get();
    depth.keys = (String[][]) depth.scratch[0];
    depth.values = (Object[][]) depth.scratch[1];
    JsonValue value = read(reader, level, depth);
    if (depth.exceededAt != null) {
      throw new JsonNestingException("JSON nested deeper than " + JsonValue.MAX_DEPTH + " levels at "
          + depth.exceededAt, value);
    }
    return value;
  }

  /**
   * Remembers where a value first went too deep, and holds the scratch arrays: the keys and values
   * of the objects being read, by nesting level, reused from object to object so that reading one
   * allocates only its exact-size arrays.
   */
  private static final class Depth {
    String exceededAt;
    Object[] scratch;
    String[][] keys;
    Object[][] values;
  }

  private static JsonValue read(JsonTokens reader, int level, Depth depth) throws IOException {
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
        return reader.nextNumber();
      case BOOLEAN:
        return JsonBoolean.of(reader.nextBoolean());
      case NULL:
        reader.nextNull();
        return JsonNull.INSTANCE;
      default:
        throw new JsonEncodingException("expected a JSON value but was " + reader.peek() + " at " + reader.getPath());
    }
  }

  /** Consumes a too-deep value as raw text (without a depth limit) and keeps it. */
  private static JsonValue tooDeep(JsonTokens reader, Depth depth) throws IOException {
    if (depth.exceededAt == null) {
      depth.exceededAt = reader.getPath();
    }
    return new JsonString(reader.nextRawValue());
  }

  private static JsonObject readObject(JsonTokens reader, int level, Depth depth) throws IOException {
    reader.beginObject();
    if (level >= depth.keys.length) {
      depth.keys = java.util.Arrays.copyOf(depth.keys, Math.max(level + 1, depth.keys.length * 2));
      depth.values = java.util.Arrays.copyOf(depth.values, depth.keys.length);
      depth.scratch[0] = depth.keys;
      depth.scratch[1] = depth.values;
    }
    String[] keys = depth.keys[level];
    Object[] values = depth.values[level];
    if (keys == null) {
      keys = depth.keys[level] = new String[16];
      values = depth.values[level] = new Object[16];
    }
    int size = 0;
    long commonSeen = 0; // which common names were read: their duplicates are found without comparing
    boolean distinct = true; // false once a key repeats or is not a common name (then fromParsed checks)
    while (reader.hasNext()) {
      int common = reader.selectName(NAMES);
      String key;
      if (common >= 0 && common < 64) {
        key = COMMON_NAMES[common];
        long bit = 1L << common;
        distinct &= (commonSeen & bit) == 0;
        commonSeen |= bit;
      } else {
        key = common >= 0 ? COMMON_NAMES[common] : reader.nextName();
        distinct = false;
      }
      JsonValue value = null;
      if (common >= 0 && VALUE_KEYS[common]) {
        int known = reader.selectString(VALUES);
        if (known >= 0) {
          value = COMMON_VALUE_STRINGS[known];
        }
      }
      if (value == null) {
        value = read(reader, level + 1, depth);
      }
      if (size == keys.length) {
        keys = depth.keys[level] = java.util.Arrays.copyOf(keys, size * 2);
        values = depth.values[level] = java.util.Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = value;
      size++;
    }
    reader.endObject();
    if (size == 0) {
      return JsonObject.EMPTY;
    }
    String[] exactKeys = java.util.Arrays.copyOf(keys, size);
    JsonValue[] exactValues = new JsonValue[size]; // a plain loop: copyOf to another array type goes through reflection
    for (int i = 0; i < size; i++) {
      exactValues[i] = (JsonValue) values[i];
    }
    java.util.Arrays.fill(values, 0, size, null); // the scratch must not keep the values it read alive
    return distinct ? JsonObject.fromParsedDistinct(exactKeys, exactValues, size)
        : JsonObject.fromParsed(exactKeys, exactValues, size);
  }

  private static JsonArray readArray(JsonTokens reader, int level, Depth depth) throws IOException {
    reader.beginArray();
    ArrayList<JsonValue> values = new ArrayList<>();
    while (reader.hasNext()) {
      values.add(read(reader, level + 1, depth));
    }
    reader.endArray();
    return JsonArray.ofTrusted(values);
  }

}
