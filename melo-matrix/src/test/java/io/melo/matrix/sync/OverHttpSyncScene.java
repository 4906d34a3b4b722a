package io.melo.matrix.sync;

import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixConfig;
import io.melo.matrix.MatrixCredentials;
import io.melo.matrix.RetryPolicy;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A MockWebServer and a MatrixClient logged in to it (no retries), for tests that run a
 * {@link SyncLoop} over the client's real HTTP source; the loop (if any), client and server are
 * closed after each test.
 */
abstract class OverHttpSyncScene {

  MockWebServer server;
  MatrixClient client;
  SyncLoop loop;

  @BeforeEach
  final void startServerAndClient() throws Exception {
    server = new MockWebServer();
    server.start();
    MatrixConfig config = MatrixConfig.builder(server.url("/")).retryPolicy(RetryPolicy.NEVER).build();
    client = MatrixClient.create(config, MatrixCredentials.accessToken("syt_secret", "@alice:example.org", "DEV"));
  }

  @AfterEach
  final void closeLoopClientAndServer() {
    if (loop != null) {
      loop.close();
    }
    client.close();
    server.close();
  }
}
