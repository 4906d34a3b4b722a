package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.UserMismatchException;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.HistoryGap;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MessageCreated;
import io.melo.matrix.sync.FileSyncStore;
import io.melo.matrix.sync.SyncStore;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.TestUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * exactly-once across restarts with the file store, when the store file is not the one
 * this client wrote last (corrupted, or another user's).
 */
@FakeOnly("runs its own fake and counts the requests it received")
class StoreSafetyTest {

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  @TempDir Path dir;

  /** A started client whose listener is registered before its first event (config listener). */
  private MeloClient start(TestUser user, Path store, List<MeloEvent> into, CountDownLatch connected) {
    MeloConfig config = MeloConfig.builder(hs.baseUrl())
        .eventExecutor(Runnable::run)
        .store(new FileSyncStore(store))
        .listener(event -> {
          into.add(event);
          if (event instanceof ConnectionStateChanged c && c.state() == ConnectionState.CONNECTED) {
            connected.countDown();
          }
        })
        .build();
    return MeloClient.connect(config, user.userId(), user.accessToken());
  }

  private static List<String> bodies(List<MeloEvent> events) {
    return events.stream().filter(MessageCreated.class::isInstance)
        .map(e -> ((MessageCreated) e).message().body()).toList();
  }

  /**
   * A store file that cannot be read (truncated by a disk or an app bug) is treated as absent:
   * the client starts with an initial sync, which is catch-up, not news. The message sent while
   * the client was down is then not silently skipped: its room reports a HistoryGap, and the
   * sequence numbers never go back below the ones the lost store handed out.
   */
  @Test
  void aCorruptedStoreFileNeitherLosesEventsSilentlyNorReusesSequenceNumbers() throws Exception {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    Path store = dir.resolve("alice.sync");
    List<MeloEvent> first = new Seen();
    CountDownLatch connected1 = new CountDownLatch(1);
    Channel general;
    Server server;
    try (MeloClient one = start(alice, store, first, connected1)) {
      assertThat(connected1.await(10, TimeUnit.SECONDS)).isTrue();
      server = one.createServer("HQ").execute();
      general = one.channels(server.id()).execute().get(0);
      bob.join(server.id());
      bob.join(general.id());
      bob.sendText(general.id(), "one");
      awaitBody(first, "one");
    }
    long lastOfFirstRun = first.stream().mapToLong(MeloEvent::sequence).max().orElseThrow();
    bob.sendText(general.id(), "while down");

    // The file is cut short (as after a disk error); Melo wrote it, Melo should notice.
    byte[] bytes = Files.readAllBytes(store);
    Files.write(store, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThat(new String(Files.readAllBytes(store), StandardCharsets.UTF_8)).doesNotEndWith("}");

    List<MeloEvent> second = new Seen();
    CountDownLatch connected2 = new CountDownLatch(1);
    try (MeloClient two = start(alice, store, second, connected2)) {
      assertThat(connected2.await(10, TimeUnit.SECONDS)).isTrue();
      bob.sendText(general.id(), "after restart");
      awaitBody(second, "after restart");
      assertThat(second).filteredOn(HistoryGap.class::isInstance).map(HistoryGap.class::cast)
          .as("the message sent while down was not reported: %s", second)
          .anySatisfy(gap -> {
            assertThat(gap.roomId()).isEqualTo(general.id());
            assertThat(gap.serverId()).contains(server.id());
          });
      assertThat(bodies(second)).as("catch-up is not news").doesNotContain("while down");
      assertThat(second.get(0).sequence())
          .as("first run ended at %s; second run: %s", lastOfFirstRun, second)
          .isGreaterThan(lastOfFirstRun);
    }
  }

  /**
   * A store written by alice's client, handed by mistake to bob's client (an app keying store
   * files wrongly), is refused: connecting bob's client throws a UserMismatchException naming both
   * users, no sync request is made, and alice's store is left as it was.
   */
  @Test
  void aStoreWrittenForAnotherUserIsRefused() throws Exception {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    Path store = dir.resolve("shared.sync");
    List<MeloEvent> first = new Seen();
    CountDownLatch connected1 = new CountDownLatch(1);
    try (MeloClient one = start(alice, store, first, connected1)) {
      assertThat(connected1.await(10, TimeUnit.SECONDS)).isTrue();
      one.createServer("alice's").execute();
    }
    byte[] alicesStore = Files.readAllBytes(store);
    long before = hs.requests().size();

    MeloConfig config = MeloConfig.builder(hs.baseUrl())
        .eventExecutor(Runnable::run)
        .store(new FileSyncStore(store))
        .build();
    assertThatThrownBy(() -> MeloClient.connect(config, bob.userId(), bob.accessToken()))
        .isInstanceOfSatisfying(UserMismatchException.class, e -> {
          assertThat(e.expectedUserId()).isEqualTo(bob.userId());
          assertThat(e.actualUserId()).isEqualTo(alice.userId());
          assertThat(e).hasMessageContaining("sync store");
        });
    assertThat(hs.requests().stream().skip(before).filter(r -> r.path().endsWith("/sync")))
        .as("bob's client synced with alice's store").isEmpty();
    assertThat(Files.readAllBytes(store)).as("alice's store").isEqualTo(alicesStore);
  }

  /**
   * A store whose saves fail (a full disk, a directory removed under the app) costs the app no
   * connection event: CONNECTED is delivered though numbering it could not be saved.
   */
  @Test
  void aStoreThatCannotBeWrittenStillDeliversConnectionStates() throws Exception {
    TestUser alice = hs.register("alice");
    CompletableFuture<ConnectionStateChanged> connected = new CompletableFuture<>();
    SyncStore unwritable = new SyncStore() {
      @Override
      public Optional<String> load() {
        return Optional.empty();
      }

      @Override
      public void save(String since) {
        throw new UncheckedIOException(new IOException("disk full"));
      }

      @Override
      public void clear() {
        throw new UncheckedIOException(new IOException("disk full"));
      }
    };
    MeloConfig config = MeloConfig.builder(hs.baseUrl())
        .eventExecutor(Runnable::run)
        .store(unwritable)
        .listener(event -> {
          if (event instanceof ConnectionStateChanged c && c.state() == ConnectionState.CONNECTED) {
            connected.complete(c);
          }
        })
        .build();
    try (MeloClient client = MeloClient.connect(config, alice.userId(), alice.accessToken())) {
      assertThat(connected).succeedsWithin(10, TimeUnit.SECONDS);
      assertThat(client.createServer("HQ").execute().name()).isEqualTo("HQ");
    }
  }

  /** A file store in a directory that does not exist is refused before any client starts. */
  @Test
  void aFileStoreInAMissingDirectoryIsRefusedAtOnce() {
    Path missing = dir.resolve("not-created-yet").resolve("alice.sync");
    assertThatThrownBy(() -> new FileSyncStore(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not-created-yet");
  }

  /** Events in arrival order, with a signal per event so tests wait without polling. */
  static final class Seen extends CopyOnWriteArrayList<MeloEvent> {
    private final java.util.concurrent.LinkedBlockingQueue<MeloEvent> arrivals =
        new java.util.concurrent.LinkedBlockingQueue<>();

    @Override
    public boolean add(MeloEvent event) {
      super.add(event);
      return arrivals.add(event);
    }
  }

  private static void awaitBody(List<MeloEvent> events, String body) throws InterruptedException {
    Seen seen = (Seen) events;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      MeloEvent next = seen.arrivals.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new AssertionError("no MessageCreated \"" + body + "\" within 10 s; saw " + events);
      }
      if (next instanceof MessageCreated m && m.message().body().equals(body)) {
        return;
      }
    }
  }
}
