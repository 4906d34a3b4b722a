package io.melo.core;

/**
 * How much of a room this user has not read, as the homeserver counts it from their read
 * receipts and push rules.
 *
 * @param notifications unread messages that notify
 * @param highlights unread messages that mention this user (a subset)
 */
public record UnreadCount(long notifications, long highlights) {

  /** Nothing unread. */
  public static final UnreadCount NONE = new UnreadCount(0, 0);
}
