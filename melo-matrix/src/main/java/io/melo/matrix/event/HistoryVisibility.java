package io.melo.matrix.event;

/** Who may read a room's history ({@code m.room.history_visibility}). Unknown values are {@link #UNKNOWN}; their string stays in the content's {@code extra}. */
public enum HistoryVisibility {
  /** {@code invited}. */
  INVITED("invited"),
  /** {@code joined}. */
  JOINED("joined"),
  /** {@code shared}. */
  SHARED("shared"),
  /** {@code world_readable}. */
  WORLD_READABLE("world_readable"),
  /** A value Melo does not know. */
  UNKNOWN(null);

  private final String value;

  HistoryVisibility(String value) {
    this.value = value;
  }

  /** {@return the wire string; null for {@link #UNKNOWN}} */
  public String value() {
    return value;
  }

  /**
   * {@return the constant for a wire string; {@link #UNKNOWN} for anything else, including null}
   *
   * @param value the wire string, such as {@code shared}, or null
   */
  public static HistoryVisibility of(String value) {
    if (value != null) {
      for (HistoryVisibility candidate : values()) {
        if (value.equals(candidate.value)) {
          return candidate;
        }
      }
    }
    return UNKNOWN;
  }
}
