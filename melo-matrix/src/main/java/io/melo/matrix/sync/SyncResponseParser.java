package io.melo.matrix.sync;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.event.BasicEvent;
import io.melo.matrix.event.EventTypes;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.event.StrippedStateEvent;
import io.melo.matrix.json.JsonNestingException;
import io.melo.matrix.json.JsonNumber;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonStreamReader;
import io.melo.matrix.json.JsonStreamReader.Names;
import io.melo.matrix.json.JsonValue;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@code /sync} answer into a {@link SyncResponse} in one streaming pass over the bytes.
 *
 * <p>Only the envelope must be right: the body must be one JSON object with a string
 * {@code next_batch}, else the answer is a {@link MatrixProtocolException}. Below that the parser is
 * forgiving: an event that breaks the spec (no {@code event_id}, content not an object, ...) or a
 * section of the wrong kind does not fail the batch; it is logged (path and reason, never content)
 * and kept in {@link SyncResponse#rejected()}. Unknown fields of rooms and of the answer are kept in
 * their {@code extra}; unknown fields of the event batch objects ({@code {"events": [...]}}, the
 * timeline's included) are ignored.
 *
 * <p>With a {@link JoinedRoomSink} the joined rooms are handed over one by one as they are read
 * rather than collected, so the tree of a large answer never exists as a whole.
 */
public final class SyncResponseParser {

  private static final Logger LOG = LoggerFactory.getLogger(SyncResponseParser.class);

  private static final Names TOP =
      Names.of("next_batch", "rooms", "presence", "account_data", "to_device", "device_lists");
  private static final Names ROOMS = Names.of("join", "invite", "leave", "knock");
  private static final Names JOINED = Names.of("timeline", "state", "state_after",
      "ephemeral", "account_data", "unread_notifications", "unread_thread_notifications", "summary");
  private static final Names LEFT =
      Names.of("timeline", "state", "state_after", "account_data");
  private static final Names TIMELINE = Names.of("events", "limited", "prev_batch");
  private static final Names EVENTS = Names.of("events");
  private static final Names INVITE = Names.of("invite_state");
  private static final Names KNOCK = Names.of("knock_state");
  /** Top-level keys of an event read for a {@link JoinedRoomCompactSink}; others are kept as read. */
  private static final String[] EVENT_KEY_NAMES =
      {"type", "event_id", "sender", "origin_server_ts", "state_key", "content", "unsigned"};
  private static final Names EVENT_KEYS = Names.of(EVENT_KEY_NAMES);
  private static final Names MEMBER_TYPE = Names.of(EventTypes.MEMBER);
  // Names kept as arrays: Options.strings() makes a new list view per call.
  private static final String[] MEMBER_FIELD_NAMES = {"membership", "displayname", "avatar_url"};
  private static final Names MEMBER_FIELDS = Names.of(MEMBER_FIELD_NAMES);
  /** Membership values read as shared instances (a cache keeps one per member). */
  private static final String[] MEMBERSHIP_NAMES = {"join", "leave", "invite", "ban", "knock"};
  private static final Names MEMBERSHIPS = Names.of(MEMBERSHIP_NAMES);
  /** Stands for the compactly read content in {@link #leanValues} until it is known whether the event is compact. */
  private static final Object LEAN_CONTENT = new Object();

  private final List<SyncResponse.Rejected> rejected = new ArrayList<>();
  /** Where joined rooms go as they are read; null to keep them in the response. */
  private final JoinedRoomSink sink;
  /** The sink when it takes plain members compactly; else null. */
  private final JoinedRoomCompactSink compactSink;
  /** The compacted members of the joined room being read (compact sink only). */
  private List<JoinedRoomMember> members = List.of();
  /** False once a member event of the state section being read was not compacted: the rest stay full. */
  private boolean compacting;
  // Scratch of the event being read compactly: its fields in order, values as String, JsonValue or LEAN_CONTENT.
  private String[] leanKeys = new String[8];
  private Object[] leanValues = new Object[8];
  private final String[] contentKeys = new String[3];
  private final String[] contentValues = new String[3];
  /** The first nesting error inside the event being read compactly; null when none. */
  private String leanNesting;

  private SyncResponseParser(JoinedRoomSink sink) {
    this.sink = sink;
    this.compactSink = sink instanceof JoinedRoomCompactSink compact ? compact : null;
  }

  /**
   * Parses a whole {@code /sync} body from the server.
   *
   * @param source the response body; read to its end
   * @return the parsed answer
   * @throws MatrixProtocolException if the body is not JSON, is truncated, is not an object or lacks a
   *     string {@code next_batch}
   * @throws MatrixNetworkException if reading the source failed
   */
  public static SyncResponse parse(BufferedSource source) {
    return parse(source, null);
  }

  /**
   * Parses a whole {@code /sync} body from the server, handing each joined room to {@code sink} as
   * soon as it is read instead of keeping it: the returned response's {@code rooms().join()} is
   * empty, everything else (invites, left rooms, presence, account data, rejected parts, ...) is in
   * it as usual. Only one room's tree is alive at a time, so a large initial sync needs little
   * memory. When the body turns out to be broken after some rooms were handed over, this still
   * throws; the sink has then seen part of an answer that never completed (see {@link JoinedRoomSink}).
   *
   * @param sink takes the joined rooms in document order; null keeps them in the response
   * @param source the response body; read to its end
   * @return the parsed answer, without the joined rooms when {@code sink} is set
   * @throws MatrixProtocolException if the body is not JSON, is truncated, is not an object or lacks a
   *     string {@code next_batch}
   * @throws MatrixNetworkException if reading the source failed
   * @throws RuntimeException what the sink threw, unchanged
   */
  public static SyncResponse parse(BufferedSource source, JoinedRoomSink sink) {
    try (JsonStreamReader reader = JsonStreamReader.of(source)) {
      SyncResponse response = new SyncResponseParser(sink).readResponse(reader);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new MatrixProtocolException("the /sync answer has data after its JSON object", null);
      }
      return response;
    } catch (JsonEncodingException | JsonDataException | EOFException e) {
      throw new MatrixProtocolException("the /sync answer is not valid JSON: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MatrixNetworkException("reading the /sync answer failed: " + e.getMessage(), true, e);
    }
  }

  /**
   * Parses a {@code /sync} answer from a reader positioned at its object; leaves the reader after it.
   *
   * @param reader positioned at the answer's object
   * @return the parsed answer
   * @throws IOException if the reader fails or the JSON is malformed
   * @throws MatrixProtocolException if the value is not an object or lacks a string {@code next_batch}
   */
  public static SyncResponse parse(JsonReader reader) throws IOException {
    return parse(reader, null);
  }

  /**
   * As {@link #parse(JsonReader)}, handing each joined room to {@code sink} as soon as it is read
   * (see {@link #parse(BufferedSource, JoinedRoomSink)}). The object's bytes are read with Melo's own
   * {@link JsonStreamReader}, not tokenized by Moshi.
   *
   * @param sink takes the joined rooms in document order; null keeps them in the response
   * @param reader positioned at the answer's object
   * @return the parsed answer, without the joined rooms when {@code sink} is set
   * @throws IOException if the reader fails or the JSON is malformed
   * @throws MatrixProtocolException if the value is not an object or lacks a string {@code next_batch}
   */
  public static SyncResponse parse(JsonReader reader, JoinedRoomSink sink) throws IOException {
    if (reader.peek() != JsonReader.Token.BEGIN_OBJECT) {
      throw new MatrixProtocolException("the /sync answer must be a JSON object, was " + reader.peek(), null);
    }
    String path = reader.getPath();
    try (BufferedSource object = reader.nextSource()) {
      return new SyncResponseParser(sink).readResponse(JsonStreamReader.of(object, path));
    }
  }

  private SyncResponse readResponse(JsonStreamReader reader) throws IOException {
    if (reader.peek() != JsonReader.Token.BEGIN_OBJECT) {
      throw new MatrixProtocolException("the /sync answer must be a JSON object, was " + reader.peek(), null);
    }
    String nextBatch = null;
    Rooms rooms = Rooms.EMPTY;
    List<BasicEvent> presence = List.of();
    List<BasicEvent> accountData = List.of();
    List<BasicEvent> toDevice = List.of();
    JsonObject deviceLists = JsonObject.EMPTY;
    JsonObject.Builder extra = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(TOP)) {
        case 0:
          if (reader.peek() != JsonReader.Token.STRING) {
            throw new MatrixProtocolException("the /sync answer's next_batch must be a string, was " + reader.peek(), null);
          }
          nextBatch = reader.nextString();
          break;
        case 1:
          rooms = readRooms(reader);
          break;
        case 2:
          presence = readBasicBatch(reader, "presence");
          break;
        case 3:
          accountData = readBasicBatch(reader, "account_data");
          break;
        case 4:
          toDevice = readBasicBatch(reader, "to_device");
          break;
        case 5:
          deviceLists = readObject(reader, "device_lists");
          break;
        default:
          String name = reader.nextName();
          if (extra == null) {
            extra = JsonObject.builder();
          }
          JsonValue value = readValue(reader, name);
          if (value != null) {
            extra.put(name, value);
          }
      }
    }
    reader.endObject();
    if (nextBatch == null || nextBatch.isEmpty()) {
      throw new MatrixProtocolException("the /sync answer lacks a non-empty next_batch", null);
    }
    return new SyncResponse(nextBatch, rooms, presence, accountData, toDevice, deviceLists,
        extra == null ? JsonObject.EMPTY : extra.build(), rejected);
  }

  /** Reads a value; a too-deep one is rejected (the reader moves past it) and null returned. */
  private JsonValue readValue(JsonStreamReader reader, String path) throws IOException {
    return readValue(reader, path, -1);
  }

  /** As {@link #readValue(JsonStreamReader, String)} for element {@code index} of an array (the path is built only on rejection). */
  private JsonValue readValue(JsonStreamReader reader, String path, int index) throws IOException {
    try {
      return reader.readValue();
    } catch (JsonNestingException e) {
      reject(index < 0 ? path : path + "[" + index + "]", e.getMessage(), e.partial());
      return null;
    }
  }

  /**
   * Skips an unknown field of an event batch object. Read as a tree rather than with
   * {@code skipValue()}, which has Moshi's depth limit: a deep value is set aside, not fatal.
   */
  private void skipUnknown(JsonStreamReader reader) throws IOException {
    reader.nextName(); // not skipName(): the path of a rejected value should name the field
    readValue(reader, reader.getPath());
  }

  private void reject(String path, String reason, JsonValue raw) {
    LOG.warn("Set aside a malformed part of a /sync answer at {}: {}", path, reason);
    rejected.add(new SyncResponse.Rejected(path, reason, raw));
  }

  /** True when the next value is an object; otherwise reads it, rejects it and returns false. */
  private boolean expectObject(JsonStreamReader reader, String path) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.BEGIN_OBJECT) {
      return true;
    }
    JsonValue value = readValue(reader, path);
    if (value != null && token != JsonReader.Token.NULL) {
      reject(path, "expected an object, was " + JsonObject.kind(value), value);
    }
    return false;
  }

  private boolean expectArray(JsonStreamReader reader, String path) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.BEGIN_ARRAY) {
      return true;
    }
    JsonValue value = readValue(reader, path);
    if (value != null && token != JsonReader.Token.NULL) {
      reject(path, "expected an array, was " + JsonObject.kind(value), value);
    }
    return false;
  }

  private JsonObject readObject(JsonStreamReader reader, String path) throws IOException {
    if (!expectObject(reader, path)) {
      return JsonObject.EMPTY;
    }
    JsonValue value = readValue(reader, path);
    return value == null ? JsonObject.EMPTY : (JsonObject) value;
  }

  private Rooms readRooms(JsonStreamReader reader) throws IOException {
    if (!expectObject(reader, "rooms")) {
      return Rooms.EMPTY;
    }
    Map<String, JoinedRoom> join = Map.of();
    Map<String, InvitedRoom> invite = Map.of();
    Map<String, LeftRoom> leave = Map.of();
    Map<String, KnockedRoom> knock = Map.of();
    reader.beginObject();
    while (reader.hasNext()) {
      int which = reader.selectName(ROOMS);
      if (which < 0) {
        String name = reader.nextName();
        JsonValue value = readValue(reader, "rooms." + name);
        if (value != null) {
          reject("rooms." + name, "unknown room category", value);
        }
        continue;
      }
      String path = "rooms." + ROOMS.name(which);
      if (!expectObject(reader, path)) {
        continue;
      }
      reader.beginObject();
      Map<String, Object> rooms = new LinkedHashMap<>();
      while (reader.hasNext()) {
        String roomId = reader.nextName();
        String roomPath = path + "." + roomId;
        if (!expectObject(reader, roomPath)) {
          continue;
        }
        switch (which) {
          case 0:
            JoinedRoom joinedRoom = readJoined(reader, roomId, roomPath);
            if (compactSink != null) {
              List<JoinedRoomMember> compacted = members;
              members = List.of();
              compactSink.joinedRoom(joinedRoom, compacted);
            } else if (sink != null) {
              sink.joinedRoom(joinedRoom);
            } else {
              rooms.put(roomId, joinedRoom);
            }
            break;
          case 1:
            Stripped invited = readStripped(reader, INVITE, roomPath);
            rooms.put(roomId, new InvitedRoom(roomId, invited.events, invited.extra));
            break;
          case 2:
            rooms.put(roomId, readLeft(reader, roomId, roomPath));
            break;
          default:
            Stripped knocked = readStripped(reader, KNOCK, roomPath);
            rooms.put(roomId, new KnockedRoom(roomId, knocked.events, knocked.extra));
        }
      }
      reader.endObject();
      switch (which) {
        case 0:
          join = cast(rooms);
          break;
        case 1:
          invite = cast(rooms);
          break;
        case 2:
          leave = cast(rooms);
          break;
        default:
          knock = cast(rooms);
      }
    }
    reader.endObject();
    return new Rooms(join, invite, leave, knock);
  }

  @SuppressWarnings("unchecked")
  private static <T> Map<String, T> cast(Map<String, Object> rooms) {
    return (Map<String, T>) (Map<String, ?>) rooms;
  }

  /** The stripped state events and the other fields of an invited or knocked room. */
  private static final class Stripped {
    final List<StrippedStateEvent> events;
    final JsonObject extra;

    Stripped(List<StrippedStateEvent> events, JsonObject extra) {
      this.events = events;
      this.extra = extra;
    }
  }

  private void keepExtra(JsonStreamReader reader, JsonObject.Builder[] extra) throws IOException {
    String name = reader.nextName();
    if (extra[0] == null) {
      extra[0] = JsonObject.builder();
    }
    JsonValue value = readValue(reader, reader.getPath());
    if (value != null) {
      extra[0].put(name, value);
    }
  }

  /** Reads an invited or knocked room: {@code {invite_state: {events: [...]}}}. */
  private Stripped readStripped(JsonStreamReader reader, Names key, String roomPath) throws IOException {
    List<StrippedStateEvent> events = new ArrayList<>();
    JsonObject.Builder[] extra = {null};
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.selectName(key) == 0) {
        String path = roomPath + "." + key.name(0);
        if (!expectObject(reader, path)) {
          continue;
        }
        reader.beginObject();
        while (reader.hasNext()) {
          if (reader.selectName(EVENTS) == 0) {
            readStrippedEvents(reader, events, path + ".events");
          } else {
            skipUnknown(reader);
          }
        }
        reader.endObject();
      } else {
        keepExtra(reader, extra);
      }
    }
    reader.endObject();
    return new Stripped(events, extra[0] == null ? JsonObject.EMPTY : extra[0].build());
  }

  private JoinedRoom readJoined(JsonStreamReader reader, String roomId, String roomPath) throws IOException {
    RoomSummary summary = RoomSummary.EMPTY;
    List<RoomEvent> state = List.of();
    List<RoomEvent> stateAfter = null;
    Timeline timeline = Timeline.EMPTY;
    List<BasicEvent> ephemeral = List.of();
    List<BasicEvent> accountData = List.of();
    UnreadCounts unread = null;
    Map<String, UnreadCounts> unreadThreads = Map.of();
    JsonObject.Builder[] extra = {null};
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(JOINED)) {
        case 0:
          timeline = readTimeline(reader, roomId, roomPath + ".timeline");
          break;
        case 1:
          if (compactSink != null) {
            members = new ArrayList<>();
            state = readCompactState(reader, roomId, roomPath + ".state");
          } else {
            state = readRoomBatch(reader, roomId, roomPath + ".state");
          }
          break;
        case 2:
          stateAfter = readRoomBatch(reader, roomId, roomPath + ".state_after");
          break;
        case 3:
          ephemeral = readBasicBatch(reader, roomPath + ".ephemeral");
          break;
        case 4:
          accountData = readBasicBatch(reader, roomPath + ".account_data");
          break;
        case 5:
          JsonObject counts = readObject(reader, roomPath + ".unread_notifications");
          unread = counts.isEmpty() ? null : counts(counts);
          break;
        case 6:
          JsonObject threads = readObject(reader, roomPath + ".unread_thread_notifications");
          Map<String, UnreadCounts> byThread = new LinkedHashMap<>();
          threads.forEach((threadId, value) -> value.asObject().ifPresent(o -> byThread.put(threadId, counts(o))));
          unreadThreads = byThread;
          break;
        case 7:
          JsonObject s = readObject(reader, roomPath + ".summary");
          summary = new RoomSummary(s.getArray("m.heroes").map(a -> a.strings()).orElse(null),
              s.getLong("m.joined_member_count").isPresent() ? s.getLong("m.joined_member_count").getAsLong() : null,
              s.getLong("m.invited_member_count").isPresent() ? s.getLong("m.invited_member_count").getAsLong() : null);
          break;
        default:
          keepExtra(reader, extra);
      }
    }
    reader.endObject();
    return new JoinedRoom(roomId, summary, state, stateAfter, timeline, ephemeral, accountData, unread, unreadThreads,
        extra[0] == null ? JsonObject.EMPTY : extra[0].build());
  }

  private static UnreadCounts counts(JsonObject o) {
    return new UnreadCounts(o.getLong("highlight_count", 0), o.getLong("notification_count", 0));
  }

  private LeftRoom readLeft(JsonStreamReader reader, String roomId, String roomPath) throws IOException {
    List<RoomEvent> state = List.of();
    List<RoomEvent> stateAfter = null;
    Timeline timeline = Timeline.EMPTY;
    List<BasicEvent> accountData = List.of();
    JsonObject.Builder[] extra = {null};
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(LEFT)) {
        case 0:
          timeline = readTimeline(reader, roomId, roomPath + ".timeline");
          break;
        case 1:
          state = readRoomBatch(reader, roomId, roomPath + ".state");
          break;
        case 2:
          stateAfter = readRoomBatch(reader, roomId, roomPath + ".state_after");
          break;
        case 3:
          accountData = readBasicBatch(reader, roomPath + ".account_data");
          break;
        default:
          keepExtra(reader, extra);
      }
    }
    reader.endObject();
    return new LeftRoom(roomId, state, stateAfter, timeline, accountData,
        extra[0] == null ? JsonObject.EMPTY : extra[0].build());
  }

  private Timeline readTimeline(JsonStreamReader reader, String roomId, String path) throws IOException {
    if (!expectObject(reader, path)) {
      return Timeline.EMPTY;
    }
    List<RoomEvent> events = new ArrayList<>();
    boolean limited = false;
    String prevBatch = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(TIMELINE)) {
        case 0:
          readRoomEvents(reader, events, roomId, path + ".events");
          break;
        case 1:
          if (reader.peek() == JsonReader.Token.BOOLEAN) {
            limited = reader.nextBoolean();
          } else {
            JsonValue odd = readValue(reader, path + ".limited");
            if (odd != null && !odd.isNull()) {
              reject(path + ".limited", "expected a boolean", odd);
            }
          }
          break;
        case 2:
          if (reader.peek() == JsonReader.Token.STRING) {
            prevBatch = reader.nextString();
          } else {
            JsonValue odd = readValue(reader, path + ".prev_batch");
            if (odd != null && !odd.isNull()) {
              reject(path + ".prev_batch", "expected a string", odd);
            }
          }
          break;
        default:
          skipUnknown(reader);
      }
    }
    reader.endObject();
    return new Timeline(events, limited, prevBatch);
  }

  private List<RoomEvent> readRoomBatch(JsonStreamReader reader, String roomId, String path) throws IOException {
    if (!expectObject(reader, path)) {
      return List.of();
    }
    List<RoomEvent> events = new ArrayList<>();
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.selectName(EVENTS) == 0) {
        readRoomEvents(reader, events, roomId, path + ".events");
      } else {
        skipUnknown(reader);
      }
    }
    reader.endObject();
    return events;
  }

  private void readRoomEvents(JsonStreamReader reader, List<RoomEvent> out, String roomId, String path) throws IOException {
    readEventArray(reader, out, path, object -> RoomEvent.from(object, roomId));
  }

  private void readStrippedEvents(JsonStreamReader reader, List<StrippedStateEvent> out, String path) throws IOException {
    readEventArray(reader, out, path, StrippedStateEvent::from);
  }

  /**
   * Reads an array of events into {@code out}; an entry that is not an object, or that
   * {@code decode} refuses, is rejected with its path and the rest of the array is still read.
   */
  private <T> void readEventArray(
      JsonStreamReader reader, List<T> out, String path, Function<JsonObject, T> decode) throws IOException {
    if (!expectArray(reader, path)) {
      return;
    }
    reader.beginArray();
    for (int i = 0; reader.hasNext(); i++) {
      readEventElement(reader, out, path, i, decode);
    }
    reader.endArray();
  }

  /** Reads element {@code i} of an event array into {@code out}, or rejects it. */
  private <T> void readEventElement(
      JsonStreamReader reader, List<T> out, String path, int i, Function<JsonObject, T> decode) throws IOException {
    JsonValue value = readValue(reader, path, i);
    if (value == null) {
      return;
    }
    if (value instanceof JsonObject object) {
      decodeEvent(object, out, path, i, decode);
    } else {
      reject(path + "[" + i + "]", "expected an event object, was " + JsonObject.kind(value), value);
    }
  }

  private <T> void decodeEvent(JsonObject object, List<T> out, String path, int i, Function<JsonObject, T> decode) {
    try {
      out.add(decode.apply(object));
    } catch (MatrixProtocolException e) {
      reject(path + "[" + i + "]", e.getMessage(), object);
    }
  }

  // ------------------------------------------------------------ compact members

  /**
   * Reads a joined room's {@code state} section for a {@link JoinedRoomCompactSink}: plain member
   * events go to {@link #members}, every other event into the returned list exactly as
   * {@link #readRoomBatch} reads it.
   */
  private List<RoomEvent> readCompactState(JsonStreamReader reader, String roomId, String path) throws IOException {
    if (!expectObject(reader, path)) {
      return List.of();
    }
    compacting = true;
    List<RoomEvent> events = new ArrayList<>();
    Function<JsonObject, RoomEvent> decode = object -> RoomEvent.from(object, roomId);
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.selectName(EVENTS) == 0) {
        String arrayPath = path + ".events";
        if (!expectArray(reader, arrayPath)) {
          continue;
        }
        reader.beginArray();
        for (int i = 0; reader.hasNext(); i++) {
          if (compacting && reader.peek() == JsonReader.Token.BEGIN_OBJECT) {
            readLeanEvent(reader, events, arrayPath, i, decode);
          } else {
            readEventElement(reader, events, arrayPath, i, decode);
          }
        }
        reader.endArray();
      } else {
        skipUnknown(reader);
      }
    }
    reader.endObject();
    return events;
  }

  /**
   * Reads one event object without building its tree while it can still be a plain member event
   * (see {@link JoinedRoomMember}); such an event goes to {@link #members}. Any other event is
   * rebuilt, as read, into an object equal to the one the tree reader gives (same fields in the same
   * order), and then decoded, rejected or set aside for its nesting as {@link #readEventElement} would.
   */
  private void readLeanEvent(JsonStreamReader reader, List<RoomEvent> out, String path, int index,
      Function<JsonObject, RoomEvent> decode) throws IOException {
    int size = 0;
    int seen = 0; // known keys read so far, by index in EVENT_KEYS
    boolean plain = true; // no known key twice, each known field of the kind a plain member has
    boolean member = false;
    boolean leanContent = false; // the content is in contentKeys/contentValues
    String eventId = null;
    String sender = null;
    String stateKey = null;
    long ts = 0;
    boolean tsIntegral = false;
    leanNesting = null;
    reader.beginObject();
    while (reader.hasNext()) {
      int k = reader.selectName(EVENT_KEYS);
      String key;
      if (k >= 0) {
        key = EVENT_KEY_NAMES[k];
        plain &= (seen & (1 << k)) == 0;
        seen |= 1 << k;
      } else {
        key = reader.nextName();
      }
      Object value;
      switch (k) {
        case 0: // type
          if (reader.peek() == JsonReader.Token.STRING && reader.selectString(MEMBER_TYPE) == 0) {
            value = EventTypes.MEMBER;
            member = true;
          } else {
            value = leanStringOrTree(reader);
            member = false;
          }
          break;
        case 1: // event_id
        case 2: // sender
        case 4: // state_key
          value = leanStringOrTree(reader);
          String text = value instanceof String string ? string : null;
          plain &= text != null;
          if (k == 1) {
            eventId = text;
          } else if (k == 2) {
            sender = text;
          } else {
            stateKey = text;
          }
          break;
        case 3: // origin_server_ts
          if (reader.peek() == JsonReader.Token.NUMBER) {
            JsonNumber number = reader.nextNumber();
            value = number;
            tsIntegral = number.isIntegral();
            ts = tsIntegral ? number.longValue().getAsLong() : 0;
          } else {
            value = leanTree(reader, 1);
            tsIntegral = false;
          }
          break;
        case 5: // content
          if (leanContent) { // content sent twice: the first one becomes an object before the scratch is reused
            replaceLeanContent(size);
            leanContent = false;
          }
          if ((seen & 1) != 0 && !member) {
            // The type came first and is not a member: the tree reader's object (shared keys and values, as the cache keeps it).
            value = leanTree(reader, 1);
          } else if (reader.peek() == JsonReader.Token.BEGIN_OBJECT) {
            JsonObject tree = readLeanContent(reader);
            leanContent = tree == null;
            value = leanContent ? LEAN_CONTENT : tree;
          } else {
            value = leanTree(reader, 1);
          }
          break;
        default: // unsigned and anything else: kept as read for a full event; a compact member has no field for it
          value = leanTree(reader, 1);
      }
      if (size == leanKeys.length) {
        leanKeys = java.util.Arrays.copyOf(leanKeys, size * 2);
        leanValues = java.util.Arrays.copyOf(leanValues, size * 2);
      }
      leanKeys[size] = key;
      leanValues[size] = value;
      size++;
    }
    reader.endObject();
    if (plain && member && leanContent && leanMembership != null && eventId != null && sender != null
        && stateKey != null && tsIntegral && leanNesting == null) {
      members.add(new JoinedRoomMember(eventId, sender, ts, stateKey, leanMembership, leanDisplayname, leanAvatarUrl));
      java.util.Arrays.fill(leanValues, 0, size, null);
      return;
    }
    // Not a plain member: the object the tree reader would have built, then its usual fate.
    JsonObject.Builder event = JsonObject.builder();
    for (int i = 0; i < size; i++) {
      Object value = leanValues[i];
      event.put(leanKeys[i], value == LEAN_CONTENT ? leanContentObject()
          : value instanceof String string ? JsonValue.of(string) : (JsonValue) value);
    }
    java.util.Arrays.fill(leanValues, 0, size, null);
    JsonObject object = event.build();
    if (leanNesting != null) {
      reject(path + "[" + index + "]", leanNesting, object);
      return;
    }
    int before = out.size();
    decodeEvent(object, out, path, index, decode);
    if (out.size() > before && out.get(before).isType(EventTypes.MEMBER)) {
      compacting = false; // the members after this full one stay full, so that none is applied before it
    }
  }

  // The plain member content last read by readLeanContent: its fields in the order sent, and by name.
  private int contentSize;
  private String leanMembership;
  private String leanDisplayname;
  private String leanAvatarUrl;

  /**
   * Reads a content object. When it holds only distinct string {@code membership},
   * {@code displayname} and {@code avatar_url} fields, they go to {@link #contentKeys},
   * {@link #contentValues} and the {@code lean*} fields, and this returns null; otherwise it
   * returns the object as the tree reader reads it.
   */
  private JsonObject readLeanContent(JsonStreamReader reader) throws IOException {
    reader.beginObject();
    int size = 0;
    int seen = 0;
    JsonObject.Builder tree = null;
    String membership = null;
    String displayname = null;
    String avatarUrl = null;
    while (reader.hasNext()) {
      int f = reader.selectName(MEMBER_FIELDS);
      if (tree == null && f >= 0 && (seen & (1 << f)) == 0 && reader.peek() == JsonReader.Token.STRING) {
        seen |= 1 << f;
        String value;
        if (f == 0) {
          int known = reader.selectString(MEMBERSHIPS);
          value = membership = known >= 0 ? MEMBERSHIP_NAMES[known] : reader.nextString();
        } else if (f == 1) {
          value = displayname = reader.nextString();
        } else {
          value = avatarUrl = reader.nextString();
        }
        contentKeys[size] = MEMBER_FIELD_NAMES[f];
        contentValues[size] = value;
        size++;
        continue;
      }
      if (tree == null) {
        tree = JsonObject.builder();
        for (int i = 0; i < size; i++) {
          tree.put(contentKeys[i], JsonValue.of(contentValues[i]));
        }
      }
      String name = f >= 0 ? MEMBER_FIELD_NAMES[f] : reader.nextName();
      tree.put(name, leanTree(reader, 2));
    }
    reader.endObject();
    if (tree != null) {
      return tree.build();
    }
    contentSize = size;
    leanMembership = membership;
    leanDisplayname = displayname;
    leanAvatarUrl = avatarUrl;
    return null;
  }

  /** The plain member content last read, as an object. */
  private JsonObject leanContentObject() {
    if (contentSize == 0) {
      return JsonObject.EMPTY;
    }
    JsonObject.Builder content = JsonObject.builder();
    for (int i = 0; i < contentSize; i++) {
      content.put(contentKeys[i], JsonValue.of(contentValues[i]));
    }
    return content.build();
  }

  /** Replaces the marker of the plain content among the first {@code size} fields by the object. */
  private void replaceLeanContent(int size) {
    for (int i = 0; i < size; i++) {
      if (leanValues[i] == LEAN_CONTENT) {
        leanValues[i] = leanContentObject();
      }
    }
  }

  /** A field of an event: a string as a String, anything else as a tree. */
  private Object leanStringOrTree(JsonStreamReader reader) throws IOException {
    return reader.peek() == JsonReader.Token.STRING ? reader.nextString() : leanTree(reader, 1);
  }

  /**
   * A value {@code level} deep in the event being read (a field of the event is at level 1), as
   * the tree reader reads it; a value nested too deep is kept as far as read and the event is set
   * aside, with the first such error, once read to its end.
   */
  private JsonValue leanTree(JsonStreamReader reader, int level) throws IOException {
    try {
      return reader.readValue(level);
    } catch (JsonNestingException e) {
      if (leanNesting == null) {
        leanNesting = e.getMessage();
      }
      return e.partial();
    }
  }

  private List<BasicEvent> readBasicBatch(JsonStreamReader reader, String path) throws IOException {
    if (!expectObject(reader, path)) {
      return List.of();
    }
    List<BasicEvent> events = new ArrayList<>();
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.selectName(EVENTS) == 0) {
        readEventArray(reader, events, path + ".events", BasicEvent::from);
      } else {
        skipUnknown(reader);
      }
    }
    reader.endObject();
    return events;
  }
}
