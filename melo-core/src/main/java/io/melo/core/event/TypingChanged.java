package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The set of users typing in a room changed.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the channel or conversation room
 * @param serverId the server of the channel; empty in a conversation
 * @param userIds who is typing now; empty when nobody is
 */
public record TypingChanged(
    MeloClient client,
    long sequence,
    String roomId,
    Optional<String> serverId,
    List<String> userIds)
    implements RoomActivityEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the channel or conversation room
   * @param serverId the server of the channel; empty in a conversation
   * @param userIds who is typing now; empty when nobody is
   */
  public TypingChanged {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    userIds = List.copyOf(userIds);
  }
}
