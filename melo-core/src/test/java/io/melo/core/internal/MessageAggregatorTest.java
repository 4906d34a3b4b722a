package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Attachment;
import io.melo.core.Message;
import io.melo.core.MessageKind;
import io.melo.core.Reaction;
import io.melo.core.internal.MessageAggregator.Annotation;
import io.melo.core.internal.MessageAggregator.Content;
import io.melo.core.internal.MessageAggregator.Edit;
import io.melo.core.internal.MessageAggregator.EditOutcome;
import io.melo.core.internal.MessageAggregator.EditRedacted;
import io.melo.core.internal.MessageAggregator.MessageRedacted;
import io.melo.core.internal.MessageAggregator.NothingKnown;
import io.melo.core.internal.MessageAggregator.Original;
import io.melo.core.internal.MessageAggregator.ReactionRedacted;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MessageAggregatorTest {

  private final MessageAggregator room = new MessageAggregator("!room:hs", 100);

  private static Content text(String body) {
    return new Content("m.text", body, Optional.empty());
  }

  private static Original original(String id, String sender, long second, String body) {
    return new Original(id, sender, Instant.ofEpochSecond(second), text(body), Optional.empty(), Optional.empty(), false);
  }

  private static Edit edit(String id, String sender, long second, String target, String body) {
    return new Edit(id, sender, Instant.ofEpochSecond(second), target, text(body));
  }

  @Test
  void aNewMessageShowsItsContentReplyAndThread() {
    Original reply =
        new Original("$2", "@bob:hs", Instant.ofEpochSecond(2), text("yes"), Optional.of("$1"), Optional.of("$root"), false);
    Message message = room.addOriginal(reply).get();
    assertThat(message.id()).isEqualTo("$2");
    assertThat(message.roomId()).isEqualTo("!room:hs");
    assertThat(message.body()).isEqualTo("yes");
    assertThat(message.kind()).isEqualTo(MessageKind.TEXT);
    assertThat(message.replyToId()).hasValue("$1");
    assertThat(message.threadRootId()).hasValue("$root");
    assertThat(message.edited()).isFalse();
    assertThat(message.deleted()).isFalse();
  }

  @Test
  void aDuplicateDeliveryIsNotASecondMessage() {
    assertThat(room.addOriginal(original("$1", "@bob:hs", 1, "hi"))).isPresent();
    assertThat(room.addOriginal(original("$1", "@bob:hs", 1, "hi"))).isEmpty();
  }

  @Test
  void anEditByTheAuthorReplacesTheBody() {
    room.addOriginal(original("$1", "@bob:hs", 1, "helo"));
    assertThat(room.addEdit(edit("$e1", "@bob:hs", 2, "$1", "hello"))).isEqualTo(EditOutcome.APPLIED);
    Message message = room.message("$1").get();
    assertThat(message.body()).isEqualTo("hello");
    assertThat(message.editedAt()).hasValue(Instant.ofEpochSecond(2));
  }

  @Test
  void anEditByAnyoneElseIsIgnored() {
    room.addOriginal(original("$1", "@bob:hs", 1, "mine"));
    assertThat(room.addEdit(edit("$e1", "@mallory:hs", 2, "$1", "pwned"))).isEqualTo(EditOutcome.IGNORED);
    assertThat(room.message("$1").get().body()).isEqualTo("mine");
    assertThat(room.message("$1").get().edited()).isFalse();
  }

  @Test
  void theLatestEditByServerTimeWinsWhateverTheArrivalOrder() {
    room.addOriginal(original("$1", "@bob:hs", 1, "v0"));
    assertThat(room.addEdit(edit("$e2", "@bob:hs", 3, "$1", "v2"))).isEqualTo(EditOutcome.APPLIED);
    assertThat(room.addEdit(edit("$e1", "@bob:hs", 2, "$1", "v1"))).isEqualTo(EditOutcome.SUPERSEDED);
    assertThat(room.message("$1").get().body()).isEqualTo("v2");
  }

  @Test
  void editsAndReactionsBeforeTheOriginalApplyWhenItArrives() {
    // Backward pagination brings the newest events first.
    assertThat(room.addEdit(edit("$e1", "@bob:hs", 3, "$1", "fixed"))).isEqualTo(EditOutcome.PENDING);
    assertThat(room.addEdit(edit("$e2", "@mallory:hs", 4, "$1", "pwned"))).isEqualTo(EditOutcome.PENDING);
    assertThat(room.addReaction(new Annotation("$r1", "@carol:hs", "$1", "👍"))).isTrue();
    Message message = room.addOriginal(original("$1", "@bob:hs", 1, "fxied")).get();
    assertThat(message.body()).isEqualTo("fixed");
    assertThat(message.reactions()).containsExactly(new Reaction("👍", List.of("@carol:hs")));
    // The forged edit was dropped, not just hidden: redacting the real one shows the original.
    assertThat(room.redact("$e1")).isEqualTo(new EditRedacted(room.message("$1").get()));
    assertThat(room.message("$1").get().body()).isEqualTo("fxied");
  }

  @Test
  void anEditOfAnEditDoesNotCount() {
    room.addOriginal(original("$1", "@bob:hs", 1, "a"));
    room.addEdit(edit("$e1", "@bob:hs", 2, "$1", "b"));
    assertThat(room.addEdit(edit("$e2", "@bob:hs", 3, "$e1", "c"))).isEqualTo(EditOutcome.IGNORED);
    assertThat(room.message("$1").get().body()).isEqualTo("b");
  }

  @Test
  void redactingTheLatestEditFallsBackToThePreviousOne() {
    room.addOriginal(original("$1", "@bob:hs", 1, "v0"));
    room.addEdit(edit("$e1", "@bob:hs", 2, "$1", "v1"));
    room.addEdit(edit("$e2", "@bob:hs", 3, "$1", "v2"));
    MessageAggregator.Redacted result = room.redact("$e2");
    assertThat(result).isInstanceOf(EditRedacted.class);
    assertThat(((EditRedacted) result).message().body()).isEqualTo("v1");
  }

  @Test
  void eachUserCountsOncePerKeyAndKeysKeepTheirFirstOrder() {
    room.addOriginal(original("$1", "@bob:hs", 1, "hi"));
    assertThat(room.addReaction(new Annotation("$r1", "@carol:hs", "$1", "👍"))).isTrue();
    assertThat(room.addReaction(new Annotation("$r2", "@dave:hs", "$1", "🎉"))).isTrue();
    assertThat(room.addReaction(new Annotation("$r3", "@dave:hs", "$1", "👍"))).isTrue();
    assertThat(room.addReaction(new Annotation("$r4", "@carol:hs", "$1", "👍"))).isFalse();
    assertThat(room.addReaction(new Annotation("$r4", "@carol:hs", "$1", "👍"))).isFalse();
    Message message = room.message("$1").get();
    assertThat(message.reactions())
        .containsExactly(
            new Reaction("👍", List.of("@carol:hs", "@dave:hs")), new Reaction("🎉", List.of("@dave:hs")));
    assertThat(message.reaction("👍").get().count()).isEqualTo(2);
    assertThat(room.reactionEventId("$1", "🎉", "@dave:hs")).hasValue("$r2");
  }

  @Test
  void redactingAReactionRemovesTheSenderOnlyWhenItWasTheirLast() {
    room.addOriginal(original("$1", "@bob:hs", 1, "hi"));
    room.addReaction(new Annotation("$r1", "@carol:hs", "$1", "👍"));
    room.addReaction(new Annotation("$r2", "@carol:hs", "$1", "👍"));
    assertThat(room.redact("$r1")).isEqualTo(new ReactionRedacted("$1", "👍", "@carol:hs", true));
    assertThat(room.message("$1").get().reaction("👍")).isPresent();
    assertThat(room.redact("$r2")).isEqualTo(new ReactionRedacted("$1", "👍", "@carol:hs", false));
    assertThat(room.message("$1").get().reactions()).isEmpty();
    assertThat(room.redact("$r2")).isEqualTo(new NothingKnown());
  }

  @Test
  void aDeletedMessageKeepsItsIdentityAndLosesContentEditsAndReactions() {
    Attachment file = new Attachment("mxc://hs/abc", "cat.png", Optional.of("image/png"), OptionalLong.of(42));
    room.addOriginal(new Original("$1", "@bob:hs", Instant.ofEpochSecond(1), new Content("m.image", "cat.png", Optional.of(file)),
        Optional.empty(), Optional.empty(), false));
    assertThat(room.message("$1").get().attachment()).hasValue(file);
    room.addEdit(edit("$e1", "@bob:hs", 2, "$1", "dog"));
    room.addReaction(new Annotation("$r1", "@carol:hs", "$1", "👍"));

    MessageAggregator.Redacted result = room.redact("$1");
    assertThat(result).isInstanceOf(MessageRedacted.class);
    Message deleted = ((MessageRedacted) result).message();
    assertThat(deleted.deleted()).isTrue();
    assertThat(deleted.id()).isEqualTo("$1");
    assertThat(deleted.senderId()).isEqualTo("@bob:hs");
    assertThat(deleted.sentAt()).isEqualTo(Instant.ofEpochSecond(1));
    assertThat(deleted.body()).isEmpty();
    assertThat(deleted.attachment()).isEmpty();
    assertThat(deleted.edited()).isFalse();
    assertThat(deleted.reactions()).isEmpty();
    assertThat(room.redact("$1")).isEqualTo(new NothingKnown());
    assertThat(room.addReaction(new Annotation("$r9", "@carol:hs", "$1", "👍"))).isFalse();
    assertThat(room.addEdit(edit("$e9", "@bob:hs", 3, "$1", "back"))).isEqualTo(EditOutcome.IGNORED);
  }

  @Test
  void aMessageThatArrivesRedactedIsDeleted() {
    Original redacted = new Original("$1", "@bob:hs", Instant.ofEpochSecond(1), text(""), Optional.empty(), Optional.empty(), true);
    assertThat(room.addOriginal(redacted).get().deleted()).isTrue();
  }

  private static Original redacted(String id, String sender) {
    return new Original(id, sender, Instant.ofEpochSecond(1), text(""), Optional.empty(), Optional.empty(), true);
  }

  @Test
  void aKnownMessageReadAgainRedactedIsDeletedWithoutASecondCreation() {
    room.addOriginal(original("$1", "@bob:hs", 1, "hi"));
    room.addReaction(new Annotation("$r1", "@carol:hs", "$1", "👍"));
    assertThat(room.addOriginal(original("$1", "@bob:hs", 1, "hi"))).isEmpty();

    assertThat(room.addOriginal(redacted("$1", "@bob:hs"))).as("no second creation").isEmpty();
    Message now = room.message("$1").get();
    assertThat(now.deleted()).isTrue();
    assertThat(now.reactions()).isEmpty();
  }

  @Test
  void aKnownEditReadAgainRedactedIsTakenBackAndIsNoMessage() {
    room.addOriginal(original("$1", "@bob:hs", 1, "v1"));
    room.addEdit(edit("$e1", "@bob:hs", 2, "$1", "v2"));

    assertThat(room.addOriginal(redacted("$e1", "@bob:hs"))).isEmpty();
    assertThat(room.message("$1").get().body()).isEqualTo("v1");
    assertThat(room.message("$e1")).isEmpty();
    // Read once more (the redaction event and the redacted copy alike): still no message of its own.
    assertThat(room.redact("$e1")).isEqualTo(new NothingKnown());
    assertThat(room.addOriginal(redacted("$e1", "@bob:hs"))).isEmpty();
    assertThat(room.addEdit(edit("$e1", "@bob:hs", 2, "$1", "v2"))).isEqualTo(EditOutcome.IGNORED);
    assertThat(room.message("$e1")).isEmpty();
    assertThat(room.message("$1").get().body()).isEqualTo("v1");
  }

  @Test
  void aKnownReactionReadAgainRedactedIsTakenBack() {
    room.addOriginal(original("$1", "@bob:hs", 1, "hi"));
    room.addReaction(new Annotation("$r1", "@carol:hs", "$1", "👍"));

    assertThat(room.addRedactedRelation("$r1")).isEqualTo(new ReactionRedacted("$1", "👍", "@carol:hs", false));
    assertThat(room.message("$1").get().reactions()).isEmpty();
    assertThat(room.addReaction(new Annotation("$r1", "@carol:hs", "$1", "👍"))).as("a stale copy").isFalse();
    assertThat(room.message("$1").get().reactions()).isEmpty();
    assertThat(room.addRedactedRelation("$unknown")).isEqualTo(new NothingKnown());
  }

  @Test
  void redactingSomethingUnknownSaysSo() {
    assertThat(room.redact("$nothing")).isEqualTo(new NothingKnown());
  }

  @Test
  void itRemembersAtMostCapacityMessagesForgettingTheOldest() {
    MessageAggregator small = new MessageAggregator("!room:hs", 2);
    small.addOriginal(original("$1", "@bob:hs", 1, "a"));
    small.addReaction(new Annotation("$r1", "@carol:hs", "$1", "👍"));
    small.addOriginal(original("$2", "@bob:hs", 2, "b"));
    small.addOriginal(original("$3", "@bob:hs", 3, "c"));
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.message("$1")).isEmpty();
    assertThat(small.targetOf("$r1")).isEmpty();
    assertThat(small.message("$3")).isPresent();
    for (int i = 0; i < 10; i++) {
      small.addReaction(new Annotation("$p" + i, "@carol:hs", "$unknown" + i, "👍"));
    }
    assertThat(small.targetOf("$p0")).isEmpty();
    assertThat(small.targetOf("$p9")).hasValue("$unknown9");
  }

  @Test
  void theEditFallbackBodyIsStarPrefixed() {
    assertThat(MessageAggregator.editFallbackBody("new text")).isEqualTo("* new text");
  }
}
