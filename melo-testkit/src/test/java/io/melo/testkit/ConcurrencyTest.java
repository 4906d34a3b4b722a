package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.model.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many clients at once: writers and long polls in parallel, nothing lost, duplicated or failed. */
class ConcurrencyTest {

  @Test
  @SuppressWarnings("unchecked")
  void writersAndLongPollsInParallel() throws Exception {
    int writers = 6;
    int perWriter = 25;
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestUser owner = hs.register("owner");
      String room = owner.createRoom(r -> r.preset("public_chat"));
      List<TestUser> users = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        TestUser u = hs.register("writer" + i);
        u.join(room);
        users.add(u);
      }
      TestHttp reader = new TestHttp(hs.baseUrl()).withToken(owner.accessToken());
      String start = (String) reader.get("/_matrix/client/v3/sync?timeout=0").json().get("next_batch");
      ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
      try {
        // A reader long-polls until it has seen every message, while the writers send.
        Future<Set<String>> seen = pool.submit(() -> {
          Set<String> bodies = new HashSet<>();
          String since = start;
          while (bodies.size() < writers * perWriter) {
            // A timeline limit above the total, so no sync is "limited" (which would skip events).
            TestHttp.Answer a = reader.get("/_matrix/client/v3/sync?timeout=10000&since=" + since
                + "&filter=%7B%22room%22%3A%7B%22timeline%22%3A%7B%22limit%22%3A1000%7D%7D%7D");
            assertThat(a.text()).doesNotContain("\"limited\":true");
            assertThat(a.status()).isEqualTo(200);
            since = (String) a.json().get("next_batch");
            Map<String, Object> join = (Map<String, Object>) ((Map<String, Object>) a.json().get("rooms")).get("join");
            if (join != null && join.containsKey(room)) {
              Map<String, Object> timeline = (Map<String, Object>) ((Map<String, Object>) join.get(room)).get("timeline");
              for (Object e : (List<Object>) timeline.get("events")) {
                Map<String, Object> ev = (Map<String, Object>) e;
                if ("m.room.message".equals(ev.get("type"))) {
                  bodies.add((String) ((Map<String, Object>) ev.get("content")).get("body"));
                }
              }
            }
          }
          return bodies;
        });
        List<Future<Integer>> sends = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          TestHttp http = new TestHttp(hs.baseUrl()).withToken(users.get(w).accessToken());
          int writer = w;
          Callable<Integer> task = () -> {
            int ok = 0;
            for (int i = 0; i < perWriter; i++) {
              String txn = "w" + writer + "." + i;
              TestHttp.Answer a = http.put("/_matrix/client/v3/rooms/" + room + "/send/m.room.message/" + txn,
                  "{\"msgtype\":\"m.text\",\"body\":\"" + txn + "\"}");
              if (a.status() == 200) {
                ok++;
              }
            }
            return ok;
          };
          sends.add(pool.submit(task));
        }
        for (Future<Integer> f : sends) {
          assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(perWriter);
        }
        assertThat(seen.get(60, TimeUnit.SECONDS)).hasSize(writers * perWriter);
      } finally {
        pool.shutdownNow();
      }
      List<Event> messages = hs.room(room).messages();
      assertThat(messages).hasSize(writers * perWriter);
      assertThat(messages).extracting(Event::eventId).doesNotHaveDuplicates();
    }
  }
}
