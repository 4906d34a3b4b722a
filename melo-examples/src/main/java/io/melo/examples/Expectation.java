package io.melo.examples;

import io.melo.core.MeloClient;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Live events of one type that a client receives from the moment the expectation is made, to wait
 * for the one an action causes. Make it before the action (so a fast event is not missed), then
 * {@link #await} the matching event with a bounded wait; close it to stop listening.
 *
 * <pre>{@code
 * try (Expectation<MessageCreated> seen = Expectation.of(bob, MessageCreated.class)) {
 *   Message hello = alice.sendText(channelId, "hello").execute();
 *   MessageCreated event = seen.await(e -> e.message().id().equals(hello.id()), Duration.ofSeconds(10))
 *       .orElseThrow();
 * }
 * }</pre>
 *
 * @param <E> the event type waited for
 */
public final class Expectation<E extends MeloEvent> implements AutoCloseable {

  private final Class<E> type;
  private final LinkedBlockingQueue<Arrival<E>> received = new LinkedBlockingQueue<>();
  private final List<Arrival<E>> seen = new ArrayList<>();
  private final Subscription subscription;

  private Expectation(MeloClient observer, Class<E> type) {
    this.type = type;
    this.subscription = observer.on(type, event -> received.add(new Arrival<>(event, System.nanoTime())));
  }

  /**
   * Starts collecting the events of {@code type} that {@code observer} receives.
   *
   * @param <E> the event type
   * @param observer the client whose listeners receive the events
   * @param type the event type, a leaf or a family such as {@code MessageEvent}
   * @return the expectation; close it to stop listening
   */
  public static <E extends MeloEvent> Expectation<E> of(MeloClient observer, Class<E> type) {
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(type, "type");
    return new Expectation<>(observer, type);
  }

  /**
   * The event type this expectation collects.
   *
   * @return the type given to {@link #of}
   */
  public Class<E> type() {
    return type;
  }

  /**
   * Waits until an event matching {@code match} has arrived, or {@code timeout} has passed.
   * Events that arrived earlier count too; events that do not match are kept aside.
   *
   * @param match which event is the one
   * @param timeout the longest wait
   * @return the first matching event, or empty after the timeout
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public Optional<E> await(Predicate<? super E> match, Duration timeout) throws InterruptedException {
    return awaitArrival(match, timeout).map(Arrival::event);
  }

  /**
   * Like {@link #await}, with the moment the event reached the listener.
   *
   * @param match which event is the one
   * @param timeout the longest wait
   * @return the first matching event and when it arrived, or empty after the timeout
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public Optional<Arrival<E>> awaitArrival(Predicate<? super E> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Arrival<E> earlier : seen) {
      if (match.test(earlier.event())) {
        return Optional.of(earlier);
      }
    }
    while (true) {
      long left = deadline - System.nanoTime();
      Arrival<E> next = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : received.poll();
      if (next == null) {
        return Optional.empty();
      }
      if (match.test(next.event())) {
        return Optional.of(next);
      }
      seen.add(next);
    }
  }

  /**
   * An event and when the listener received it.
   *
   * @param <E> the event type
   * @param event the event
   * @param nanoTime {@link System#nanoTime()} when the listener received it
   */
  public record Arrival<E>(E event, long nanoTime) {}

  /**
   * Waits until the client's first sync has filled its cache ({@link ConnectionState#CONNECTED}).
   * What happens before that arrives in the first sync as catch-up, not as live events, so a
   * program that wants to see the next change as an event waits for this first.
   *
   * @param client a started client
   * @param timeout the longest wait
   * @return true once connected, false if the timeout passed first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public static boolean awaitConnected(MeloClient client, Duration timeout) throws InterruptedException {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    try (Subscription subscription = client.on(ConnectionStateChanged.class, event -> {
      if (event.state() == ConnectionState.CONNECTED) {
        connected.complete(null);
      }
    })) {
      if (client.connectionState() == ConnectionState.CONNECTED) {
        return true;
      }
      connected.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return client.connectionState() == ConnectionState.CONNECTED;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot happen: the future only completes normally", e);
    }
  }

  /** Stops listening. */
  @Override
  public void close() {
    subscription.close();
  }
}
