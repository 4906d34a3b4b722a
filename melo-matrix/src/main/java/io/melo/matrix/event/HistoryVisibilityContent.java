package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.room.history_visibility}. An unknown value is {@link HistoryVisibility#UNKNOWN} and its string stays in {@code extra}.
 *
 * @param historyVisibility the value
 * @param extra every other field, kept as received
 */
public record HistoryVisibilityContent(HistoryVisibility historyVisibility, JsonObject extra) {

  /**
   * Replaces nulls with UNKNOWN and an empty {@code extra}.
   *
   * @param historyVisibility the value
   * @param extra every other field, kept as received
   */
  public HistoryVisibilityContent {
    historyVisibility = historyVisibility == null ? HistoryVisibility.UNKNOWN : historyVisibility;
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return a content with only this value}
   *
   * @param historyVisibility a known value; null or {@code UNKNOWN} is an {@link
   *     IllegalArgumentException}
   */
  public static HistoryVisibilityContent of(HistoryVisibility historyVisibility) {
    if (historyVisibility == null || historyVisibility == HistoryVisibility.UNKNOWN) {
      throw new IllegalArgumentException("a value to send must be a known one, was: " + historyVisibility);
    }
    return new HistoryVisibilityContent(historyVisibility, JsonObject.EMPTY);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; an unknown or missing value reads as {@code UNKNOWN} and stays in {@code
   *     extra}
   */
  public static HistoryVisibilityContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    HistoryVisibility value = HistoryVisibility.of(json.getStringOrNull("history_visibility"));
    if (value != HistoryVisibility.UNKNOWN) {
      r.consume("history_visibility");
    }
    return new HistoryVisibilityContent(value, r.extra());
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder().putOrRemove("history_visibility", historyVisibility.value()), extra);
  }
}
