package io.melo.matrix;

import static io.melo.matrix.LongPollTransportTest.POLL;
import static io.melo.matrix.LongPollTransportTest.await;
import static io.melo.matrix.LongPollTransportTest.fetch;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.matrix.sync.SyncResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** Many clients' waiting long polls held by one selector thread: threads do not grow per client. */
class LongPollScaleTest {

  static final int CLIENTS = 200;

  /** Threads of this process that are not the test server's (it serves each connection on a thread). */
  static Set<Thread> clientSideThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && !thread.getName().startsWith("MockWebServer")) {
        threads.add(thread);
      }
    }
    return threads;
  }

  @Test
  void twoHundredWaitingPollsHoldNoThreadEach() throws Exception {
    HoldingDispatcher holding =
        new HoldingDispatcher(
            CLIENTS,
            request -> !request.getUrl().queryParameter("since").equals("warm"),
            request -> HoldingDispatcher.json("{\"next_batch\":\"" + HoldingDispatcher.token(request) + "\"}"));
    List<MatrixClient> clients = new ArrayList<>();
    try (MockWebServer server = new MockWebServer();
        LongPollTransport longPolls = LongPollTransport.builder().threadName("scale-longpoll").build()) {
      server.setDispatcher(holding);
      server.start();
      MatrixConfig config = MatrixConfig.builder(server.url("/")).retryPolicy(RetryPolicy.NEVER).build();
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(MatrixClient.create(config, MatrixCredentials.accessToken("token" + i)));
      }
      // One poll first, so the transport's pools have started what they start.
      await(fetch(clients.get(0).asyncSyncSource(longPolls), POLL.withSince("warm")));
      Set<Thread> before = clientSideThreads();

      List<CompletableFuture<SyncResponse>> polls = new ArrayList<>();
      for (MatrixClient client : clients) {
        polls.add(fetch(client.asyncSyncSource(longPolls), POLL));
      }
      assertThat(holding.awaitArrived()).as("every poll reached the server").isTrue();
      long serverThreads =
          Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("MockWebServer")).count();
      assertThat(serverThreads)
          .as("the count sees a design with a thread per connection (the test server is one)")
          .isGreaterThanOrEqualTo(CLIENTS);
      Set<Thread> during = clientSideThreads();
      during.removeAll(before);
      assertThat(during.stream().map(Thread::getName).collect(Collectors.toList()))
          .as("threads started while %s polls wait", CLIENTS)
          .hasSizeLessThanOrEqualTo(3);
      assertThat(longPolls.connectionCount()).isEqualTo(CLIENTS);
      assertThat(polls).noneMatch(CompletableFuture::isDone);

      holding.release.countDown();
      for (int i = 0; i < CLIENTS; i++) {
        assertThat(await(polls.get(i)).nextBatch()).isEqualTo("token" + i);
      }
      assertThat(longPolls.idleConnectionCount()).isEqualTo(CLIENTS);
    } finally {
      for (MatrixClient client : clients) {
        client.close();
      }
    }
  }
}
