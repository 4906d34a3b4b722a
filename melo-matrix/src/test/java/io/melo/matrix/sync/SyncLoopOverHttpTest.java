package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixErrorException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The loop over MatrixClient's real HTTP source: what a long poll and the server's refusals do. */
class SyncLoopOverHttpTest extends OverHttpSyncScene {

  final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
  final BlockingQueue<SyncBatch> delivered = new LinkedBlockingQueue<>();
  final CountDownLatch releasePolls = new CountDownLatch(1);
  final CountDownLatch pollParked = new CountDownLatch(1);

  /** Answers /sync by its since token: a script per test. */
  interface Script {
    MockResponse answer(String since) throws InterruptedException;
  }

  void serve(Script script) {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        requests.add(request);
        return script.answer(request.getUrl().queryParameter("since"));
      }

      @Override
      public void close() {
        releasePolls.countDown();
      }
    });
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  MockResponse longPoll() throws InterruptedException {
    pollParked.countDown();
    releasePolls.await(30, TimeUnit.SECONDS);
    return json(200, "{\"next_batch\":\"late\"}");
  }

  SyncLoop.Builder loop(SyncStore store) {
    return SyncLoop.builder(client.syncSource(), delivered::add)
        .store(store)
        .request(SyncRequest.builder().timeout(Duration.ofSeconds(30)).build())
        .sleeper(d -> { })
        .closeTimeout(Duration.ofSeconds(10));
  }

  @Test
  void closeEndsARealLongPollPromptly() throws Exception {
    serve(since -> since == null ? json(200, "{\"next_batch\":\"n1\",\"rooms\":{}}") : longPoll());
    InMemorySyncStore store = new InMemorySyncStore();
    loop = loop(store).build();
    loop.start();
    assertThat(delivered.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(pollParked.await(5, TimeUnit.SECONDS)).isTrue();
    RecordedRequest initial = requests.take();
    assertThat(initial.getUrl().queryParameter("timeout")).isEqualTo("0");
    RecordedRequest poll = requests.take();
    assertThat(poll.getUrl().queryParameter("since")).isEqualTo("n1");
    assertThat(poll.getUrl().queryParameter("timeout")).isEqualTo("30000");

    long started = System.nanoTime();
    loop.close();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
    assertThat(store.load()).contains("n1");
    assertThat(delivered).isEmpty(); // the parked poll's late answer is never delivered
  }

  @Test
  void anUnknownSinceFromTheServerResetsOnce() throws Exception {
    serve(since -> {
      if ("stale".equals(since)) {
        return json(400, "{\"errcode\":\"M_UNKNOWN_POS\",\"error\":\"Unknown position\"}");
      }
      return since == null ? json(200, "{\"next_batch\":\"fresh\"}") : longPoll();
    });
    loop = loop(new InMemorySyncStore("stale")).build();
    loop.start();
    SyncBatch batch = delivered.poll(5, TimeUnit.SECONDS);
    assertThat(batch).isNotNull();
    assertThat(batch.reset()).isTrue();
    assertThat(batch.response().nextBatch()).isEqualTo("fresh");
  }

  @Test
  void aRevokedTokenStopsTheLoopInError() throws Exception {
    serve(since -> json(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\"}"));
    loop = loop(new InMemorySyncStore()).build();
    loop.start();
    assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(loop.state()).isEqualTo(SyncState.ERROR);
    assertThat(loop.failure()).get().isInstanceOf(MatrixErrorException.class);
    assertThat(((MatrixErrorException) loop.failure().get()).httpStatus()).isEqualTo(401);
    assertThat(loop.failure().get().getMessage()).doesNotContain("syt_secret");
    assertThat(requests).hasSize(1);
  }
}
