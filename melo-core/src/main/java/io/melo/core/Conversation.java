package io.melo.core;

/**
 * A direct conversation between this user and one other: a Matrix direct room, recorded in both
 * users' {@code m.direct} account data.
 *
 * @param id the room id
 * @param otherUserId the other participant
 * @param encrypted true when the room is end-to-end encrypted ({@code m.room.encryption} in its
 *     state, as direct chats Element creates are): Melo cannot encrypt, so every send into it is
 *     refused with {@link RuleViolationException.Rule#ROOM_ENCRYPTED}, and its messages arrive as
 *     {@link io.melo.core.event.UnknownEvent}s of type {@code m.room.encrypted} and are left out of
 *     {@link MeloClient#messages history}
 */
public record Conversation(String id, String otherUserId, boolean encrypted) {

  /**
   * Validates the fields.
   *
   * @param id the room id
   * @param otherUserId the other participant
   * @param encrypted whether the room is end-to-end encrypted
   */
  public Conversation {
    Check.roomId(id, "id");
    Check.userId(otherUserId, "otherUserId");
  }

  /**
   * A conversation in a room that is not encrypted.
   *
   * @param id the room id
   * @param otherUserId the other participant
   */
  public Conversation(String id, String otherUserId) {
    this(id, otherUserId, false);
  }
}
