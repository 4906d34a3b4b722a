package io.melo.core.internal;

import io.melo.core.Attachment;
import io.melo.core.internal.MessageAggregator.Annotation;
import io.melo.core.internal.MessageAggregator.Content;
import io.melo.core.internal.MessageAggregator.Edit;
import io.melo.core.internal.MessageAggregator.Original;
import io.melo.matrix.event.EventTypes;
import io.melo.matrix.event.MediaInfo;
import io.melo.matrix.event.MessageContent;
import io.melo.matrix.event.ReactionContent;
import io.melo.matrix.event.RelatesTo;
import io.melo.matrix.event.RoomEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads timeline events into {@link MessageAggregator} inputs. Not API. */
public final class TimelineReader {

  private TimelineReader() {}

  /** What a timeline event is to the message model. */
  public sealed interface Item {}

  /** A message (possibly already redacted). */
  public record OriginalItem(Original original) implements Item {}

  /** An edit. */
  public record EditItem(Edit edit) implements Item {}

  /** A reaction. */
  public record ReactionItem(Annotation annotation) implements Item {}

  /**
   * A redaction.
   *
   * @param redactionId the redaction event's id
   * @param redactsId the id of the event it removes
   * @param senderId who redacted
   */
  public record RedactionItem(String redactionId, String redactsId, String senderId) implements Item {}

  /**
   * A reaction that arrives redacted: its content (key and target) is gone, so it only undoes a
   * reaction known by its event id.
   *
   * @param eventId the redacted reaction's event id
   */
  public record RedactedRelationItem(String eventId) implements Item {}

  /** Something else (state, unknown types, malformed relations). */
  public record OtherItem() implements Item {}

  /** What {@code event} is to the message model; never throws. */
  public static Item read(RoomEvent event) {
    Instant at = Instant.ofEpochMilli(event.originServerTs());
    if (event.isType(EventTypes.MESSAGE) && event.stateKey() == null) {
      if (event.isRedacted()) {
        Original original =
            new Original(event.eventId(), event.sender(), at, new Content("", "", Optional.empty()),
                Optional.empty(), Optional.empty(), true);
        return new OriginalItem(original);
      }
      MessageContent content = MessageContent.from(event.content());
      RelatesTo relation = content.relatesTo();
      if (relation != null && relation.isReplace()) {
        if (relation.eventId() == null || content.newContent() == null) {
          return new OtherItem();
        }
        return new EditItem(new Edit(event.eventId(), event.sender(), at, relation.eventId(), content(content.newContent())));
      }
      Optional<String> replyTo = Optional.empty();
      Optional<String> thread = Optional.empty();
      if (relation != null) {
        boolean fallback = relation.isThread() && Boolean.TRUE.equals(relation.isFallingBack());
        if (relation.inReplyTo() != null && !fallback) {
          replyTo = Optional.of(relation.inReplyTo());
        }
        if (relation.isThread() && relation.eventId() != null) {
          thread = Optional.of(relation.eventId());
        }
      }
      return new OriginalItem(new Original(event.eventId(), event.sender(), at, content(content), replyTo, thread, false));
    }
    if (event.isType(EventTypes.REACTION) && event.stateKey() == null && event.isRedacted()) {
      return new RedactedRelationItem(event.eventId());
    }
    if (event.isType(EventTypes.REACTION) && event.stateKey() == null) {
      ReactionContent reaction = ReactionContent.from(event.content());
      if (!reaction.isValid()) {
        return new OtherItem();
      }
      return new ReactionItem(new Annotation(event.eventId(), event.sender(), reaction.eventId(), reaction.key()));
    }
    if (event.isType(EventTypes.REDACTION)) {
      Optional<String> redacts = event.redacts();
      if (redacts.isPresent()) {
        return new RedactionItem(event.eventId(), redacts.get(), event.sender());
      }
    }
    return new OtherItem();
  }

  /** The aggregator's view of a message content. */
  public static Content content(MessageContent content) {
    String msgtype = content.msgtype() == null ? "" : content.msgtype();
    String body = content.body() == null ? "" : content.body();
    Optional<Attachment> attachment = Optional.empty();
    if (content.type().isMedia() && content.url() != null) {
      MediaInfo info = content.info();
      OptionalLong size = info != null && info.size() != null && info.size() >= 0 ? OptionalLong.of(info.size()) : OptionalLong.empty();
      Optional<String> mime = info == null ? Optional.empty() : Optional.ofNullable(info.mimetype());
      attachment = Optional.of(new Attachment(content.url(), content.filename() != null ? content.filename() : body, mime, size));
    }
    return new Content(msgtype, body, attachment);
  }

  /** Feeds {@code item} into {@code aggregator}. */
  public static void feed(MessageAggregator aggregator, Item item) {
    if (item instanceof OriginalItem o) {
      aggregator.addOriginal(o.original());
    } else if (item instanceof EditItem e) {
      aggregator.addEdit(e.edit());
    } else if (item instanceof ReactionItem r) {
      aggregator.addReaction(r.annotation());
    } else if (item instanceof RedactionItem r) {
      aggregator.redact(r.redactsId());
    } else if (item instanceof RedactedRelationItem r) {
      aggregator.addRedactedRelation(r.eventId());
    }
  }
}
