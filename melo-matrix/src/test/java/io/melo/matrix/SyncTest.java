package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.sync.Presence;
import io.melo.matrix.sync.SyncRequest;
import io.melo.matrix.sync.SyncResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class SyncTest extends SpecCheckedTest {

  static final String SYNC =
      EndpointsTest.q(
          "{'next_batch':'s72595_4483_1934','rooms':{'join':{'!lobby:example.org':{'timeline':{'events':["
              + "{'event_id':'$t1','type':'m.room.message','sender':'@bob:example.org','origin_server_ts':1,"
              + "'content':{'msgtype':'m.text','body':'hi'}}],'limited':true,'prev_batch':'p1'}}}}}");

  @Test
  void syncSendsEveryParameterAndParsesTheAnswer() throws Exception {
    SyncRequest request =
        SyncRequest.builder()
            .filterId("f1")
            .since("s1")
            .timeout(Duration.ofSeconds(30))
            .fullState(true)
            .setPresence(Presence.OFFLINE)
            .build();
    SyncResponse response =
        exchange(
            "GET",
            "/_matrix/client/v3/sync?filter=f1&since=s1&timeout=30000&full_state=true&set_presence=offline",
            null,
            SYNC,
            () -> client.sync(request));
    assertThat(response.nextBatch()).isEqualTo("s72595_4483_1934");
    assertThat(response.rooms().join()).containsKey("!lobby:example.org");
  }

  @Test
  void syncSourceFetchesThroughTheClient() {
    ok(SYNC);
    SyncResponse response = client.syncSource().fetch(SyncRequest.builder().timeout(Duration.ZERO).build());
    assertThat(response.nextBatch()).isEqualTo("s72595_4483_1934");
  }

  @Test
  void syncSourceLeavesRetriesToTheSyncLoop() {
    // SyncLoop backs off (and shows RECONNECTING) itself: a client-side retry under it would hide the
    // outage for several long polls and multiply the two backoffs.
    SyncRequest now = SyncRequest.builder().timeout(Duration.ZERO).build();
    enqueue(502, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"bad gateway\"}");
    ok(SYNC);
    assertThatThrownBy(() -> client.syncSource().fetch(now))
        .isInstanceOfSatisfying(MatrixErrorException.class, e -> assertThat(e.httpStatus()).isEqualTo(502));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(clock.delays).isEmpty();
    assertThat(client.syncSource().fetch(now).nextBatch()).isEqualTo("s72595_4483_1934");

    // a plain client.sync() call is still retried like any GET
    enqueue(502, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"bad gateway\"}");
    ok(SYNC);
    assertThat(client.sync(now).execute().nextBatch()).isEqualTo("s72595_4483_1934");
    assertThat(clock.delays).hasSize(1);
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void waitingLongPollsDoNotStarveOtherRequests() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            if (request.getUrl().encodedPath().endsWith("/sync")) {
              release.await(20, TimeUnit.SECONDS);
              return new MockResponse.Builder().code(200).body(SYNC).build();
            }
            return new MockResponse.Builder().code(200).body("{\"joined_rooms\":[]}").build();
          }

          @Override
          public void close() {
            release.countDown();
          }
        });
    OkHttpClient shared = new OkHttpClient.Builder().build();
    shared.dispatcher().setMaxRequestsPerHost(2); // tighter than OkHttp's default 5, same effect
    MatrixConfig sharedConfig = config.toBuilder().http(shared).build();
    List<MatrixClient> users = new ArrayList<>();
    List<CompletableFuture<SyncResponse>> polls = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        MatrixClient user = MatrixClient.create(sharedConfig, MatrixCredentials.accessToken("tok" + i));
        users.add(user);
        polls.add(user.sync(SyncRequest.builder().since("s").timeout(Duration.ofSeconds(30)).build()).future());
      }
      for (int i = 0; i < 6; i++) {
        take(); // all six polls reached the server at once
      }
      assertThat(users.get(0).joinedRooms().future().get(5, TimeUnit.SECONDS)).isEmpty();
      assertThat(polls).noneMatch(CompletableFuture::isDone);
    } finally {
      release.countDown();
    }
    for (CompletableFuture<SyncResponse> poll : polls) {
      assertThat(poll.get(10, TimeUnit.SECONDS).nextBatch()).isEqualTo("s72595_4483_1934");
    }
    users.forEach(MatrixClient::close);
  }

  @Test
  void longPollReadTimeoutIsThePollTimeoutPlusMargin() throws Exception {
    OkHttpClient shortTimeout = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build();
    MatrixConfig slow =
        config.toBuilder()
            .http(shortTimeout)
            .longPollMargin(Duration.ofSeconds(2))
            .retryPolicy(RetryPolicy.NEVER)
            .build();
    server.enqueue(new MockResponse.Builder().headersDelay(800, TimeUnit.MILLISECONDS).body(SYNC).build());
    server.enqueue(
        new MockResponse.Builder().headersDelay(800, TimeUnit.MILLISECONDS).body("{\"joined_rooms\":[]}").build());
    try (MatrixClient user = MatrixClient.create(slow, MatrixCredentials.accessToken(TOKEN))) {
      SyncResponse response =
          user.sync(SyncRequest.builder().since("s").timeout(Duration.ofMillis(500)).build()).execute();
      assertThat(response.nextBatch()).isEqualTo("s72595_4483_1934");
      assertThatThrownBy(() -> user.joinedRooms().execute())
          .isInstanceOf(MatrixNetworkException.class)
          .hasMessageContaining("SocketTimeoutException");
    }
  }
}
