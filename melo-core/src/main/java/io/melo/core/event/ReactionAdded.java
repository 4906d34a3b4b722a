package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;
import java.util.Optional;

/**
 * Someone reacted to a message.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the channel or conversation room
 * @param serverId the server of the channel; empty in a conversation
 * @param messageId the message reacted to
 * @param key the reaction, usually an emoji
 * @param senderId who reacted
 * @param transactionId the transaction id of this client's own send, present only on the
 *     confirmation of a send made by this client (its echo, matched by {@code
 *     unsigned.transaction_id})
 */
public record ReactionAdded(
    MeloClient client,
    long sequence,
    String roomId,
    Optional<String> serverId,
    String messageId,
    String key,
    String senderId,
    Optional<String> transactionId)
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
   * @param transactionId the transaction id of this client's own send, present only on the
   *     confirmation of a send made by this client (its echo, matched by {@code
   *     unsigned.transaction_id})
   */
  public ReactionAdded {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(senderId, "senderId");
    Objects.requireNonNull(transactionId, "transactionId");
  }

  /**
   * An event that is not the echo of this client's own send.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the channel or conversation room
   * @param serverId the server of the channel; empty in a conversation
   * @param messageId the message reacted to
   * @param key the reaction, usually an emoji
   * @param senderId who reacted
   */
  public ReactionAdded(MeloClient client, long sequence, String roomId, Optional<String> serverId, String messageId, String key, String senderId) {
    this(client, sequence, roomId, serverId, messageId, key, senderId, Optional.empty());
  }

  /** {@return true when this is the confirmation of a send made by this client} */
  public boolean ownSend() {
    return transactionId.isPresent();
  }
}
