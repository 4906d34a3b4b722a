package io.melo.core.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * An event executor that holds work until {@link #open()}, then hands everything to its delegate.
 * A client starts syncing as soon as it is connected: with this executor no event reaches the bus's
 * listeners before the test has registered its own, so none is missed (the sync loop waits).
 */
final class GatedExecutor implements Executor {

  private final Executor delegate;
  private final List<Runnable> held = new ArrayList<>();
  private boolean open;

  GatedExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable job) {
    synchronized (this) {
      if (!open) {
        held.add(job);
        return;
      }
    }
    delegate.execute(job);
  }

  /** Lets the held work and all later work through, in order. */
  void open() {
    List<Runnable> release;
    synchronized (this) {
      open = true;
      release = new ArrayList<>(held);
      held.clear();
    }
    release.forEach(delegate::execute);
  }
}
