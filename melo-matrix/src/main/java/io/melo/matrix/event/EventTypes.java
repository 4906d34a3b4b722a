package io.melo.matrix.event;

/** The event type names Melo uses. Any other type is still accepted and kept as raw JSON. */
public final class EventTypes {
  private EventTypes() {}

  /** {@code m.room.message}. */
  public static final String MESSAGE = "m.room.message";
  /** {@code m.room.member}. */
  public static final String MEMBER = "m.room.member";
  /** {@code m.room.power_levels}. */
  public static final String POWER_LEVELS = "m.room.power_levels";
  /** {@code m.room.create}. */
  public static final String CREATE = "m.room.create";
  /** {@code m.room.name}. */
  public static final String NAME = "m.room.name";
  /** {@code m.room.topic}. */
  public static final String TOPIC = "m.room.topic";
  /** {@code m.room.avatar}. */
  public static final String AVATAR = "m.room.avatar";
  /** {@code m.room.join_rules}. */
  public static final String JOIN_RULES = "m.room.join_rules";
  /** {@code m.room.guest_access}. */
  public static final String GUEST_ACCESS = "m.room.guest_access";
  /** {@code m.room.history_visibility}. */
  public static final String HISTORY_VISIBILITY = "m.room.history_visibility";
  /** {@code m.room.canonical_alias}. */
  public static final String CANONICAL_ALIAS = "m.room.canonical_alias";
  /** {@code m.room.redaction}. */
  public static final String REDACTION = "m.room.redaction";
  /** {@code m.room.tombstone}. */
  public static final String TOMBSTONE = "m.room.tombstone";
  /** {@code m.room.encrypted}. */
  public static final String ENCRYPTED = "m.room.encrypted";
  /** {@code m.reaction}. */
  public static final String REACTION = "m.reaction";
  /** {@code m.space.child}. */
  public static final String SPACE_CHILD = "m.space.child";
  /** {@code m.space.parent}. */
  public static final String SPACE_PARENT = "m.space.parent";
  /** {@code m.typing} (ephemeral). */
  public static final String TYPING = "m.typing";
  /** {@code m.receipt} (ephemeral). */
  public static final String RECEIPT = "m.receipt";
  /** {@code m.direct} (account data). */
  public static final String DIRECT = "m.direct";
  /** {@code m.presence}. */
  public static final String PRESENCE = "m.presence";
}
