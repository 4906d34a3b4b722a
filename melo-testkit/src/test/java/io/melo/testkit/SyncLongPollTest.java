package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.model.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code /sync} long polls over HTTP: wake at once, time out on the clock, end on close. */
class SyncLongPollTest {

  private static String nextBatch(TestHttp.Answer a) {
    return (String) a.json().get("next_batch");
  }

  @Test
  void longPollWakesAtOnceWhenAMessageArrives() throws Exception {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestUser alice = hs.register("alice");
      String room = alice.createRoom();
      TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
      String since = nextBatch(http.get("/_matrix/client/v3/sync"));
      CompletableFuture<TestHttp.Answer> poll =
          CompletableFuture.supplyAsync(() -> http.get("/_matrix/client/v3/sync?timeout=60000&since=" + since));
      assertThat(hs.model().awaitWaitingPolls(alice.userId(), 1, Duration.ofSeconds(10))).isTrue();
      String eventId = alice.sendText(room, "wake up");
      TestHttp.Answer woke = poll.get(10, TimeUnit.SECONDS); // far below the 60 s timeout
      assertThat(woke.status()).isEqualTo(200);
      assertThat(woke.text()).contains(eventId, "wake up");
      assertThat(nextBatch(woke)).isNotEqualTo(since);
    }
  }

  @Test
  void absentTimeoutAnswersAtOnce() throws Exception {
    Clock clock = Clock.manual(1_700_000_000_000L);
    try (FakeHomeserver hs = FakeHomeserver.builder().clock(clock).start()) {
      TestUser alice = hs.register("alice");
      TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
      String since = nextBatch(http.get("/_matrix/client/v3/sync"));
      // On a manual clock a poll with a timeout would wait for advance(); without one it must not wait.
      TestHttp.Answer a = CompletableFuture.supplyAsync(() -> http.get("/_matrix/client/v3/sync?since=" + since))
          .get(10, TimeUnit.SECONDS);
      assertThat(a.status()).isEqualTo(200);
    }
  }

  @Test
  void timeoutPassesOnTheManualClock() throws Exception {
    Clock clock = Clock.manual(1_700_000_000_000L);
    try (FakeHomeserver hs = FakeHomeserver.builder().clock(clock).start()) {
      TestUser alice = hs.register("alice");
      TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
      String since = nextBatch(http.get("/_matrix/client/v3/sync"));
      CompletableFuture<TestHttp.Answer> poll =
          CompletableFuture.supplyAsync(() -> http.get("/_matrix/client/v3/sync?timeout=30000&since=" + since));
      // Parked: the poll has fixed its deadline on the clock.
      assertThat(hs.model().awaitWaitingPolls(alice.userId(), 1, Duration.ofSeconds(10))).isTrue();
      clock.advance(Duration.ofSeconds(29));
      assertThat(poll).isNotDone();
      assertThat(hs.model().waitingPolls(alice.userId())).isEqualTo(1);
      clock.advance(Duration.ofSeconds(2));
      TestHttp.Answer a = poll.get(10, TimeUnit.SECONDS);
      assertThat(a.status()).isEqualTo(200);
      assertThat(nextBatch(a)).isNotBlank();
    }
  }

  @Test
  void closingTheServerEndsALongPoll() throws Exception {
    Clock clock = Clock.manual(1_700_000_000_000L);
    FakeHomeserver hs = FakeHomeserver.builder().clock(clock).start();
    TestUser alice = hs.register("alice");
    TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
    String since = nextBatch(http.get("/_matrix/client/v3/sync"));
    CompletableFuture<Object> poll = CompletableFuture.supplyAsync(() -> {
      try {
        return http.get("/_matrix/client/v3/sync?timeout=300000&since=" + since).status();
      } catch (RuntimeException e) {
        return e;
      }
    });
    assertThat(hs.model().awaitWaitingPolls(alice.userId(), 1, Duration.ofSeconds(10))).isTrue();
    hs.close();
    assertThat(poll.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void unknownSinceTokenIsRefused() {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestUser alice = hs.register("alice");
      TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
      TestHttp.Answer a = http.unchecked().get("/_matrix/client/v3/sync?since=garbage");
      assertThat(a.status()).isEqualTo(400);
      assertThat(a.json()).containsKeys("errcode", "error");
      TestHttp.Answer t = http.unchecked().get("/_matrix/client/v3/sync?timeout=soon");
      assertThat(t.status()).isEqualTo(400);
      assertThat(t.errcode()).isEqualTo("M_INVALID_PARAM");
    }
  }
}
