package io.melo.matrix.sync;

/**
 * One sync answer handed to a {@link SyncConsumer}.
 *
 * @param response the answer
 * @param since the token it was requested with; null for an initial sync
 * @param reset true when the server no longer knew the previous token and this is a fresh initial
 *     sync: events since the last delivered batch may be missing from the timelines, so the consumer
 *     should rebuild its state from this batch (and paginate if it needs the history)
 */
public record SyncBatch(SyncResponse response, String since, boolean reset) {

  /**
   * Checks the response.
   *
   * @param response the answer
   * @param since the token it was requested with; null for an initial sync
   * @param reset true when the server no longer knew the previous token and this is a fresh initial
   *     sync: events since the last delivered batch may be missing from the timelines, so the
   *     consumer should rebuild its state from this batch (and paginate if it needs the history)
   */
  public SyncBatch {
    if (response == null) {
      throw new IllegalArgumentException("response must not be null");
    }
  }

  /** {@return true for the answer to an initial sync (no since token)} */
  public boolean isInitial() {
    return since == null;
  }
}
