package io.melo.matrix.sync;

import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.MatrixProtocolException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** {@link AsyncSyncSource#fromBlocking}: runs a blocking source's fetches as tasks on an executor. */
final class BlockingSyncSourceAdapter implements AsyncSyncSource {

  /**
   * A blocking source threw something other than a {@link MatrixException}: a bug in the source, which
   * the loop does not retry. {@link #getCause()} is what it threw.
   */
  static final class SourceFailure extends MatrixProtocolException {
    private static final long serialVersionUID = 1L;

    SourceFailure(RuntimeException cause) {
      super("the sync source failed unexpectedly: " + cause, cause);
    }
  }

  private final SyncSource source;
  private final Executor executor;
  private final Set<Fetch> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  BlockingSyncSourceAdapter(SyncSource source, Executor executor) {
    this.source = Objects.requireNonNull(source, "source");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public Cancellable fetch(SyncRequest request, Callback callback) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(callback, "callback");
    if (cancelled) {
      callback.onFailure(new MatrixNetworkException("the sync source was cancelled", false, null));
      return () -> { };
    }
    Fetch fetch = new Fetch(request, callback);
    inFlight.add(fetch);
    if (cancelled) { // cancel() ran between the check and the add: it may have missed this fetch
      fetch.cancel();
    }
    try {
      executor.execute(fetch);
    } catch (RejectedExecutionException e) {
      inFlight.remove(fetch);
      callback.onFailure(new MatrixNetworkException("no thread to run the sync request: " + e.getMessage(), false, e));
    }
    return fetch;
  }

  @Override
  public void cancel() {
    cancelled = true;
    try {
      source.cancel();
    } finally {
      for (Fetch fetch : inFlight) {
        fetch.cancel();
      }
    }
  }

  @Override
  public String toString() {
    return "AsyncSyncSource.fromBlocking(" + source + ")";
  }

  /** One blocking fetch; cancelling it interrupts the thread running it. */
  private final class Fetch implements Runnable, Cancellable {
    private final SyncRequest request;
    private final Callback callback;
    private Thread runner; // guarded by this
    private boolean stopped; // guarded by this
    private boolean interrupted; // guarded by this

    Fetch(SyncRequest request, Callback callback) {
      this.request = request;
      this.callback = callback;
    }

    @Override
    public void run() {
      synchronized (this) {
        if (stopped) {
          inFlight.remove(this);
          return;
        }
        runner = Thread.currentThread();
      }
      SyncResponse response = null;
      MatrixException failure = null;
      try {
        response = source.fetch(request);
        if (response == null) {
          failure = new MatrixProtocolException("the sync source returned no answer", null);
        }
      } catch (MatrixException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new SourceFailure(e);
      } finally {
        boolean wasStopped;
        synchronized (this) {
          runner = null;
          wasStopped = stopped;
          if (interrupted) {
            Thread.interrupted(); // the interrupt was aimed at this fetch, not at the next task of the thread
          }
        }
        inFlight.remove(this);
        if (wasStopped) {
          response = null; // a late answer after a cancel is dropped
        }
      }
      if (failure != null) {
        callback.onFailure(failure);
      } else if (response != null) {
        callback.onResponse(response);
      }
    }

    @Override
    public void cancel() {
      synchronized (this) {
        if (stopped) {
          return;
        }
        stopped = true;
        if (runner != null) {
          interrupted = true;
          runner.interrupt();
        }
      }
    }
  }
}
