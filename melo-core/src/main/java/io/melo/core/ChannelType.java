package io.melo.core;

import java.util.Optional;

/** What a channel carries. Stored as its name in the channel's {@code <ns>.channel} state. */
public enum ChannelType {
  /** Text chat. */
  TEXT,
  /** A voice room; the media itself is the app's business. */
  AUDIO,
  /** A video room; the media itself is the app's business. */
  VIDEO;

  /**
   * {@return the type named {@code wireName} exactly as stored, or empty for a name this version
   * does not know}
   *
   * @param wireName the type as stored in the channel's state, or null
   */
  public static Optional<ChannelType> fromWireName(String wireName) {
    for (ChannelType type : values()) {
      if (type.name().equals(wireName)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
