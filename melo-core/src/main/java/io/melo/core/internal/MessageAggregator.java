package io.melo.core.internal;

import io.melo.core.Attachment;
import io.melo.core.Message;
import io.melo.core.Reaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one room's message events (originals, edits, reactions, redactions) into {@link Message}
 * values as they stand now, whatever order the events arrive in (live sync brings them oldest
 * first, backward pagination newest first, so an edit or a reaction may come before its target).
 *
 * <p>The rules: an edit ({@code m.replace}) counts only when its sender is the original's sender
 * and it does not target another edit; the latest counted edit by server time (then arrival)
 * gives the current content; redacting an edit falls back to the one before. Each user counts
 * once per reaction key, however many reaction events they sent. A redacted message keeps its
 * id, room, author and time, and loses its content, edits and reactions.
 *
 * <p>Events read again (a history page read a second time) never count twice, but the copy the
 * homeserver returns now wins where it says more: a message, edit or reaction known before that
 * comes back redacted counts as its redaction, so a deletion, a reaction taken back or an edit
 * taken back shows even when the redaction event itself is not read. A redacted edit or reaction
 * is remembered as such (bounded), so its redacted copy is never taken for a deleted message.
 *
 * <p>It holds at most {@code capacity} messages (the oldest added are forgotten first) and as
 * many relations whose target it has not seen. Not thread-safe: the sync thread owns it. Not API.
 */
public final class MessageAggregator {

  /** The body of an edit's fallback content, shown by clients that do not apply edits. */
  public static String editFallbackBody(String newText) {
    return "* " + newText;
  }

  /**
   * A message's content.
   *
   * @param msgtype the Matrix msgtype, as sent
   * @param body the text
   * @param attachment the file, for attachment messages
   */
  public record Content(String msgtype, String body, Optional<Attachment> attachment) {
    /** Checks the fields. */
    public Content {
      Objects.requireNonNull(msgtype, "msgtype");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(attachment, "attachment");
    }
  }

  /**
   * An {@code m.room.message} that is not an edit.
   *
   * @param eventId its event id
   * @param senderId its sender
   * @param sentAt its {@code origin_server_ts}
   * @param content its content (empty for a redacted event)
   * @param replyToId the event it replies to, if any (not a thread's fallback reply)
   * @param threadRootId its thread's root, if any
   * @param redacted true when it arrived already redacted
   */
  public record Original(
      String eventId,
      String senderId,
      Instant sentAt,
      Content content,
      Optional<String> replyToId,
      Optional<String> threadRootId,
      boolean redacted) {
    /** Checks the fields. */
    public Original {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(senderId, "senderId");
      Objects.requireNonNull(sentAt, "sentAt");
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(replyToId, "replyToId");
      Objects.requireNonNull(threadRootId, "threadRootId");
    }
  }

  /**
   * An edit: {@code m.room.message} with {@code m.relates_to.rel_type = m.replace}.
   *
   * @param eventId the edit's event id
   * @param senderId its sender
   * @param sentAt its {@code origin_server_ts}
   * @param targetId the message it replaces
   * @param newContent its {@code m.new_content}
   */
  public record Edit(String eventId, String senderId, Instant sentAt, String targetId, Content newContent) {
    /** Checks the fields. */
    public Edit {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(senderId, "senderId");
      Objects.requireNonNull(sentAt, "sentAt");
      Objects.requireNonNull(targetId, "targetId");
      Objects.requireNonNull(newContent, "newContent");
    }
  }

  /**
   * A reaction: {@code m.reaction} with {@code m.relates_to.rel_type = m.annotation}.
   *
   * @param eventId the reaction's event id
   * @param senderId who reacted
   * @param targetId the message reacted to
   * @param key the reaction key
   */
  public record Annotation(String eventId, String senderId, String targetId, String key) {
    /** Checks the fields. */
    public Annotation {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(senderId, "senderId");
      Objects.requireNonNull(targetId, "targetId");
      Objects.requireNonNull(key, "key");
    }
  }

  /** What adding an edit did. */
  public enum EditOutcome {
    /** It counts and is now the latest edit: the message changed. */
    APPLIED,
    /** It counts but an edit sent later already applies: nothing visible changed. */
    SUPERSEDED,
    /** It does not count (another sender, an edit of an edit, a deleted or duplicate target). */
    IGNORED,
    /** Its target is not known yet; it is kept and checked when the target arrives. */
    PENDING
  }

  /** What a redaction removed. */
  public sealed interface Redacted {}

  /**
   * A message was deleted.
   *
   * @param message the message, now deleted
   */
  public record MessageRedacted(Message message) implements Redacted {}

  /**
   * A counted edit was removed; the message shows the previous edit or the original again.
   *
   * @param message the message as it is now
   */
  public record EditRedacted(Message message) implements Redacted {}

  /**
   * A reaction event was removed.
   *
   * @param targetId the message reacted to
   * @param key the reaction key
   * @param senderId who had reacted
   * @param stillCounted true when the sender has another reaction event with the same key
   */
  public record ReactionRedacted(String targetId, String key, String senderId, boolean stillCounted)
      implements Redacted {}

  /** The redacted event is not a message, edit or reaction this aggregator knows. */
  public record NothingKnown() implements Redacted {}

  private final String roomId;
  private final int capacity;
  private long arrivals;

  private final LinkedHashMap<String, Original> originals = new LinkedHashMap<>();
  private final Map<String, List<Stamped<Edit>>> editsByTarget = new LinkedHashMap<>();
  private final Map<String, Edit> editsById = new HashMap<>();
  private final Map<String, Map<String, Map<String, Set<String>>>> reactionsByTarget = new LinkedHashMap<>();
  private final Map<String, Annotation> reactionsById = new HashMap<>();
  /** Edits and reactions redacted here: their redacted copies are neither messages nor relations. */
  private final Set<String> retired;

  private record Stamped<T>(T value, long arrival) {}

  /**
   * Creates an aggregator for one room.
   *
   * @param roomId the room whose events it receives
   * @param capacity how many messages it remembers, at least 1
   */
  public MessageAggregator(String roomId, int capacity) {
    this.roomId = Objects.requireNonNull(roomId, "roomId");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was: " + capacity);
    }
    this.capacity = capacity;
    this.retired = java.util.Collections.newSetFromMap(new LinkedHashMap<String, Boolean>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    });
  }

  /**
   * Adds a message. Edits and reactions that arrived before it now apply to it.
   *
   * <p>An event id already known is not added again; when this copy is redacted and the known
   * message, edit or reaction is not, it counts as the event's redaction (the homeserver's current
   * copy, read again, says it was deleted or taken back since).
   *
   * @return the message as it stands, or empty when this event id was already added (a duplicate
   *     delivery, which must not produce a second "created" event) or is a known edit or reaction
   */
  public Optional<Message> addOriginal(Original original) {
    String id = original.eventId();
    Original known = originals.get(id);
    if (known != null || editsById.containsKey(id) || reactionsById.containsKey(id) || retired.contains(id)) {
      if (original.redacted() && (known == null || !known.redacted())) {
        redact(id);
      }
      return Optional.empty();
    }
    originals.put(original.eventId(), original);
    if (original.redacted()) {
      forgetRelations(original.eventId());
    } else {
      List<Stamped<Edit>> edits = editsByTarget.get(original.eventId());
      if (edits != null) {
        for (Iterator<Stamped<Edit>> it = edits.iterator(); it.hasNext(); ) {
          Edit edit = it.next().value();
          if (!edit.senderId().equals(original.senderId())) {
            it.remove();
            editsById.remove(edit.eventId());
          }
        }
      }
    }
    evictIfFull();
    return message(original.eventId());
  }

  /** Adds an edit; see {@link EditOutcome}. */
  public EditOutcome addEdit(Edit edit) {
    if (editsById.containsKey(edit.eventId()) || originals.containsKey(edit.eventId())
        || retired.contains(edit.eventId())) {
      return EditOutcome.IGNORED;
    }
    if (editsById.containsKey(edit.targetId())) {
      return EditOutcome.IGNORED; // an edit of an edit is not valid
    }
    Original target = originals.get(edit.targetId());
    if (target != null && (target.redacted() || !target.senderId().equals(edit.senderId()))) {
      return EditOutcome.IGNORED;
    }
    Stamped<Edit> stamped = new Stamped<>(edit, arrivals++);
    editsByTarget.computeIfAbsent(edit.targetId(), id -> new ArrayList<>()).add(stamped);
    editsById.put(edit.eventId(), edit);
    if (target == null) {
      evictIfFull();
      return EditOutcome.PENDING;
    }
    return latestEdit(edit.targetId()).filter(latest -> latest == edit).isPresent()
        ? EditOutcome.APPLIED
        : EditOutcome.SUPERSEDED;
  }

  /**
   * Adds a reaction, whether or not its target is known.
   *
   * @return true when the sender now counts for this key on the target (their first reaction
   *     event with it); false for a duplicate event or a second event with the same key, or a
   *     reaction to a deleted message
   */
  public boolean addReaction(Annotation reaction) {
    if (reactionsById.containsKey(reaction.eventId()) || retired.contains(reaction.eventId())) {
      return false;
    }
    Original target = originals.get(reaction.targetId());
    if (target != null && target.redacted()) {
      return false;
    }
    Set<String> events =
        reactionsByTarget
            .computeIfAbsent(reaction.targetId(), id -> new LinkedHashMap<>())
            .computeIfAbsent(reaction.key(), key -> new LinkedHashMap<>())
            .computeIfAbsent(reaction.senderId(), sender -> new LinkedHashSet<>());
    boolean first = events.isEmpty();
    events.add(reaction.eventId());
    reactionsById.put(reaction.eventId(), reaction);
    evictIfFull();
    return first;
  }

  /** Applies the redaction of {@code eventId}; see {@link Redacted}. */
  public Redacted redact(String eventId) {
    Original original = originals.get(eventId);
    if (original != null) {
      if (original.redacted()) {
        return new NothingKnown();
      }
      Original deleted =
          new Original(
              original.eventId(),
              original.senderId(),
              original.sentAt(),
              new Content("", "", Optional.empty()),
              Optional.empty(),
              Optional.empty(),
              true);
      originals.put(eventId, deleted);
      forgetRelations(eventId);
      return new MessageRedacted(message(eventId).get());
    }
    Edit edit = editsById.remove(eventId);
    if (edit != null) {
      retired.add(eventId);
      List<Stamped<Edit>> edits = editsByTarget.get(edit.targetId());
      if (edits != null) {
        edits.removeIf(stamped -> stamped.value().eventId().equals(eventId));
        if (edits.isEmpty()) {
          editsByTarget.remove(edit.targetId());
        }
      }
      Optional<Message> target = message(edit.targetId());
      return target.<Redacted>map(EditRedacted::new).orElseGet(NothingKnown::new);
    }
    Annotation reaction = reactionsById.remove(eventId);
    if (reaction != null) {
      retired.add(eventId);
      Map<String, Map<String, Set<String>>> byKey = reactionsByTarget.get(reaction.targetId());
      boolean stillCounted = false;
      if (byKey != null) {
        Map<String, Set<String>> bySender = byKey.get(reaction.key());
        if (bySender != null) {
          Set<String> events = bySender.get(reaction.senderId());
          if (events != null) {
            events.remove(eventId);
            stillCounted = !events.isEmpty();
            if (!stillCounted) {
              bySender.remove(reaction.senderId());
            }
          }
          if (bySender.isEmpty()) {
            byKey.remove(reaction.key());
          }
        }
        if (byKey.isEmpty()) {
          reactionsByTarget.remove(reaction.targetId());
        }
      }
      return new ReactionRedacted(reaction.targetId(), reaction.key(), reaction.senderId(), stillCounted);
    }
    return new NothingKnown();
  }

  /**
   * A relation event (a reaction) read again that the homeserver now returns redacted: when it is
   * a known reaction or edit it counts as its redaction, else nothing happens (a redacted relation
   * not seen before names no target, so there is nothing to undo).
   */
  public Redacted addRedactedRelation(String eventId) {
    if (reactionsById.containsKey(eventId) || editsById.containsKey(eventId)) {
      return redact(eventId);
    }
    return new NothingKnown();
  }

  /** The message with event id {@code id} as it stands, if known. */
  public Optional<Message> message(String id) {
    Original original = originals.get(id);
    if (original == null) {
      return Optional.empty();
    }
    if (original.redacted()) {
      return Optional.of(
          new Message(
              id, roomId, original.senderId(), original.sentAt(), "", "", Optional.empty(),
              Optional.empty(), true, Optional.empty(), Optional.empty(), List.of()));
    }
    Optional<Edit> latest = latestEdit(id);
    Content content = latest.map(Edit::newContent).orElse(original.content());
    return Optional.of(
        new Message(
            id,
            roomId,
            original.senderId(),
            original.sentAt(),
            content.msgtype(),
            content.body(),
            content.attachment(),
            latest.map(Edit::sentAt),
            false,
            original.replyToId(),
            original.threadRootId(),
            reactions(id)));
  }

  /** The id of the message a reaction, edit or message event concerns, if this aggregator saw the event. */
  public Optional<String> targetOf(String eventId) {
    if (originals.containsKey(eventId)) {
      return Optional.of(eventId);
    }
    Edit edit = editsById.get(eventId);
    if (edit != null) {
      return Optional.of(edit.targetId());
    }
    Annotation reaction = reactionsById.get(eventId);
    return reaction == null ? Optional.empty() : Optional.of(reaction.targetId());
  }

  /**
   * The event id of {@code senderId}'s reaction with {@code key} on {@code targetId}, if any: the
   * event to redact to take the reaction back.
   */
  public Optional<String> reactionEventId(String targetId, String key, String senderId) {
    Set<String> events =
        reactionsByTarget
            .getOrDefault(targetId, Map.of())
            .getOrDefault(key, Map.of())
            .getOrDefault(senderId, Set.of());
    return events.stream().findFirst();
  }

  /**
   * Whether an added {@code edit} is now the one shown on its target: the target is known, not
   * deleted, sent by the edit's sender, and this is its latest edit. Used once a target that was
   * unknown when the edit arrived has been added.
   */
  public boolean isLatestEdit(Edit edit) {
    Original target = originals.get(edit.targetId());
    return target != null && !target.redacted() && target.senderId().equals(edit.senderId())
        && latestEdit(edit.targetId()).filter(latest -> latest == edit).isPresent();
  }

  /** Whether {@code eventId} is a message, edit or reaction this aggregator remembers. */
  public boolean knows(String eventId) {
    return originals.containsKey(eventId) || editsById.containsKey(eventId) || reactionsById.containsKey(eventId);
  }

  /** How many messages it remembers now. */
  public int size() {
    return originals.size();
  }

  private Optional<Edit> latestEdit(String targetId) {
    List<Stamped<Edit>> edits = editsByTarget.get(targetId);
    if (edits == null || edits.isEmpty()) {
      return Optional.empty();
    }
    Stamped<Edit> best = null;
    for (Stamped<Edit> candidate : edits) {
      if (best == null
          || candidate.value().sentAt().isAfter(best.value().sentAt())
          || (candidate.value().sentAt().equals(best.value().sentAt())
              && candidate.arrival() > best.arrival())) {
        best = candidate;
      }
    }
    return Optional.of(best.value());
  }

  private List<Reaction> reactions(String targetId) {
    Map<String, Map<String, Set<String>>> byKey = reactionsByTarget.get(targetId);
    if (byKey == null) {
      return List.of();
    }
    List<Reaction> reactions = new ArrayList<>(byKey.size());
    byKey.forEach((key, bySender) -> reactions.add(new Reaction(key, new ArrayList<>(bySender.keySet()))));
    return reactions;
  }

  private void forgetRelations(String targetId) {
    List<Stamped<Edit>> edits = editsByTarget.remove(targetId);
    if (edits != null) {
      edits.forEach(edit -> editsById.remove(edit.value().eventId()));
    }
    Map<String, Map<String, Set<String>>> byKey = reactionsByTarget.remove(targetId);
    if (byKey != null) {
      byKey.values().forEach(bySender -> bySender.values().forEach(ids -> ids.forEach(reactionsById::remove)));
    }
  }

  private void evictIfFull() {
    Iterator<String> oldest = originals.keySet().iterator();
    while (originals.size() > capacity && oldest.hasNext()) {
      String id = oldest.next();
      oldest.remove();
      forgetRelations(id);
    }
    // Relations whose target never arrived: bounded too, oldest target first.
    Iterator<String> pendingEdits = editsByTarget.keySet().iterator();
    while (editsByTarget.size() > capacity && pendingEdits.hasNext()) {
      String target = pendingEdits.next();
      if (!originals.containsKey(target)) {
        editsByTarget.get(target).forEach(edit -> editsById.remove(edit.value().eventId()));
        pendingEdits.remove();
      }
    }
    Iterator<String> pendingReactions = reactionsByTarget.keySet().iterator();
    while (reactionsByTarget.size() > capacity && pendingReactions.hasNext()) {
      String target = pendingReactions.next();
      if (!originals.containsKey(target)) {
        reactionsByTarget.get(target).values()
            .forEach(bySender -> bySender.values().forEach(ids -> ids.forEach(reactionsById::remove)));
        pendingReactions.remove();
      }
    }
  }
}
