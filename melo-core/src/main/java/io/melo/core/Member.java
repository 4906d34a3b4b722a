package io.melo.core;

import java.util.Objects;

/**
 * A member of a server: joined to its space, with a role read from the space's power levels.
 *
 * @param serverId the server (space room id)
 * @param profile the member's public profile
 * @param role the role their power level reads as
 * @param powerLevel their power level in the space (the owner holds 101)
 * @param owner true for the server's owner
 */
public record Member(String serverId, Profile profile, Role role, long powerLevel, boolean owner) {

  /**
   * Validates the fields.
   *
   * @param serverId the server (space room id)
   * @param profile the member's public profile
   * @param role the role their power level reads as
   * @param powerLevel their power level in the space (the owner holds 101)
   * @param owner true for the server's owner
   */
  public Member {
    Check.roomId(serverId, "serverId");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(role, "role");
  }

  /** {@return the member's Matrix user id} */
  public String userId() {
    return profile.userId();
  }
}
