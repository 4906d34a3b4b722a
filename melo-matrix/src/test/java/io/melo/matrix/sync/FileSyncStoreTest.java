package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSyncStoreTest {

  @TempDir Path dir;

  @Test
  void savesAtomicallyAndAFreshInstanceReadsIt() throws Exception {
    Path file = dir.resolve("sync.json");
    FileSyncStore store = new FileSyncStore(file);
    assertThat(store.load()).isEmpty();
    store.save("s1_2_3");
    store.save("s2 with \"quotes\" and ünicode");
    assertThat(new FileSyncStore(file).load()).contains("s2 with \"quotes\" and ünicode");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
    store.clear();
    assertThat(Files.exists(file)).isFalse();
    assertThat(store.load()).isEmpty();
  }

  @Test
  void aCorruptFileMeansAnInitialSync() throws Exception {
    Path file = dir.resolve("sync.json");
    Files.write(file, "{\"next_ba".getBytes(StandardCharsets.UTF_8));
    FileSyncStore store = new FileSyncStore(file);
    assertThat(store.damaged()).isFalse();
    assertThat(store.load()).isEmpty();
    assertThat(store.damaged()).as("not JSON").isTrue();
    Files.write(file, "{\"next_batch\":7}".getBytes(StandardCharsets.UTF_8));
    assertThat(new FileSyncStore(file).load()).isEmpty();
    assertThat(store.load()).isEmpty();
    assertThat(store.damaged()).as("no string next_batch").isTrue();
    store.save("s1");
    assertThat(store.load()).contains("s1");
    assertThat(store.damaged()).as("after a good save").isFalse();
    Files.delete(file);
    assertThat(store.load()).isEmpty();
    assertThat(store.damaged()).as("absent is not damaged").isFalse();
  }

  @Test
  void aFailedSaveKeepsTheOldTokenAndSaysSo() throws Exception {
    Path gone = Files.createDirectory(dir.resolve("removed-later"));
    FileSyncStore store = new FileSyncStore(gone.resolve("sync.json"));
    Files.delete(gone); // the directory goes away after the store was made
    assertThatThrownBy(() -> store.save("s1")).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot save the sync store");
    assertThatThrownBy(() -> store.save("")).isInstanceOf(IllegalArgumentException.class);

  }

  @Test
  void aStoreInADirectoryThatDoesNotExistIsRefusedAtOnce() {
    Path missing = dir.resolve("no-such-dir").resolve("sync.json");
    assertThatThrownBy(() -> new FileSyncStore(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-dir")
        .hasMessageContaining("does not exist");
  }

  /** Two stores on one file (two clients by mistake): every load finds one whole save. */
  @Test
  void twoStoresOnOneFileNeverLeaveItUnreadable() throws Exception {
    Path file = dir.resolve("alice.sync");
    FileSyncStore one = new FileSyncStore(file);
    FileSyncStore two = new FileSyncStore(file);
    one.save("s0_start");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<String>>> runs = new ArrayList<>();
    try {
      for (FileSyncStore store : List.of(one, two)) {
        runs.add(pool.submit(() -> {
          go.await();
          List<String> problems = new ArrayList<>();
          for (int i = 0; i < 300; i++) {
            try {
              store.save("s" + i + "_" + "x".repeat(200));
            } catch (RuntimeException e) {
              problems.add("save: " + e.getCause());
            }
            Optional<String> loaded = store.load();
            if (loaded.isEmpty() || !loaded.get().startsWith("s")) {
              problems.add("load: " + loaded);
            }
          }
          return problems;
        }));
      }
      go.countDown();
      List<String> problems = new ArrayList<>();
      for (Future<List<String>> run : runs) {
        problems.addAll(run.get(60, TimeUnit.SECONDS));
      }
      assertThat(problems).isEmpty();
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("no temporary file left behind").containsExactly(file);
    }
  }

  @Test
  void inMemoryStore() {
    InMemorySyncStore store = new InMemorySyncStore();
    assertThat(store.load()).isEmpty();
    store.save("a");
    assertThat(store.load()).contains("a");
    store.clear();
    assertThat(store.load()).isEmpty();
    assertThat(new InMemorySyncStore("x").load()).contains("x");
  }
}
