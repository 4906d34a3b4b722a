package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link SyncLoopTest} again, with the loop event-driven: the same scripted source seen
 * through {@link AsyncSyncSource#fromBlocking} (its blocking fetches on a pool of the test's), the
 * deliveries on a {@link SyncRuntime} of two workers. The two tests about the threaded loop's own
 * thread are replaced by their event-driven counterparts.
 */
class EventDrivenSyncLoopTest extends SyncLoopTest {

  final ExecutorService fetchThreads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-fetch");
    t.setDaemon(true);
    return t;
  });
  final SyncRuntime runtime = SyncRuntime.create(2);

  @Override
  SyncLoop.Builder builder(SyncConsumer consumer) {
    return withTestOptions(SyncLoop.builder(AsyncSyncSource.fromBlocking(source, fetchThreads), consumer)
        .runtime(runtime));
  }

  @AfterEach
  void closeRuntime() {
    if (loop != null) {
      loop.close();
    }
    runtime.close();
    fetchThreads.shutdownNow();
  }

  static Set<Thread> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix))
        .collect(Collectors.toSet());
  }

  @Override
  @Test
  void closeCancelsTheLongPollPromptlyAndLeavesNoThread() throws Exception {
    Set<Thread> before = threadsNamed("melo-sync-");
    source.then(batch("n1"));
    loop = builder(delivered::add).build();
    loop.start();
    next();
    awaitPolling();
    loop.close();
    assertThat(source.cancelled.getCount()).isZero();
    assertThat(loop.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
    assertThat(store.load()).contains("n1");
    assertThat(threadsNamed("melo-sync-")).as("an event-driven loop makes no thread of its own").isEqualTo(before);
  }

  @Override
  @Test
  void theDefaultThreadIsADaemonAndEndsOnClose() throws Exception {
    source.then(batch("n1"));
    start(delivered::add);
    next();
    awaitPolling();
    List<Thread> runtimeThreads = new ArrayList<>(threadsNamed("Melo sync runtime-"));
    assertThat(runtimeThreads).isNotEmpty().allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
    assertThatThrownBy(() -> builder(delivered::add).threadFactory(Thread::new))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no thread of its own");
    assertThatThrownBy(() -> SyncLoop.builder(source, delivered::add).runtime(runtime))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("thread of its own");
  }
}
