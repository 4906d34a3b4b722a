package io.melo.matrix.event;

/** The {@code guest_access} of an {@code m.room.guest_access} event. Unknown values are {@link #UNKNOWN}; their string stays in the content's {@code extra}. */
public enum GuestAccess {
  /** {@code can_join}. */
  CAN_JOIN("can_join"),
  /** {@code forbidden}. */
  FORBIDDEN("forbidden"),
  /** A value Melo does not know. */
  UNKNOWN(null);

  private final String value;

  GuestAccess(String value) {
    this.value = value;
  }

  /** {@return the wire string; null for {@link #UNKNOWN}} */
  public String value() {
    return value;
  }

  /**
   * {@return the constant for a wire string; {@link #UNKNOWN} for anything else, including null}
   *
   * @param value the wire string, such as {@code can_join}, or null
   */
  public static GuestAccess of(String value) {
    if (value != null) {
      for (GuestAccess candidate : values()) {
        if (value.equals(candidate.value)) {
          return candidate;
        }
      }
    }
    return UNKNOWN;
  }
}
