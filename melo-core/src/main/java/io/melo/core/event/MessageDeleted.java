package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;
import java.util.Optional;

/**
 * A message was deleted (redacted). It also fires for a message older than the client's live
 * cache (or sent before a restart): the client then reads the deleted event to tell a message
 * from a reaction. Such a {@code messageId} may name a message this client never showed, or an
 * edit event (a redacted edit cannot be told from a redacted message); when the event cannot be
 * read at all, the deletion is still reported with its id.
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

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the channel or conversation room
   * @param serverId the server of the channel; empty in a conversation
   * @param messageId the deleted message's event id
   * @param deletedBy who deleted it
   */
  public MessageDeleted {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(deletedBy, "deletedBy");
  }
}
