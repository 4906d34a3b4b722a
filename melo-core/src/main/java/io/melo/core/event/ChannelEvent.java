package io.melo.core.event;


/** A server's channels changed. */
public sealed interface ChannelEvent extends MeloEvent
    permits ChannelCreated, ChannelUpdated, ChannelDeleted, ChannelsReordered {

  /** {@return the server (space room id)} */
  String serverId();
}
