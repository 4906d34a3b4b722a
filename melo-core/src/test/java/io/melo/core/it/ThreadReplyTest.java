package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Message;
import io.melo.core.NotFoundException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * sendToThread with the id of a message inside a thread sends into that thread (threads do not
 * nest: Synapse, and the fake, refuse an m.thread relation to an event with a relation), as
 * Element does: m.thread to the root, the message given as the is_falling_back m.in_reply_to.
 */
class ThreadReplyTest extends HqScene {

  @SuppressWarnings("unchecked")
  private Map<String, Object> relation(String eventId) {
    return (Map<String, Object>) hs.room(general.id()).messages().stream()
        .filter(e -> e.eventId().equals(eventId)).findFirst().orElseThrow().content().get("m.relates_to");
  }

  @Test
  void aThreadReplyToAMessageInsideAThreadGoesToThatThread() {
    Message root = owner.sendText(general.id(), "root").execute();
    Message inThread = guest.sendToThread(general.id(), root.id(), "first in thread").execute();
    assertThat(inThread.threadRootId()).contains(root.id());

    Message answer;
    try {
      answer = owner.sendToThread(general.id(), inThread.id(), "answer").execute();
    } catch (io.melo.core.NotFoundException | IllegalArgumentException refused) {
      assertThat(refused).hasMessageContaining(root.id());
      return;
    }
    assertThat(answer.threadRootId()).as("sent into a thread rooted at a thread reply").contains(root.id());
    assertThat(relation(answer.id())).containsEntry("rel_type", "m.thread").containsEntry("event_id", root.id())
        .containsEntry("is_falling_back", true).containsEntry("m.in_reply_to", Map.of("event_id", inThread.id()));
  }

  @Test
  void aThreadReplyToAMessageThisClientHasNotSeenFindsItsRootOnTheHomeserver() {
    String root = alice.sendText(general.id(), "root, sent by another client");
    String inThread = alice.send(general.id(), "m.room.message", Map.of("msgtype", "m.text", "body", "in thread",
        "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root,
            "is_falling_back", true, "m.in_reply_to", Map.of("event_id", root))));

    Message answer = guest.sendToThread(general.id(), inThread, "answer").execute();

    assertThat(answer.threadRootId()).contains(root);
    assertThat(relation(answer.id())).containsEntry("event_id", root);
  }

  @Test
  void aRootStillStartsItsOwnThreadAndAReactionIsNoRoot() {
    Message root = owner.sendText(general.id(), "root").execute();
    Message first = guest.sendToThread(general.id(), root.id(), "first").execute();
    assertThat(first.threadRootId()).contains(root.id());
    assertThat(relation(first.id())).containsEntry("event_id", root.id())
        .containsEntry("m.in_reply_to", Map.of("event_id", root.id()));
    String reaction = alice.send(general.id(), "m.reaction",
        Map.of("m.relates_to", Map.of("rel_type", "m.annotation", "event_id", root.id(), "key", "👍")));

    assertThatThrownBy(() -> bobSendsToThreadOf(reaction)).isInstanceOf(NotFoundException.class)
        .hasMessageContaining(reaction).hasMessageContaining(root.id());
  }

  private void bobSendsToThreadOf(String id) {
    guest.sendToThread(general.id(), id, "on a reaction").execute();
  }
}
