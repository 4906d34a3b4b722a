package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.testkit.model.MatrixError;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Threads do not nest: like Synapse (handlers/message.py, _validate_event_relation), the fake
 * refuses an m.thread relation whose parent itself has a relation with 400 M_UNKNOWN "Cannot start
 * threads from an event with a relation", and accepts a thread on any event without one.
 */
class ThreadRootTest {

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  private TestUser alice;
  private String room;
  private String root;

  @BeforeEach
  void setUp() {
    alice = hs.register("alice");
    room = alice.createRoom();
    root = alice.sendText(room, "root");
  }

  private static Map<String, Object> threadReply(String parent, String body) {
    return Map.of("msgtype", "m.text", "body", body,
        "m.relates_to", Map.of("rel_type", "m.thread", "event_id", parent,
            "is_falling_back", true, "m.in_reply_to", Map.of("event_id", parent)));
  }

  @Test
  void aThreadCannotStartFromAnEventThatIsInAThread() {
    String inThread = alice.send(room, "m.room.message", threadReply(root, "in thread"));

    assertThatThrownBy(() -> alice.send(room, "m.room.message", threadReply(inThread, "nested")))
        .isInstanceOf(MatrixError.class)
        .satisfies(e -> assertThat(((MatrixError) e).status()).isEqualTo(400))
        .satisfies(e -> assertThat(((MatrixError) e).errcode()).isEqualTo("M_UNKNOWN"))
        .hasMessageContaining("Cannot start threads from an event with a relation");
    assertThat(hs.room(room).messages()).noneMatch(e -> "nested".equals(e.body()));
  }

  @Test
  void aThreadCannotStartFromAReaction() {
    String reaction = alice.send(room, "m.reaction",
        Map.of("m.relates_to", Map.of("rel_type", "m.annotation", "event_id", root, "key", "👍")));

    assertThatThrownBy(() -> alice.send(room, "m.room.message", threadReply(reaction, "on a reaction")))
        .isInstanceOf(MatrixError.class)
        .satisfies(e -> assertThat(((MatrixError) e).status()).isEqualTo(400));
  }

  @Test
  void theRootKeepsTakingThreadRepliesAndAPlainReplyCanRootAThread() {
    alice.send(room, "m.room.message", threadReply(root, "first"));
    String second = alice.send(room, "m.room.message", threadReply(root, "second"));
    // m.in_reply_to alone is no relation (no rel_type): a reply may root a thread.
    String reply = alice.send(room, "m.room.message", Map.of("msgtype", "m.text", "body", "reply",
        "m.relates_to", Map.of("m.in_reply_to", Map.of("event_id", root))));
    String onReply = alice.send(room, "m.room.message", threadReply(reply, "on the reply"));

    assertThat(hs.room(room).messages()).extracting(e -> e.eventId())
        .contains(second, onReply);
  }
}
