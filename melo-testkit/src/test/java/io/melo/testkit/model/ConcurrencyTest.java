package io.melo.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/** Many writers and long-polling readers at once: every reader sees every message exactly once, in order. */
class ConcurrencyTest {
  private static final int WRITERS = 4;
  private static final int READERS = 4;
  private static final int MESSAGES_PER_WRITER = 50;

  @RepeatedTest(5)
  void concurrentSendsAndLongPollsLoseAndRepeatNothing() throws Exception {
    Scene scene = new Scene();
    Homeserver hs = scene.hs;
    Scene.User owner = scene.user("owner");
    String room = owner.createRoom("preset", "public_chat");
    List<Scene.User> writers = new ArrayList<>();
    List<Scene.User> readers = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      Scene.User w = scene.user("writer" + i);
      w.join(room);
      writers.add(w);
    }
    for (int i = 0; i < READERS; i++) {
      Scene.User r = scene.user("reader" + i);
      r.join(room);
      readers.add(r);
    }
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
    try {
      List<Future<List<String>>> seen = new ArrayList<>();
      for (Scene.User r : readers) {
        String since = (String) r.sync(null).get("next_batch");
        Callable<List<String>> read = () -> {
          List<String> ids = new ArrayList<>();
          String token = since;
          while (ids.size() < WRITERS * MESSAGES_PER_WRITER) {
            Map<String, Object> resp = hs.sync(r.req, SyncRequest.since(token, 600_000));
            Map<String, Object> joined = Scene.obj(resp, "rooms", "join");
            if (joined.containsKey(room)) {
              Map<String, Object> timeline = Scene.obj(resp, "rooms", "join", room, "timeline");
              if (Boolean.TRUE.equals(timeline.get("limited"))) {
                // the gap between the last sync and this timeline: fill it from /messages, as a client does
                Map<String, Object> gap = hs.messages(r.req, room, (String) timeline.get("prev_batch"), token, "b", 1000L, null);
                List<Map<String, Object>> missed = new ArrayList<>(Scene.list(gap, "chunk"));
                java.util.Collections.reverse(missed);
                for (Map<String, Object> e : missed) {
                  if ("m.room.message".equals(e.get("type"))) {
                    ids.add((String) e.get("event_id"));
                  }
                }
              }
              for (Map<String, Object> e : Scene.timeline(resp, room)) {
                if ("m.room.message".equals(e.get("type"))) {
                  ids.add((String) e.get("event_id"));
                }
              }
            }
            token = (String) resp.get("next_batch");
          }
          return ids;
        };
        seen.add(pool.submit(read));
      }
      List<Future<?>> writes = new ArrayList<>();
      for (Scene.User w : writers) {
        writes.add(pool.submit(() -> {
          for (int i = 0; i < MESSAGES_PER_WRITER; i++) {
            w.send(room, w.id() + " " + i);
          }
        }));
      }
      for (Future<?> f : writes) {
        f.get(30, TimeUnit.SECONDS);
      }
      List<String> expected = new ArrayList<>();
      for (Event e : hs.timeline(room)) {
        if (e.type().equals("m.room.message")) {
          expected.add(e.eventId());
        }
      }
      assertThat(expected).hasSize(WRITERS * MESSAGES_PER_WRITER);
      for (Future<List<String>> f : seen) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
      }
    } finally {
      hs.close();
      pool.shutdownNow();
    }
  }
}
