package io.melo.core.event;

import io.melo.core.MeloClient;

/**
 * Something that happened, delivered to listeners in sync order. Every event names the client that
 * saw it and its {@link #sequence()}, which increases by event and survives restarts, so an app
 * can tell whether it has handled an event already.
 *
 * <p>The tree is sealed: {@link MeloListenerAdapter} has one method per leaf and the compiler and
 * a test keep it complete.
 */
public sealed interface MeloEvent
    permits MessageEvent,
        MemberEvent,
        ChannelEvent,
        ServerEvent,
        InviteEvent,
        RoomActivityEvent,
        UserEvent,
        ConnectionStateChanged,
        UnknownEvent {

  /** {@return the client that saw the event} */
  MeloClient client();

  /** {@return the event's position in this client's stream: increasing, kept across restarts} */
  long sequence();
}
