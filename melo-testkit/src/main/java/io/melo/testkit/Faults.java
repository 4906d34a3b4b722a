package io.melo.testkit;

import io.melo.testkit.http.Exchange;
import io.melo.testkit.http.MatrixDispatcher;
import io.melo.testkit.model.MatrixError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;

/**
 * Deterministic fault injection: arm a fault for the next matching request(s), and the server applies
 * it exactly there. Faults are tried in the order they were armed; the first that matches and has
 * firings left fires. A fault that never fired as often as armed fails {@link FakeHomeserver#verify()}
 * (and so the test, at {@link FakeHomeserver#close()}).
 *
 * <pre>{@code
 * hs.faults().next(Endpoint.SEND_EVENT).applyThenDropResponse();   // stored, answer lost
 * hs.faults().next(Endpoint.SYNC).rateLimit(Duration.ofMillis(200)); // 429 M_LIMIT_EXCEEDED
 * Stall stall = hs.faults().next(Endpoint.JOIN).stall();             // held until stall.release()
 * }</pre>
 *
 * <p>A dropped connection is an I/O error to the client. Note that OkHttp, with its default
 * {@code retryOnConnectionFailure(true)}, may silently send a failed request again on a fresh
 * connection; the retry is a new matching request (use {@link Spec#times(int)} to drop it too).
 *
 * <p>Thread-safe.
 */
public final class Faults {
  private final List<Fault> armed = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch closed = new CountDownLatch(1);

  Faults() {}

  /**
   * Starts arming a fault for the next request to an endpoint.
   *
   * @param endpoint the endpoint whose requests match; not null
   * @return the fault being armed: pick its effect (and optionally {@link Spec#times(int)}) to arm
   *     it
   */
  public Spec next(Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    return new Spec(endpoint.toString(), r -> r.endpoint() == endpoint);
  }

  /**
   * Starts arming a fault for the next request with this method whose decoded path (segments
   * percent-decoded, no query, for example {@code /_matrix/client/v3/rooms/!a:hs/leave}) matches.
   *
   * @param method the HTTP method, upper case, for example {@code POST}; not null
   * @param path tested against the decoded path; not null
   * @return the fault being armed: pick its effect to arm it
   */
  public Spec next(String method, Predicate<String> path) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    return new Spec(method + " <path predicate>", r -> r.method().equals(method) && path.test(r.path()));
  }

  /**
   * Starts arming a fault for the next request to an endpoint whose decoded path also matches.
   *
   * @param endpoint the endpoint whose requests match; not null
   * @param path also tested against the decoded path; not null
   * @return the fault being armed: pick its effect to arm it
   */
  public Spec next(Endpoint endpoint, Predicate<String> path) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(path, "path");
    return new Spec(endpoint + " <path predicate>", r -> r.endpoint() == endpoint && path.test(r.path()));
  }

  /** {@return the armed faults, fired or not, in arming order} */
  public List<Fault> armed() {
    return new ArrayList<>(armed);
  }

  /** {@return the faults that have not fired as often as armed} */
  public List<Fault> pending() {
    List<Fault> pending = new ArrayList<>();
    for (Fault f : armed) {
      if (!f.exhausted()) {
        pending.add(f);
      }
    }
    return pending;
  }

  /** Disarms every fault and releases every stalled request. */
  public void clear() {
    for (Fault f : armed) {
      if (f instanceof Stall) {
        ((Stall) f).release();
      }
    }
    armed.clear();
  }

  /** How the next fault is matched and how many times it fires; ends with what it does. */
  public final class Spec {
    private final String matcher;
    private final Predicate<Fault.Request> predicate;
    private int times = 1;

    Spec(String matcher, Predicate<Fault.Request> predicate) {
      this.matcher = matcher;
      this.predicate = predicate;
    }

    /**
     * Fires on the next {@code n} matching requests instead of just the next one.
     *
     * @param n how many matching requests the fault hits, at least 1 (else {@link
     *     IllegalArgumentException})
     * @return this spec
     */
    public Spec times(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("times must be at least 1, was: " + n);
      }
      this.times = n;
      return this;
    }

    /**
     * Holds the request for a real (wall-clock) delay, then handles it normally. Real time, not the
     * server's clock: the fault exists to exercise client timeouts, which run on real time. Closing the
     * server cuts the delay short.
     *
     * @param delay how long to hold each request; must be positive
     * @return the armed fault
     */
    public Fault delay(Duration delay) {
      requirePositive(delay, "delay");
      return arm(new Fault(Fault.Kind.DELAY, matcher, predicate, times, delay.toMillis(), 0, null, null));
    }

    /**
     * Answers an error with this status and errcode (and {@code error} message), without handling
     * it.
     *
     * @param status the HTTP status, 400 to 599 (else {@link IllegalArgumentException})
     * @param errcode the Matrix {@code errcode}, for example {@code M_FORBIDDEN}; not null
     * @param message the {@code error} text; not null
     * @return the armed fault
     */
    public Fault error(int status, String errcode, String message) {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status must be 4xx or 5xx, was: " + status);
      }
      Objects.requireNonNull(errcode, "errcode");
      Objects.requireNonNull(message, "message");
      return arm(new Fault(Fault.Kind.ERROR, matcher, predicate, times, 0, status, errcode, message));
    }

    /**
     * Answers 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms}, without handling the
     * request.
     *
     * @param retryAfter the {@code retry_after_ms} to announce; must be positive
     * @return the armed fault
     */
    public Fault rateLimit(Duration retryAfter) {
      requirePositive(retryAfter, "retryAfter");
      return arm(new Fault(Fault.Kind.RATE_LIMIT, matcher, predicate, times, retryAfter.toMillis(), 429,
          "M_LIMIT_EXCEEDED", "Too many requests"));
    }

    /**
     * Closes the connection without handling the request: the client sees an I/O error, nothing
     * changed.
     *
     * @return the armed fault
     */
    public Fault dropConnection() {
      return arm(new Fault(Fault.Kind.DROP_BEFORE, matcher, predicate, times, 0, 0, null, null));
    }

    /**
     * Handles the request, then closes the connection instead of answering: the change happened (the
     * event exists) but the client saw no reply, so it cannot tell whether it worked.
     *
     * @return the armed fault
     */
    public Fault applyThenDropResponse() {
      return arm(new Fault(Fault.Kind.DROP_AFTER, matcher, predicate, times, 0, 0, null, null));
    }

    /**
     * Holds matching requests until {@link Stall#release()} (or the server closes), then handles
     * them.
     *
     * @return the armed stall, whose {@link Stall#release()} lets the held requests go
     */
    public Stall stall() {
      Stall stall = new Stall(matcher, predicate, times);
      arm(stall);
      return stall;
    }

    private <F extends Fault> F arm(F fault) {
      armed.add(fault);
      return fault;
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was: " + d);
    }
  }

  /** Wakes delayed and stalled requests for good (the server is closing). */
  void shutdown() {
    closed.countDown();
    for (Fault f : armed) {
      if (f instanceof Stall) {
        ((Stall) f).release();
      }
    }
  }

  /** The interceptor that applies the armed faults to requests. */
  MatrixDispatcher.Interceptor interceptor() {
    return this::intercept;
  }

  private MockResponse intercept(Exchange ex) throws InterruptedException {
    if (armed.isEmpty()) {
      return ex.proceed();
    }
    Fault.Request request = new Fault.Request(ex.endpoint(), ex.method(), ex.decodedPath());
    Fault hit = null;
    for (Fault f : armed) {
      if (f.tryFire(request)) {
        hit = f;
        break;
      }
    }
    if (hit == null) {
      return ex.proceed();
    }
    ex.attach(hit.kind().name());
    switch (hit.kind()) {
      case DELAY:
        closed.await(hit.delayMillis, TimeUnit.MILLISECONDS);
        return ex.proceed();
      case ERROR:
        return MatrixDispatcher.error(new MatrixError(hit.status, hit.errcode, hit.message));
      case RATE_LIMIT:
        return MatrixDispatcher.error(new MatrixError(429, "M_LIMIT_EXCEEDED", hit.message,
            Map.of("retry_after_ms", hit.delayMillis)));
      case DROP_BEFORE:
        return dropped(MatrixDispatcher.response(io.melo.testkit.http.Reply.empty()));
      case DROP_AFTER:
        return dropped(ex.proceed());
      case STALL:
        ((Stall) hit).hold();
        return ex.proceed();
      default:
        throw new IllegalStateException("unknown fault kind " + hit.kind());
    }
  }

  private static MockResponse dropped(MockResponse response) {
    return response.newBuilder().onResponseStart(new SocketEffect.CloseSocket(true, false, false)).build();
  }
}
