package io.melo.core;

/**
 * A member's role in a server, read from the Matrix power levels: {@link #ADMIN} at 100 or more,
 * {@link #MODERATOR} at 50 or more, else {@link #GUEST}. The server's owner holds power level
 * 101, which reads as ADMIN; ownership itself comes from the server's owner id.
 */
public enum Role {
  /** Power level 0: reads, writes messages, deletes their own. */
  GUEST(0),
  /** Power level 50: manages channels, deletes anyone's messages, kicks and bans at the Matrix level. */
  MODERATOR(50),
  /** Power level 100: updates or deletes the server and regenerates its invite code. */
  ADMIN(100);

  private final long powerLevel;

  Role(long powerLevel) {
    this.powerLevel = powerLevel;
  }

  /** {@return the power level Melo writes for this role} */
  public long powerLevel() {
    return powerLevel;
  }

  /**
   * {@return the role a power level reads as: 100 or more ADMIN, 50 or more MODERATOR, else GUEST}
   *
   * @param powerLevel a Matrix power level
   */
  public static Role fromPowerLevel(long powerLevel) {
    if (powerLevel >= ADMIN.powerLevel) {
      return ADMIN;
    }
    if (powerLevel >= MODERATOR.powerLevel) {
      return MODERATOR;
    }
    return GUEST;
  }

  /**
   * {@return true when this role is {@code other} or higher}
   *
   * @param other the role to compare with
   */
  public boolean isAtLeast(Role other) {
    return compareTo(other) >= 0;
  }
}
