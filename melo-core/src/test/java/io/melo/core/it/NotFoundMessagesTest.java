package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.NotFoundException;
import io.melo.core.Server;
import io.melo.testkit.FakeOnly;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A NotFoundException says, in plain words, what was not found: the user, room or message by its
 * id, not only the step that looked for it (the homeserver's answer in the cause names none).
 */
@FakeOnly("the fake's M_NOT_FOUND answers (Synapse answers some of these 403)")
class NotFoundMessagesTest extends AliceAndBobScene {

  private Channel general;

  @BeforeEach
  void setUp() {
    Server server = owner.createServer("HQ").execute();
    general = owner.channels(server.id()).execute().get(0);
  }

  @Test
  void notFoundMessagesNameWhatWasNotFound() {
    assertThatThrownBy(() -> owner.profile("@nobody:localhost").execute())
        .isInstanceOf(NotFoundException.class).hasMessageContaining("@nobody:localhost")
        .hasMessage("no profile of @nobody:localhost");
    assertThatThrownBy(() -> owner.conversationWith("@nobody:localhost").execute())
        .isInstanceOf(NotFoundException.class).hasMessageContaining("@nobody:localhost")
        .hasMessage("no user @nobody:localhost (creating the conversation)");
    assertThatThrownBy(() -> owner.setTyping("!nope:localhost", true).execute())
        .isInstanceOf(NotFoundException.class).hasMessageContaining("!nope:localhost")
        .hasMessage("no room !nope:localhost (sending typing)");
    assertThatThrownBy(() -> owner.markRead(general.id(), "$nope").execute())
        .isInstanceOf(NotFoundException.class).hasMessageContaining("$nope")
        .hasMessage("no message $nope in room " + general.id() + " (sending the read receipt)");
  }

  @Test
  void aReadStillNamesJustWhatItRead() {
    assertThatThrownBy(() -> owner.channels("!nope:localhost").execute())
        .isInstanceOfSatisfying(NotFoundException.class, e -> org.assertj.core.api.Assertions
            .assertThat(e.what()).isEqualTo("server !nope:localhost"));
    assertThatThrownBy(() -> owner.presence("@nobody:localhost").execute())
        .isInstanceOf(NotFoundException.class).hasMessage("no presence of @nobody:localhost");
  }
}
