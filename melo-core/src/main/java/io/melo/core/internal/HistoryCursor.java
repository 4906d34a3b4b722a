package io.melo.core.internal;

/**
 * The history cursors of {@code messages(roomId, cursor, limit)} ({@code MessagePage.nextCursor},
 * {@code HistoryGap.cursor}): the room's id, a {@code /}, then the homeserver's pagination token.
 * The room in the cursor lets a cursor of another room, or a string that is no cursor at all, be
 * refused before any request; the homeserver would answer the first with a page of the wrong
 * position (or an empty last page) and the second with a 400. A bare homeserver token (what
 * cursors were before they named their room) is refused like any other string that is no cursor.
 */
final class HistoryCursor {

  private HistoryCursor() {}

  /** The cursor that continues in {@code roomId} from the homeserver's {@code token}. */
  static String of(String roomId, String token) {
    return roomId + "/" + token;
  }

  /**
   * The homeserver token of a cursor of {@code roomId}.
   *
   * @throws IllegalArgumentException naming the cursor (and the room it is of, if another) when
   *     it is not a cursor of {@code roomId}
   */
  static String token(String roomId, String cursor) {
    String prefix = roomId + "/";
    if (cursor.startsWith(prefix) && cursor.length() > prefix.length()) {
      return cursor.substring(prefix.length());
    }
    int slash = cursor.indexOf('/');
    if (cursor.startsWith("!") && slash > 1 && slash < cursor.length() - 1) {
      throw new IllegalArgumentException("history cursor " + cursor + " is of room "
          + cursor.substring(0, slash) + ", not of " + roomId + " (each room pages with its own cursors)");
    }
    throw new IllegalArgumentException("not a history cursor of room " + roomId + ": \"" + cursor
        + "\" (a cursor is a MessagePage.nextCursor or a HistoryGap.cursor of that room; null reads"
        + " the newest page)");
  }
}
