package io.melo.matrix.event;

import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.json.JsonObject;

/**
 * A state event reduced to {@code type}, {@code state_key}, {@code sender} and {@code content}: what an
 * invited or knocking user sees of a room, and what {@code /hierarchy} returns as children state.
 *
 * @param type the event type
 * @param stateKey the state key
 * @param sender the sender's user id; null when the server left it out
 * @param content the content
 * @param raw the whole event as received
 */
public record StrippedStateEvent(String type, String stateKey, String sender, JsonObject content, JsonObject raw) {

  /**
   * Checks the required fields.
   *
   * @param type the event type
   * @param stateKey the state key
   * @param sender the sender's user id; null when the server left it out
   * @param content the content
   * @param raw the whole event as received
   */
  public StrippedStateEvent {
    if (type == null || stateKey == null || content == null || raw == null) {
      throw new IllegalArgumentException("type, stateKey, content and raw must not be null");
    }
  }

  /**
   * Reads a stripped state event sent by the homeserver.
   *
   * @param raw the event object as received; null is an {@link IllegalArgumentException}
   * @return the event
   * @throws MatrixProtocolException if {@code type}, {@code state_key} or {@code content} is missing or
   *     of the wrong kind
   */
  public static StrippedStateEvent from(JsonObject raw) {
    if (raw == null) {
      throw new IllegalArgumentException("raw must not be null");
    }
    String type = raw.getStringOrNull("type");
    String stateKey = raw.getStringOrNull("state_key");
    JsonObject content = raw.getObject("content").orElse(null);
    if (type == null || stateKey == null || content == null) {
      throw new MatrixProtocolException("stripped state event lacks a string \"type\", a string \"state_key\" or an object \"content\"", null);
    }
    return new StrippedStateEvent(type, stateKey, raw.getStringOrNull("sender"), content, raw);
  }

  /** {@return the event as JSON, exactly as received} */
  public JsonObject toJson() {
    return raw;
  }
}
