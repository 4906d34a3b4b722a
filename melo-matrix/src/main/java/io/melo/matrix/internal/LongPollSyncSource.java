package io.melo.matrix.internal;

import io.melo.matrix.MatrixCallback;
import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.internal.longpoll.LongPollEngine;
import io.melo.matrix.sync.AsyncSyncSource;
import io.melo.matrix.sync.SyncRequest;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncSource;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AsyncSyncSource} of a {@code MatrixClient}: long polls (timeout above zero) are
 * {@link HttpCall}s whose attempts go through the {@link LongPollEngine}, so they get the client's
 * URL, headers, token renewal, error mapping, size cap and parser exactly as the blocking source
 * does, without retries; syncs with timeout zero (initial and catch-up syncs, whose answers can be
 * large and are read as a stream) run the given blocking {@link SyncSource} on the engine's bounded
 * blocking pool. A long poll fetched with an executor ({@link #fetch(SyncRequest, Executor, Callback)},
 * as an event-driven {@code SyncLoop} does) is parsed and answered on that executor: the engine's
 * selector thread hands the bytes straight to it, so the answer crosses two threads (selector, then
 * the loop's worker) instead of three, and is never parsed on the selector thread, where a large body
 * would stall every other connection.
 */
final class LongPollSyncSource implements AsyncSyncSource {

  private static final Logger log = LoggerFactory.getLogger("io.melo.matrix.http");
  private static final Cancellable NOTHING = () -> {};

  private final HttpTransport transport;
  private final LongPollEngine engine;
  private final Function<SyncRequest, ApiRequest<SyncResponse>> requests;
  private final SyncSource blockingSource;
  private final Set<Cancellable> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  LongPollSyncSource(
      HttpTransport transport,
      LongPollEngine engine,
      Function<SyncRequest, ApiRequest<SyncResponse>> requests,
      SyncSource blockingSource) {
    this.transport = transport;
    this.engine = engine;
    this.requests = requests;
    this.blockingSource = blockingSource;
  }

  @Override
  public Cancellable fetch(SyncRequest request, Callback callback) {
    return fetch(request, null, callback);
  }

  @Override
  public Cancellable fetch(SyncRequest request, Executor executor, Callback callback) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(callback, "callback");
    if (cancelled) {
      callback.onFailure(new MatrixNetworkException("the sync source was cancelled", false, null));
      return NOTHING;
    }
    if (transport.isClosed() || engine.isClosed()) {
      callback.onFailure(
          new MatrixNetworkException(
              transport.isClosed() ? "this MatrixClient is closed" : "the LongPollTransport is closed", false, null));
      return NOTHING;
    }
    return request.timeout().isZero() ? runBlocking(request, callback) : poll(request, executor, callback);
  }

  private Cancellable poll(SyncRequest request, Executor executor, Callback callback) {
    HttpCall<SyncResponse> call = transport.longPollCall(requests.apply(request), engine, executor);
    Cancellable handle = call::cancel;
    inFlight.add(handle);
    call.enqueue(
        new MatrixCallback<SyncResponse>() {
          @Override
          public void onSuccess(SyncResponse result) {
            inFlight.remove(handle);
            callback.onResponse(result);
          }

          @Override
          public void onFailure(MatrixException failure) {
            inFlight.remove(handle);
            callback.onFailure(failure);
          }
        });
    if (cancelled) {
      call.cancel();
    }
    return handle;
  }

  /**
   * Runs the blocking source on the engine's blocking pool. Cancelling drops the outcome (the
   * callback is not called); the blocking fetch itself is only aborted by {@link #cancel()}.
   */
  private Cancellable runBlocking(SyncRequest request, Callback callback) {
    AtomicBoolean done = new AtomicBoolean();
    Cancellable handle =
        () -> {
          done.set(true);
        };
    inFlight.add(handle);
    engine.executeBlocking(
        () -> {
          if (done.get()) {
            inFlight.remove(handle);
            return;
          }
          SyncResponse response = null;
          MatrixException failure = null;
          try {
            response = blockingSource.fetch(request);
          } catch (MatrixException e) {
            failure = e;
          } catch (RuntimeException e) {
            failure =
                transport.isClosed()
                    ? new MatrixNetworkException("this MatrixClient is closed", true, e)
                    : new MatrixProtocolException(
                        "the sync source failed unexpectedly: " + e.getClass().getName(), e);
          }
          deliver(done, handle, callback, response, failure);
        },
        () ->
            deliver(
                done,
                handle,
                callback,
                null,
                new MatrixNetworkException("the LongPollTransport was closed", false, null)));
    return handle;
  }

  private void deliver(
      AtomicBoolean done, Cancellable handle, Callback callback, SyncResponse response, MatrixException failure) {
    inFlight.remove(handle);
    Runnable delivery =
        () -> {
          if (!done.compareAndSet(false, true)) {
            return;
          }
          try {
            if (failure == null) {
              callback.onResponse(response);
            } else {
              callback.onFailure(failure);
            }
          } catch (RuntimeException e) {
            log.error("An AsyncSyncSource callback threw", e);
          }
        };
    try {
      transport.config.callbackExecutor().execute(delivery);
    } catch (RejectedExecutionException e) {
      log.error("The callback executor refused the outcome of a sync", e);
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
    for (Cancellable each : inFlight) {
      each.cancel();
    }
    inFlight.clear();
    blockingSource.cancel();
  }

  @Override
  public String toString() {
    return "AsyncSyncSource{" + transport.base() + "}";
  }
}
