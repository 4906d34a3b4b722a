package io.melo.matrix.event;

/** The {@code join_rule} of an {@code m.room.join_rules} event. Unknown values are {@link #UNKNOWN}; their string stays in the content's {@code extra}. */
public enum JoinRule {
  /** {@code public}. */
  PUBLIC("public"),
  /** {@code invite}. */
  INVITE("invite"),
  /** {@code knock}. */
  KNOCK("knock"),
  /** {@code restricted}. */
  RESTRICTED("restricted"),
  /** {@code knock_restricted}. */
  KNOCK_RESTRICTED("knock_restricted"),
  /** {@code private}. */
  PRIVATE("private"),
  /** A value Melo does not know. */
  UNKNOWN(null);

  private final String value;

  JoinRule(String value) {
    this.value = value;
  }

  /** {@return the wire string; null for {@link #UNKNOWN}} */
  public String value() {
    return value;
  }

  /**
   * {@return the constant for a wire string; {@link #UNKNOWN} for anything else, including null}
   *
   * @param value the wire string, such as {@code invite}, or null
   */
  public static JoinRule of(String value) {
    if (value != null) {
      for (JoinRule candidate : values()) {
        if (value.equals(candidate.value)) {
          return candidate;
        }
      }
    }
    return UNKNOWN;
  }
}
