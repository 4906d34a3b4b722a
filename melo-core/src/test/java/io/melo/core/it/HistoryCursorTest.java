package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.Message;
import io.melo.core.MessagePage;
import io.melo.testkit.Endpoint;
import java.util.ArrayList;
import java.util.List;
import io.melo.testkit.FakeOnly;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A history cursor belongs to its room: another room's cursor or a made-up one is an
 * IllegalArgumentException naming it, before any request; the room's own cursors page on.
 */
@FakeOnly("counts the history requests the homeserver received")
class HistoryCursorTest extends HqScene {

  private Channel other;

  @BeforeEach
  void setUp() {
    other = owner.createChannel(server.id(), "other", ChannelType.TEXT).execute();
    for (int i = 0; i < 3; i++) {
      owner.sendText(other.id(), "other " + i).execute();
      owner.sendText(general.id(), "general " + i).execute();
    }
  }

  private long historyReads() {
    return hs.requests().stream().filter(c -> c.endpoint() == Endpoint.MESSAGES).count();
  }

  @Test
  void aHistoryCursorOfAnotherRoomOrMadeUpIsRefused() {
    String otherCursor = owner.messages(other.id(), null, 1).execute().nextCursor().orElseThrow();
    long reads = historyReads();

    assertThatThrownBy(() -> owner.messages(general.id(), otherCursor, 10).execute())
        .as("a cursor of channel %s used in %s", other.id(), general.id())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(otherCursor).hasMessageContaining(other.id()).hasMessageContaining(general.id());
    assertThatThrownBy(() -> owner.messages(general.id(), "garbage", 10).execute())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("garbage");
    assertThatThrownBy(() -> owner.messages(general.id(), "", 10).execute())
        .as("an empty cursor (a HistoryGap without one says: page from null)")
        .isInstanceOf(IllegalArgumentException.class);
    // A bare homeserver token, as cursors were before they named their room.
    String bareToken = otherCursor.substring(otherCursor.indexOf('/') + 1);
    assertThatThrownBy(() -> owner.messages(other.id(), bareToken, 10).execute())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bareToken);
    assertThat(historyReads()).as("requests for refused cursors").isEqualTo(reads);
  }

  @Test
  void aRoomsOwnCursorsPageThroughItsHistoryAndOnlyIt() {
    List<String> bodies = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 20; pages++) {
      MessagePage page = guest.messages(other.id(), cursor, 1).execute();
      page.messages().forEach(m -> bodies.add(m.body()));
      if (page.nextCursor().isEmpty()) {
        break;
      }
      cursor = page.nextCursor().get();
      assertThat(cursor).startsWith(other.id());
    }

    assertThat(bodies).containsSubsequence("other 2", "other 1", "other 0").noneMatch(b -> b.startsWith("general"));
    // The same cursor works for every client of the room: it names the room, not the reader.
    String ownersCursor = owner.messages(general.id(), null, 1).execute().nextCursor().orElseThrow();
    assertThat(guest.messages(general.id(), ownersCursor, 1).execute().messages())
        .extracting(Message::body).containsExactly("general 1");
  }
}
