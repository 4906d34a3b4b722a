package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Waits on the queues sync loop tests fill from a consumer and a state listener. */
final class SyncQueues {

  private SyncQueues() {}

  /** The next delivered batch, failing the test if none comes within 5 seconds. */
  static SyncBatch next(BlockingQueue<SyncBatch> delivered) throws InterruptedException {
    SyncBatch batch = delivered.poll(5, TimeUnit.SECONDS);
    assertThat(batch).as("a batch was delivered").isNotNull();
    return batch;
  }

  /** Skips states until {@code expected}, failing the test if it is not reached within 5 seconds of the last. */
  static void awaitState(BlockingQueue<SyncState> states, SyncState expected) throws InterruptedException {
    while (true) {
      SyncState state = states.poll(5, TimeUnit.SECONDS);
      assertThat(state).as("state " + expected + " was reached").isNotNull();
      if (state == expected) {
        return;
      }
    }
  }
}
