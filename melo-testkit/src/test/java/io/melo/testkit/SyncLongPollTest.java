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
      Stall arrived = hs.faults().next(Endpoint.SYNC).stall(); // only to know the poll reached the server
      CompletableFuture<TestHttp.Answer> poll =
          CompletableFuture.supplyAsync(() -> http.get("/_matrix/client/v3/sync?timeout=60000&since=" + since));
      assertThat(arrived.awaitArrival(Duration.ofSeconds(10))).isTrue();
      arrived.release();
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
      Stall arrived = hs.faults().next(Endpoint.SYNC).stall();
      CompletableFuture<TestHttp.Answer> poll =
          CompletableFuture.supplyAsync(() -> http.get("/_matrix/client/v3/sync?timeout=30000&since=" + since));
      assertThat(arrived.awaitArrival(Duration.ofSeconds(10))).isTrue();
      arrived.release();
      assertThat(poll).isNotDone();
      // The poll may not have read the clock yet when released: advance until it has ended (each
      // advance is past its 30 s timeout, so at most the second one ends it).
      TestHttp.Answer a = null;
      for (int i = 0; i < 100 && a == null; i++) {
        clock.advance(Duration.ofSeconds(31));
        try {
          a = poll.get(100, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException notYet) {
          // the poll was not waiting yet when the clock moved
        }
      }
      assertThat(a).isNotNull();
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
    Stall arrived = hs.faults().next(Endpoint.SYNC).stall();
    CompletableFuture<Object> poll = CompletableFuture.supplyAsync(() -> {
      try {
        return http.get("/_matrix/client/v3/sync?timeout=300000&since=" + since).status();
      } catch (RuntimeException e) {
        return e;
      }
    });
    assertThat(arrived.awaitArrival(Duration.ofSeconds(10))).isTrue();
    arrived.release();
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
