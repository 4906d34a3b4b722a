package io.melo.matrix.room;

/**
 * A joined member as {@code GET /rooms/{roomId}/joined_members} reports it.
 *
 * @param displayName the display name in the room, or null
 * @param avatarUrl the avatar mxc URI as sent (unvalidated), or null
 */
public record JoinedMember(String displayName, String avatarUrl) {}
