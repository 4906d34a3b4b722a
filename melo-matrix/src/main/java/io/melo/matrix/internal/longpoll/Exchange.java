package io.melo.matrix.internal.longpoll;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** One GET sent through a {@link LongPollEngine}: its request and how the answer is delivered. */
public final class Exchange {

  /**
   * Receives the outcome of one exchange, on the exchange's executor when it has one, else on a
   * worker of the engine; never on the selector thread (unless every executor refused the work).
   */
  public interface Listener {

    /** The server answered; the body is in memory (at most the cap, see {@link LongPollEngine}). */
    void onResponse(Response response);

    /** The exchange failed: DNS, connect, TLS, timeout, a broken answer, a cancel or a close. */
    void onFailure(IOException failure);
  }

  final Request request;
  final OkHttpClient http;
  final Route route;
  final ByteBuffer head;
  final long readTimeoutNanos;
  final long maxBodyBytes;
  final Listener listener;
  /** Where the outcome is delivered (and the answer parsed by the listener); null: the engine's workers. */
  final Executor executor;
  final long sentAtMillis = System.currentTimeMillis();
  private final AtomicBoolean delivered = new AtomicBoolean();
  private final LongPollEngine engine;
  volatile boolean cancelled;
  /** The connection carrying it; selector thread only. */
  Connection connection;
  /** Whether it was already moved once from a stale pooled connection to a new one. */
  boolean retriedStale;

  Exchange(
      LongPollEngine engine,
      Request request,
      OkHttpClient http,
      Route route,
      ByteBuffer head,
      long readTimeoutNanos,
      long maxBodyBytes,
      Executor executor,
      Listener listener) {
    this.engine = engine;
    this.request = request;
    this.http = http;
    this.route = route;
    this.head = head;
    this.readTimeoutNanos = readTimeoutNanos;
    this.maxBodyBytes = maxBodyBytes;
    this.listener = listener;
    this.executor = executor;
  }

  /**
   * Aborts the exchange if it is still in flight (its connection is closed); the listener then gets
   * one {@link Listener#onFailure} unless it already got the outcome.
   */
  public void cancel() {
    if (cancelled || delivered.get()) {
      return;
    }
    cancelled = true;
    engine.cancel(this);
  }

  /** Claims the single delivery of the outcome; false if it was delivered already. */
  boolean claim() {
    return delivered.compareAndSet(false, true);
  }

  @Override
  public String toString() {
    return "Exchange{GET " + route + request.url().encodedPath() + "}";
  }
}
