package io.melo.core.event;

import io.melo.core.MeloClient;

/**
 * Something that happened, delivered to listeners in sync order. Every event names the client that
 * saw it and its {@link #sequence()}, which increases by event and survives restarts, so an app
 * can tell whether it has handled an event already.
 *
 * <p>The numbers are kept in the app's sync store and never handed out twice by one store, across
 * restarts too; they are not consecutive (each sync batch starts a little above the last saved
 * one). A {@link ConnectionStateChanged} takes a number of its own and saves it at once. If the
 * process dies while listeners run a batch, that batch comes again after the restart with the
 * numbers it had: an app that recorded the highest number it handled skips what it has seen.
 * Only then do the connection events of the new run (never numbered before) carry lower numbers
 * than that batch.
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
