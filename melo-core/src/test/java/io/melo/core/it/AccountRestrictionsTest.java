package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.AccountRestrictedException;
import io.melo.core.AccountRestrictedException.Restriction;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.Session;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.RecordedCall;
import io.melo.testkit.TestUser;
import io.melo.testkit.model.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Locked, suspended and deactivated accounts come back as {@link AccountRestrictedException}. */
class AccountRestrictionsTest {

  private final Clock clock = Clock.manual(1_800_000_000_000L);

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension(FakeHomeserver.builder().clock(clock));

  private MeloConfig.Builder config() {
    return MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run);
  }

  private long count(Endpoint endpoint) {
    return hs.requests().stream().map(RecordedCall::endpoint).filter(endpoint::equals).count();
  }

  /** Ends the long poll in flight (its 30 s timeout on the fake's clock) so the next one meets the change. */
  private ConnectionStateChanged nextPollFails(Recorder events) {
    clock.advance(Duration.ofSeconds(31));
    return events.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.FAILED);
  }

  @Test
  void aLockedAccountFailsTheClientWithoutARefreshAndTheSameSessionResumesOnceUnlocked() {
    TestUser alice = hs.register("alice");
    try (MeloClient client = MeloClient.login(config().build(), alice.userId(), alice.password()).execute()) {
      Recorder events = new Recorder(client);
      Session session = client.session();
      assertThat(session.refreshToken()).isPresent();

      alice.lock();
      ConnectionStateChanged failed = nextPollFails(events);

      assertThat(failed.failure()).get().isInstanceOfSatisfying(AccountRestrictedException.class, e -> {
        assertThat(e.restriction()).isEqualTo(Restriction.LOCKED);
        assertThat(e.sessionSurvives()).isTrue();
        assertThat(e.userId()).isEqualTo(alice.userId());
        assertThat(e.getMessage()).contains(alice.userId(), "locked").doesNotContain(session.accessToken());
      });
      assertThatThrownBy(() -> client.createServer("while locked").execute())
          .isInstanceOfSatisfying(AccountRestrictedException.class,
              e -> assertThat(e.restriction()).isEqualTo(Restriction.LOCKED));
      assertThat(count(Endpoint.REFRESH)).isZero(); // a new token cannot unlock an account

      alice.unlock();
      assertThat(client.resume(session).execute()).isEqualTo(session);
      events.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.CONNECTED);
      assertThat(client.createServer("unlocked").execute().name()).isEqualTo("unlocked");
    }
  }

  @Test
  void aSuspendedAccountReadsButItsWritesAreRefused() {
    TestUser alice = hs.register("alice");
    try (MeloClient client = MeloClient.login(config().build(), alice.userId(), alice.password()).execute()) {
      Recorder events = new Recorder(client);
      Server before = client.createServer("before").execute();

      alice.suspend();

      assertThatThrownBy(() -> client.createServer("while suspended").execute())
          .isInstanceOfSatisfying(AccountRestrictedException.class, e -> {
            assertThat(e.restriction()).isEqualTo(Restriction.SUSPENDED);
            assertThat(e.sessionSurvives()).isFalse();
            assertThat(e.getMessage()).contains("suspended");
          });
      assertThat(client.servers().execute()).extracting(Server::id).containsExactly(before.id());
      clock.advance(Duration.ofSeconds(31)); // the sync goes on: the next poll is served
      assertThat(client.channels(before.id()).execute()).isNotEmpty();
      assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTED);

      alice.reinstate();
      assertThat(client.createServer("reinstated").execute().name()).isEqualTo("reinstated");
      assertThat(events.seen(ConnectionStateChanged.class))
          .noneMatch(e -> e.state() == ConnectionState.FAILED);
    }
  }

  @Test
  void aDeactivatedAccountFailsTheClientEvenWithAPasswordToLogInAgain() {
    TestUser alice = hs.register("alice");
    MeloConfig config = config().reLoginWithPassword(alice.password()).build();
    try (MeloClient client = MeloClient.login(config, alice.userId(), alice.password()).execute()) {
      Recorder events = new Recorder(client);

      alice.deactivate();
      ConnectionStateChanged failed = nextPollFails(events);

      assertThat(failed.failure()).get().isInstanceOfSatisfying(AccountRestrictedException.class,
          e -> assertThat(e.restriction()).isEqualTo(Restriction.DEACTIVATED));
      assertThatThrownBy(() -> client.resumeWithPassword(alice.password()).execute())
          .isInstanceOfSatisfying(AccountRestrictedException.class, e -> {
            assertThat(e.restriction()).isEqualTo(Restriction.DEACTIVATED);
            assertThat(e.getMessage()).doesNotContain(alice.password());
          });
    }
  }
}
