package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;

/**
 * A channel was deleted from a server.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param channelId the deleted channel's room id
 * @param deletedBy who deleted it
 */
public record ChannelDeleted(
    MeloClient client,
    long sequence,
    String serverId,
    String channelId,
    String deletedBy)
    implements ChannelEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param channelId the deleted channel's room id
   * @param deletedBy who deleted it
   */
  public ChannelDeleted {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(deletedBy, "deletedBy");
  }
}
