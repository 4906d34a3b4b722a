package io.melo.matrix.room;

import io.melo.matrix.event.StrippedStateEvent;
import io.melo.matrix.json.JsonObject;
import java.util.List;

/**
 * One room of a space hierarchy ({@code GET /v1/rooms/{roomId}/hierarchy}).
 *
 * @param roomId the room id
 * @param name the name, or null
 * @param topic the topic, or null
 * @param canonicalAlias the canonical alias, or null
 * @param avatarUrl the avatar URL as sent, or null
 * @param numJoinedMembers the number of joined members
 * @param worldReadable whether anyone may read it
 * @param guestCanJoin whether guests may join
 * @param joinRule the join rule as sent, or null
 * @param roomType the room type ({@code m.space} for spaces), or null
 * @param childrenState the {@code m.space.child} events of a space
 * @param raw the whole object as sent (unknown fields kept)
 */
public record HierarchyRoom(
    String roomId,
    String name,
    String topic,
    String canonicalAlias,
    String avatarUrl,
    long numJoinedMembers,
    boolean worldReadable,
    boolean guestCanJoin,
    String joinRule,
    String roomType,
    List<StrippedStateEvent> childrenState,
    JsonObject raw) {

  /**
   * Copies the list.
   *
   * @param roomId the room id
   * @param name the name, or null
   * @param topic the topic, or null
   * @param canonicalAlias the canonical alias, or null
   * @param avatarUrl the avatar URL as sent, or null
   * @param numJoinedMembers the number of joined members
   * @param worldReadable whether anyone may read it
   * @param guestCanJoin whether guests may join
   * @param joinRule the join rule as sent, or null
   * @param roomType the room type ({@code m.space} for spaces), or null
   * @param childrenState the {@code m.space.child} events of a space
   * @param raw the whole object as sent (unknown fields kept)
   */
  public HierarchyRoom {
    childrenState = List.copyOf(childrenState);
  }
}
