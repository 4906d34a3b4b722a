package io.melo.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A message in a channel or conversation as it stands now: its latest valid edit applied, its
 * reactions summed up, its reply target and thread, and whether it was deleted.
 *
 * <p>An edit counts only when its sender is the message's author (homeservers accept an edit
 * from anyone). A deleted message keeps its id, room, author and time; its text, attachment and
 * reactions are gone.
 *
 * @param id the Matrix event id of the original message
 * @param roomId the channel or conversation room
 * @param senderId the author
 * @param sentAt when the original was sent (server time)
 * @param msgtype the Matrix msgtype of the current content, as sent
 * @param body the current text (the latest edit's new text); empty once deleted
 * @param attachment the current file, for attachment messages
 * @param editedAt when the latest counted edit was sent, if any
 * @param deleted true once the message was redacted
 * @param replyToId the event id this message replies to, if any
 * @param threadRootId the root event id of the thread this message belongs to, if any
 * @param reactions the reactions, in the order each key first appeared
 */
public record Message(
    String id,
    String roomId,
    String senderId,
    Instant sentAt,
    String msgtype,
    String body,
    Optional<Attachment> attachment,
    Optional<Instant> editedAt,
    boolean deleted,
    Optional<String> replyToId,
    Optional<String> threadRootId,
    List<Reaction> reactions) {

  /**
   * Validates and copies the fields.
   *
   * @param id the Matrix event id of the original message
   * @param roomId the channel or conversation room
   * @param senderId the author
   * @param sentAt when the original was sent (server time)
   * @param msgtype the Matrix msgtype of the current content, as sent
   * @param body the current text (the latest edit's new text); empty once deleted
   * @param attachment the current file, for attachment messages
   * @param editedAt when the latest counted edit was sent, if any
   * @param deleted true once the message was redacted
   * @param replyToId the event id this message replies to, if any
   * @param threadRootId the root event id of the thread this message belongs to, if any
   * @param reactions the reactions, in the order each key first appeared
   */
  public Message {
    Check.eventId(id, "id");
    Check.roomId(roomId, "roomId");
    Check.userId(senderId, "senderId");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(msgtype, "msgtype");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(attachment, "attachment");
    Objects.requireNonNull(editedAt, "editedAt");
    Objects.requireNonNull(replyToId, "replyToId");
    Objects.requireNonNull(threadRootId, "threadRootId");
    reactions = List.copyOf(reactions);
  }

  /** {@return what the message holds, from its msgtype; {@link MessageKind#OTHER} when unknown} */
  public MessageKind kind() {
    return MessageKind.fromMsgtype(msgtype);
  }

  /** {@return true when the author edited the message} */
  public boolean edited() {
    return editedAt.isPresent();
  }

  /**
   * {@return the reaction with {@code key}, if anyone reacted with it}
   *
   * @param key the reaction key, such as an emoji
   */
  public Optional<Reaction> reaction(String key) {
    return reactions.stream().filter(r -> r.key().equals(key)).findFirst();
  }
}
