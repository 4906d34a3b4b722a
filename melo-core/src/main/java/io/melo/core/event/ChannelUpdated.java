package io.melo.core.event;

import io.melo.core.Channel;
import io.melo.core.MeloClient;
import java.util.Objects;

/**
 * A channel's name or topic changed.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param channel the channel as it is now
 */
public record ChannelUpdated(
    MeloClient client,
    long sequence,
    String serverId,
    Channel channel)
    implements ChannelEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param channel the channel as it is now
   */
  public ChannelUpdated {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(channel, "channel");
  }
}
