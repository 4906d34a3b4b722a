package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;
import java.util.Optional;

/**
 * A message was deleted (redacted).
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the channel or conversation room
 * @param serverId the server of the channel; empty in a conversation
 * @param messageId the deleted message's event id
 * @param deletedBy who deleted it
 */
public record MessageDeleted(
    MeloClient client,
    long sequence,
    String roomId,
    Optional<String> serverId,
    String messageId,
    String deletedBy)
    implements MessageEvent {

  /** Validates the fields. */
  public MessageDeleted {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(deletedBy, "deletedBy");
  }
}
