package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Channel;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MessageCreated;
import io.melo.matrix.sync.FileSyncStore;
import io.melo.testkit.HomeserverExtension;
import io.melo.testkit.TestUser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Listeners given in the config are subscribed before the first sync, so they miss nothing. */
class ConfigListenerTest {

  @RegisterExtension final HomeserverExtension hs = new HomeserverExtension();

  @TempDir Path dir;

  private static MeloEvent next(BlockingQueue<MeloEvent> queue) throws InterruptedException {
    MeloEvent event = queue.poll(20, TimeUnit.SECONDS);
    assertThat(event).as("an event within 20 s").isNotNull();
    return event;
  }

  private static MessageCreated nextMessage(BlockingQueue<MeloEvent> queue) throws InterruptedException {
    while (true) {
      MeloEvent event = next(queue);
      if (event instanceof MessageCreated) {
        return (MessageCreated) event;
      }
    }
  }

  @Test
  void aConfigListenerSeesTheVeryFirstEventAndTheNewsOfTheFirstBatchAfterARestart() throws Exception {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    Path store = dir.resolve("alice.sync");
    BlockingQueue<MeloEvent> seen = new LinkedBlockingQueue<>();
    // Events run on the publishing thread: nothing holds them back until a late listener is added.
    MeloConfig config = MeloConfig.builder(hs.baseUrl())
        .eventExecutor(Runnable::run)
        .store(new FileSyncStore(store))
        .listener(seen::add)
        .build();

    Channel general;
    try (MeloClient first = MeloClient.connect(config, alice.userId(), alice.accessToken())) {
      MeloEvent firstEvent = next(seen);
      assertThat(firstEvent).isInstanceOf(ConnectionStateChanged.class);
      assertThat(((ConnectionStateChanged) firstEvent).state()).isEqualTo(ConnectionState.CONNECTING);
      assertThat(firstEvent.client()).isSameAs(first);
      Server server = first.createServer("HQ").execute();
      general = first.channels(server.id()).execute().get(0);
      bob.join(server.id());
      bob.join(general.id());
      bob.sendText(general.id(), "one");
      assertThat(nextMessage(seen).message().body()).isEqualTo("one");
    }
    bob.sendText(general.id(), "two");
    seen.clear();

    try (MeloClient second = MeloClient.connect(config, alice.userId(), alice.accessToken())) {
      List<MeloEvent> beforeNews = new ArrayList<>();
      MessageCreated two;
      while (true) {
        MeloEvent event = next(seen);
        if (event instanceof MessageCreated) {
          two = (MessageCreated) event;
          break;
        }
        beforeNews.add(event);
      }
      assertThat(two.message().body()).isEqualTo("two");
      assertThat(two.client()).isSameAs(second);
      assertThat(beforeNews).first().isInstanceOf(ConnectionStateChanged.class);
    }
  }

  @Test
  void configListenersAreKeptByToBuilderAndCannotBeNull() {
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).listener(event -> {}).build();
    assertThat(config.toBuilder().build().listeners()).hasSize(1);
    assertThat(config.listeners()).isUnmodifiable();
    org.assertj.core.api.Assertions.assertThatNullPointerException()
        .isThrownBy(() -> MeloConfig.builder(hs.baseUrl()).listener(null))
        .withMessage("listener");
  }

  /**
   * The login callback is one of the new client's events: on the default event executor (a pool)
   * it still never runs while that client's listener runs (one event at a time per client).
   */
  @Test
  void theLoginCallbackWaitsForTheClientsListenerOnThePooledDefaultExecutor() throws Exception {
    TestUser alice = hs.register("alice");
    java.util.concurrent.atomic.AtomicBoolean inListener = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CountDownLatch callbackRan = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
    MeloConfig config = MeloConfig.builder(hs.baseUrl())
        .listener(event -> {
          if (event instanceof ConnectionStateChanged && once.compareAndSet(false, true)) {
            inListener.set(true);
            try {
              callbackRan.await(3, TimeUnit.SECONDS); // serialised: times out, the callback comes after
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              inListener.set(false);
            }
          }
        })
        .build();
    java.util.concurrent.CompletableFuture<Boolean> overlapped = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<MeloClient> client = new java.util.concurrent.CompletableFuture<>();
    MeloClient.login(config, alice.userId(), alice.password()).enqueue(new io.melo.core.MeloCallback<MeloClient>() {
      @Override
      public void onSuccess(MeloClient result) {
        overlapped.complete(inListener.get());
        callbackRan.countDown();
        client.complete(result);
      }

      @Override
      public void onFailure(io.melo.core.MeloException failure) {
        overlapped.completeExceptionally(failure);
      }
    });
    try {
      assertThat(overlapped.get(10, TimeUnit.SECONDS))
          .as("login callback ran while the client's listener was running")
          .isFalse();
    } finally {
      client.get(10, TimeUnit.SECONDS).close();
    }
  }
}
