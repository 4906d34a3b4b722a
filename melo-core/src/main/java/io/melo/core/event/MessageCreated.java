package io.melo.core.event;

import io.melo.core.MeloClient;
import io.melo.core.Message;
import java.util.Objects;
import java.util.Optional;

/**
 * A new message arrived live (never for history loaded by pagination). Your own sends arrive once,
 * confirmed.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the channel or conversation room
 * @param serverId the server of the channel; empty in a conversation
 * @param message the message
 * @param transactionId the transaction id of this client's own send, present only on the
 *     confirmation of a send made by this client (its echo, matched by {@code
 *     unsigned.transaction_id})
 */
public record MessageCreated(
    MeloClient client,
    long sequence,
    String roomId,
    Optional<String> serverId,
    Message message,
    Optional<String> transactionId)
    implements MessageEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the channel or conversation room
   * @param serverId the server of the channel; empty in a conversation
   * @param message the message
   * @param transactionId the transaction id of this client's own send, present only on the
   *     confirmation of a send made by this client (its echo, matched by {@code
   *     unsigned.transaction_id})
   */
  public MessageCreated {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(transactionId, "transactionId");
  }

  /**
   * An event that is not the echo of this client's own send.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the channel or conversation room
   * @param serverId the server of the channel; empty in a conversation
   * @param message the message
   */
  public MessageCreated(MeloClient client, long sequence, String roomId, Optional<String> serverId, Message message) {
    this(client, sequence, roomId, serverId, message, Optional.empty());
  }

  /** {@return true when this is the confirmation of a send made by this client} */
  public boolean ownSend() {
    return transactionId.isPresent();
  }
}
