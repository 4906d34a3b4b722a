package io.melo.matrix.event;

/** The {@code msgtype} of an {@code m.room.message}. Unknown msgtypes are {@link #UNKNOWN}; their string stays in the content. */
public enum MsgType {
  /** {@code m.text}. */
  TEXT("m.text"),
  /** {@code m.emote}. */
  EMOTE("m.emote"),
  /** {@code m.notice}. */
  NOTICE("m.notice"),
  /** {@code m.image}. */
  IMAGE("m.image"),
  /** {@code m.file}. */
  FILE("m.file"),
  /** {@code m.audio}. */
  AUDIO("m.audio"),
  /** {@code m.video}. */
  VIDEO("m.video"),
  /** {@code m.location}. */
  LOCATION("m.location"),
  /** Any other msgtype, or none. */
  UNKNOWN(null);

  private final String value;

  MsgType(String value) {
    this.value = value;
  }

  /** {@return the wire string, such as {@code m.text}; null for {@link #UNKNOWN}} */
  public String value() {
    return value;
  }

  /** {@return true for a msgtype that carries a media {@code url}: image, file, audio, video} */
  public boolean isMedia() {
    return this == IMAGE || this == FILE || this == AUDIO || this == VIDEO;
  }

  /**
   * {@return the msgtype for a wire string; {@link #UNKNOWN} for anything else, including null}
   *
   * @param value the wire string, such as {@code m.image}, or null
   */
  public static MsgType of(String value) {
    if (value != null) {
      for (MsgType type : values()) {
        if (value.equals(type.value)) {
          return type;
        }
      }
    }
    return UNKNOWN;
  }
}
