package io.melo.matrix.sync;

/**
 * Unread notification counts of a room or a thread.
 *
 * @param highlightCount unread highlighted notifications (mentions)
 * @param notificationCount unread notifications
 */
public record UnreadCounts(long highlightCount, long notificationCount) {
  /** Zero of both. */
  public static final UnreadCounts ZERO = new UnreadCounts(0, 0);
}
