package io.melo.matrix.event;

import com.squareup.moshi.JsonReader;
import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.json.JsonNumber;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonValue;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An event in a room's timeline or state, as the homeserver sent it (a spec "ClientEvent").
 *
 * <p>The common fields are read out; {@link #raw()} keeps the whole event as received. Events inside
 * {@code /sync} carry no {@code room_id}: the parser fills {@link #roomId()} from the room they came
 * in. Read typed content with the content records, for example
 * {@code MessageContent.from(event.content())}.
 *
 * @param eventId the event id, such as {@code $abc:example.org}
 * @param type the event type, such as {@code m.room.message}; unknown types are kept as sent
 * @param sender the user id of the sender
 * @param originServerTs milliseconds since the epoch on the sender's homeserver
 * @param stateKey the state key of a state event; null for a message event
 * @param roomId the room id; null when neither the event nor its context named one
 * @param content the event content (empty for a redacted event)
 * @param unsigned the unsigned data ({@code age}, {@code transaction_id}, {@code redacted_because}, ...)
 * @param raw the whole event as received
 */
public record RoomEvent(
    String eventId,
    String type,
    String sender,
    long originServerTs,
    String stateKey,
    String roomId,
    JsonObject content,
    JsonObject unsigned,
    JsonObject raw) {

  /**
   * Checks that the required fields are present.
   *
   * @param eventId the event id, such as {@code $abc:example.org}
   * @param type the event type, such as {@code m.room.message}; unknown types are kept as sent
   * @param sender the user id of the sender
   * @param originServerTs milliseconds since the epoch on the sender's homeserver
   * @param stateKey the state key of a state event; null for a message event
   * @param roomId the room id; null when neither the event nor its context named one
   * @param content the event content (empty for a redacted event)
   * @param unsigned the unsigned data ({@code age}, {@code transaction_id}, {@code
   *     redacted_because}, ...)
   * @param raw the whole event as received
   */
  public RoomEvent {
    if (eventId == null || type == null || sender == null || content == null || unsigned == null || raw == null) {
      throw new IllegalArgumentException("eventId, type, sender, content, unsigned and raw must not be null");
    }
  }

  /**
   * Reads an event sent by the homeserver.
   *
   * @param raw the event object as received; null is an {@link IllegalArgumentException}
   * @return the event, with {@code raw} kept for unknown fields
   * @throws MatrixProtocolException if a required field ({@code event_id}, {@code type}, {@code sender},
   *     {@code origin_server_ts}, {@code content}) is missing or of the wrong kind
   */
  public static RoomEvent from(JsonObject raw) {
    return from(raw, null);
  }

  /**
   * Reads an event sent by the homeserver, in a room known from its context (such as a {@code /sync}
   * room); the event's own {@code room_id} wins when it has one.
   *
   * @param raw the event object as received; null is an {@link IllegalArgumentException}
   * @param contextRoomId the room the event came from, or null when unknown
   * @return the event, with {@code raw} kept for unknown fields
   * @throws MatrixProtocolException if a required field is missing or of the wrong kind
   */
  public static RoomEvent from(JsonObject raw, String contextRoomId) {
    if (raw == null) {
      throw new IllegalArgumentException("raw must not be null");
    }
    String eventId = require(raw, "event_id");
    String type = require(raw, "type");
    String sender = require(raw, "sender");
    JsonValue ts = raw.getOrNull("origin_server_ts");
    if (!(ts instanceof JsonNumber number) || !number.longValue().isPresent()) {
      throw new MatrixProtocolException("room event " + eventId + " lacks an integer \"origin_server_ts\"", null);
    }
    JsonValue content = raw.getOrNull("content");
    if (!(content instanceof JsonObject contentObject)) {
      throw new MatrixProtocolException("room event " + eventId + " lacks an object \"content\"", null);
    }
    JsonValue stateKey = raw.getOrNull("state_key");
    String stateKeyString = null;
    if (stateKey != null) {
      stateKeyString = stateKey.asString().orElseThrow(() ->
          new MatrixProtocolException("room event " + eventId + " has a \"state_key\" that is not a string", null));
    }
    String roomId = raw.getString("room_id", contextRoomId);
    return new RoomEvent(eventId, type, sender, number.longValue().getAsLong(), stateKeyString, roomId,
        contentObject, raw.getObjectOrEmpty("unsigned"), raw);
  }

  /**
   * Reads the next event from a streaming reader.
   *
   * @param reader positioned at the event's value; left after it
   * @return the event
   * @throws IOException if the reader fails or the JSON is malformed
   * @throws MatrixProtocolException if the value is not an event
   */
  public static RoomEvent read(JsonReader reader) throws IOException {
    JsonValue value = JsonValue.read(reader);
    if (value instanceof JsonObject object) {
      return from(object);
    }
    throw new MatrixProtocolException("expected a room event object but was a " + JsonObject.kind(value), null);
  }

  private static String require(JsonObject raw, String key) {
    String value = raw.getStringOrNull(key);
    if (value == null) {
      String id = raw.getString("event_id", "without event_id");
      throw new MatrixProtocolException("room event " + id + " lacks a string \"" + key + "\"", null);
    }
    return value;
  }

  /** {@return true for a state event (one with a state key, possibly empty)} */
  public boolean isState() {
    return stateKey != null;
  }

  /**
   * {@return true when this event has this type}
   *
   * @param eventType the event type, such as {@code m.room.message}
   */
  public boolean isType(String eventType) {
    return type.equals(eventType);
  }

  /**
   * {@return the transaction id the sending client used; present only for the sender's own device}
   */
  public Optional<String> transactionId() {
    return unsigned.getString("transaction_id");
  }

  /**
   * {@return the event a redaction removes: top-level {@code redacts}, or in the content since room
   * version 11}
   */
  public Optional<String> redacts() {
    Optional<String> top = raw.getString("redacts");
    return top.isPresent() ? top : content.getString("redacts");
  }

  /**
   * {@return true when the homeserver says this event was redacted ({@code
   * unsigned.redacted_because})}
   */
  public boolean isRedacted() {
    return unsigned.containsKey("redacted_because");
  }

  /** {@return the age of the event in milliseconds when the server sent it, if given} */
  public OptionalLong age() {
    return unsigned.getLong("age");
  }

  /** {@return the content's {@code m.relates_to}, if it has a valid one} */
  public Optional<RelatesTo> relatesTo() {
    return content.getObject("m.relates_to").map(RelatesTo::from);
  }

  /**
   * {@return the previous content of a state event ({@code unsigned.prev_content}), if the server
   * sent it}
   */
  public Optional<JsonObject> prevContent() {
    return unsigned.getObject("prev_content");
  }

  /** {@return the event as JSON, exactly as received} */
  public JsonObject toJson() {
    return raw;
  }
}
