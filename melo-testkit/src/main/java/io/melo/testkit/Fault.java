package io.melo.testkit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An armed fault: what it matches, what it does, and how often it has fired. Armed with
 * {@link Faults#next(Endpoint)}; one that has not fired as often as armed fails
 * {@link FakeHomeserver#verify()}.
 */
public class Fault {
  /** What a fault does to a request it matches. */
  public enum Kind {
    /** Waits (real time), then handles the request normally. */
    DELAY,
    /** Answers an error without handling the request. */
    ERROR,
    /** Answers 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms}, without handling the request. */
    RATE_LIMIT,
    /** Closes the connection without handling the request: nothing happened on the server. */
    DROP_BEFORE,
    /** Handles the request, then closes the connection instead of answering: the lost response. */
    DROP_AFTER,
    /** Blocks the request until {@link Stall#release()}, then handles it normally. */
    STALL
  }

  private final Kind kind;
  private final String matcher;
  private final Predicate<Request> predicate;
  private final int times;
  private final AtomicInteger remaining;
  private final AtomicInteger fired = new AtomicInteger();
  final long delayMillis;
  final int status;
  final String errcode;
  final String message;

  Fault(Kind kind, String matcher, Predicate<Request> predicate, int times, long delayMillis, int status,
      String errcode, String message) {
    this.kind = kind;
    this.matcher = matcher;
    this.predicate = predicate;
    this.times = times;
    this.remaining = new AtomicInteger(times);
    this.delayMillis = delayMillis;
    this.status = status;
    this.errcode = errcode;
    this.message = message;
  }

  /** The request a fault is matched against. */
  record Request(Endpoint endpoint, String method, String path) {}

  /** Takes one firing if this fault matches and has firings left. */
  boolean tryFire(Request request) {
    if (!predicate.test(request)) {
      return false;
    }
    while (true) {
      int r = remaining.get();
      if (r <= 0) {
        return false;
      }
      if (remaining.compareAndSet(r, r - 1)) {
        fired.incrementAndGet();
        return true;
      }
    }
  }

  /** {@return what this fault does} */
  public Kind kind() {
    return kind;
  }

  /** {@return how many matching requests it was armed for} */
  public int times() {
    return times;
  }

  /** {@return how many requests it has hit so far} */
  public int fired() {
    return fired.get();
  }

  /** {@return true once it has hit as many requests as it was armed for} */
  public boolean exhausted() {
    return remaining.get() <= 0;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(kind.name()).append(" on ").append(matcher);
    if (kind == Kind.DELAY) {
      sb.append(" (").append(delayMillis).append(" ms)");
    } else if (kind == Kind.ERROR) {
      sb.append(" (").append(status).append(' ').append(errcode).append(')');
    } else if (kind == Kind.RATE_LIMIT) {
      sb.append(" (retry after ").append(delayMillis).append(" ms)");
    }
    return sb.append(", fired ").append(fired()).append('/').append(times).toString();
  }
}
