package io.melo.matrix.sync;

import java.util.Map;

/**
 * The room updates of a sync, by room id, in the order the server sent them.
 *
 * @param join rooms the user is in
 * @param invite rooms the user is invited to
 * @param leave rooms the user left or was removed from
 * @param knock rooms the user knocked on
 */
public record Rooms(Map<String, JoinedRoom> join, Map<String, InvitedRoom> invite, Map<String, LeftRoom> leave,
    Map<String, KnockedRoom> knock) {

  /** No room updates. */
  public static final Rooms EMPTY = new Rooms(Map.of(), Map.of(), Map.of(), Map.of());

  /**
   * Copies the maps (unmodifiable, order kept).
   *
   * @param join rooms the user is in
   * @param invite rooms the user is invited to
   * @param leave rooms the user left or was removed from
   * @param knock rooms the user knocked on
   */
  public Rooms {
    join = Lists.copy(join);
    invite = Lists.copy(invite);
    leave = Lists.copy(leave);
    knock = Lists.copy(knock);
  }

  /** {@return true when there are no room updates at all} */
  public boolean isEmpty() {
    return join.isEmpty() && invite.isEmpty() && leave.isEmpty() && knock.isEmpty();
  }
}
