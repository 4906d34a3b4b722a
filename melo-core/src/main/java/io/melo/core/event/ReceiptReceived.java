package io.melo.core.event;

import io.melo.core.MeloClient;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user has read a room up to a message.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the channel or conversation room
 * @param serverId the server of the channel; empty in a conversation
 * @param userId the reader
 * @param eventId the last event they read
 * @param readAt when, if the server said
 */
public record ReceiptReceived(
    MeloClient client,
    long sequence,
    String roomId,
    Optional<String> serverId,
    String userId,
    String eventId,
    Optional<Instant> readAt)
    implements RoomActivityEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the channel or conversation room
   * @param serverId the server of the channel; empty in a conversation
   * @param userId the reader
   * @param eventId the last event they read
   * @param readAt when, if the server said
   */
  public ReceiptReceived {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(readAt, "readAt");
  }
}
