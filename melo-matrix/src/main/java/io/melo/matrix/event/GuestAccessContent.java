package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.room.guest_access}. An unknown value is {@link GuestAccess#UNKNOWN} and its string stays in {@code extra}.
 *
 * @param guestAccess the value
 * @param extra every other field, kept as received
 */
public record GuestAccessContent(GuestAccess guestAccess, JsonObject extra) {

  /**
   * Replaces nulls with UNKNOWN and an empty {@code extra}.
   *
   * @param guestAccess the value
   * @param extra every other field, kept as received
   */
  public GuestAccessContent {
    guestAccess = guestAccess == null ? GuestAccess.UNKNOWN : guestAccess;
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return a content with only this value}
   *
   * @param guestAccess a known value; null or {@code UNKNOWN} is an {@link
   *     IllegalArgumentException}
   */
  public static GuestAccessContent of(GuestAccess guestAccess) {
    if (guestAccess == null || guestAccess == GuestAccess.UNKNOWN) {
      throw new IllegalArgumentException("a value to send must be a known one, was: " + guestAccess);
    }
    return new GuestAccessContent(guestAccess, JsonObject.EMPTY);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; an unknown or missing value reads as {@code UNKNOWN} and stays in {@code
   *     extra}
   */
  public static GuestAccessContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    GuestAccess value = GuestAccess.of(json.getStringOrNull("guest_access"));
    if (value != GuestAccess.UNKNOWN) {
      r.consume("guest_access");
    }
    return new GuestAccessContent(value, r.extra());
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder().putOrRemove("guest_access", guestAccess.value()), extra);
  }
}
