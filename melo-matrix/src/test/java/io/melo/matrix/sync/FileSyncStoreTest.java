package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    assertThat(new FileSyncStore(file).load()).isEmpty();
    Files.write(file, "{\"next_batch\":7}".getBytes(StandardCharsets.UTF_8));
    assertThat(new FileSyncStore(file).load()).isEmpty();
  }

  @Test
  void aFailedSaveKeepsTheOldTokenAndSaysSo() throws Exception {
    Path missing = dir.resolve("no-such-dir").resolve("sync.json");
    FileSyncStore store = new FileSyncStore(missing);
    assertThatThrownBy(() -> store.save("s1")).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot save the sync store");
    assertThatThrownBy(() -> store.save("")).isInstanceOf(IllegalArgumentException.class);
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
