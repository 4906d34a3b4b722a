package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.MeloCallback;
import io.melo.core.MeloException;
import io.melo.core.MeloNetworkException;
import io.melo.core.Message;
import io.melo.core.RuleViolationException;
import io.melo.core.RuleViolationException.Rule;
import io.melo.core.Server;
import io.melo.testkit.FakeOnly;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** input checks before any request, and calls on a closed client. */
class ClosedAndReservedTest extends AliceAndBobScene {

  /**
   * DESIGN.md: "general is created with every server and no other channel may take that name".
   * Rules.requireChannelName strips with String.trim(), which only removes characters up to
   * U+0020: "general" followed by a no-break space (U+00A0, what many keyboards and pasted text
   * give) or preceded by an em space is accepted, and the channel is stored with that name, shown
   * by every client as a second "general". (" general " and "general\t" are refused correctly.)
   * Fix: String.strip() (Character.isWhitespace) in requireChannelName, and the same in
   * Channel.isGeneral/requireNotGeneral.
   */
  @Test
  void generalWithUnicodeWhiteSpaceIsReservedToo() {
    Server server = owner.createServer("HQ").execute();
    for (String name : List.of("general\u00A0", "\u2003general", "\u3000General")) {
      assertThatThrownBy(() -> owner.createChannel(server.id(), name, ChannelType.TEXT).execute())
          .as("channel name [%s]", name)
          .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NAME_RESERVED));
    }
    Channel random = owner.createChannel(server.id(), "random", ChannelType.TEXT).execute();
    assertThatThrownBy(() -> owner.renameChannel(random.id(), "general\u00A0").execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NAME_RESERVED));
  }

  /**
   * After close(), every operation fails with MeloProtocolException "... failed unexpectedly:
   * java.lang.IllegalStateException: this MatrixClient is closed" (TaskCall's path for defects),
   * even reads the cache could answer. resume/resumeWithPassword/logout document
   * IllegalStateException for a closed client; the other operations should fail the same clear
   * way, before any request, instead of as a protocol error (an app that retries
   * MeloProtocolException or reports it as a server bug is misled).
   */
  @Test
  @FakeOnly("counts the requests the homeserver received")
  void callsOnAClosedClientFailWithIllegalStateException() {
    Server server = owner.createServer("HQ").execute();
    Channel general = owner.channels(server.id()).execute().get(0);
    owner.close();

    assertThatThrownBy(() -> owner.sendText(general.id(), "after close").execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> owner.servers().execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    // Bob's client keeps syncing meanwhile: what alice's closed client must not send is anything else.
    long requests = nonSyncRequests();

    assertThatThrownBy(() -> owner.servers().future().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    CompletableFuture<MeloException> failure = new CompletableFuture<>();
    owner.sendText(general.id(), "after close").enqueue(new MeloCallback<>() {
      @Override
      public void onSuccess(Message result) {
        failure.completeExceptionally(new AssertionError("sent after close: " + result));
      }

      @Override
      public void onFailure(MeloException e) {
        failure.complete(e);
      }
    });
    assertThat(failure).succeedsWithin(10, TimeUnit.SECONDS)
        .isInstanceOfSatisfying(MeloNetworkException.class, e -> {
          assertThat(e.mayHaveApplied()).isFalse();
          assertThat(e).hasMessageContaining("closed").hasCauseInstanceOf(IllegalStateException.class);
        });
    assertThat(nonSyncRequests()).as("no request after close").isEqualTo(requests);
  }

  private long nonSyncRequests() {
    return hs.requests().stream().filter(c -> c.endpoint() != io.melo.testkit.Endpoint.SYNC).count();
  }

  /** Plain white space around a name is still stripped, and names with inner spaces stay as given. */
  @Test
  void channelNamesAreStrippedOfEveryKindOfBlank() {
    Server server = owner.createServer("HQ").execute();
    Channel news = owner.createChannel(server.id(), "\u00A0news and notes\u200B ", ChannelType.TEXT).execute();
    assertThat(news.name()).isEqualTo("news and notes");
    assertThatThrownBy(() -> owner.createChannel(server.id(), "\u00A0\u2003\u200B", ChannelType.TEXT).execute())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }
}
