package io.melo.core.event;

import java.util.Optional;

/** Someone is typing or has read up to a message in a channel or conversation. */
public sealed interface RoomActivityEvent extends MeloEvent
    permits TypingChanged, ReceiptReceived {

  /** {@return the channel or conversation room} */
  String roomId();

  /** {@return the server of the channel; empty in a conversation} */
  Optional<String> serverId();
}
