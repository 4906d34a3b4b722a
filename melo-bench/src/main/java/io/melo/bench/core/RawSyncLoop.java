package io.melo.bench.core;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The raw baseline of a live client: one thread, OkHttp long polls on {@code /sync} (timeout 30 s,
 * no filter, like Melo's loop), Moshi reading every token of each answer; each string value that
 * starts with the marker is reported with the time its answer was read.
 */
final class RawSyncLoop implements AutoCloseable {

  private final OkHttpClient http;
  private final HttpUrl syncUrl;
  private final String token;
  private final String marker;
  private final ObjLongConsumer<String> seen;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Call current;
  private volatile IOException failure;

  /** Starts a loop for the user of {@code token}; returns once its initial sync is done. */
  static RawSyncLoop start(OkHttpClient http, String baseUrl, String token, String marker,
      ObjLongConsumer<String> seen) throws IOException {
    RawSyncLoop loop = new RawSyncLoop(http, baseUrl, token, marker, seen);
    String since = loop.sync(null, 0);
    loop.thread.setDaemon(true);
    loop.thread.start();
    loop.since = since;
    return loop;
  }

  private String since;

  private RawSyncLoop(OkHttpClient http, String baseUrl, String token, String marker, ObjLongConsumer<String> seen) {
    this.http = http;
    this.syncUrl = HttpUrl.get(baseUrl + "/_matrix/client/v3/sync");
    this.token = token;
    this.marker = marker;
    this.seen = seen;
    this.thread = new Thread(this::run, "raw-sync");
  }

  private void run() {
    while (!closed) {
      try {
        since = sync(since, 30_000);
      } catch (IOException e) {
        if (!closed) {
          failure = e;
        }
        return;
      }
    }
  }

  /** One sync request; returns its next_batch. */
  private String sync(String since, int timeoutMs) throws IOException {
    HttpUrl.Builder url = syncUrl.newBuilder().addQueryParameter("timeout", Integer.toString(timeoutMs));
    if (since != null) {
      url.addQueryParameter("since", since);
    }
    Call call = http.newCall(new Request.Builder().url(url.build()).header("Authorization", "Bearer " + token).build());
    current = call;
    try (Response response = call.execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("sync answered " + response.code() + ": " + response.body().string());
      }
      Set<String> found = new HashSet<>();
      String next = RawJson.scanSync(JsonReader.of(response.body().source()), marker, found);
      long now = System.nanoTime();
      for (String value : found) {
        seen.accept(value, now);
      }
      if (next == null) {
        throw new IOException("sync answer without next_batch");
      }
      return next;
    }
  }

  /** The failure that ended the loop, if any. */
  IOException failure() {
    return failure;
  }

  @Override
  public void close() {
    closed = true;
    Call call = current;
    if (call != null) {
      call.cancel();
    }
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
