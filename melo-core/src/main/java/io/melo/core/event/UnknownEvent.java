package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;
import java.util.Optional;

/**
 * A Matrix event Melo has no type for (another namespace's custom event, an encrypted event, an
 * unknown type): kept as raw JSON, never dropped, never thrown.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the room it arrived in, if any
 * @param serverId the server of that room, if it belongs to one
 * @param type the Matrix event type
 * @param json the whole event as JSON, as received
 */
public record UnknownEvent(
    MeloClient client,
    long sequence,
    Optional<String> roomId,
    Optional<String> serverId,
    String type,
    String json)
    implements MeloEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the room it arrived in, if any
   * @param serverId the server of that room, if it belongs to one
   * @param type the Matrix event type
   * @param json the whole event as JSON, as received
   */
  public UnknownEvent {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(json, "json");
  }
}
