package io.melo.core.event;

/** A registered listener. Closing it unregisters the listener; closing twice does nothing. */
public interface Subscription extends AutoCloseable {

  /** Unregisters the listener; an event already being delivered to it may still arrive. */
  @Override
  void close();
}
