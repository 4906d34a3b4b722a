package io.melo.core;

import io.melo.core.event.EventScope;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MeloListener;
import io.melo.core.event.Subscription;
import java.util.function.Consumer;

/**
 * One logged-in Melo user: the entry point to servers, channels, members, messages and
 * conversations, and the source of live events. Close it to stop its sync loop.
 *
 * <p>Listeners run on the configured event executor, one event at a time, in sync order; a
 * listener that throws is logged and isolated.
 */
public interface MeloClient extends AutoCloseable {

  /** The Matrix user id this client acts for. */
  String userId();

  /** The settings this client was built with. */
  MeloConfig config();

  /** Registers a listener for every event of this client. */
  default Subscription addListener(MeloListener listener) {
    return addListener(EventScope.all(), listener);
  }

  /** Registers a listener for the events within {@code scope} (all, one server or one channel). */
  Subscription addListener(EventScope scope, MeloListener listener);

  /** Registers a listener for the events of one type (a leaf or a family such as {@code MessageEvent}). */
  default <E extends MeloEvent> Subscription on(Class<E> type, Consumer<? super E> listener) {
    return on(type, EventScope.all(), listener);
  }

  /** Registers a listener for the events of one type within {@code scope}. */
  <E extends MeloEvent> Subscription on(
      Class<E> type, EventScope scope, Consumer<? super E> listener);

  /** Stops the sync loop promptly and releases this client's resources; calling it again does nothing. */
  @Override
  void close();
}
