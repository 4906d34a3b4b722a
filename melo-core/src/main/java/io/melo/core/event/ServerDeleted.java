package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;

/**
 * A server was deleted by its owner.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param deletedBy who deleted it
 */
public record ServerDeleted(
    MeloClient client,
    long sequence,
    String serverId,
    String deletedBy)
    implements ServerEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param deletedBy who deleted it
   */
  public ServerDeleted {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(deletedBy, "deletedBy");
  }
}
