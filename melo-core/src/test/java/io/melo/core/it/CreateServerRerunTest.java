package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.MeloCall;
import io.melo.core.MeloNetworkException;
import io.melo.core.PartialFailureException;
import io.melo.core.Server;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.RecordedCall;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * createServer stopped midway says what exists, and running its copy completes that server instead
 * of creating a second one (review #13).
 */
class CreateServerRerunTest extends AliceAndBobScene {

  private long roomsCreated() {
    return hs.requests().stream()
        .filter(c -> c.endpoint() == Endpoint.CREATE_ROOM && c.status() == 200).count();
  }

  /** The one complete server: one general channel, and its invite code lets bob in. */
  private void assertComplete(Server server) {
    assertThat(owner.servers().execute()).extracting(Server::id).containsExactly(server.id());
    assertThat(owner.channels(server.id()).execute()).extracting(Channel::name).containsExactly("general");
    assertThat(guest.joinServer(server.invite().get()).execute().id()).isEqualTo(server.id());
    assertThat(guest.channels(server.id()).execute()).extracting(Channel::name).containsExactly("general");
    assertThat(roomsCreated()).isEqualTo(2);
  }

  @Test
  @FakeOnly("injects a fault")
  void aFailedInviteAliasIsReportedWithWhatExistsAndTheCopyCompletesTheSameServer() {
    MeloCall<Server> create = owner.createServer("HQ");
    MeloCall<Server> retry = create.copy();
    hs.faults().next(Endpoint.SET_ALIAS).error(403, "M_FORBIDDEN", "injected");

    AtomicReference<PartialFailureException> failure = new AtomicReference<>();
    assertThatThrownBy(create::execute).isInstanceOfSatisfying(PartialFailureException.class, e -> {
      failure.set(e);
      assertThat(e.doneSteps()).hasSize(3);
      assertThat(e.doneSteps().get(0)).startsWith("create space !");
      assertThat(e.doneSteps().get(1)).startsWith("create channel general !");
      assertThat(e.doneSteps().get(2)).isEqualTo("add channel general to the space");
      assertThat(e.failedStep()).startsWith("publish invite alias #io.melo.invite.");
      assertThat(e.remainingSteps()).isEmpty();
      assertThat(e).hasMessageContaining("run it again to complete it");
    });
    String spaceId = failure.get().doneSteps().get(0).substring("create space ".length());
    assertThat(hs.room(spaceId).state("io.melo.server", "")).containsEntry("ownerId", alice.userId());

    Server server = retry.execute();

    assertThat(server.id()).isEqualTo(spaceId);
    assertComplete(server);
  }

  @Test
  @FakeOnly("injects a fault")
  void aFailedChildLinkIsCompletedByTheCopyWithoutASecondGeneral() {
    MeloCall<Server> create = owner.createServer("HQ");
    hs.faults().next(Endpoint.SET_STATE, path -> path.contains("m.space.child")).error(400, "M_UNKNOWN", "injected");

    assertThatThrownBy(create::execute).isInstanceOfSatisfying(PartialFailureException.class, e -> {
      assertThat(e.doneSteps()).hasSize(2);
      assertThat(e.failedStep()).isEqualTo("add channel general to the space");
      assertThat(e.remainingSteps()).singleElement().asString().startsWith("publish invite alias #io.melo.invite.");
    });

    assertComplete(create.copy().execute());
  }

  @Test
  @FakeOnly("drops a response after applying the request")
  void aLostAnswerToTheSpaceCreationIsFoundByItsInviteCodeOnTheRerun() {
    MeloCall<Server> create = owner.createServer("HQ");
    hs.faults().next(Endpoint.CREATE_ROOM).applyThenDropResponse();

    // The space exists but its id never came back: nothing to name yet, a plain network error.
    assertThatThrownBy(create::execute).isInstanceOf(MeloNetworkException.class);
    assertThat(roomsCreated()).isZero(); // the request was applied, its answer dropped
    List<RecordedCall> creates = hs.requests().stream().filter(c -> c.endpoint() == Endpoint.CREATE_ROOM).toList();
    assertThat(creates).hasSize(1);

    Server server = create.copy().execute();

    assertThat(owner.servers().execute()).extracting(Server::id).containsExactly(server.id());
    assertThat(owner.channels(server.id()).execute()).extracting(Channel::name).containsExactly("general");
    assertThat(guest.joinServer(server.invite().get()).execute().id()).isEqualTo(server.id());
    assertThat(hs.requests().stream().filter(c -> c.endpoint() == Endpoint.CREATE_ROOM).count()).isEqualTo(2);
  }

  @Test
  void aNewCallIsANewServer() {
    Server first = owner.createServer("HQ").execute();
    Server second = owner.createServer("HQ").execute();
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.invite()).isNotEqualTo(first.invite());
  }
}
