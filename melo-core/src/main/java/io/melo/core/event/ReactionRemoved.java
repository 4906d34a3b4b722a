package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;
import java.util.Optional;

/**
 * Someone took back a reaction.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the channel or conversation room
 * @param serverId the server of the channel; empty in a conversation
 * @param messageId the message reacted to
 * @param key the reaction, usually an emoji
 * @param senderId who reacted
 */
public record ReactionRemoved(
    MeloClient client,
    long sequence,
    String roomId,
    Optional<String> serverId,
    String messageId,
    String key,
    String senderId)
    implements MessageEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the channel or conversation room
   * @param serverId the server of the channel; empty in a conversation
   * @param messageId the message reacted to
   * @param key the reaction, usually an emoji
   * @param senderId who reacted
   */
  public ReactionRemoved {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(senderId, "senderId");
  }
}
