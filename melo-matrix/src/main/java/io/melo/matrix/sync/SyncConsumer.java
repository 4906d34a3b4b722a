package io.melo.matrix.sync;

/**
 * Receives the batches of a {@link SyncLoop}, one at a time, in sync order: on the loop's own thread
 * (a threaded loop) or on a worker of its {@link SyncRuntime} (an event-driven loop), never two at
 * once. An event-driven loop's consumer holds that worker while it runs, so it should not block long.
 * The loop saves a batch's token only after {@link #accept(SyncBatch)} returned.
 *
 * <p>If {@code accept} throws, the loop logs it and hands the same batch again (up to the loop's
 * delivery attempts, with backoff), so a consumer should tolerate seeing a batch again. If every
 * attempt fails, the loop gives the batch to {@link #onDeliveryFailed(SyncBatch, Exception)} and moves
 * on: a batch that always fails must not stop the session.
 */
@FunctionalInterface
public interface SyncConsumer {

  /**
   * Handles one batch.
   *
   * @param batch the batch: the answer, and the token the loop saves after it
   * @throws Exception any failure; logged, and the batch is delivered again
   */
  void accept(SyncBatch batch) throws Exception;

  /**
   * Called once when the loop gives up on a batch after its last delivery attempt, just before it
   * saves the batch's token and moves on: the place to keep the batch for later (a dead letter). The
   * default does nothing (the loop has already logged an error).
   *
   * @param batch the batch given up on
   * @param lastFailure what the consumer threw on the last attempt
   */
  default void onDeliveryFailed(SyncBatch batch, Exception lastFailure) {}
}
