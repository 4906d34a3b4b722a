package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.MeloClient;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MeloEvent;
import io.melo.testkit.HomeserverExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records a client's events; tests wait for the one they expect (with a deadline, never a sleep). */
final class Recorder {

  /** How long a wait lasts: 10 s on the fake, 30 s on a real homeserver (its own pace, rate limits). */
  static final int WAIT_SECONDS = HomeserverExtension.target() == null ? 10 : 30;

  private final LinkedBlockingQueue<MeloEvent> queue = new LinkedBlockingQueue<>();
  private final List<MeloEvent> all = new ArrayList<>();
  private final List<MeloEvent> passedOver = new ArrayList<>();

  Recorder(MeloClient client) {
    this(client, () -> { });
  }

  /**
   * A recorder that runs {@code afterSubscribing} once it listens (such as opening a
   * {@link GatedExecutor}, so that not even the client's first events pass it by).
   */
  Recorder(MeloClient client, Runnable afterSubscribing) {
    this(client, afterSubscribing, true);
  }

  /** As above; with {@code awaitConnected} false it does not wait for the first sync (for a client expected to fail). */
  Recorder(MeloClient client, Runnable afterSubscribing, boolean awaitConnected) {
    client.addListener(queue::add);
    afterSubscribing.run();
    if (awaitConnected && client.connectionState() != ConnectionState.CONNECTED) {
      await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.CONNECTED);
    }
  }

  /**
   * Waits up to {@link #WAIT_SECONDS} for the next event of {@code type} matching {@code test}, looking first at
   * events an earlier wait passed over; every event stays in {@link #seen()}.
   */
  <E extends MeloEvent> E await(Class<E> type, Predicate<? super E> test) {
    for (java.util.Iterator<MeloEvent> it = passedOver.iterator(); it.hasNext(); ) {
      MeloEvent event = it.next();
      if (type.isInstance(event) && test.test(type.cast(event))) {
        it.remove();
        return type.cast(event);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (true) {
      long left = deadline - System.nanoTime();
      MeloEvent event;
      try {
        event = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (event == null) {
        throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT_SECONDS + " s; saw " + all);
      }
      all.add(event);
      if (type.isInstance(event) && test.test(type.cast(event))) {
        return type.cast(event);
      }
      passedOver.add(event);
    }
  }

  <E extends MeloEvent> E await(Class<E> type) {
    return await(type, e -> true);
  }

  /** Everything seen so far plus what is queued now. */
  List<MeloEvent> seen() {
    queue.drainTo(all);
    return all;
  }

  /** The events of {@code type} seen so far (drains the queue first). */
  <E extends MeloEvent> List<E> seen(Class<E> type) {
    List<E> out = new ArrayList<>();
    for (MeloEvent e : seen()) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  void assertSequencesIncrease() {
    long last = Long.MIN_VALUE;
    for (MeloEvent e : seen()) {
      assertThat(e.sequence()).as("sequence of " + e).isGreaterThan(last);
      last = e.sequence();
    }
  }
}
