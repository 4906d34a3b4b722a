package io.melo.core;

/**
 * A direct conversation between this user and one other: a Matrix direct room, recorded in both
 * users' {@code m.direct} account data.
 *
 * @param id the room id
 * @param otherUserId the other participant
 */
public record Conversation(String id, String otherUserId) {

  /**
   * Validates the fields.
   *
   * @param id the room id
   * @param otherUserId the other participant
   */
  public Conversation {
    Check.roomId(id, "id");
    Check.userId(otherUserId, "otherUserId");
  }
}
