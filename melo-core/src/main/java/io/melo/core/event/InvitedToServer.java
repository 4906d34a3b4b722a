package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;
import java.util.Optional;

/**
 * This user was invited to a server's space. Accept it with {@link MeloClient#joinServer(String)
 * client().joinServer(serverId())}.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param inviterId who sent the invite
 * @param serverName the server's name, when the invite shows it
 */
public record InvitedToServer(
    MeloClient client,
    long sequence,
    String serverId,
    String inviterId,
    Optional<String> serverName)
    implements InviteEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param inviterId who sent the invite
   * @param serverName the server's name, when the invite shows it
   */
  public InvitedToServer {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(inviterId, "inviterId");
    Objects.requireNonNull(serverName, "serverName");
  }
}
