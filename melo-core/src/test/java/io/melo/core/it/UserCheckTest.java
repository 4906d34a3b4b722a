package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Session;
import io.melo.core.UserMismatchException;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MeloEvent;
import io.melo.matrix.sync.InMemorySyncStore;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.RecordedCall;
import io.melo.testkit.Stall;
import io.melo.testkit.TestUser;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code connect}/{@code resume} check whose session they were given ({@code GET /account/whoami})
 * beside the first sync, and a session names its homeserver.
 */
class UserCheckTest {

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  private final LinkedBlockingQueue<MeloEvent> events = new LinkedBlockingQueue<>();

  private MeloConfig.Builder config() {
    return MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).listener(events::add);
  }

  private ConnectionStateChanged awaitState(ConnectionState state) throws InterruptedException {
    while (true) {
      MeloEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("a ConnectionStateChanged to " + state + " within 10 s").isNotNull();
      if (event instanceof ConnectionStateChanged changed && changed.state() == state) {
        return changed;
      }
    }
  }

  /**
   * The sync token in the store, without the event sequence and user id the client keeps before it
   * ("7/9 @alice:hs token").
   */
  private static String savedSince(InMemorySyncStore store) {
    String stored = store.load().orElse("");
    String rest = stored.substring(stored.indexOf(' ') + 1);
    return rest.startsWith("@") ? rest.substring(rest.indexOf(' ') + 1) : rest;
  }

  private long count(Endpoint endpoint) {
    return hs.requests().stream().map(RecordedCall::endpoint).filter(endpoint::equals).count();
  }

  @Test
  void anotherUsersTokenFailsTheClientAndNothingOfThatAccountIsDeliveredOrStored() throws Exception {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    String bobsRoom = bob.createRoom();
    bob.sendText(bobsRoom, "bob's secret plans");
    InMemorySyncStore store = new InMemorySyncStore();

    try (MeloClient client = MeloClient.connect(config().store(store).build(), alice.userId(), bob.accessToken())) {
      ConnectionStateChanged failed = awaitState(ConnectionState.FAILED);

      assertThat(failed.failure()).get().isInstanceOfSatisfying(UserMismatchException.class, e -> {
        assertThat(e.expectedUserId()).isEqualTo(alice.userId());
        assertThat(e.actualUserId()).isEqualTo(bob.userId());
        assertThat(e.getMessage()).contains(alice.userId(), bob.userId()).doesNotContain(bob.accessToken());
      });
      assertThat(client.connectionState()).isEqualTo(ConnectionState.FAILED);
      // Calls are refused before anything is sent with the other user's token.
      long createRooms = count(Endpoint.CREATE_ROOM);
      assertThatThrownBy(() -> client.createServer("as the wrong user").execute())
          .isInstanceOf(UserMismatchException.class)
          .hasMessageContaining(bob.userId());
      assertThat(count(Endpoint.CREATE_ROOM)).isEqualTo(createRooms);
      assertThat(hs.room(bobsRoom).joinedMembers()).doesNotContain(alice.userId());
    }
    // The sync answer (bob's account) was dropped: no token saved, no event but the state change.
    assertThat(savedSince(store)).isEmpty();
    assertThat(events).allMatch(e -> e instanceof ConnectionStateChanged);
  }

  @Test
  void theCheckRunsBesideTheFirstSyncAndTheBatchWaitsForIt() throws Exception {
    TestUser alice = hs.register("alice");
    alice.createRoom();
    Stall whoami = hs.faults().next(Endpoint.WHOAMI).stall();
    Stall firstSync = hs.faults().next(Endpoint.SYNC).stall();
    InMemorySyncStore store = new InMemorySyncStore();

    try (MeloClient client = MeloClient.connect(config().store(store).build(), alice.userId(), alice.accessToken())) {
      // Both requests are on the server at once: the check adds no round trip before the sync.
      assertThat(whoami.awaitArrival(Duration.ofSeconds(10))).isTrue();
      assertThat(firstSync.awaitArrival(Duration.ofSeconds(10))).isTrue();
      firstSync.release();
      // The answer reaches the client but waits for the check: not applied, not saved, no next poll.
      awaitRecorded(Endpoint.SYNC, 1);
      assertThat(count(Endpoint.SYNC)).isEqualTo(1);
      assertThat(savedSince(store)).isEmpty();
      assertThat(client.connectionState()).isNotEqualTo(ConnectionState.CONNECTED);

      whoami.release();

      awaitState(ConnectionState.CONNECTED);
      assertThat(savedSince(store)).isNotEmpty();
      assertThat(client.servers().execute()).isEmpty();
      assertThat(count(Endpoint.WHOAMI)).isEqualTo(1);
    }
  }

  @Test
  void aCallMadeBeforeTheCheckAnsweredWaitsForIt() throws Exception {
    TestUser alice = hs.register("alice");
    Stall whoami = hs.faults().next(Endpoint.WHOAMI).stall();
    try (MeloClient client = MeloClient.connect(config().build(), alice.userId(), alice.accessToken())) {
      assertThat(whoami.awaitArrival(Duration.ofSeconds(10))).isTrue();
      var created = client.createServer("after the check").future();
      assertThat(count(Endpoint.CREATE_ROOM)).isZero();
      whoami.release();
      assertThat(created.get(10, TimeUnit.SECONDS).name()).isEqualTo("after the check");
    }
  }

  private void awaitRecorded(Endpoint endpoint, long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count(endpoint) < n) {
      assertThat(System.nanoTime()).as("%s recorded %d times within 10 s", endpoint, n).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void aSessionNamesItsHomeserverAndResumesWithoutDiscovery() throws Exception {
    TestUser alice = hs.register("alice");
    Session stored;
    try (MeloClient client = MeloClient.login(config().build(), alice.userId(), alice.password()).execute()) {
      stored = client.session();
    }
    assertThat(stored.homeserver()).contains(MeloConfig.builder(hs.baseUrl()).build().homeserver().toString());
    assertThat(stored.toString()).contains(alice.userId(), stored.homeserver().get())
        .doesNotContain(stored.accessToken()).doesNotContain(stored.refreshToken().orElseThrow());
    long wellKnowns = count(Endpoint.WELL_KNOWN);

    // A config that would need discovery (nothing answers on the server name's host): the session's URL is used.
    MeloConfig byUser = MeloConfig.forUser("@alice:unreachable.invalid").eventExecutor(Runnable::run)
        .listener(events::add).build();
    try (MeloClient resumed = MeloClient.resume(byUser, stored)) {
      awaitState(ConnectionState.CONNECTED);
      assertThat(resumed.config().homeserver().toString()).isEqualTo(stored.homeserver().get());
      assertThat(resumed.session()).isEqualTo(stored);
    }
    assertThat(count(Endpoint.WELL_KNOWN)).isEqualTo(wellKnowns);
  }

  @Test
  void aSessionBuiltTheOldWayStillWorksAndAUrlWithASecretIsRefused() {
    Session old = new Session("@alice:example.org", "DEV", "secret-access", null);
    assertThat(old.homeserver()).isEmpty();
    assertThat(old.withHomeserver("https://matrix.example.org").homeserver()).contains("https://matrix.example.org/");
    assertThat(old.withHomeserver("https://matrix.example.org")).isNotEqualTo(old);
    assertThatThrownBy(() -> old.withHomeserver("https://bot:hunter2@matrix.example.org"))
        .isInstanceOf(IllegalArgumentException.class)
        .message().doesNotContain("hunter2");
    assertThatThrownBy(() -> old.withHomeserver("matrix.example.org")).isInstanceOf(IllegalArgumentException.class);
  }
}
