package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.event.EventScope;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MemberLeft;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageEvent;
import io.melo.core.event.Subscription;
import io.melo.core.testing.Samples;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventBusTest {

  private static MessageCreated message(long sequence, String room, String server) {
    return new MessageCreated(Samples.CLIENT, sequence, room, Optional.ofNullable(server), Samples.message("$" + sequence));
  }

  @Test
  void deliversInOrderToEveryMatchingListener() {
    EventBus bus = new EventBus(Runnable::run);
    List<Long> all = new ArrayList<>();
    List<Long> typed = new ArrayList<>();
    List<Long> family = new ArrayList<>();
    List<Long> server = new ArrayList<>();
    List<Long> channel = new ArrayList<>();
    bus.subscribe(EventScope.all(), e -> all.add(e.sequence()));
    bus.subscribe(MemberLeft.class, EventScope.all(), e -> typed.add(e.sequence()));
    bus.subscribe(MessageEvent.class, EventScope.all(), e -> family.add(e.sequence()));
    bus.subscribe(EventScope.server("!s:hs"), e -> server.add(e.sequence()));
    bus.subscribe(MessageCreated.class, EventScope.channel("!c:hs"), e -> channel.add(e.sequence()));

    bus.publish(message(1, "!c:hs", "!s:hs"));
    bus.publish(new MemberLeft(Samples.CLIENT, 2, "!s:hs", "@bob:hs"));
    bus.publish(message(3, "!d:hs", "!s:hs"));
    bus.publish(message(4, "!c:hs", "!other:hs"));
    bus.publish(message(5, "!dm:hs", null));

    assertThat(all).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(typed).containsExactly(2L);
    assertThat(family).containsExactly(1L, 3L, 4L, 5L);
    assertThat(server).containsExactly(1L, 2L, 3L);
    assertThat(channel).containsExactly(1L, 4L);
  }

  @Test
  void aThrowingListenerIsReportedAndIsolated() {
    List<String> failures = new ArrayList<>();
    EventBus bus =
        new EventBus(Runnable::run, (listener, event, failure) -> failures.add(event.sequence() + ":" + failure.getMessage()));
    List<Long> others = new ArrayList<>();
    bus.subscribe(EventScope.all(), e -> others.add(-e.sequence()));
    bus.subscribe(EventScope.all(), e -> {
      if (e.sequence() == 1) {
        throw new IllegalStateException("boom");
      }
    });
    bus.subscribe(EventScope.all(), e -> others.add(e.sequence()));

    bus.publish(message(1, "!c:hs", null));
    bus.publish(message(2, "!c:hs", null));

    assertThat(failures).containsExactly("1:boom");
    assertThat(others).containsExactly(-1L, 1L, -2L, 2L);
  }

  @Test
  void theDefaultHandlerLogsWithoutThrowing() {
    EventBus bus = new EventBus(Runnable::run);
    List<Long> seen = new ArrayList<>();
    bus.subscribe(EventScope.all(), e -> {
      throw new IllegalStateException("listener bug");
    });
    bus.subscribe(EventScope.all(), e -> seen.add(e.sequence()));
    bus.publish(message(1, "!c:hs", null));
    assertThat(seen).containsExactly(1L);
  }

  @Test
  void aClosedSubscriptionReceivesNothingMore() {
    EventBus bus = new EventBus(Runnable::run);
    List<Long> seen = new ArrayList<>();
    Subscription subscription = bus.subscribe(EventScope.all(), e -> seen.add(e.sequence()));
    bus.publish(message(1, "!c:hs", null));
    subscription.close();
    subscription.close();
    bus.publish(message(2, "!c:hs", null));
    assertThat(seen).containsExactly(1L);
    assertThat(bus.listenerCount()).isZero();
  }

  @Test
  void aListenerThatUnsubscribesAnotherDuringDeliveryStopsItAtOnce() {
    EventBus bus = new EventBus(Runnable::run);
    List<Long> seen = new ArrayList<>();
    Subscription[] second = new Subscription[1];
    bus.subscribe(EventScope.all(), e -> second[0].close());
    second[0] = bus.subscribe(EventScope.all(), e -> seen.add(e.sequence()));
    bus.publish(message(1, "!c:hs", null));
    assertThat(seen).isEmpty();
  }

  @Test
  void orderHoldsOnAPoolAndOneEventRunsAtATime() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      EventBus bus = new EventBus(pool);
      int count = 2000;
      List<Long> seen = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch done = new CountDownLatch(1);
      int[] concurrent = new int[2];
      bus.subscribe(EventScope.all(), e -> {
        synchronized (concurrent) {
          concurrent[0]++;
          concurrent[1] = Math.max(concurrent[1], concurrent[0]);
        }
        seen.add(e.sequence());
        synchronized (concurrent) {
          concurrent[0]--;
        }
        if (e.sequence() == count) {
          done.countDown();
        }
      });
      for (long i = 1; i <= count; i++) {
        bus.publish(message(i, "!c:hs", null));
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      List<Long> expected = new ArrayList<>();
      for (long i = 1; i <= count; i++) {
        expected.add(i);
      }
      assertThat(seen).isEqualTo(expected);
      assertThat(concurrent[1]).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tasksRunInOrderWithEventsAndAThrowingTaskDoesNotStopTheQueue() {
    EventBus bus = new EventBus(Runnable::run);
    List<String> seen = new ArrayList<>();
    bus.subscribe(EventScope.all(), e -> seen.add("event " + e.sequence()));
    bus.publish(message(1, "!c:hs", null));
    bus.run(() -> seen.add("callback"));
    bus.run(() -> {
      throw new IllegalStateException("callback bug");
    });
    bus.publish(message(2, "!c:hs", null));
    assertThat(seen).containsExactly("event 1", "callback", "event 2");
  }

  @Test
  void workTheExecutorRefusesRunsOnThePublishingThreadInOrderAndLaterWorkGoesBackToIt() throws Exception {
    boolean[] refuse = {true};
    List<Runnable> accepted = new ArrayList<>();
    EventBus bus = new EventBus(job -> {
      if (refuse[0]) {
        throw new java.util.concurrent.RejectedExecutionException("shut down");
      }
      accepted.add(job);
    });
    List<String> seen = new ArrayList<>();
    Thread publisher = Thread.currentThread();
    bus.subscribe(EventScope.all(), e -> seen.add(e.sequence() + (Thread.currentThread() == publisher ? " here" : " there")));
    bus.publish(message(1, "!c:hs", null));
    bus.awaitDelivered(); // the refused marker runs too: no waiter hangs
    refuse[0] = false;
    bus.publish(message(2, "!c:hs", null));
    assertThat(seen).containsExactly("1 here");
    Thread executor = new Thread(() -> accepted.forEach(Runnable::run));
    executor.start();
    executor.join(10_000);
    assertThat(seen).containsExactly("1 here", "2 there");
  }

  @Test
  void awaitDeliveredWaitsForTheListenersThroughAnInterruptAndKeepsTheFlag() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      EventBus bus = new EventBus(pool);
      CountDownLatch inListener = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<Long> seen = Collections.synchronizedList(new ArrayList<>());
      bus.subscribe(EventScope.all(), e -> {
        inListener.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
        seen.add(e.sequence());
      });
      bus.publish(message(1, "!c:hs", null));
      bus.publish(message(2, "!c:hs", null));
      java.util.concurrent.CompletableFuture<String> waiter = new java.util.concurrent.CompletableFuture<>();
      Thread thread = new Thread(() -> {
        bus.awaitDelivered();
        waiter.complete("delivered " + seen.size() + ", interrupted " + Thread.currentThread().isInterrupted());
      });
      thread.start();
      assertThat(inListener.await(10, TimeUnit.SECONDS)).isTrue();
      thread.interrupt(); // a closing client interrupts the sync thread that waits here
      release.countDown();
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("delivered 2, interrupted true");
      assertThat(seen).containsExactly(1L, 2L);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFatalErrorInAListenerIsRethrownButTheQueueBehindItStillRuns() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      EventBus bus = new EventBus(pool);
      List<Long> seen = Collections.synchronizedList(new ArrayList<>());
      bus.subscribe(EventScope.all(), e -> {
        if (e.sequence() == 1) {
          throw new StackOverflowError("listener bug");
        }
        seen.add(e.sequence());
      });
      bus.publish(message(1, "!c:hs", null));
      bus.publish(message(2, "!c:hs", null));
      java.util.concurrent.CompletableFuture<Void> waited = java.util.concurrent.CompletableFuture.runAsync(bus::awaitDelivered);
      waited.get(10, TimeUnit.SECONDS);
      assertThat(seen).containsExactly(2L);
      bus.publish(message(3, "!c:hs", null));
      bus.awaitDelivered();
      assertThat(seen).containsExactly(2L, 3L);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void awaitDeliveredFromAListenerReturnsInsteadOfWaitingForItself() {
    EventBus bus = new EventBus(Runnable::run);
    List<String> seen = new ArrayList<>();
    bus.subscribe(EventScope.all(), e -> {
      bus.awaitDelivered();
      seen.add("after wait " + e.sequence());
    });
    bus.publish(message(1, "!c:hs", null));
    assertThat(seen).containsExactly("after wait 1");
  }

  @Test
  void aBusyBusTakesTurnsWithAnotherOnASharedExecutor() throws Exception {
    ExecutorService shared = Executors.newSingleThreadExecutor();
    try {
      EventBus busy = new EventBus(shared);
      EventBus quiet = new EventBus(shared);
      List<String> seen = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch queued = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(2);
      int backlog = 4 * EventBus.TURN;
      busy.subscribe(EventScope.all(), e -> {
        if (e.sequence() == 1) {
          try {
            queued.await(10, TimeUnit.SECONDS); // the whole backlog and the other bus's event wait behind this
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
        }
        seen.add("busy " + e.sequence());
        if (e.sequence() == backlog) {
          done.countDown();
        }
      });
      quiet.subscribe(EventScope.all(), e -> {
        seen.add("quiet " + e.sequence());
        done.countDown();
      });
      for (long i = 1; i <= backlog; i++) {
        busy.publish(message(i, "!busy:hs", null));
      }
      quiet.publish(message(1, "!quiet:hs", null));
      queued.countDown();
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

      List<String> busyOnly = new ArrayList<>(seen);
      busyOnly.remove("quiet 1");
      List<String> expected = new ArrayList<>();
      for (long i = 1; i <= backlog; i++) {
        expected.add("busy " + i);
      }
      assertThat(busyOnly).as("the busy bus keeps its order").isEqualTo(expected);
      // The quiet bus's event ran after one turn of the busy one, not after its whole backlog.
      assertThat(seen.indexOf("quiet 1")).isEqualTo(EventBus.TURN);
    } finally {
      shared.shutdownNow();
    }
  }

  @Test
  void publishAllHandsTheEventsAndTheirMarkerToTheExecutorOnce() {
    java.util.concurrent.atomic.AtomicInteger handOvers = new java.util.concurrent.atomic.AtomicInteger();
    java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();
    EventBus bus = new EventBus(job -> {
      handOvers.incrementAndGet();
      held.add(job);
    });
    List<Long> seen = new ArrayList<>();
    bus.subscribe(EventScope.all(), e -> seen.add(e.sequence()));

    java.util.concurrent.CompletableFuture<Void> delivered =
        bus.publishAll(List.of(message(1, "!c:hs", null), message(2, "!c:hs", null), message(3, "!c:hs", null)));

    assertThat(handOvers).as("one hand-over for three events and the marker").hasValue(1);
    assertThat(delivered).isNotDone();
    held.poll().run();
    assertThat(seen).containsExactly(1L, 2L, 3L);
    assertThat(delivered).isDone();
    assertThat(held).as("the drain ended with the marker: nothing more to hand over").isEmpty();
  }

  @Test
  void publishAllOnAnInlineExecutorDeliversBeforeItReturns() {
    java.util.concurrent.atomic.AtomicInteger handOvers = new java.util.concurrent.atomic.AtomicInteger();
    EventBus bus = new EventBus(job -> {
      handOvers.incrementAndGet();
      job.run();
    });
    List<Long> seen = new ArrayList<>();
    bus.subscribe(EventScope.all(), e -> seen.add(e.sequence()));

    java.util.concurrent.CompletableFuture<Void> delivered =
        bus.publishAll(List.of(message(1, "!c:hs", null), message(2, "!c:hs", null)));

    assertThat(seen).containsExactly(1L, 2L);
    assertThat(delivered).isDone();
    assertThat(handOvers).as("publish one by one, then whenDelivered, would hand over three times").hasValue(1);
  }

  @Test
  void publishAllFromAListenerQueuesBehindItAndDoesNotWaitForItself() {
    EventBus bus = new EventBus(Runnable::run);
    List<Long> seen = new ArrayList<>();
    List<Boolean> doneAtOnce = new ArrayList<>();
    bus.subscribe(EventScope.all(), e -> {
      seen.add(e.sequence());
      if (e.sequence() == 1) {
        doneAtOnce.add(bus.publishAll(List.of(message(2, "!c:hs", null))).isDone());
        seen.add(-1L); // still in the listener of 1: event 2 comes after it
      }
    });

    bus.publish(message(1, "!c:hs", null));

    assertThat(doneAtOnce).containsExactly(true);
    assertThat(seen).containsExactly(1L, -1L, 2L);
  }
}
