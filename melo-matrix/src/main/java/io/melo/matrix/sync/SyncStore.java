package io.melo.matrix.sync;

import java.util.Optional;

/**
 * Keeps the since-token of one session so a restarted loop resumes where it stopped. The loop saves a
 * token only after its batch was handed to the consumer, so a crash repeats a batch, never loses one.
 * Implementations must be thread-safe; a failing save throws (the loop logs it and keeps syncing with
 * the token in memory).
 */
public interface SyncStore {

  /** {@return the saved token; empty when none was saved (the next sync is an initial one)} */
  Optional<String> load();

  /**
   * Saves the token; durable when this returns.
   *
   * @param since the {@code next_batch} token to keep
   */
  void save(String since);

  /** Forgets the token (after the server said it no longer knows it). */
  void clear();
}
