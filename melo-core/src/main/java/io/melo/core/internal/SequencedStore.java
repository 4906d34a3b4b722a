package io.melo.core.internal;

import io.melo.matrix.sync.SyncStore;
import java.util.Optional;

/**
 * Keeps the event sequence next to the since token in the app's {@link SyncStore}, saved
 * together ({@code "<sequence> <token>"}), so after a restart the sequence goes on from where the
 * token resumes: a batch delivered again after a crash gets the same sequence numbers. A token
 * saved by an older client, without a sequence, is read with sequence 0. Not API.
 */
final class SequencedStore implements SyncStore {

  private final SyncStore inner;
  private volatile long sequence;
  private volatile boolean loaded;

  SequencedStore(SyncStore inner) {
    this.inner = inner;
  }

  @Override
  public synchronized Optional<String> load() {
    Optional<String> stored = inner.load();
    loaded = true;
    if (!stored.isPresent()) {
      return Optional.empty();
    }
    String value = stored.get();
    int space = value.indexOf(' ');
    if (space > 0) {
      try {
        sequence = Long.parseLong(value.substring(0, space));
        return Optional.of(value.substring(space + 1));
      } catch (NumberFormatException notOurs) {
        // fall through: a plain token
      }
    }
    return Optional.of(value);
  }

  @Override
  public synchronized void save(String token) {
    // A closing client interrupts the sync thread, which still saves the batch it delivered: an
    // interrupt must not abort the write (a file channel closes on interrupt).
    boolean interrupted = Thread.interrupted();
    try {
      inner.save(sequence + " " + token);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized void clear() {
    inner.clear();
  }

  /** The sequence of the last event of the last saved batch; load() first. */
  synchronized long sequence() {
    if (!loaded) {
      load();
    }
    return sequence;
  }

  /** Records the sequence reached by the batch about to be saved. */
  synchronized void sequence(long value) {
    sequence = value;
  }
}
