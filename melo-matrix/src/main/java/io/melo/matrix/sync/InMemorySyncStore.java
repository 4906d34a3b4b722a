package io.melo.matrix.sync;

import java.util.Optional;

/** A {@link SyncStore} in memory: the default; a restart begins with an initial sync. Thread-safe. */
public final class InMemorySyncStore implements SyncStore {

  private volatile String since;

  /** An empty store. */
  public InMemorySyncStore() {}

  /**
   * A store that starts with a token (null for none).
   *
   * @param since the initial token, or null
   */
  public InMemorySyncStore(String since) {
    this.since = since;
  }

  /** The saved token. */
  @Override
  public Optional<String> load() {
    return Optional.ofNullable(since);
  }

  /** Keeps the token. */
  @Override
  public void save(String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("a since token must not be empty");
    }
    this.since = token;
  }

  /** Forgets the token. */
  @Override
  public void clear() {
    this.since = null;
  }
}
