package io.melo.core.it;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.HomeserverExtension;
import io.melo.testkit.TestUser;
import java.util.ArrayList;
import java.util.List;

/** Logs users of the test's homeserver (fake or real) in as Melo clients, and closes them. */
final class Fixture implements AutoCloseable {

  private final java.util.function.Supplier<String> baseUrl;
  private final List<MeloClient> clients = new ArrayList<>();

  Fixture(HomeserverExtension hs) {
    this.baseUrl = hs::baseUrl;
  }

  /** For the tests that only ever run against the fake. */
  Fixture(FakeHomeserverExtension hs) {
    this.baseUrl = hs::baseUrl;
  }

  /**
   * A client for {@code user} that delivers events on the calling thread of the bus (tests stay
   * deterministic), once its first sync is done.
   */
  MeloClient login(TestUser user) {
    MeloConfig config = MeloConfig.builder(baseUrl.get()).eventExecutor(Runnable::run).build();
    MeloClient client = MeloClient.login(config, user.userId(), user.password()).execute();
    clients.add(client);
    // Until its first sync is in, what happens next is history to the client, not a live event.
    try {
      SharedSyncRuntimeTest.awaitConnected(client);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return client;
  }

  @Override
  public void close() {
    clients.forEach(MeloClient::close);
  }
}
