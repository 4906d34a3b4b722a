package io.melo.core.event;

import io.melo.core.MeloClient;
import io.melo.core.Server;
import java.util.Objects;

/**
 * A server's name, image, topic or invite code changed.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param server the server as it is now
 */
public record ServerUpdated(
    MeloClient client,
    long sequence,
    String serverId,
    Server server)
    implements ServerEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param server the server as it is now
   */
  public ServerUpdated {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(server, "server");
  }
}
