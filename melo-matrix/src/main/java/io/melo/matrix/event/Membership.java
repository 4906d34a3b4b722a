package io.melo.matrix.event;

/** The {@code membership} of an {@code m.room.member} event. Unknown values are {@link #UNKNOWN}; their string stays in the content's {@code extra}. */
public enum Membership {
  /** {@code invite}. */
  INVITE("invite"),
  /** {@code join}. */
  JOIN("join"),
  /** {@code knock}. */
  KNOCK("knock"),
  /** {@code leave}. */
  LEAVE("leave"),
  /** {@code ban}. */
  BAN("ban"),
  /** A value Melo does not know. */
  UNKNOWN(null);

  private final String value;

  Membership(String value) {
    this.value = value;
  }

  /** {@return the wire string; null for {@link #UNKNOWN}} */
  public String value() {
    return value;
  }

  /**
   * {@return the constant for a wire string; {@link #UNKNOWN} for anything else, including null}
   *
   * @param value the wire string, such as {@code join}, or null
   */
  public static Membership of(String value) {
    if (value != null) {
      for (Membership candidate : values()) {
        if (value.equals(candidate.value)) {
          return candidate;
        }
      }
    }
    return UNKNOWN;
  }
}
