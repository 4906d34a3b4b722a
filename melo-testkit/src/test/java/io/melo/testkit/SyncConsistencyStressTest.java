package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Writers and syncing clients at once over HTTP, then the strict guarantees of the model: every
 * syncing client sees every event of the room exactly once and in the server's timeline order,
 * its {@code next_batch} tokens never go back, concurrent sends of one transaction id from one
 * device make one event, and a send racing a ban is judged against the state at its place in the
 * timeline (nothing of the banned user after the ban). No sleeps: a start gate, a latch for the
 * ban, and a final marker event the syncing clients stop at.
 */
class SyncConsistencyStressTest {
  private static final int WRITERS = 4;
  private static final int PER_WRITER = 25;
  private static final int TOPICS = 15;
  private static final int SYNCERS = 3;
  private static final int VICTIM_MAX_SENDS = 100;
  /** A timeline limit above everything the test sends, so no sync is limited (which would skip events). */
  private static final String FILTER = "%7B%22room%22%3A%7B%22timeline%22%3A%7B%22limit%22%3A1000%7D%7D%7D";
  private static final Pattern TOKEN = Pattern.compile("s([0-9]+)_.*");

  /** What one syncing client saw: event ids in order, and every next_batch position. */
  private record Seen(List<String> eventIds, List<Long> positions) {}

  @Test
  void everySyncingClientSeesEveryEventOnceInTimelineOrder() throws Exception {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestUser owner = hs.register("owner");
      String room = owner.createRoom(r -> r.preset("public_chat"));
      List<TestUser> writers = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        TestUser u = hs.register("writer" + i);
        u.join(room);
        writers.add(u);
      }
      TestUser victim = hs.register("victim");
      victim.join(room);
      List<TestHttp> syncers = new ArrayList<>();
      for (int i = 0; i < SYNCERS; i++) {
        TestUser u = hs.register("syncer" + i);
        u.join(room);
        syncers.add(new TestHttp(hs.baseUrl()).withToken(u.accessToken()));
      }
      // Nothing happens between the initial syncs: every syncing client starts at the same position.
      List<String> starts = new ArrayList<>();
      for (TestHttp http : syncers) {
        starts.add((String) http.get("/_matrix/client/v3/sync?timeout=0&filter=" + FILTER).json().get("next_batch"));
      }
      long startPosition = position(starts.get(0));
      for (String s : starts) {
        assertThat(position(s)).isEqualTo(startPosition);
      }
      TestHttp ownerHttp = new TestHttp(hs.baseUrl()).withToken(owner.accessToken());
      String done = "done-marker";

      ExecutorService pool = Executors.newFixedThreadPool(SYNCERS + 2 * WRITERS + 3);
      try {
        List<Future<Seen>> seen = new ArrayList<>();
        for (int i = 0; i < SYNCERS; i++) {
          TestHttp http = syncers.get(i);
          String start = starts.get(i);
          seen.add(pool.submit(() -> syncUntil(http, room, start, done)));
        }
        CountDownLatch gate = new CountDownLatch(1);
        // Each writer has a twin on the same device sending the same transaction ids at the same time.
        List<Future<List<String>>> sent = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          TestHttp http = new TestHttp(hs.baseUrl()).withToken(writers.get(w).accessToken());
          int writer = w;
          Callable<List<String>> task = () -> {
            gate.await();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < PER_WRITER; i++) {
              String txn = "w" + writer + "." + i;
              TestHttp.Answer a = http.put("/_matrix/client/v3/rooms/" + room + "/send/m.room.message/" + txn,
                  "{\"msgtype\":\"m.text\",\"body\":\"" + txn + "\"}");
              assertThat(a.status()).as(a.text()).isEqualTo(200);
              ids.add((String) a.json().get("event_id"));
            }
            return ids;
          };
          sent.add(pool.submit(task));
          sent.add(pool.submit(task));
        }
        Future<?> topics = pool.submit(() -> {
          gate.await();
          for (int i = 0; i < TOPICS; i++) {
            TestHttp.Answer a = ownerHttp.put("/_matrix/client/v3/rooms/" + room + "/state/m.room.topic/",
                "{\"topic\":\"topic " + i + "\"}");
            assertThat(a.status()).as(a.text()).isEqualTo(200);
          }
          return null;
        });
        // The victim sends until refused; the owner bans it once five of its messages are in.
        CountDownLatch fiveIn = new CountDownLatch(5);
        TestHttp victimHttp = new TestHttp(hs.baseUrl()).withToken(victim.accessToken());
        Future<List<String>> victimSent = pool.submit(() -> {
          gate.await();
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < VICTIM_MAX_SENDS; i++) {
            TestHttp.Answer a = victimHttp.put("/_matrix/client/v3/rooms/" + room + "/send/m.room.message/v" + i,
                "{\"msgtype\":\"m.text\",\"body\":\"v" + i + "\"}");
            if (a.status() == 403) {
              assertThat(a.errcode()).isEqualTo("M_FORBIDDEN");
              return ids;
            }
            assertThat(a.status()).as(a.text()).isEqualTo(200);
            ids.add((String) a.json().get("event_id"));
            fiveIn.countDown();
          }
          throw new AssertionError("the victim was never refused after its ban");
        });
        Future<String> ban = pool.submit(() -> {
          fiveIn.await();
          TestHttp.Answer a = ownerHttp.post("/_matrix/client/v3/rooms/" + room + "/ban",
              "{\"user_id\":\"" + victim.userId() + "\"}");
          assertThat(a.status()).as(a.text()).isEqualTo(200);
          return hs.room(room).state("m.room.member", victim.userId()).get("membership").toString();
        });
        gate.countDown();

        for (int w = 0; w < WRITERS; w++) {
          List<String> a = sent.get(2 * w).get(60, TimeUnit.SECONDS);
          List<String> b = sent.get(2 * w + 1).get(60, TimeUnit.SECONDS);
          assertThat(b).as("the same device and txn id give the same event, whichever request won").isEqualTo(a);
          assertThat(a).doesNotHaveDuplicates();
        }
        topics.get(60, TimeUnit.SECONDS);
        assertThat(ban.get(60, TimeUnit.SECONDS)).isEqualTo("ban");
        List<String> victimIds = victimSent.get(60, TimeUnit.SECONDS);
        assertThat(victimIds).hasSizeGreaterThanOrEqualTo(5);
        owner.sendText(room, done);

        // The server's own order: every event after the syncers' starting point.
        List<Event> timeline = hs.room(room).timeline();
        List<String> expected = new ArrayList<>();
        for (Event e : timeline) {
          if (e.streamPosition() > startPosition) {
            expected.add(e.eventId());
          }
        }
        assertThat(expected).hasSize(WRITERS * PER_WRITER + TOPICS + victimIds.size() + 2);
        for (Future<Seen> f : seen) {
          Seen s = f.get(60, TimeUnit.SECONDS);
          assertThat(s.eventIds()).doesNotHaveDuplicates();
          assertThat(s.eventIds()).containsExactlyElementsOf(expected);
          assertThat(s.positions()).isSorted();
        }

        // Each writer's messages are in the timeline in the order it sent them; nothing of the
        // victim follows its ban, and every send the victim was told succeeded is there.
        List<String> order = new ArrayList<>();
        for (Event e : timeline) {
          order.add(e.eventId());
        }
        for (int w = 0; w < WRITERS; w++) {
          List<String> ids = sent.get(2 * w).get();
          List<Integer> at = new ArrayList<>();
          for (String id : ids) {
            at.add(order.indexOf(id));
          }
          assertThat(at).doesNotContain(-1).isSorted();
        }
        int banAt = -1;
        for (int i = 0; i < timeline.size(); i++) {
          Event e = timeline.get(i);
          if (e.type().equals("m.room.member") && victim.userId().equals(e.stateKey())
              && "ban".equals(e.originalContent().get("membership"))) {
            banAt = i;
          }
        }
        assertThat(banAt).isPositive();
        for (String id : victimIds) {
          assertThat(order.indexOf(id)).isBetween(0, banAt - 1);
        }
        for (int i = banAt + 1; i < timeline.size(); i++) {
          assertThat(timeline.get(i).sender()).isNotEqualTo(victim.userId());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Long-polls from {@code since} until the marker message arrives; never a limited timeline. */
  @SuppressWarnings("unchecked")
  private static Seen syncUntil(TestHttp http, String room, String since, String marker) {
    List<String> ids = new ArrayList<>();
    List<Long> positions = new ArrayList<>();
    positions.add(position(since));
    while (true) {
      TestHttp.Answer a = http.get("/_matrix/client/v3/sync?timeout=20000&filter=" + FILTER + "&since=" + since);
      assertThat(a.status()).as(a.text()).isEqualTo(200);
      Map<String, Object> body = a.json();
      since = (String) body.get("next_batch");
      positions.add(position(since));
      Map<String, Object> join = (Map<String, Object>) ((Map<String, Object>) body.get("rooms")).get("join");
      if (join == null || !join.containsKey(room)) {
        continue;
      }
      Map<String, Object> timeline = (Map<String, Object>) ((Map<String, Object>) join.get(room)).get("timeline");
      assertThat(timeline.get("limited")).isEqualTo(false);
      boolean end = false;
      for (Object o : (List<Object>) timeline.get("events")) {
        Map<String, Object> e = (Map<String, Object>) o;
        ids.add((String) e.get("event_id"));
        Object content = e.get("content");
        end |= "m.room.message".equals(e.get("type")) && marker.equals(((Map<String, Object>) content).get("body"));
      }
      if (end) {
        return new Seen(ids, positions);
      }
    }
  }

  /** The stream position in a token ({@code s<position>_<instance>}, see the model's package doc). */
  private static long position(String token) {
    Matcher m = TOKEN.matcher(token);
    assertThat(m.matches()).as(token).isTrue();
    return Long.parseLong(m.group(1));
  }
}
