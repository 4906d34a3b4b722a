package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.HomeserverException;
import io.melo.core.MeloCall;
import io.melo.core.NotFoundException;
import io.melo.core.PartialFailureException;
import io.melo.core.Server;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeOnly;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * deleteChannel re-run after its last answer was lost completes (as its PartialFailureException
 * says), while a call that did not remove the channel itself still finds a deleted one NotFound.
 */
@FakeOnly("injects lost responses to the space-child removal")
class DeleteChannelRerunTest extends AliceAndBobScene {

  private Server server;
  private Channel two;

  @BeforeEach
  void setUp() {
    server = owner.createServer("HQ").execute();
    guest.joinServer(server.invite().get()).execute();
    two = owner.createChannel(server.id(), "two", ChannelType.TEXT).execute();
  }

  @Test
  void aChannelDeletionReRunAfterItsLastAnswerWasLostCompletes() {
    hs.faults().next(Endpoint.SET_STATE, path -> path.contains("m.space.child")).times(30).applyThenDropResponse();
    MeloCall<Void> delete = owner.deleteChannel(two.id());
    Throwable first = catchThrowable(delete::execute);
    hs.faults().clear();
    assertThat(first).isInstanceOf(PartialFailureException.class).hasMessageContaining("run it again");

    assertThatCode(() -> delete.copy().execute())
        .as("re-running a channel deletion after %s", first)
        .doesNotThrowAnyException();
    assertThat(owner.channels(server.id()).execute()).extracting(Channel::id).doesNotContain(two.id());
    // A new call on the deleted channel: nothing of its own was done, so the channel is not found.
    assertThatThrownBy(() -> owner.deleteChannel(two.id()).execute())
        .isInstanceOf(NotFoundException.class).hasMessageContaining(two.id());
  }

  @Test
  void aReRunWhoseFirstRunRemovedNothingStillFindsADeletedChannelNotFound() {
    hs.faults().next(Endpoint.SET_STATE, path -> path.contains(two.id())).error(400, "M_UNKNOWN", "injected");
    MeloCall<Void> delete = owner.deleteChannel(two.id());
    assertThatThrownBy(delete::execute).isInstanceOf(HomeserverException.class);
    hs.faults().clear();
    owner.deleteChannel(two.id()).execute(); // another call deletes it meanwhile

    assertThatThrownBy(() -> delete.copy().execute())
        .isInstanceOf(NotFoundException.class).hasMessageContaining(two.id());
  }
}
