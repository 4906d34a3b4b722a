package io.melo.matrix.sync;

import java.util.List;

/**
 * A room's summary, for naming rooms without a name. Fields are null when the server did not send
 * them this time (they only change occasionally).
 *
 * @param heroes {@code m.heroes}: members to name the room after; null when not sent
 * @param joinedMemberCount {@code m.joined_member_count}
 * @param invitedMemberCount {@code m.invited_member_count}
 */
public record RoomSummary(List<String> heroes, Long joinedMemberCount, Long invitedMemberCount) {
  /** Nothing sent. */
  public static final RoomSummary EMPTY = new RoomSummary(null, null, null);

  /**
   * Copies the list.
   *
   * @param heroes {@code m.heroes}: members to name the room after; null when not sent
   * @param joinedMemberCount {@code m.joined_member_count}
   * @param invitedMemberCount {@code m.invited_member_count}
   */
  public RoomSummary {
    heroes = heroes == null ? null : List.copyOf(heroes);
  }
}
