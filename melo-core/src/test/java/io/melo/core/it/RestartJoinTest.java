package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.MessageCreated;
import io.melo.matrix.sync.FileSyncStore;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.TestUser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A new channel's auto-join is not lost when the client restarts before it succeeded. */
@FakeOnly("injects a fault across a client restart")
class RestartJoinTest {

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  @TempDir Path dir;

  private MeloClient client(TestUser user, Path store, GatedExecutor gate) {
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).eventExecutor(gate).store(new FileSyncStore(store)).build();
    return MeloClient.connect(config, user.userId(), user.accessToken());
  }

  @Test
  void aChannelWhoseAutoJoinFailedBeforeARestartIsJoinedAfterIt() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    Path store = dir.resolve("bob.sync");
    MeloClient owner = new Fixture(hs).login(alice);
    Server server = owner.createServer("HQ").execute();
    Channel general = owner.channels(server.id()).execute().get(0);
    GatedExecutor firstGate = new GatedExecutor(Runnable::run);
    try (MeloClient first = client(bob, store, firstGate)) {
      Recorder events = new Recorder(first, firstGate::open); // misses none of the first events
      first.joinServer(server.invite().get()).execute();
      owner.sendText(general.id(), "hello").execute();
      events.await(MessageCreated.class, e -> e.message().body().equals("hello"));
    }

    // While bob is down: a new channel, then a message in general.
    Channel design = owner.createChannel(server.id(), "design", ChannelType.TEXT).execute();
    owner.sendText(general.id(), "while you were away").execute();
    // Every join of the new channel fails while the second client lives: a later batch (which would
    // retry the join) cannot race the checks below.
    io.melo.testkit.Fault refused = hs.faults().next(Endpoint.JOIN, path -> path.contains(design.id()))
        .times(1000).error(403, "M_FORBIDDEN", "injected");

    // Restart: the catch-up batch has the new channel, whose join fails, and the message.
    GatedExecutor secondGate = new GatedExecutor(Runnable::run);
    try (MeloClient second = client(bob, store, secondGate)) {
      Recorder events = new Recorder(second, secondGate::open); // misses none of the first events
      events.await(MessageCreated.class, e -> e.message().body().equals("while you were away"));
      assertThat(events.seen(ChannelCreated.class)).isEmpty();
    }
    assertThat(refused.fired()).as("join attempts of the second client, whose close ended its batch").isPositive();
    assertThat(hs.room(design.id()).membership(bob.userId())).isNotEqualTo("join");
    hs.faults().clear();

    // Nothing new happened since: the catch-up batch is empty, yet the channel gets joined.
    GatedExecutor thirdGate = new GatedExecutor(Runnable::run);
    try (MeloClient third = client(bob, store, thirdGate)) {
      Recorder events = new Recorder(third, thirdGate::open); // misses none of the first events
      ChannelCreated created = events.await(ChannelCreated.class);
      assertThat(created.channel().id()).isEqualTo(design.id());
      assertThat(hs.room(design.id()).membership(bob.userId())).isEqualTo("join");
      owner.sendText(design.id(), "welcome").execute();
      assertThat(events.await(MessageCreated.class, e -> e.message().body().equals("welcome")).roomId())
          .isEqualTo(design.id());
    }
    owner.close();
  }
}
