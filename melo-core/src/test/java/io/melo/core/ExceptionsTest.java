package io.melo.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionsTest {

  @Test
  void partialFailureListsDoneFailedAndRemainingSteps() {
    HomeserverException cause = new HomeserverException("kick failed: HTTP 500 M_UNKNOWN", 500, "M_UNKNOWN", null, null);
    PartialFailureException e =
        new PartialFailureException(
            "kicking @bob:hs from server !s:hs",
            List.of("kick from !s:hs", "kick from !c1:hs"),
            "kick from !c2:hs",
            List.of("kick from !c3:hs"),
            cause);
    assertThat(e.doneSteps()).containsExactly("kick from !s:hs", "kick from !c1:hs");
    assertThat(e.failedStep()).isEqualTo("kick from !c2:hs");
    assertThat(e.remainingSteps()).containsExactly("kick from !c3:hs");
    assertThat(e.getCause()).isSameAs(cause);
    assertThat(e)
        .hasMessage(
            "kicking @bob:hs from server !s:hs stopped at step 3 of 4 (kick from !c2:hs): "
                + "kick failed: HTTP 500 M_UNKNOWN; run it again to complete it");
  }

  @Test
  void homeserverAndNetworkFailuresKeepTheirDetails() {
    HomeserverException limited =
        new HomeserverException("sending a message: rate limited", 429, "M_LIMIT_EXCEEDED", Duration.ofSeconds(2), null);
    assertThat(limited.httpStatus()).isEqualTo(429);
    assertThat(limited.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
    assertThat(limited.retryAfter()).hasValue(Duration.ofSeconds(2));
    MeloNetworkException lost = new MeloNetworkException("sending a message: connection reset", true, false, null);
    assertThat(lost.mayHaveApplied()).isTrue();
    assertThat(lost.cancelled()).isFalse();
    assertThat(new NotFoundException("server !s:hs", null)).hasMessage("no server !s:hs");
    assertThat(new NotFoundException("server !s:hs", null).what()).isEqualTo("server !s:hs");
  }
}
