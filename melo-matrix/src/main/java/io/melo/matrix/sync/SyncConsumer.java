package io.melo.matrix.sync;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Receives the batches of a {@link SyncLoop}, one at a time, in sync order: on the loop's own thread
 * (a threaded loop) or on a worker of its {@link SyncRuntime} (an event-driven loop), never two at
 * once. The loop saves a batch's token only once the batch was handled: after {@link #accept} returned,
 * or, for a consumer that overrides {@link #acceptAsync}, after the stage it returned completed.
 *
 * <p>A consumer that does its work elsewhere (hands the batch's events to listeners on another
 * executor, for instance) overrides {@link #acceptAsync} and returns a stage that completes when that
 * work is done: the loop then holds no thread while it waits, so a slow listener of one loop never holds
 * a runtime worker that other loops need. Only a plain {@link #accept} holds the worker while it runs.
 *
 * <p>If {@code accept} throws (or the stage completes exceptionally), the loop logs it and hands the
 * same batch again (up to the loop's delivery attempts, with backoff), so a consumer should tolerate
 * seeing a batch again. If every attempt fails, the loop gives the batch to
 * {@link #onDeliveryFailed(SyncBatch, Exception)} and moves on: a batch that always fails must not stop
 * the session.
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
   * Starts handling one batch and returns a stage that completes when it is handled; the loop waits
   * for that stage without holding a thread, then saves the batch's token and sends the next request
   * (a loop built with {@link SyncLoop.Builder#prefetch} sends it as soon as this method returned,
   * and keeps its answer until the stage completed and the token was saved).
   * The stage may complete on any thread; it must complete eventually (a stage that never completes
   * stalls the loop, and its {@link SyncLoop#close()} then ends it only when it does). If the loop is
   * closed while the stage is pending, the stage still decides: completed normally, the batch's token
   * is saved; exceptionally, it is not, and the batch comes again after a restart.
   *
   * <p>The default runs {@link #accept} on the calling thread and returns a completed stage.
   *
   * @param batch the batch to handle
   * @return completes normally once the batch is handled, or exceptionally to have it delivered again
   * @throws Exception any failure, as from {@link #accept}: logged, and the batch is delivered again
   */
  default CompletionStage<Void> acceptAsync(SyncBatch batch) throws Exception {
    accept(batch);
    return CompletableFuture.completedFuture(null);
  }

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
