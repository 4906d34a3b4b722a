package io.melo.bench.core;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;

/**
 * A bare mockwebserver3 that answers an initial {@code GET /sync} (no {@code since}) with fixed
 * bytes, written straight from one array (no copy per request), and an incremental one with an
 * empty answer after a second (so a client that stays connected idles instead of spinning), and
 * {@code GET /account/whoami} with {@link #TOKEN} with {@link #USER} (counted in {@link #whoamis()}).
 * Anything else is a 404 {@code M_UNRECOGNIZED}, counted in {@link #unexpected()}.
 */
final class CannedSyncServer implements AutoCloseable {

  static final String USER = "@bench:localhost";
  static final String TOKEN = "bench-token";

  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger unexpected = new AtomicInteger();
  private final AtomicInteger whoamis = new AtomicInteger();

  CannedSyncServer(byte[] initialSync) throws IOException {
    MockResponseBody body = new MockResponseBody() {
      @Override
      public long getContentLength() {
        return initialSync.length;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.write(initialSync);
        sink.flush();
      }
    };
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.endsWith("/account/whoami")
            && ("Bearer " + TOKEN).equals(request.getHeaders().get("Authorization"))) {
          // A resumed client checks whose session it was given, beside its first sync.
          whoamis.incrementAndGet();
          return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
              .body("{\"user_id\":\"" + USER + "\",\"is_guest\":false}").build();
        }
        if (path.endsWith("/sync")) {
          if (request.getUrl().queryParameter("since") == null) {
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(body).build();
          }
          return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
              .headersDelay(1, TimeUnit.SECONDS)
              .body("{\"next_batch\":\"" + request.getUrl().queryParameter("since") + "\"}").build();
        }
        unexpected.incrementAndGet();
        return new MockResponse.Builder().code(404).setHeader("Content-Type", "application/json")
            .body("{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"not canned\"}").build();
      }
    });
    server.start();
  }

  /** The base URL, such as {@code http://127.0.0.1:1234}. */
  String baseUrl() {
    String url = server.url("/").toString();
    return url.substring(0, url.length() - 1);
  }

  /** The URL of an initial sync. */
  String initialSyncUrl() {
    return baseUrl() + "/_matrix/client/v3/sync";
  }

  /** {@code GET /account/whoami} requests answered (one per client connected). */
  int whoamis() {
    return whoamis.get();
  }

  /** Requests that were neither kind of sync nor a whoami with the canned token. */
  int unexpected() {
    return unexpected.get();
  }

  @Override
  public void close() {
    server.close();
  }
}
