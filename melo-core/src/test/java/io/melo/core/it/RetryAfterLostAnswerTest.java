package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.melo.core.MeloCall;
import io.melo.core.MeloException;
import io.melo.core.MeloNetworkException;
import io.melo.core.Message;
import io.melo.core.NotFoundException;
import io.melo.core.PartialFailureException;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.Endpoint;
import org.junit.jupiter.api.Test;

/**
 * running a call's copy after its answer was lost must complete the job, not report a
 * failure for what the first run already did (MeloClient: "Re-running after a
 * PartialFailureException completes it"; issue: "exactly once ... across the lost-response and
 * retry cases").
 */
@FakeOnly("drops responses after applying the request")
class RetryAfterLostAnswerTest extends HqScene {

  /**
   * deleteMessage whose redaction reached the homeserver but whose answers were all lost fails with
   * a MeloNetworkException(mayHaveApplied). The app does what that exception asks: runs the call's
   * copy (same transaction id). The copy reads the message, finds it redacted and throws
   * NotFoundException "no message ...": a delete that worked is reported as a failure, and the app
   * cannot tell it from a wrong message id.
   */
  @Test
  void aDeleteRetriedAfterItsAnswerWasLostSucceeds() {
    Message m = owner.sendText(general.id(), "delete me").execute();
    hs.faults().next(Endpoint.REDACT).times(20).applyThenDropResponse();
    MeloCall<Void> delete = owner.deleteMessage(general.id(), m.id());
    Throwable lost = catchThrowable(delete::execute);
    hs.faults().clear();
    assertThat(lost).isInstanceOfSatisfying(MeloNetworkException.class, e -> assertThat(e.mayHaveApplied()).isTrue());
    assertThat(hs.room(general.id()).messages()).filteredOn(e -> e.eventId().equals(m.id()))
        .allMatch(e -> e.isRedacted());

    assertThatCode(() -> delete.copy().execute())
        .as("the retry of a delete that was applied")
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> owner.deleteMessage(general.id(), m.id()).execute())
        .as("a new delete of a deleted message")
        .isInstanceOf(NotFoundException.class);
  }

  /**
   * kick: channels first, the space last. When the last step's answer is lost (kick is a POST the
   * matrix layer does not repeat), the call is a PartialFailureException whose failed step is the
   * space. Re-running, as the exception and the javadoc say, finds the member in neither the
   * space nor a channel and throws NotFoundException("member ... in server ...") instead of
   * completing (there is nothing left to do).
   */
  @Test
  void aKickReRunAfterItsLastAnswerWasLostCompletes() {
    hs.faults().next(Endpoint.KICK, path -> path.contains(server.id())).applyThenDropResponse();
    MeloCall<Void> kick = owner.kick(server.id(), bob.userId(), "bye");
    Throwable first = catchThrowable(kick::execute);
    hs.faults().clear();
    assertThat(first).isInstanceOf(MeloException.class);
    assertThat(hs.room(server.id()).state("m.room.member", bob.userId())).containsEntry("membership", "leave");

    assertThatCode(() -> kick.copy().execute())
        .as("re-running a kick after %s", first)
        .doesNotThrowAnyException();
    assertThat(hs.room(general.id()).state("m.room.member", bob.userId())).containsEntry("membership", "leave");
    assertThatThrownBy(() -> owner.kick(server.id(), bob.userId(), "again").execute())
        .as("a new kick of someone no longer there")
        .isInstanceOf(NotFoundException.class);
  }
}
