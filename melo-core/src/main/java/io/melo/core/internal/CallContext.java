package io.melo.core.internal;

import io.melo.core.MeloNetworkException;
import java.util.ArrayList;
import java.util.List;

/**
 * The running state of one {@link TaskCall}: whether it was cancelled, and the hooks that abort
 * the request in flight when it is. A task checks {@link #checkCancelled()} between steps. Not API.
 */
public final class CallContext {

  private final String action;
  private final List<Runnable> hooks = new ArrayList<>();
  private boolean cancelled;

  CallContext(String action) {
    this.action = action;
  }

  /** What the call does, for messages: {@code "creating server Melo HQ"}. */
  public String action() {
    return action;
  }

  /** True once the call was cancelled. */
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /**
   * Throws if the call was cancelled; tasks call it before each step.
   *
   * @throws MeloNetworkException marked {@code cancelled()}
   */
  public void checkCancelled() {
    if (isCancelled()) {
      throw cancelledException(action);
    }
  }

  /**
   * Runs {@code hook} when the call is cancelled (at once if it already was), until the returned
   * handle is closed. Used to abort the request in flight.
   */
  public AutoCloseable onCancel(Runnable hook) {
    boolean runNow;
    synchronized (this) {
      runNow = cancelled;
      if (!runNow) {
        hooks.add(hook);
      }
    }
    if (runNow) {
      hook.run();
    }
    return () -> {
      synchronized (this) {
        hooks.remove(hook);
      }
    };
  }

  void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = new ArrayList<>(hooks);
      hooks.clear();
    }
    for (Runnable hook : toRun) {
      hook.run();
    }
  }

  /** The exception a cancelled call ends with. */
  public static MeloNetworkException cancelledException(String action) {
    return new MeloNetworkException(action + " was cancelled", true, true, null);
  }
}
