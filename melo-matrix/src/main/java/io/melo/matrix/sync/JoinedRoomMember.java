package io.melo.matrix.sync;

/**
 * A plain member state event ({@code m.room.member}) of a joined room, as a
 * {@link JoinedRoomCompactSink} takes it: the fields a member list needs, without a JSON tree. Only
 * events whose content is nothing but string {@code membership}, {@code displayname} and
 * {@code avatar_url} come in this form (the usual case, and most of a large room's state); every
 * other event comes as a full {@link io.melo.matrix.event.RoomEvent}.
 *
 * @param eventId the event id
 * @param sender the user id of the sender
 * @param originServerTs milliseconds since the epoch on the sender's homeserver
 * @param userId the member (the event's {@code state_key})
 * @param membership the content's {@code membership} ({@code join}, {@code leave}, ...; unknown values kept)
 * @param displayname the content's {@code displayname}; null when absent
 * @param avatarUrl the content's {@code avatar_url}; null when absent
 */
public record JoinedRoomMember(
    String eventId,
    String sender,
    long originServerTs,
    String userId,
    String membership,
    String displayname,
    String avatarUrl) {

  /**
   * Checks that the required fields are present.
   *
   * @param eventId the event id; not null
   * @param sender the user id of the sender; not null
   * @param originServerTs milliseconds since the epoch on the sender's homeserver
   * @param userId the member (the event's {@code state_key}); not null
   * @param membership the content's {@code membership}; not null
   * @param displayname the content's {@code displayname}; null when absent
   * @param avatarUrl the content's {@code avatar_url}; null when absent
   * @throws IllegalArgumentException if a required field is null
   */
  public JoinedRoomMember {
    if (eventId == null || sender == null || userId == null || membership == null) {
      throw new IllegalArgumentException("eventId, sender, userId and membership must not be null");
    }
  }
}
