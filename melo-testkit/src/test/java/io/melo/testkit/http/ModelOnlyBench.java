package io.melo.testkit.http;

import io.melo.testkit.model.Clock;
import io.melo.testkit.model.Credentials;
import io.melo.testkit.model.Homeserver;
import io.melo.testkit.model.Requester;
import io.melo.testkit.model.SyncRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain benchmark main (not a test): the bench's send+sync workload against the model alone, no
 * HTTP, with N threads in one room (sends, incremental syncs with a stored filter of timeline limit 5,
 * and the response JSON written as the server would). Prints operations/s and the thread CPU time per
 * operation, which tells the model's own cost and its lock contention apart from the HTTP layer's.
 * Run like {@code FakeHomeserverBench} with {@code io.melo.testkit.http.ModelOnlyBench [threads]}.
 */
public final class ModelOnlyBench {
  private ModelOnlyBench() {}

  /** Runs six 2-second rounds and prints each. */
  public static void main(String[] a) throws Exception {
    int threads = a.length > 0 ? Integer.parseInt(a[0]) : 8;
    Homeserver hs = new Homeserver("localhost", Clock.system());
    int n = 9;
    List<Requester> rq = new ArrayList<>();
    List<String> filters = new ArrayList<>();
    String room = null;
    for (int i = 0; i < n; i++) {
      Credentials c = hs.registerUser("u" + i, "pw-u" + i + "-123");
      Requester r = hs.authenticate(c.accessToken(), null);
      rq.add(r);
      if (i == 0) room = (String) hs.createRoom(r, Map.of("preset", "public_chat")).get("room_id");
      else hs.join(r, room, null);
      filters.add((String) hs.createFilter(r, r.userId(), Map.of("room", Map.of("timeline", Map.of("limit", 5L)))).get("filter_id"));
    }
    String fr = room;
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 6; round++) {
      AtomicLong ops = new AtomicLong(); AtomicLong cpu = new AtomicLong();
      long end = System.nanoTime() + 2_000_000_000L;
      int rr = round;
      List<Thread> ts = new ArrayList<>();
      long w0 = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        int i = t % 8 + 1;
        Thread th = new Thread(() -> {
          long c0 = mx.getCurrentThreadCpuTime();
          String since = (String) hs.sync(rq.get(i), new SyncRequest(null, filters.get(i), false, 0, null)).get("next_batch");
          long k = 0;
          while (System.nanoTime() < end) {
            hs.sendEvent(rq.get(i), fr, "m.room.message", "t" + rr + "." + Thread.currentThread().getId() + "." + (k++), Map.of("msgtype", "m.text", "body", "hello"));
            Map<String, Object> s = hs.sync(rq.get(i), new SyncRequest(since, filters.get(i), false, 0, null));
            ResponseJson.buffer(s);
            since = (String) s.get("next_batch");
            ops.addAndGet(2);
          }
          cpu.addAndGet(mx.getCurrentThreadCpuTime() - c0);
        });
        ts.add(th); th.start();
      }
      for (Thread th : ts) th.join();
      double secs = (System.nanoTime() - w0) / 1e9;
      System.out.printf("threads %d round %d: %.0f ops/s, cpu per op %.1f us%n", threads, round, ops.get() / secs, cpu.get() / 1e3 / ops.get());
    }
  }
}
