package io.melo.matrix.sync;

import io.melo.matrix.MatrixCall;
import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixNetworkException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Where a {@link SyncLoop} gets its batches: one blocking {@code /sync} request per call.
 * {@code MatrixClient} provides one; tests use a fake.
 */
@FunctionalInterface
public interface SyncSource {

  /**
   * Sends one sync request and waits for the answer (up to the request's timeout plus network time).
   *
   * @param request the request; its timeout is the long poll's
   * @return the parsed answer
   * @throws MatrixException one of its three kinds; the loop decides whether to retry
   */
  SyncResponse fetch(SyncRequest request);

  /**
   * Called once, from another thread, when the loop closes: aborts the fetch in flight (it then
   * throws) and makes later fetches fail at once. The default does nothing; the loop also interrupts
   * its thread.
   */
  default void cancel() {}

  /**
   * {@return a source that runs one {@link MatrixCall} per request; {@link #cancel()} cancels the
   * call in flight} For a {@code MatrixClient} prefer {@code client.syncSource()}: its polls leave
   * retries to the {@link SyncLoop}, while {@code client::sync} calls retry on their own underneath
   * the loop.
   *
   * @param calls makes the call for a request, such as {@code client::sync}; not null
   */
  static SyncSource fromCalls(Function<SyncRequest, ? extends MatrixCall<SyncResponse>> calls) {
    Objects.requireNonNull(calls, "calls");
    return new SyncSource() {
      private final AtomicReference<MatrixCall<SyncResponse>> inFlight = new AtomicReference<>();
      private volatile boolean cancelled;

      @Override
      public SyncResponse fetch(SyncRequest request) {
        if (cancelled) {
          throw new MatrixNetworkException("the sync source was cancelled", false, null);
        }
        MatrixCall<SyncResponse> call = calls.apply(request);
        inFlight.set(call);
        try {
          if (cancelled) {
            call.cancel();
          }
          return call.execute();
        } finally {
          inFlight.compareAndSet(call, null);
        }
      }

      @Override
      public void cancel() {
        cancelled = true;
        MatrixCall<SyncResponse> call = inFlight.get();
        if (call != null) {
          call.cancel();
        }
      }
    };
  }
}
