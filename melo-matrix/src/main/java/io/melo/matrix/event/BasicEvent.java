package io.melo.matrix.event;

import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.json.JsonObject;
import java.util.Optional;

/**
 * An event that is not part of a room's history: account data, ephemeral events (typing, receipts),
 * presence and to-device messages. Only {@code type} and {@code content} are common to all of them.
 *
 * @param type the event type, such as {@code m.typing} or {@code m.direct}
 * @param content the content
 * @param raw the whole event as received
 */
public record BasicEvent(String type, JsonObject content, JsonObject raw) {

  /**
   * Checks the fields.
   *
   * @param type the event type, such as {@code m.typing} or {@code m.direct}
   * @param content the content
   * @param raw the whole event as received
   */
  public BasicEvent {
    if (type == null || content == null || raw == null) {
      throw new IllegalArgumentException("type, content and raw must not be null");
    }
  }

  /**
   * Reads an event sent by the homeserver.
   *
   * @param raw the event object as received; null is an {@link IllegalArgumentException}
   * @return the event, with {@code raw} kept for unknown fields
   * @throws MatrixProtocolException if {@code type} or {@code content} is missing or of the wrong kind
   */
  public static BasicEvent from(JsonObject raw) {
    if (raw == null) {
      throw new IllegalArgumentException("raw must not be null");
    }
    String type = raw.getStringOrNull("type");
    JsonObject content = raw.getObject("content").orElse(null);
    if (type == null || content == null) {
      throw new MatrixProtocolException("event lacks a string \"type\" or an object \"content\"", null);
    }
    return new BasicEvent(type, content, raw);
  }

  /**
   * {@return a new event of this type and content, for sending (such as account data)}
   *
   * @param type the event type, such as {@code m.direct}
   * @param content the event content
   */
  public static BasicEvent of(String type, JsonObject content) {
    return new BasicEvent(type, content, JsonObject.builder().put("type", type).put("content", content).build());
  }

  /** {@return the sender, for presence and to-device events} */
  public Optional<String> sender() {
    return raw.getString("sender");
  }

  /** {@return the event as JSON, exactly as received} */
  public JsonObject toJson() {
    return raw;
  }
}
