package io.melo.core.event;

import java.util.Optional;

/** Something happened to a message in a channel or conversation. */
public sealed interface MessageEvent extends MeloEvent
    permits MessageCreated, MessageEdited, MessageDeleted, ReactionAdded, ReactionRemoved, HistoryGap {

  /** {@return the channel or conversation room} */
  String roomId();

  /** {@return the server of the channel; empty in a conversation} */
  Optional<String> serverId();
}
