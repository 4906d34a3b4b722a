package io.melo.matrix.sync;

import io.melo.matrix.MatrixException;
import java.util.concurrent.Executor;

/**
 * Where an event-driven {@link SyncLoop} gets its batches: starts one {@code /sync} request and
 * returns at once, so a waiting long poll holds no thread of its own. Many loops (one per session of
 * a backend acting for many users) can then share a few threads.
 *
 * <p>For each {@link #fetch} exactly one of the callback's methods is called, exactly once, on any
 * thread (possibly before {@code fetch} returns), unless the fetch was cancelled first; after a
 * cancel the callback may still get one {@link Callback#onFailure} and must ignore it.
 */
public interface AsyncSyncSource {

  /**
   * Starts one sync request.
   *
   * @param request the request to send
   * @param callback gets the answer or the failure
   * @return a handle that aborts this request
   */
  Cancellable fetch(SyncRequest request, Callback callback);

  /**
   * Starts one sync request whose outcome the caller would hand to {@code executor} anyway: a
   * source with work to do between the bytes arriving and the callback (reading and parsing the
   * answer) may do that work, and call the callback, on {@code executor}, so the answer crosses one
   * thread fewer. An event-driven {@link SyncLoop} passes its runtime's workers. The callback rules
   * of {@link #fetch(SyncRequest, Callback)} hold; in particular the callback may still run on another
   * thread (when the executor refuses the work, or for answers the source does not read itself). The
   * default ignores {@code executor}.
   *
   * @param request the request to send
   * @param executor where the source may read, parse and deliver the answer
   * @param callback gets the answer or the failure
   * @return a handle that aborts this request
   */
  default Cancellable fetch(SyncRequest request, Executor executor, Callback callback) {
    return fetch(request, callback);
  }

  /**
   * Called once when the loop closes: aborts every request in flight and makes later fetches fail at
   * once. The default does nothing.
   */
  default void cancel() {}

  /**
   * An asynchronous view of a blocking source: each {@link #fetch} runs {@code source.fetch} as one
   * task on {@code executor}, which therefore holds one thread per request in flight (a long poll
   * holds it for up to its timeout). This is how a {@link SyncLoop} over a blocking {@link SyncSource}
   * runs on its own thread; for many loops prefer a truly non-blocking source.
   *
   * <p>Cancelling one fetch interrupts the thread running it; {@link #cancel()} calls
   * {@link SyncSource#cancel()} and cancels every fetch in flight, and later fetches fail at once. A
   * source that answers with null is reported as a {@link io.melo.matrix.MatrixProtocolException};
   * one that throws something other than a {@link MatrixException} is reported as a failure the loop
   * treats as fatal (a bug, not a network condition). An answer that arrives after a cancel is
   * dropped. If the executor refuses the task, the callback gets a
   * {@link io.melo.matrix.MatrixNetworkException}.
   *
   * @param source the blocking source
   * @param executor runs the blocking fetches, one task per fetch
   * @return the asynchronous source
   */
  static AsyncSyncSource fromBlocking(SyncSource source, Executor executor) {
    return new BlockingSyncSourceAdapter(source, executor);
  }

  /** The outcome of one {@link #fetch}. */
  interface Callback {

    /**
     * The server answered the sync request.
     *
     * @param response the parsed answer
     */
    void onResponse(SyncResponse response);

    /**
     * The request failed: the network, the server's error answer or a broken answer.
     *
     * @param failure one of the three kinds of {@link MatrixException}; the loop decides whether to retry
     */
    void onFailure(MatrixException failure);
  }

  /** Aborts one request started by {@link #fetch}. */
  @FunctionalInterface
  interface Cancellable {

    /** Aborts the request if it is still in flight; does nothing otherwise. */
    void cancel();
  }
}
