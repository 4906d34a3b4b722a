package io.melo.core.event;

import java.util.Optional;

/** Something happened to a message in a channel or conversation. */
public sealed interface MessageEvent extends MeloEvent
    permits MessageCreated, MessageEdited, MessageDeleted, ReactionAdded, ReactionRemoved, HistoryGap {

  /** The channel or conversation room. */
  String roomId();

  /** The server of the channel; empty in a conversation. */
  Optional<String> serverId();
}
