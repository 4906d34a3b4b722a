package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;

/**
 * Another user started a direct conversation with this user.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the conversation room
 * @param inviterId who started it
 */
public record InvitedToConversation(
    MeloClient client,
    long sequence,
    String roomId,
    String inviterId)
    implements InviteEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the conversation room
   * @param inviterId who started it
   */
  public InvitedToConversation {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(inviterId, "inviterId");
  }
}
