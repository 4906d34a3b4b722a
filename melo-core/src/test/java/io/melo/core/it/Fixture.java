package io.melo.core.it;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.TestUser;
import java.util.ArrayList;
import java.util.List;

/** Logs users of the fake homeserver in as Melo clients, and closes them. */
final class Fixture implements AutoCloseable {

  private final FakeHomeserverExtension hs;
  private final List<MeloClient> clients = new ArrayList<>();

  Fixture(FakeHomeserverExtension hs) {
    this.hs = hs;
  }

  /**
   * A client for {@code user} that delivers events on the calling thread of the bus (tests stay
   * deterministic), once its first sync is done.
   */
  MeloClient login(TestUser user) {
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).build();
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
