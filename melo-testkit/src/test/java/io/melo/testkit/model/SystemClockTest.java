package io.melo.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same long-poll behaviour on the wall clock: short real timeouts, no sleeps in the test. */
class SystemClockTest {
  @Test
  void longPollsTimeOutWakeOnEventsAndOnTypingExpiry() throws Exception {
    try (Homeserver hs = new Homeserver("sys.local", Clock.system())) {
      Credentials a = hs.registerUser("alice", "pw");
      Credentials b = hs.registerUser("bob", "pw");
      Requester alice = new Requester(a.userId(), a.deviceId(), null);
      Requester bob = new Requester(b.userId(), b.deviceId(), null);
      String room = (String) hs.createRoom(alice, Scene.map("preset", "public_chat")).get("room_id");
      hs.join(bob, room, null);
      String since = (String) hs.sync(bob, SyncRequest.initial()).get("next_batch");

      long start = System.nanoTime();
      Map<String, Object> empty = hs.sync(bob, SyncRequest.since(since, 30));
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
      assertThat(Scene.obj(empty, "rooms", "join")).isEmpty();

      CompletableFuture<Map<String, Object>> poll =
          CompletableFuture.supplyAsync(() -> hs.sync(bob, SyncRequest.since(since, 60_000)));
      assertThat(hs.awaitWaitingPolls(bob.userId(), 1, java.time.Duration.ofSeconds(10))).isTrue();
      hs.sendEvent(alice, room, "m.room.message", "t1", Scene.map("msgtype", "m.text", "body", "hi"));
      Map<String, Object> woke = poll.get(10, TimeUnit.SECONDS);
      String next = (String) woke.get("next_batch");

      hs.setTyping(alice, room, alice.userId(), true, 50L);
      Map<String, Object> typing = hs.sync(bob, SyncRequest.since(next, 0));
      String afterTyping = (String) typing.get("next_batch");
      long typingStart = System.nanoTime();
      Map<String, Object> stopped = hs.sync(bob, SyncRequest.since(afterTyping, 60_000));
      assertThat(System.nanoTime() - typingStart).isLessThan(TimeUnit.SECONDS.toNanos(30));
      List<Map<String, Object>> eph = Scene.list(stopped, "rooms", "join", room, "ephemeral", "events");
      assertThat(eph).singleElement().satisfies(e ->
          assertThat(Scene.obj(e, "content")).containsEntry("user_ids", List.of()));
    }
  }
}
