package io.melo.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.Endpoint;
import io.melo.testkit.json.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's safety nets: unexpected exceptions become 500 M_UNKNOWN, close frees blocked handlers. */
class MatrixDispatcherTest {
  private final OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private final MatrixDispatcher dispatcher = new MatrixDispatcher();
  private final MockWebServer server = new MockWebServer();
  private final List<Throwable> internal = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    dispatcher.close();
    server.close();
  }

  private void start() throws Exception {
    dispatcher.onInternalError(internal::add);
    server.setDispatcher(dispatcher);
    server.start();
  }

  private Object[] get(String path) throws Exception {
    try (Response r = client.newCall(new Request.Builder().url(server.url(path)).build()).execute()) {
      return new Object[] {r.code(), Json.parse(r.body().string())};
    }
  }

  @Test
  void unexpectedExceptionIs500UnknownAndReported() throws Exception {
    dispatcher.handle(Endpoint.VERSIONS, ex -> {
      throw new IllegalStateException("bug");
    });
    start();
    Object[] answer = get("/_matrix/client/versions");
    assertThat(answer[0]).isEqualTo(500);
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) answer[1];
    assertThat(body).containsEntry("errcode", "M_UNKNOWN").containsKey("error");
    assertThat(internal).singleElement().isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeReleasesABlockedHandlerAndLaterRequestsGet503() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    dispatcher.onClose(released::countDown);
    dispatcher.handle(Endpoint.SYNC, ex -> {
      entered.countDown();
      released.await();
      return Reply.empty();
    });
    start();
    CompletableFuture<Object[]> blocked = CompletableFuture.supplyAsync(() -> {
      try {
        return get("/_matrix/client/v3/sync");
      } catch (Exception e) {
        return new Object[] {e};
      }
    });
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    dispatcher.close();
    assertThat(blocked.get(10, TimeUnit.SECONDS)[0]).isEqualTo(200);
    Object[] after = get("/_matrix/client/v3/sync");
    assertThat(after[0]).isEqualTo(503);
    assertThat(internal).isEmpty();
  }

  @Test
  void unimplementedEndpointIsReportedWithItsRedactedPath() throws Exception {
    List<String> unimplemented = new CopyOnWriteArrayList<>();
    dispatcher.onUnimplemented(unimplemented::add);
    start();
    Object[] answer = get("/_matrix/client/v3/sync?access_token=secret");
    assertThat(answer[0]).isEqualTo(404);
    assertThat(unimplemented).containsExactly("GET /_matrix/client/v3/sync (SYNC)");
  }
}
