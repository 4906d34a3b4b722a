package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.List;
import java.util.Objects;

/**
 * The order of a server's channels changed.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param channelIds the channel ids in their new order
 */
public record ChannelsReordered(
    MeloClient client,
    long sequence,
    String serverId,
    List<String> channelIds)
    implements ChannelEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param channelIds the channel ids in their new order
   */
  public ChannelsReordered {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    channelIds = List.copyOf(channelIds);
  }
}
