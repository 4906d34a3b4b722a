package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.HomeserverException;
import io.melo.core.LoggedOutException;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.Session;
import io.melo.core.UserMismatchException;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MessageCreated;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.RecordedCall;
import io.melo.testkit.TestUser;
import io.melo.testkit.model.Appservice;
import io.melo.testkit.model.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client whose session ended ({@code FAILED} with {@link LoggedOutException}) gets a new one
 * with {@link MeloClient#resume(Session)} or {@link MeloClient#resumeWithPassword}: same client,
 * same cache and listeners, and the events sent meanwhile arrive exactly once.
 */
@FakeOnly("expires tokens and counts the requests the homeserver received")
class ResumeTest {

  private static final String AS_TOKEN = "as-token-for-resume";

  private final Clock clock = Clock.manual(1_800_000_000_000L);

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension(
      FakeHomeserver.builder().clock(clock)
          .appservice(new Appservice("bridge", AS_TOKEN, "bridgebot", List.of("@app_.*:localhost"))));

  private final List<Session> persisted = new CopyOnWriteArrayList<>();

  private MeloConfig config() {
    return MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).onSessionChanged(persisted::add).build();
  }

  /** Alice's server with its general channel, which Bob (driven on the fake's side) has joined. */
  private Channel sharedChannel(MeloClient client, TestUser bob) {
    Server server = client.createServer("HQ").execute();
    Channel general = client.channels(server.id()).execute().get(0);
    bob.join(server.id());
    bob.join(general.id());
    return general;
  }

  /** Ends every session of {@code user} on the server and waits until the client's loop fails. */
  private static ConnectionStateChanged hardLogout(TestUser user, Clock clock, Recorder events) {
    user.expireToken(false);
    clock.advance(Duration.ofSeconds(31)); // ends the long poll in flight: the next sync is rejected
    return events.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.FAILED);
  }

  private List<String> bodies(Recorder events) {
    return events.seen(MessageCreated.class).stream().map(e -> e.message().body()).toList();
  }

  @Test
  void aHardLoggedOutClientResumesWithPasswordAndGetsTheMissedEventsExactlyOnce() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    try (MeloClient client = MeloClient.login(config(), alice.userId(), alice.password()).execute()) {
      Recorder events = new Recorder(client);
      Channel general = sharedChannel(client, bob);
      bob.sendText(general.id(), "before");
      events.await(MessageCreated.class, e -> e.message().body().equals("before"));
      Session old = client.session();

      ConnectionStateChanged failed = hardLogout(alice, clock, events);
      assertThat(failed.failure()).get().isInstanceOfSatisfying(LoggedOutException.class, e -> {
        assertThat(e.softLogout()).isFalse();
        assertThat(e.getMessage()).contains(alice.userId(), "hard logout").doesNotContain(old.accessToken());
      });
      assertThat(client.connectionState()).isEqualTo(ConnectionState.FAILED);
      assertThatThrownBy(() -> client.setDisplayName("while failed").execute()).isInstanceOf(LoggedOutException.class);
      bob.sendText(general.id(), "missed 1");
      bob.sendText(general.id(), "missed 2");
      persisted.clear();

      Session resumed = client.resumeWithPassword(alice.password()).execute();

      assertThat(resumed.userId()).isEqualTo(alice.userId());
      assertThat(resumed.accessToken()).isNotEqualTo(old.accessToken());
      assertThat(resumed.refreshToken()).isPresent();
      // A hard logout destroyed the device: the new login is a new device.
      assertThat(resumed.deviceId()).isPresent().isNotEqualTo(old.deviceId());
      assertThat(client.session()).isEqualTo(resumed);
      assertThat(persisted).containsExactly(resumed);
      events.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.CONNECTING);
      events.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.CONNECTED);
      events.await(MessageCreated.class, e -> e.message().body().equals("missed 2"));
      bob.sendText(general.id(), "after");
      events.await(MessageCreated.class, e -> e.message().body().equals("after"));

      assertThat(bodies(events)).containsExactly("before", "missed 1", "missed 2", "after");
      events.assertSequencesIncrease();
      assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
      // The same client works again, with its cache: the server it made is still known.
      assertThat(client.channels(general.serverId()).execute()).extracting(Channel::id).contains(general.id());
      assertThat(client.setDisplayName("back").execute()).isNull();
    }
  }

  @Test
  void aSessionLoggedInElsewhereResumesTheClientAndIsCheckedWithTheHomeserverFirst() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    try (MeloClient client = MeloClient.connect(config(), alice.userId(), alice.accessToken())) {
      Recorder events = new Recorder(client);
      Channel general = sharedChannel(client, bob);
      hardLogout(alice, clock, events);
      bob.sendText(general.id(), "meanwhile");
      // The app logs in by itself (here: another Melo client, closed at once) and hands the session over.
      Session elsewhere = sessionElsewhere(alice);
      Session withoutDevice = new Session(elsewhere.userId(), null, elsewhere.accessToken(),
          elsewhere.refreshToken().orElseThrow());
      long whoamis = count(Endpoint.WHOAMI);

      Session resumed = client.resume(withoutDevice).execute();

      assertThat(count(Endpoint.WHOAMI)).isEqualTo(whoamis + 1);
      assertThat(resumed.deviceId()).isEqualTo(elsewhere.deviceId()); // filled in from whoami
      events.await(MessageCreated.class, e -> e.message().body().equals("meanwhile"));
      bob.sendText(general.id(), "later");
      events.await(MessageCreated.class, e -> e.message().body().equals("later"));
      assertThat(bodies(events)).containsExactly("meanwhile", "later");
      assertThat(events.seen(ConnectionStateChanged.class)).extracting(ConnectionStateChanged::state)
          .containsSubsequence(ConnectionState.FAILED, ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    }
  }

  @Test
  void anotherUsersSessionIsRefusedNamingBothUsersAndTheClientStaysAsItWas() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    try (MeloClient client = MeloClient.connect(config(), alice.userId(), alice.accessToken())) {
      Recorder events = new Recorder(client);
      hardLogout(alice, clock, events);
      Session before = client.session();

      // The session says it is Bob's: refused before any request.
      assertThatThrownBy(() -> client.resume(new Session(bob.userId(), null, bob.accessToken(), null)).execute())
          .isInstanceOfSatisfying(UserMismatchException.class, e -> {
            assertThat(e.expectedUserId()).isEqualTo(alice.userId());
            assertThat(e.actualUserId()).isEqualTo(bob.userId());
            assertThat(e.getMessage()).contains(alice.userId(), bob.userId()).doesNotContain(bob.accessToken());
          });
      // The session claims to be Alice's, but the homeserver says the token is Bob's.
      assertThatThrownBy(() -> client.resume(new Session(alice.userId(), null, bob.accessToken(), null)).execute())
          .isInstanceOfSatisfying(UserMismatchException.class, e -> {
            assertThat(e.actualUserId()).isEqualTo(bob.userId());
            assertThat(e.getMessage()).contains("the homeserver says").doesNotContain(bob.accessToken());
          });
      assertThat(client.session()).isEqualTo(before);
      assertThat(client.connectionState()).isEqualTo(ConnectionState.FAILED);
      assertThat(persisted).isEmpty();
    }
  }

  @Test
  void aRejectedNewSessionOrAWrongPasswordLeavesTheClientFailed() {
    TestUser alice = hs.register("alice");
    try (MeloClient client = MeloClient.connect(config(), alice.userId(), alice.accessToken())) {
      Recorder events = new Recorder(client);
      hardLogout(alice, clock, events);

      assertThatThrownBy(() -> client.resume(new Session(alice.userId(), null, alice.accessToken(), null)).execute())
          .isInstanceOf(LoggedOutException.class)
          .hasMessageContaining("rejected the new session too")
          .message().doesNotContain(alice.accessToken());
      assertThatThrownBy(() -> client.resumeWithPassword("wrong-password").execute())
          .isInstanceOfSatisfying(HomeserverException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(403);
            assertThat(e.errcode()).isEqualTo("M_FORBIDDEN");
            assertThat(e.getMessage()).contains("refused the login").doesNotContain("wrong-password");
          });
      assertThat(client.connectionState()).isEqualTo(ConnectionState.FAILED);
      assertThat(persisted).isEmpty();
    }
  }

  @Test
  void aRunningClientTakesTheNewSessionWithoutRestartingAndAClosedOneRefuses() {
    TestUser alice = hs.register("alice");
    MeloClient client = MeloClient.login(config(), alice.userId(), alice.password()).execute();
    try (client) {
      Recorder events = new Recorder(client);
      Session old = client.session();
      Session resumed = client.resumeWithPassword(alice.password()).execute();
      // Not rejected: the device stays.
      assertThat(resumed.deviceId()).isEqualTo(old.deviceId());
      assertThat(client.setDisplayName("still running").execute()).isNull();
      assertThat(events.seen(ConnectionStateChanged.class)).extracting(ConnectionStateChanged::state)
          .doesNotContain(ConnectionState.CONNECTING, ConnectionState.FAILED);
    }
    assertThatThrownBy(() -> client.resumeWithPassword(alice.password()).execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aLoopFailingAfterAResumeRetriesOnceWithTheNewSessionThenReportsTheFailure() {
    TestUser alice = hs.register("alice");
    try (MeloClient client = MeloClient.connect(config(), alice.userId(), alice.accessToken())) {
      Recorder events = new Recorder(client);
      // A new session while the loop runs: it goes on with it, no restart.
      Session elsewhere = sessionElsewhere(alice);
      client.resume(new Session(alice.userId(), null, elsewhere.accessToken(), null)).execute();
      assertThat(client.setDisplayName("with the new session").execute()).isNull();
      List<ConnectionStateChanged> before = List.copyOf(events.seen(ConnectionStateChanged.class));
      assertThat(before).extracting(ConnectionStateChanged::state).endsWith(ConnectionState.CONNECTED)
          .doesNotContain(ConnectionState.FAILED);

      // Its rejection may have been the old session's: the loop restarts once with the new one,
      // which is rejected too, and only then does the client report the failure.
      ConnectionStateChanged failed = hardLogout(alice, clock, events);

      assertThat(failed.failure()).get().isInstanceOf(LoggedOutException.class);
      List<ConnectionStateChanged> all = events.seen(ConnectionStateChanged.class);
      assertThat(all.subList(before.size(), all.size())).extracting(ConnectionStateChanged::state)
          .containsExactly(ConnectionState.CONNECTING, ConnectionState.FAILED);
      assertThat(client.connectionState()).isEqualTo(ConnectionState.FAILED);
    }
  }

  @Test
  void anAppServiceWithAWrongAsTokenIsToldSoAndResumesWithTheRightOne() {
    String userId = MeloClient.provisionAppServiceUser(config(), AS_TOKEN, "app_alice").execute();
    TestUser bob = hs.register("bob");
    GatedExecutor gate = new GatedExecutor(Runnable::run);
    MeloConfig config = config().toBuilder().eventExecutor(gate).build();
    try (MeloClient client = MeloClient.asAppService(config, "not-the-as-token", userId)) {
      // The events wait for the recorder, so that not even the first (the failure) passes it by.
      Recorder failures = new Recorder(client, gate::open, false);
      ConnectionStateChanged failed =
          failures.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.FAILED);
      assertThat(failed.failure()).get().isInstanceOfSatisfying(LoggedOutException.class, e ->
          assertThat(e.getMessage())
              .contains(userId, "rejected the application service's as_token")
              .doesNotContain("refresh", "not-the-as-token"));
      assertThatThrownBy(() -> client.createServer("never").execute())
          .isInstanceOf(LoggedOutException.class)
          .hasMessageContaining("as_token")
          .message().doesNotContain("refresh");
      assertThatThrownBy(() -> client.resumeWithPassword("any").execute())
          .isInstanceOf(IllegalStateException.class);

      Session resumed = client.resume(new Session(userId, null, AS_TOKEN, null)).execute();

      assertThat(resumed.userId()).isEqualTo(userId);
      failures.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.CONNECTED);
      Server server = client.createServer("bridged").execute();
      assertThat(server.ownerId()).isEqualTo(userId);
      bob.join(server.id());
      // Reads come from the sync cache: once the join is an event, the member list shows it.
      failures.await(MemberJoined.class, e -> e.userId().equals(bob.userId()));
      assertThat(client.members(server.id()).execute()).extracting(m -> m.profile().userId()).contains(bob.userId());
    }
  }

  private long count(Endpoint endpoint) {
    return hs.requests().stream().map(RecordedCall::endpoint).filter(endpoint::equals).count();
  }

  /** True when some thread is blocked inside DefaultMeloClient.restartedForNewSession. */
  private static boolean oldLoopBlockedOnLifecycle() {
    for (java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey().getState() == Thread.State.BLOCKED
          && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("restartedForNewSession"))) {
        return true;
      }
    }
    return false;
  }

  /** A second session of {@code user}, logged in on another device and left valid. */
  private Session sessionElsewhere(TestUser user) {
    try (MeloClient other = MeloClient.login(config(), user.userId(), user.password()).execute()) {
      return other.session();
    }
  }

  /**
   * Only the old session ends (the new one, logged in elsewhere, stays valid): the client fails,
   * resumes with the new session, and nothing of the old loop (its failure, its close) comes after
   * the new loop's CONNECTED: the client does not go FAILED (or STOPPED) again.
   */
  @Test
  void aClientResumedAfterFailedDoesNotGoStaleFailedWhenTheOldLoopEnds() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    try (MeloClient client = MeloClient.connect(config(), alice.userId(), alice.accessToken())) {
      Recorder events = new Recorder(client);
      Channel general = sharedChannel(client, bob);
      Session elsewhere = sessionElsewhere(alice);

      hs.expireAccessToken(alice.accessToken(), false); // this client's session only
      clock.advance(Duration.ofSeconds(31)); // ends the long poll in flight: the next one is rejected
      events.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.FAILED);
      bob.sendText(general.id(), "while failed");

      client.resume(elsewhere).execute();

      events.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.CONNECTED);
      events.await(MessageCreated.class, e -> e.message().body().equals("while failed"));
      clock.advance(Duration.ofSeconds(31)); // a few more polls with the new session
      bob.sendText(general.id(), "after");
      events.await(MessageCreated.class, e -> e.message().body().equals("after"));
      List<ConnectionStateChanged> states = events.seen(ConnectionStateChanged.class);
      assertThat(states.get(states.size() - 1).state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(states).extracting(ConnectionStateChanged::state).containsSubsequence(
          ConnectionState.FAILED, ConnectionState.CONNECTING, ConnectionState.CONNECTED);
      assertThat(states.stream().filter(e -> e.state() == ConnectionState.FAILED)).hasSize(1);
      assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(bodies(events)).containsExactly("while failed", "after");
    }
  }

  /**
   * A long poll sent with the old token is rejected only after resume() installed the new session
   * (the old token alone expired meanwhile): that late rejection is the old session's, so the poll
   * is repeated with the new one and the client never reports FAILED.
   */
  @Test
  void aLateRejectionOfTheOldTokenAfterAResumeIsRetriedWithTheNewSession() throws Exception {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    try (MeloClient client = MeloClient.connect(config(), alice.userId(), alice.accessToken())) {
      Recorder events = new Recorder(client);
      Channel general = sharedChannel(client, bob);
      Session elsewhere = sessionElsewhere(alice);
      io.melo.testkit.Stall heldPoll = hs.faults().next(Endpoint.SYNC).stall();
      clock.advance(Duration.ofSeconds(31)); // ends the poll in flight; the next one (old token) is held
      assertThat(heldPoll.awaitArrival(Duration.ofSeconds(10))).isTrue();
      hs.expireAccessToken(alice.accessToken(), false);

      client.resume(elsewhere).execute();
      heldPoll.release(); // now the server rejects the old token the poll carries

      bob.sendText(general.id(), "after the late rejection");
      events.await(MessageCreated.class, e -> e.message().body().equals("after the late rejection"));
      assertThat(events.seen(ConnectionStateChanged.class)).extracting(ConnectionStateChanged::state)
          .doesNotContain(ConnectionState.FAILED);
      assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(client.session().accessToken()).isEqualTo(elsewhere.accessToken());
    }
  }

  /**
   * resume() installs its session while the old loop fails for the old token: it must not wait
   * out the old loop's close timeout (the old loop's listener waits for resume's lock).
   */
  @Test
  void aResumeWhileTheOldLoopFailsDoesNotStallOnTheLoopsClose() throws Exception {
    TestUser alice = hs.register("alice");
    java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<String> listenerSaw =
        new java.util.concurrent.atomic.AtomicReference<>("not run");
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run)
        .onSessionChanged(session -> {
          if (!armed.getAndSet(false)) {
            return;
          }
          // The app persists the new session (under install's lock); meanwhile the old token is
          // rejected and the old loop fails.
          alice.expireToken(false);
          clock.advance(Duration.ofSeconds(31));
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (!oldLoopBlockedOnLifecycle() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          listenerSaw.set(oldLoopBlockedOnLifecycle() ? "old loop blocked on lifecycle" : "not seen");
        })
        .build();
    MeloConfig plain = MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).build();
    try (MeloClient client = MeloClient.connect(config, alice.userId(), alice.accessToken())) {
      SharedSyncRuntimeTest.awaitConnected(client);
      Session elsewhere;
      try (MeloClient other = MeloClient.login(plain, alice.userId(), alice.password()).execute()) {
        elsewhere = other.session();
      }
      armed.set(true);
      long start = System.nanoTime();
      client.resume(new Session(alice.userId(), null, elsewhere.accessToken(), null)).execute();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(listenerSaw.get()).isEqualTo("old loop blocked on lifecycle");
      assertThat(took).as("resume() must not wait out the old loop's close timeout").isLessThan(Duration.ofSeconds(5));
    }
  }
}
