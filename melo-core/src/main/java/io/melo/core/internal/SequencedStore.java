package io.melo.core.internal;

import io.melo.core.UserMismatchException;
import io.melo.matrix.sync.SyncStore;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the event sequence next to the since token in the app's {@link SyncStore}, so that no
 * sequence number is handed out twice, across restarts too. Two numbers are kept:
 *
 * <ul>
 *   <li>the <em>batch sequence</em>, the number reached by the last saved batch, saved together
 *       with its token. The events of the next batch are numbered from {@link #BATCH_GAP} past it,
 *       so a batch delivered again after a crash (its token was never saved) gets the same numbers
 *       as the first time;
 *   <li>the <em>highest</em> number handed out to an event that comes from no batch (a connection
 *       state change), saved at once with the last token. The gap leaves room for these: the ones
 *       of the next run take numbers above every number used before and below the batch that
 *       comes again.
 * </ul>
 *
 * <p>Stored as {@code "<batch sequence> <user id> <token>"}, or
 * {@code "<batch sequence>/<highest> <user id> <token>"} once a connection event went past the
 * batch sequence; the token is empty while none was saved. A store whose user id is another user's
 * is refused ({@link UserMismatchException}: it is never read as this user's position, nor
 * overwritten). A store saved without a user id is taken as this user's; one saved by an older
 * client, without a sequence, is read with sequence 0.
 *
 * <p>A store with no numbers yet (new, cleared by the app, or {@linkplain SyncStore#damaged()
 * damaged}) starts numbering at the clock in microseconds, so numbers never go back below the ones
 * a lost store handed out. After a damaged store the first batch reports a {@code HistoryGap} for
 * every room ({@link #lost()}). Not API.
 */
final class SequencedStore implements SyncStore {

  private static final Logger LOG = LoggerFactory.getLogger(SequencedStore.class);

  /**
   * How far past the last saved batch the next batch's events are numbered: room for the
   * connection events in between (a few per poll), in this run and, after a crash, the next one.
   */
  static final long BATCH_GAP = 64;

  private final SyncStore inner;
  /** The batch sequence saved with the token (or loaded). */
  private volatile long sequence;
  /** The sequence reached by the batch whose token is saved next. */
  private volatile long reached;
  private volatile long highest;
  private volatile boolean loaded;
  /** The last token loaded or saved; null when none. */
  private String token;

  private final String userId;
  /** Microseconds of the clock: the first number of a store that has none. */
  private final LongSupplier clockMicros;
  /**
   * True once a load found a damaged store, until the loss is reported ({@link #lossReported()}):
   * a later load may find the store rewritten by a connection event's number meanwhile.
   */
  private volatile boolean lost;

  SequencedStore(SyncStore inner, String userId) {
    this(inner, userId, () -> System.currentTimeMillis() * 1000);
  }

  SequencedStore(SyncStore inner, String userId, LongSupplier clockMicros) {
    this.inner = inner;
    this.userId = userId;
    this.clockMicros = clockMicros;
  }

  /** True when a {@link #load()} found the store damaged and no gap was reported for it yet. */
  boolean lost() {
    return lost;
  }

  /** The loss of a damaged store was reported (a {@code HistoryGap} per room). */
  void lossReported() {
    lost = false;
  }

  /** Numbers start at the clock when the store has none, above any a lost store handed out. */
  private void startNumbers() {
    long base = Math.max(highest, clockMicros.getAsLong());
    sequence = base;
    reached = base;
    highest = base;
  }

  @Override
  public synchronized Optional<String> load() {
    Optional<String> stored = inner.load();
    loaded = true;
    token = null;
    if (!stored.isPresent()) {
      lost |= inner.damaged();
      startNumbers();
      return Optional.empty();
    }
    String value = stored.get();
    int space = value.indexOf(' ');
    if (space > 0) {
      try {
        String numbers = value.substring(0, space);
        int slash = numbers.indexOf('/');
        long batch = Long.parseLong(slash < 0 ? numbers : numbers.substring(0, slash));
        long high = slash < 0 ? batch : Long.parseLong(numbers.substring(slash + 1));
        String rest = value.substring(space + 1);
        int userEnd = rest.indexOf(' ');
        if (rest.startsWith("@") && userEnd > 0) {
          String owner = rest.substring(0, userEnd);
          if (!owner.equals(userId)) {
            loaded = false;
            throw new UserMismatchException("the sync store belongs to " + owner + ", not to " + userId
                + ": give each user a store of their own", userId, owner);
          }
          rest = rest.substring(userEnd + 1);
        }
        sequence = batch;
        reached = batch;
        highest = Math.max(batch, high);
        token = rest.isEmpty() ? null : rest;
        return Optional.ofNullable(token);
      } catch (NumberFormatException notOurs) {
        // fall through: a plain token
      }
    }
    token = value;
    return Optional.of(value);
  }

  @Override
  public synchronized void save(String token) {
    this.token = token;
    sequence = reached;
    write();
  }

  /** Writes both numbers and the token; an interrupt must not abort the write. */
  private void write() {
    // A closing client interrupts the sync thread, which still saves the batch it delivered: an
    // interrupt must not abort the write (a file channel closes on interrupt).
    boolean interrupted = Thread.interrupted();
    try {
      String numbers = highest > sequence ? sequence + "/" + highest : Long.toString(sequence);
      inner.save(numbers + " " + userId + " " + (token == null ? "" : token));
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized void clear() {
    // The numbers stay: only the token is forgotten, so no later run hands a number out again.
    token = null;
    write();
  }

  /** The sequence of the last event of the last saved batch; load() first. */
  synchronized long sequence() {
    ensureLoaded();
    return sequence;
  }

  /** The highest number handed out so far, saved or not; load() first. */
  synchronized long highest() {
    ensureLoaded();
    return highest;
  }

  private void ensureLoaded() {
    if (!loaded) {
      load();
    }
  }

  /** Records the sequence reached by the batch about to be saved (saved with its token). */
  synchronized void sequence(long value) {
    reached = value;
    highest = Math.max(highest, value);
  }

  /**
   * Saves at once that {@code value} was handed to an event that comes from no batch, with the
   * last token, so no later run hands it out again.
   */
  synchronized void handedOut(long value) {
    ensureLoaded();
    if (value > highest) {
      highest = value;
      try {
        write();
      } catch (RuntimeException e) {
        // The event is delivered all the same: a store that cannot be written must not cost the
        // app its connection events. The number is kept in memory; only a crash before the next
        // good save could hand it out again.
        LOG.error("Cannot save the event sequence to the sync store", e);
      }
    }
  }

  /** The last token loaded or saved, if any; load() first. */
  synchronized Optional<String> token() {
    ensureLoaded();
    return Optional.ofNullable(token);
  }
}
