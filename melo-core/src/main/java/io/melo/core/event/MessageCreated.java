package io.melo.core.event;

import io.melo.core.MeloClient;
import io.melo.core.Message;
import java.util.Objects;
import java.util.Optional;

/**
 * A new message arrived live (never for history loaded by pagination). Your own sends arrive once, confirmed.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the channel or conversation room
 * @param serverId the server of the channel; empty in a conversation
 * @param message the message
 */
public record MessageCreated(
    MeloClient client,
    long sequence,
    String roomId,
    Optional<String> serverId,
    Message message)
    implements MessageEvent {

  /** Validates the fields. */
  public MessageCreated {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(message, "message");
  }
}
