package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.MeloProtocolException;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MeloEvent;
import io.melo.matrix.ResponseTooLargeException;
import io.melo.testkit.HomeserverExtension;
import io.melo.testkit.TestUser;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cap on the homeserver's answers is the app's to set, and an answer over it stops the client clearly. */
class ResponseCapTest {

  @RegisterExtension final HomeserverExtension hs = new HomeserverExtension();

  private static ConnectionStateChanged awaitTerminal(BlockingQueue<MeloEvent> events) throws InterruptedException {
    while (true) {
      MeloEvent event = events.poll(20, TimeUnit.SECONDS);
      assertThat(event).as("a connection state within 20 s").isNotNull();
      if (event instanceof ConnectionStateChanged changed
          && (changed.state() == ConnectionState.FAILED || changed.state() == ConnectionState.CONNECTED)) {
        return changed;
      }
    }
  }

  @Test
  void anInitialSyncOverTheCapFailsTheClientNamingTheCapAndALargerCapLetsItThrough() throws Exception {
    TestUser alice = hs.register("alice");
    for (int i = 0; i < 5; i++) {
      alice.createRoom(room -> { });
    }
    BlockingQueue<MeloEvent> events = new LinkedBlockingQueue<>();
    MeloConfig small = MeloConfig.builder(hs.baseUrl()).maxResponseBytes(1024).listener(events::add).build();
    try (MeloClient client = MeloClient.connect(small, alice.userId(), alice.accessToken())) {
      ConnectionStateChanged end = awaitTerminal(events);
      assertThat(end.state()).isEqualTo(ConnectionState.FAILED);
      assertThat(end.failure()).get().isInstanceOf(MeloProtocolException.class);
      assertThat(end.failure().get()).hasMessageContaining("larger than the limit of 1024 bytes")
          .hasCauseInstanceOf(ResponseTooLargeException.class);
    }

    events.clear();
    MeloConfig larger = small.toBuilder().maxResponseBytes(4L * 1024 * 1024).build();
    try (MeloClient client = MeloClient.connect(larger, alice.userId(), alice.accessToken())) {
      assertThat(awaitTerminal(events).state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void aCapBelow1024IsRefusedByName() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MeloConfig.builder(hs.baseUrl()).maxResponseBytes(1023))
        .withMessage("maxResponseBytes must be at least 1024, was: 1023");
    assertThat(MeloConfig.builder(hs.baseUrl()).build().maxResponseBytes()).isEqualTo(32L * 1024 * 1024);
  }
}
