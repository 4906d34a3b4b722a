package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Attachment;
import io.melo.core.Message;
import io.melo.core.MessagePage;
import io.melo.core.event.MessageEdited;
import java.util.Map;
import io.melo.testkit.FakeOnly;
import org.junit.jupiter.api.Test;

/**
 * Editing the text of an attachment replaces its caption only: the file stays, for the author,
 * for the other user, in history and in the replacement content other Matrix clients render.
 */
@FakeOnly("reads the edit's m.new_content from the fake's room")
class AttachmentEditTest extends HqScene {

  /** The {@code m.new_content} of the edit of {@code messageId}, as the homeserver has it. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> replacementOf(String messageId) {
    Map<String, Object> content = hs.room(general.id()).messages().stream()
        .filter(e -> e.content().get("m.new_content") != null)
        .filter(e -> messageId.equals(((Map<String, Object>) e.content().get("m.relates_to")).get("event_id")))
        .findFirst().orElseThrow().content();
    return (Map<String, Object>) content.get("m.new_content");
  }

  @Test
  void editingTheTextOfAnAttachmentKeepsTheAttachment() {
    Recorder bobs = new Recorder(guest);
    Message image = owner.sendAttachment(general.id(), new byte[] {1, 2, 3}, "cat.png", "image/png").execute();
    Attachment attachment = image.attachment().orElseThrow();

    Message edited = owner.editMessage(general.id(), image.id(), "my cat").execute();

    assertThat(edited.msgtype()).as("the author's result").isEqualTo("m.image");
    assertThat(edited.attachment()).as("the author's result").contains(attachment);
    assertThat(edited.body()).as("the caption").isEqualTo("my cat");
    assertThat(edited.editedAt()).isPresent();
    MessageEdited seen = bobs.await(MessageEdited.class, e -> e.message().id().equals(image.id()));
    assertThat(seen.message().attachment()).as("bob's MessageEdited").contains(attachment);
    assertThat(seen.message().body()).as("bob's MessageEdited").isEqualTo("my cat");
    MessagePage page = guest.messages(general.id(), null, 1).execute();
    assertThat(page.messages().get(0).attachment()).as("bob's history").contains(attachment);
    assertThat(page.messages().get(0).body()).as("bob's history").isEqualTo("my cat");
    // What other Matrix clients render: the replacement content on the homeserver, a full content
    // whose body is a caption since the file name is in filename.
    Map<String, Object> replacement = replacementOf(image.id());
    assertThat(replacement).containsEntry("msgtype", "m.image").containsEntry("url", attachment.url())
        .containsEntry("body", "my cat").containsEntry("filename", "cat.png").containsKey("info")
        .doesNotContainKey("m.relates_to");
  }

  @Test
  void aSecondCaptionEditStillKeepsTheFileName() {
    Message file = owner.sendAttachment(general.id(), new byte[] {4, 5}, "notes.txt", "text/plain").execute();
    Attachment attachment = file.attachment().orElseThrow();

    owner.editMessage(general.id(), file.id(), "first caption").execute();
    Message edited = owner.editMessage(general.id(), file.id(), "second caption").execute();

    assertThat(edited.msgtype()).isEqualTo("m.file");
    assertThat(edited.attachment()).contains(attachment);
    assertThat(edited.body()).isEqualTo("second caption");
  }

  @Test
  void editingATextMessageStillGivesATextWithoutAttachment() {
    Message text = owner.sendText(general.id(), "helo").execute();

    Message edited = owner.editMessage(general.id(), text.id(), "hello").execute();

    assertThat(edited.msgtype()).isEqualTo("m.text");
    assertThat(edited.attachment()).isEmpty();
    assertThat(edited.body()).isEqualTo("hello");
    assertThat(replacementOf(text.id())).containsEntry("msgtype", "m.text").containsEntry("body", "hello")
        .doesNotContainKeys("url", "info", "filename", "m.relates_to");
  }
}
