package io.melo.core.event;

/**
 * Receives every event of a client, or of one server or channel. Runs on the client's event
 * executor, one event at a time, in sync order. If it throws, the error is logged and the loop
 * goes on: other listeners and later events are not affected. It should return quickly and must
 * not block on a {@code MeloCall}'s {@code execute()} of the same client for long.
 */
@FunctionalInterface
public interface MeloListener {

  /**
   * Handles one event.
   *
   * @param event the event; its type is one of the sealed {@link MeloEvent} tree
   */
  void onEvent(MeloEvent event);
}
