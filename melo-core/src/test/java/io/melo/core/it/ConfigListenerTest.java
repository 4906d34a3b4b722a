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
import io.melo.testkit.FakeHomeserverExtension;
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

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

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
}
