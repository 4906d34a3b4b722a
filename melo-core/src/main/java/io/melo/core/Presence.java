package io.melo.core;

/** A user's presence, as Matrix reports it. */
public enum Presence {
  /** {@code online}: active now. */
  ONLINE("online"),
  /** {@code unavailable}: away or idle. */
  UNAVAILABLE("unavailable"),
  /** {@code offline}. */
  OFFLINE("offline"),
  /** A value this version does not know; never an exception. */
  UNKNOWN("");

  private final String wireName;

  Presence(String wireName) {
    this.wireName = wireName;
  }

  /** {@return the value Matrix uses, empty for {@link #UNKNOWN}} */
  public String wireName() {
    return wireName;
  }

  /**
   * {@return the presence Matrix names {@code wireName}; {@link #UNKNOWN} for anything else}
   *
   * @param wireName the Matrix presence, such as {@code online}, or null
   */
  public static Presence fromWireName(String wireName) {
    for (Presence presence : values()) {
      if (presence != UNKNOWN && presence.wireName.equals(wireName)) {
        return presence;
      }
    }
    return UNKNOWN;
  }
}
