package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.Session;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.matrix.MatrixClock;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.RecordedCall;
import io.melo.testkit.TestUser;
import io.melo.testkit.model.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An access token with {@code expires_in_ms} is refreshed shortly before it expires, on the
 * client's clock (here the fake's own, moved by the test), not only after the server rejected it.
 */
class RenewBeforeExpiryTest {

  private final Clock clock = Clock.manual(1_800_000_000_000L);

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension(
      FakeHomeserver.builder().clock(clock).accessTokenLifetime(Duration.ofMinutes(5)));

  private final List<Session> persisted = new CopyOnWriteArrayList<>();

  /** The fake's clock as the client's: its time, and tasks that run when the test moves it past them. */
  static final class ServerClock implements MatrixClock {
    private final Clock clock;

    ServerClock(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Instant now() {
      return Instant.ofEpochMilli(clock.nowMillis());
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
      long due = clock.nowMillis() + delay.toMillis();
      Runnable[] self = new Runnable[1];
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      self[0] = () -> {
        if (clock.nowMillis() >= due && done.compareAndSet(false, true)) {
          clock.removeListener(self[0]);
          CompletableFuture.runAsync(task);
        }
      };
      clock.onAdvance(self[0]);
      self[0].run();
      return () -> {
        done.set(true);
        clock.removeListener(self[0]);
      };
    }
  }

  private MeloConfig config() {
    return MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).clock(new ServerClock(clock))
        .onSessionChanged(persisted::add).build();
  }

  private List<RecordedCall> calls(Endpoint endpoint) {
    return hs.requests().stream().filter(c -> c.endpoint() == endpoint).toList();
  }

  private long rejected() {
    return hs.requests().stream().filter(c -> c.status() == 401).count();
  }

  /**
   * Waits until the client's long poll is parked at the homeserver: a poll then cannot be on its
   * way with the old token while the refresh's new token is used for the first time (which revokes
   * the old one, as the spec allows), so "no request rejected" is about the refresh alone.
   */
  private void awaitPollParked(TestUser user) {
    assertThat(hs.server().model().awaitWaitingPolls(user.userId(), 1, Duration.ofSeconds(10)))
        .as("the client's long poll is parked").isTrue();
  }

  private List<String> rejectedCalls() {
    return hs.requests().stream().filter(c -> c.status() == 401).map(c -> c.method() + " " + c.path()).toList();
  }

  @Test
  void theTokenIsRefreshedBeforeItExpiresAndNoRequestIsRejected() {
    TestUser alice = hs.register("alice");
    try (MeloClient client = MeloClient.login(config(), alice.userId(), alice.password()).execute()) {
      Recorder events = new Recorder(client);
      Session first = client.session();
      assertThat(calls(Endpoint.REFRESH)).isEmpty();

      clock.advance(Duration.ofMinutes(4)); // a minute left: nothing to do yet
      assertThat(client.createServer("early").execute().name()).isEqualTo("early");
      assertThat(calls(Endpoint.REFRESH)).isEmpty();
      assertThat(client.session()).isEqualTo(first);

      awaitPollParked(alice);
      clock.advance(Duration.ofSeconds(40)); // 20 s left: the next request refreshes first
      Server server = client.createServer("late").execute();

      assertThat(server.name()).isEqualTo("late");
      assertThat(calls(Endpoint.REFRESH)).hasSize(1);
      assertThat(client.session().accessToken()).isNotEqualTo(first.accessToken());
      assertThat(client.session().refreshToken()).isPresent().isNotEqualTo(first.refreshToken());
      assertThat(persisted.get(persisted.size() - 1)).isEqualTo(client.session());
      assertThat(rejected()).as("no request waited for the server to reject the token: %s", rejectedCalls()).isZero();

      // The refreshed token's expiry is known too: the next one is refreshed ahead as well.
      awaitPollParked(alice);
      clock.advance(Duration.ofMinutes(4).plusSeconds(45));
      assertThat(client.createServer("later").execute().name()).isEqualTo("later");
      assertThat(calls(Endpoint.REFRESH)).hasSize(2);
      assertThat(rejected()).isZero();
      assertThat(events.seen(ConnectionStateChanged.class)).extracting(ConnectionStateChanged::state)
          .doesNotContain(ConnectionState.FAILED, ConnectionState.RECONNECTING);
    }
  }

  @Test
  void manyCallsAtOnceShortlyBeforeExpiryRefreshOnce() throws Exception {
    TestUser alice = hs.register("alice");
    try (MeloClient client = MeloClient.login(config(), alice.userId(), alice.password()).execute()) {
      new Recorder(client);
      awaitPollParked(alice);
      clock.advance(Duration.ofMinutes(4).plusSeconds(40));
      List<CompletableFuture<Server>> creating = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        creating.add(client.createServer("server " + i).future());
      }
      for (CompletableFuture<Server> f : creating) {
        assertThat(f.get(20, TimeUnit.SECONDS).name()).startsWith("server ");
      }
      assertThat(calls(Endpoint.REFRESH)).hasSize(1);
      assertThat(rejected()).isZero();
    }
  }
}
