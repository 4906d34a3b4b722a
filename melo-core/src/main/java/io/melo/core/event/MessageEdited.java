package io.melo.core.event;

import io.melo.core.MeloClient;
import io.melo.core.Message;
import java.util.Objects;
import java.util.Optional;

/**
 * The author edited a message; edits by anyone else are ignored. For a message older than the
 * client's live cache (or sent before a restart) the client reads the original first, to check
 * the edit's sender and to give the whole message.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the channel or conversation room
 * @param serverId the server of the channel; empty in a conversation
 * @param message the message with the edit applied
 * @param editEventId the edit's own event id
 * @param transactionId the transaction id of this client's own send, present only on the
 *     confirmation of a send made by this client (its echo, matched by {@code
 *     unsigned.transaction_id})
 */
public record MessageEdited(
    MeloClient client,
    long sequence,
    String roomId,
    Optional<String> serverId,
    Message message,
    String editEventId,
    Optional<String> transactionId)
    implements MessageEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the channel or conversation room
   * @param serverId the server of the channel; empty in a conversation
   * @param message the message with the edit applied
   * @param editEventId the edit's own event id
   * @param transactionId the transaction id of this client's own send, present only on the
   *     confirmation of a send made by this client (its echo, matched by {@code
   *     unsigned.transaction_id})
   */
  public MessageEdited {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(editEventId, "editEventId");
    Objects.requireNonNull(transactionId, "transactionId");
  }

  /**
   * An event that is not the echo of this client's own send.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the channel or conversation room
   * @param serverId the server of the channel; empty in a conversation
   * @param message the message with the edit applied
   * @param editEventId the edit's own event id
   */
  public MessageEdited(MeloClient client, long sequence, String roomId, Optional<String> serverId, Message message, String editEventId) {
    this(client, sequence, roomId, serverId, message, editEventId, Optional.empty());
  }

  /** {@return true when this is the confirmation of a send made by this client} */
  public boolean ownSend() {
    return transactionId.isPresent();
  }
}
