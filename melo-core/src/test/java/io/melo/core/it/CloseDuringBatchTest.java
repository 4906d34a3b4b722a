package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Channel;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MessageCreated;
import io.melo.matrix.sync.FileSyncStore;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.Stall;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a client in the middle of a batch never cuts it: every event of the batch reaches the
 * listeners once, its token is saved, and a restart on the same file store repeats none of it
 * (review #8). Each test counts every delivery of bob's messages across both lives of alice's
 * client.
 */
@FakeOnly("holds a sync on the fake homeserver")
class CloseDuringBatchTest {

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  @TempDir Path dir;

  private TestUser alice;
  private TestUser bob;
  private Path store;
  private Server server;
  private Channel general;
  private ExecutorService events;
  /** Every body of a MessageCreated from bob, as delivered, in both lives of alice's client. */
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    alice = hs.register("alice");
    bob = hs.register("bob");
    store = dir.resolve("alice.sync");
    events = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void tearDown() {
    events.shutdownNow();
  }

  private MeloClient client(Executor executor) {
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).eventExecutor(executor).store(new FileSyncStore(store)).build();
    MeloClient client = MeloClient.connect(config, alice.userId(), alice.accessToken());
    client.on(MessageCreated.class, e -> {
      if (e.message().senderId().equals(bob.userId())) {
        delivered.add(e.message().body());
      }
    });
    return client;
  }

  /** The first life of alice's client: a server with bob in general, seen live up to "ready". */
  private MeloClient firstLife(Executor executor) {
    MeloClient first = client(executor);
    Recorder recorder = new Recorder(first);
    server = first.createServer("HQ").execute();
    general = first.channels(server.id()).execute().get(0);
    bob.join(server.id());
    bob.join(general.id());
    bob.sendText(general.id(), "ready");
    recorder.await(MessageCreated.class, e -> e.message().body().equals("ready"));
    return first;
  }

  /** Bob sends one, two and three while alice's next /sync is held, so they arrive in one batch. */
  private void sendOneBatch() throws InterruptedException {
    Stall stall = hs.faults().next(Endpoint.SYNC).stall();
    bob.sendText(general.id(), "wake"); // answers the long-poll in flight, if any: the next one is held
    assertThat(stall.awaitArrival(Duration.ofSeconds(10))).isTrue();
    bob.sendText(general.id(), "one");
    bob.sendText(general.id(), "two");
    bob.sendText(general.id(), "three");
    stall.release();
  }

  private static CompletableFuture<Void> stopped(MeloClient client) {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    client.on(ConnectionStateChanged.class, e -> {
      if (e.state() == ConnectionState.STOPPED) {
        stopped.complete(null);
      }
    });
    return stopped;
  }

  /** Restarts alice on the same store; bob's "marker" ends the catch-up. */
  private void secondLife() {
    GatedExecutor gate = new GatedExecutor(events);
    try (MeloClient second = client(gate)) {
      Recorder recorder = new Recorder(second, gate::open); // misses none of the first events
      bob.sendText(general.id(), "marker");
      recorder.await(MessageCreated.class, e -> e.message().body().equals("marker"));
    }
  }

  private void closeOnOne(MeloClient client, Consumer<MeloClient> onOne) {
    client.on(MessageCreated.class, e -> {
      if (e.message().body().equals("one")) {
        onOne.accept(client);
      }
    });
  }

  /** A listener closes {@code first} on "one": the batch still completes and a restart repeats nothing. */
  private void closeOnOneThenRestart(MeloClient first) throws Exception {
    CompletableFuture<Void> stopped = stopped(first);
    closeOnOne(first, MeloClient::close);

    sendOneBatch();

    stoppedAfterTheBatchThenRestart(stopped);
  }

  /** The first life stopped after delivering the whole batch, and a second life repeats none of it. */
  private void stoppedAfterTheBatchThenRestart(CompletableFuture<Void> stopped) throws Exception {
    assertThat(stopped).succeedsWithin(Duration.ofSeconds(10));
    assertThat(delivered).containsExactly("ready", "wake", "one", "two", "three");
    secondLife();
    assertThat(delivered).containsExactly("ready", "wake", "one", "two", "three", "marker");
  }

  @Test
  void aListenerClosingItsClientMidBatchRepeatsNothingAfterARestart() throws Exception {
    closeOnOneThenRestart(firstLife(events));
  }

  @Test
  void aListenerOnTheSyncThreadClosingItsClientMidBatchRepeatsNothing() throws Exception {
    closeOnOneThenRestart(firstLife(Runnable::run));
  }

  @Test
  void aListenerSlowerThanTheCloseWaitFinishesItsBatchAndRepeatsNothing() throws Exception {
    MeloClient first = firstLife(events);
    CompletableFuture<Void> stopped = stopped(first);
    CountDownLatch inListener = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    closeOnOne(first, client -> {
      inListener.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    sendOneBatch();
    assertThat(inListener.await(10, TimeUnit.SECONDS)).isTrue();

    first.close(); // gives up waiting for the slow listener after its close wait
    assertThat(stopped).isNotDone();
    release.countDown();

    stoppedAfterTheBatchThenRestart(stopped);
  }

  @Test
  void anEventExecutorThatStartsRefusingWorkMidBatchLosesAndRepeatsNothing() throws Exception {
    AtomicBoolean refuse = new AtomicBoolean();
    Executor refusing = job -> {
      if (refuse.get()) {
        throw new RejectedExecutionException("shut down");
      }
      events.execute(job);
    };
    MeloClient first = firstLife(refusing);
    closeOnOne(first, client -> refuse.set(true));
    Recorder recorder = new Recorder(first);

    sendOneBatch();

    // The sync thread did not hang on the refused work: a later batch still arrives.
    bob.sendText(general.id(), "after");
    recorder.await(MessageCreated.class, e -> e.message().body().equals("after"));
    first.close();
    assertThat(delivered).containsExactly("ready", "wake", "one", "two", "three", "after");
    secondLife();
    assertThat(delivered).containsExactly("ready", "wake", "one", "two", "three", "after", "marker");
  }
}
