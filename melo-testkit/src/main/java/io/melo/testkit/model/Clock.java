package io.melo.testkit.model;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The homeserver's time in milliseconds since the epoch: {@code origin_server_ts}, token expiry,
 * typing expiry and long-poll timeouts all read it.
 *
 * <p>A {@link #system() system} clock follows the wall clock. A {@link #manual(long) manual} clock
 * stands still until {@link #advance(Duration)} moves it; then every listener (the homeserver)
 * is told at once, so long polls whose timeout has passed end and typing notifications expire
 * without any real sleep. In manual mode a long poll's timeout is measured on this clock only: a
 * poll with {@code timeout=30000} returns when something happens or when the clock has been advanced
 * by 30 s, however much real time passes. Thread-safe.
 */
public final class Clock {
  private final boolean manual;
  private final AtomicLong now;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private Clock(boolean manual, long start) {
    this.manual = manual;
    this.now = new AtomicLong(start);
  }

  /** {@return a clock that follows {@link System#currentTimeMillis()}} */
  public static Clock system() {
    return new Clock(false, 0);
  }

  /**
   * {@return a clock that starts at {@code startMillis} and moves only by {@link
   * #advance(Duration)}}
   *
   * @param startMillis the starting time in milliseconds since the epoch
   */
  public static Clock manual(long startMillis) {
    return new Clock(true, startMillis);
  }

  /** {@return whether this clock moves only when told} */
  public boolean isManual() {
    return manual;
  }

  /** {@return the current time in milliseconds since the epoch} */
  public long nowMillis() {
    return manual ? now.get() : System.currentTimeMillis();
  }

  /**
   * Moves a manual clock forward and tells the listeners (waking long polls and expiring typing).
   *
   * @param duration how far to move; zero is allowed and still runs the listeners
   * @throws IllegalStateException on a system clock
   * @throws IllegalArgumentException if the duration is negative
   */
  public void advance(Duration duration) {
    if (!manual) {
      throw new IllegalStateException("only a manual clock can be advanced");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("cannot advance by a negative duration: " + duration);
    }
    now.addAndGet(duration.toMillis());
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  /**
   * Registers a listener run after every {@link #advance(Duration)} (on the advancing thread).
   *
   * @param listener run on the advancing thread after each advance, in registration order
   */
  public void onAdvance(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Removes a listener added by {@link #onAdvance(Runnable)}.
   *
   * @param listener the listener to remove; unknown listeners are ignored
   */
  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  @Override
  public String toString() {
    return manual ? "Clock{manual, now=" + now.get() + "}" : "Clock{system}";
  }
}
