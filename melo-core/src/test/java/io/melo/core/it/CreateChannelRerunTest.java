package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.MeloCall;
import io.melo.core.MeloClient;
import io.melo.core.PartialFailureException;
import io.melo.core.Role;
import io.melo.core.Server;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeOnly;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * createChannel stopped after its room exists says so, and running its copy completes that
 * channel instead of leaving an unlisted room and making a second one.
 */
@FakeOnly("injects faults and lost responses, counts the requests the homeserver received")
class CreateChannelRerunTest extends AliceAndBobScene {

  private MeloClient moderator;
  private Server server;

  @BeforeEach
  void setUp() {
    moderator = guest;
    server = owner.createServer("HQ").execute();
    moderator.joinServer(server.invite().get()).execute();
    owner.changeRole(server.id(), bob.userId(), Role.MODERATOR).execute();
  }

  private long roomsCreated() {
    return hs.requests().stream().filter(c -> c.endpoint() == Endpoint.CREATE_ROOM && c.status() == 200).count();
  }

  @Test
  void aFailedChildLinkIsReportedWithTheRoomAndTheCopyCompletesTheSameChannel() {
    long before = roomsCreated();
    MeloCall<Channel> create = owner.createChannel(server.id(), "design", ChannelType.TEXT);
    hs.faults().next(Endpoint.SET_STATE, path -> path.contains("m.space.child")).error(400, "M_UNKNOWN", "injected");

    AtomicReference<String> roomId = new AtomicReference<>();
    assertThatThrownBy(create::execute).isInstanceOfSatisfying(PartialFailureException.class, e -> {
      assertThat(e.doneSteps()).singleElement().asString().startsWith("create channel design !");
      roomId.set(e.doneSteps().get(0).substring("create channel design ".length()));
      assertThat(e.failedStep()).isEqualTo("add channel design to the server");
      assertThat(e.remainingSteps()).isEmpty();
    });
    assertThat(owner.channels(server.id()).execute()).extracting(Channel::name).containsExactly("general");

    Channel design = create.copy().execute();

    assertThat(design.id()).isEqualTo(roomId.get());
    assertThat(owner.channels(server.id()).execute()).extracting(Channel::id).endsWith(design.id()).hasSize(2);
    assertThat(roomsCreated() - before).isEqualTo(1);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aModeratorWhoseLoweringFailedIsLoweredByTheCopy() {
    hs.faults().next(Endpoint.SET_STATE, path -> path.contains("m.room.power_levels")).error(400, "M_UNKNOWN", "injected");
    MeloCall<Channel> create = moderator.createChannel(server.id(), "design", ChannelType.TEXT);

    AtomicReference<String> roomId = new AtomicReference<>();
    assertThatThrownBy(create::execute).isInstanceOfSatisfying(PartialFailureException.class, e -> {
      assertThat(e.doneSteps()).hasSize(2);
      roomId.set(e.doneSteps().get(0).substring("create channel design ".length()));
      assertThat(e.doneSteps().get(1)).isEqualTo("add channel design to the server");
      assertThat(e.failedStep()).isEqualTo("lower " + bob.userId() + " to 50 in the channel");
    });
    // Still at the creation level: exactly what the report says is left to do.
    assertThat((Map<String, Object>) hs.room(roomId.get()).state("m.room.power_levels", "").get("users"))
        .containsEntry(bob.userId(), 100L);

    assertThat(create.copy().execute().id()).isEqualTo(roomId.get());

    assertThat((Map<String, Object>) hs.room(roomId.get()).state("m.room.power_levels", "").get("users"))
        .containsEntry(bob.userId(), 50L).containsEntry(alice.userId(), 101L);
  }

  @Test
  void aLostAnswerToTheRoomCreationIsFoundOnTheRerun() {
    long before = hs.requests().stream().filter(c -> c.endpoint() == Endpoint.CREATE_ROOM).count();
    MeloCall<Channel> create = owner.createChannel(server.id(), "design", ChannelType.AUDIO);
    hs.faults().next(Endpoint.CREATE_ROOM).applyThenDropResponse();

    assertThatThrownBy(create::execute).isInstanceOf(io.melo.core.MeloNetworkException.class);

    Channel design = create.copy().execute();

    assertThat(design.type()).isEqualTo(ChannelType.AUDIO);
    assertThat(owner.channels(server.id()).execute()).extracting(Channel::name).containsExactly("general", "design");
    assertThat(hs.requests().stream().filter(c -> c.endpoint() == Endpoint.CREATE_ROOM).count() - before).isEqualTo(1);
  }
}
