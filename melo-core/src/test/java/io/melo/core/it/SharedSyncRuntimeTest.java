package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MessageCreated;
import io.melo.matrix.sync.SyncRuntime;
import io.melo.testkit.HomeserverExtension;
import io.melo.testkit.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many clients share one sync runtime: their batches are handled on its workers, not on threads of their own. */
class SharedSyncRuntimeTest {

  @RegisterExtension final HomeserverExtension hs = new HomeserverExtension();

  @Test
  void theSyncRuntimeIsAConfigSettingWhoseDefaultIsTheProcessWideOne() {
    MeloConfig defaults = MeloConfig.builder(hs.baseUrl()).build();
    assertThat(defaults.syncRuntime()).isSameAs(SyncRuntime.shared());
    try (SyncRuntime own = SyncRuntime.create(1)) {
      MeloConfig config = MeloConfig.builder(hs.baseUrl()).syncRuntime(own).build();
      assertThat(config.syncRuntime()).isSameAs(own);
      assertThat(config.toBuilder().namespace("io.haos").build().syncRuntime()).isSameAs(own);
    }
  }

  @Test
  void clientsGivenOneRuntimeHandleTheirBatchesOnItsSingleWorker() throws Exception {
    int users = 4;
    AtomicInteger threadsMade = new AtomicInteger();
    try (SyncRuntime own = SyncRuntime.create(1, r -> {
      Thread t = new Thread(r, "it-sync-" + threadsMade.incrementAndGet());
      t.setDaemon(true);
      return t;
    })) {
      TestUser owner = hs.register("owner");
      String room = owner.createRoom(r -> r.preset("public_chat").name("lobby"));
      List<TestUser> members = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        TestUser user = hs.register("member" + i);
        user.join(room);
        members.add(user);
      }
      // Listeners run on the thread that handles the batch, so they show where the sync work ran.
      MeloConfig config = MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).syncRuntime(own).build();
      Map<String, String> listenerThreads = new ConcurrentHashMap<>();
      CountDownLatch seen = new CountDownLatch(users);
      List<MeloClient> clients = new ArrayList<>();
      try {
        for (TestUser user : members) {
          MeloClient client = MeloClient.login(config, user.userId(), user.password()).execute();
          client.on(MessageCreated.class, e -> {
            if (e.message().body().equals("hello all")) {
              listenerThreads.put(client.userId(), Thread.currentThread().getName());
              seen.countDown();
            }
          });
          clients.add(client);
        }
        for (MeloClient client : clients) {
          awaitConnected(client);
        }
        owner.sendText(room, "hello all");
        assertThat(seen.await(10, TimeUnit.SECONDS)).as("every client saw the message: " + listenerThreads + " "
            + clients.stream().map(c -> c.userId() + "=" + c.connectionState()).toList()).isTrue();
        assertThat(listenerThreads).hasSize(users);
        assertThat(listenerThreads.values()).containsOnly("it-sync-1");
        assertThat(threadsMade.get()).as("the one worker, and the timer if a wait was needed").isLessThanOrEqualTo(2);
      } finally {
        clients.forEach(MeloClient::close);
      }
      assertThat(clients).allSatisfy(c -> assertThat(c.connectionState()).isEqualTo(ConnectionState.STOPPED));
    }
  }

  @Test
  void nineClientsWhoseListenersBlockDoNotHoldTheEightWorkersAnotherClientNeeds() throws Exception {
    int slowClients = 9;
    List<ExecutorService> listenerThreads = new ArrayList<>();
    List<MeloClient> clients = new ArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    try (SyncRuntime eightWorkers = SyncRuntime.create(8)) {
      TestUser owner = hs.register("owner");
      String room = owner.createRoom(r -> r.preset("public_chat").name("lobby"));
      CountDownLatch allBlocked = new CountDownLatch(slowClients);
      List<List<String>> slowSeen = new ArrayList<>();
      CountDownLatch allDone = new CountDownLatch(slowClients);
      for (int i = 0; i < slowClients; i++) {
        TestUser user = hs.register("slow" + i);
        user.join(room);
        // Each client's listeners on a thread of its own: a blocked listener holds only that thread.
        ExecutorService events = Executors.newSingleThreadExecutor();
        listenerThreads.add(events);
        MeloClient client = MeloClient.login(
            MeloConfig.builder(hs.baseUrl()).eventExecutor(events).syncRuntime(eightWorkers).build(),
            user.userId(), user.password()).execute();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        client.on(MessageCreated.class, e -> {
          seen.add(e.message().body());
          if (e.message().body().equals("ping 3")) {
            allDone.countDown();
          }
          if (e.message().body().equals("hold")) {
            allBlocked.countDown();
            try {
              release.await();
            } catch (InterruptedException interrupted) {
              Thread.currentThread().interrupt();
            }
          }
        });
        clients.add(client);
        slowSeen.add(seen);
        awaitConnected(client);
      }
      TestUser quick = hs.register("quick");
      quick.join(room);
      ExecutorService quickEvents = Executors.newSingleThreadExecutor();
      listenerThreads.add(quickEvents);
      MeloClient quickClient = MeloClient.login(
          MeloConfig.builder(hs.baseUrl()).eventExecutor(quickEvents).syncRuntime(eightWorkers).build(),
          quick.userId(), quick.password()).execute();
      clients.add(quickClient);
      BlockingQueue<String> quickSeen = new LinkedBlockingQueue<>();
      quickClient.on(MessageCreated.class, e -> quickSeen.add(e.message().body()));
      awaitConnected(quickClient);

      owner.sendText(room, "hold");
      assertThat(allBlocked.await(10, TimeUnit.SECONDS)).as("all nine slow listeners hold a batch").isTrue();
      assertThat(quickSeen.poll(10, TimeUnit.SECONDS)).isEqualTo("hold");
      // Nine batches are in their listeners' hands and eight workers serve all ten clients: a
      // worker held per pending batch would leave none for this one.
      for (int i = 1; i <= 3; i++) {
        owner.sendText(room, "ping " + i);
        assertThat(quickSeen.poll(10, TimeUnit.SECONDS)).as("the quick client still gets its events").isEqualTo("ping " + i);
      }
      assertThat(slowSeen).allSatisfy(seen -> assertThat(seen).containsExactly("hold"));

      release.countDown();
      assertThat(allDone.await(10, TimeUnit.SECONDS)).as("the slow clients go on once released").isTrue();
      assertThat(slowSeen).allSatisfy(seen -> assertThat(seen).containsExactly("hold", "ping 1", "ping 2", "ping 3"));
    } finally {
      release.countDown();
      clients.forEach(MeloClient::close);
      listenerThreads.forEach(ExecutorService::shutdownNow);
    }
    assertThat(clients).allSatisfy(c -> assertThat(c.connectionState()).isEqualTo(ConnectionState.STOPPED));
  }

  /** Waits until the client's first sync is in (a message sent before is history, not a live event). */
  static void awaitConnected(MeloClient client) throws InterruptedException {
    CountDownLatch connected = new CountDownLatch(1);
    client.on(ConnectionStateChanged.class, e -> {
      if (e.state() == ConnectionState.CONNECTED) {
        connected.countDown();
      }
    });
    if (client.connectionState() != ConnectionState.CONNECTED) {
      assertThat(connected.await(Recorder.WAIT_SECONDS, TimeUnit.SECONDS)).as(client.userId() + " connected").isTrue();
    }
  }
}
