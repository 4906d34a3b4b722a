package io.melo.core;

/** What a message holds, from its Matrix {@code msgtype}. */
public enum MessageKind {
  /** {@code m.text}. */
  TEXT("m.text"),
  /** {@code m.notice}: sent by a bot. */
  NOTICE("m.notice"),
  /** {@code m.emote}: an action ("/me waves"). */
  EMOTE("m.emote"),
  /** {@code m.image}: an attachment. */
  IMAGE("m.image"),
  /** {@code m.file}: an attachment. */
  FILE("m.file"),
  /** {@code m.video}: an attachment. */
  VIDEO("m.video"),
  /** {@code m.audio}: an attachment. */
  AUDIO("m.audio"),
  /** A msgtype this version does not know; {@link Message#msgtype()} keeps it. */
  OTHER("");

  private final String msgtype;

  MessageKind(String msgtype) {
    this.msgtype = msgtype;
  }

  /** {@return the Matrix msgtype, empty for {@link #OTHER}} */
  public String msgtype() {
    return msgtype;
  }

  /** {@return true for the kinds that carry a file} */
  public boolean isAttachment() {
    return this == IMAGE || this == FILE || this == VIDEO || this == AUDIO;
  }

  /**
   * {@return the kind of a Matrix msgtype; {@link #OTHER} for anything unknown, never an exception}
   *
   * @param msgtype the Matrix {@code msgtype}, such as {@code m.text}, or null
   */
  public static MessageKind fromMsgtype(String msgtype) {
    for (MessageKind kind : values()) {
      if (kind != OTHER && kind.msgtype.equals(msgtype)) {
        return kind;
      }
    }
    return OTHER;
  }
}
