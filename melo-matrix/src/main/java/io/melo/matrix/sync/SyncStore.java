package io.melo.matrix.sync;

import java.util.Optional;

/**
 * Keeps the since-token of one session so a restarted loop resumes where it stopped. The loop saves a
 * token only after its batch was handed to the consumer, so a crash repeats a batch, never loses one.
 * Implementations must be thread-safe; a failing save throws (the loop logs it and keeps syncing with
 * the token in memory).
 */
public interface SyncStore {

  /**
   * Reads the saved token. A store that cannot be read at all throws: the loop then fails (with
   * this exception) rather than start over and overwrite what it could not read.
   *
   * @return the saved token; empty when none was saved, or when the store is {@link #damaged()}
   *     (the next sync is an initial one)
   */
  Optional<String> load();

  /**
   * Whether the last {@link #load()} found something saved that it could not read as a token (a
   * damaged file): the loop then starts with an initial sync, and what happened since the last
   * save is unknown to the app. False by default.
   *
   * @return true when the last load found a damaged store
   */
  default boolean damaged() {
    return false;
  }

  /**
   * Saves the token; durable when this returns.
   *
   * @param since the {@code next_batch} token to keep
   */
  void save(String since);

  /** Forgets the token (after the server said it no longer knows it). */
  void clear();
}
