package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MessageCreated;
import io.melo.matrix.sync.FileSyncStore;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.TestUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's next long poll is in flight while its listeners still run the batch before (the sync
 * loop prefetches), yet what listeners see does not change: batches in sync order, one at a time,
 * each event once, also when the client closes with an early answer held, and after a restart.
 */
@FakeOnly("watches the long polls waiting in the fake homeserver")
class EarlyPollTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  @TempDir Path dir;

  private TestUser alice;
  private TestUser bob;
  private String room;
  private Path store;
  private ExecutorService events;
  /** Every body of bob's messages as delivered to alice, in both lives of her client. */
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    alice = hs.register("alice");
    bob = hs.register("bob");
    room = bob.createRoom(r -> r.preset("public_chat"));
    alice.join(room);
    store = dir.resolve("alice.sync");
    events = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void tearDown() {
    events.shutdownNow();
  }

  private MeloClient client(Executor executor, CompletableFuture<Void> connected) {
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).eventExecutor(executor).store(new FileSyncStore(store)).build();
    MeloClient client = MeloClient.connect(config, alice.userId(), alice.accessToken());
    client.on(ConnectionStateChanged.class, e -> {
      if (e.state() == ConnectionState.CONNECTED) {
        connected.complete(null);
      }
    });
    return client;
  }

  private void record(MeloClient client) {
    client.on(MessageCreated.class, e -> {
      if (e.message().senderId().equals(bob.userId())) {
        delivered.add(e.message().body());
      }
    });
  }

  /** Bob's message reaches alice's listener, which then waits for {@code release}. */
  private CountDownLatch blockOn(MeloClient client, String body, CountDownLatch release) {
    CountDownLatch inListener = new CountDownLatch(1);
    client.on(MessageCreated.class, e -> {
      if (e.message().body().equals(body)) {
        inListener.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    });
    return inListener;
  }

  @Test
  void theNextPollWaitsAtTheServerWhileAListenerRunsAndItsEventComesAfter() throws Exception {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    try (MeloClient client = client(events, connected)) {
      record(client);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch inListener = blockOn(client, "one", release);
      assertThat(connected).succeedsWithin(WAIT);

      bob.sendText(room, "one");
      assertThat(inListener.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(hs.server().model().awaitWaitingPolls(alice.userId(), 1, WAIT))
          .as("alice's next long poll waits at the server while her listener still runs").isTrue();
      bob.sendText(room, "two"); // answered to that poll at once; held until "one" was delivered
      bob.sendText(room, "three");
      assertThat(delivered).as("nothing overtakes the running listener").containsExactly("one");
      release.countDown();

      Recorder recorder = new Recorder(client);
      bob.sendText(room, "four");
      recorder.await(MessageCreated.class, e -> e.message().body().equals("four"));
      assertThat(delivered).containsExactly("one", "two", "three", "four");
    }
  }

  @Test
  void closingWithAnEarlyAnswerHeldDropsItAndARestartDeliversItOnce() throws Exception {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    MeloClient first = client(events, connected);
    record(first);
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    first.on(ConnectionStateChanged.class, e -> {
      if (e.state() == ConnectionState.STOPPED) {
        stopped.complete(null);
      }
    });
    AtomicBoolean pollWaiting = new AtomicBoolean();
    first.on(MessageCreated.class, e -> {
      if (e.message().body().equals("one")) {
        // The early poll is at the server: "two" answers it while "one" is still being delivered.
        pollWaiting.set(hs.server().model().awaitWaitingPolls(alice.userId(), 1, WAIT));
        bob.sendText(room, "two");
        first.close(); // from the listener: does not wait; the batch of "one" is still seen through
      }
    });
    assertThat(connected).succeedsWithin(WAIT);
    bob.sendText(room, "one");
    assertThat(stopped).succeedsWithin(WAIT);
    assertThat(pollWaiting).as("the next long poll waited at the server during the listener").isTrue();
    assertThat(delivered).as("the held answer never reaches the closed client").containsExactly("one");

    GatedExecutor gate = new GatedExecutor(events);
    try (MeloClient second = client(gate, new CompletableFuture<>())) {
      record(second);
      Recorder recorder = new Recorder(second, gate::open); // misses none of the first events
      bob.sendText(room, "marker");
      recorder.await(MessageCreated.class, e -> e.message().body().equals("marker"));
    }
    assertThat(delivered).as("each message once across both lives").containsExactly("one", "two", "marker");
  }
}
