package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of an {@code m.room.member} event. An unknown membership is {@link Membership#UNKNOWN}
 * and its string stays in {@code extra} (see {@link #membershipValue()}).
 *
 * @param membership the membership
 * @param displayname the display name in this room
 * @param avatarUrl the avatar ({@code mxc://}) in this room
 * @param reason the reason given for a kick, ban, leave or invite
 * @param isDirect on an invite: true when the room is a direct chat
 * @param extra every other field, kept as received
 */
public record MemberContent(Membership membership, String displayname, String avatarUrl, String reason, Boolean isDirect, JsonObject extra) {

  /**
   * Replaces null values with {@link Membership#UNKNOWN} and an empty {@code extra}.
   *
   * @param membership the membership
   * @param displayname the display name in this room
   * @param avatarUrl the avatar ({@code mxc://}) in this room
   * @param reason the reason given for a kick, ban, leave or invite
   * @param isDirect on an invite: true when the room is a direct chat
   * @param extra every other field, kept as received
   */
  public MemberContent {
    membership = membership == null ? Membership.UNKNOWN : membership;
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return a membership change with no other fields}
   *
   * @param membership a known membership; null or {@code UNKNOWN} is an {@link
   *     IllegalArgumentException}
   */
  public static MemberContent of(Membership membership) {
    if (membership == null || membership == Membership.UNKNOWN) {
      throw new IllegalArgumentException("a membership to send must be a known one, was: " + membership);
    }
    return new MemberContent(membership, null, null, null, null, JsonObject.EMPTY);
  }

  /**
   * Reads a member content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; an unknown or missing membership reads as {@code UNKNOWN}, other fields as
   *     null when absent or of another kind
   */
  public static MemberContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    Membership membership = Membership.of(json.getStringOrNull("membership"));
    if (membership != Membership.UNKNOWN) {
      r.consume("membership");
    }
    return new MemberContent(membership, r.string("displayname"), r.string("avatar_url"), r.string("reason"),
        r.bool("is_direct"), r.extra());
  }

  /**
   * {@return the membership string as sent, also for unknown memberships; null when there was none}
   */
  public String membershipValue() {
    return membership != Membership.UNKNOWN ? membership.value() : extra.getStringOrNull("membership");
  }

  /**
   * {@return a copy with a reason}
   *
   * @param newReason the reason, or null for none
   */
  public MemberContent withReason(String newReason) {
    return new MemberContent(membership, displayname, avatarUrl, newReason, isDirect, extra);
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder()
        .putOrRemove("membership", membership.value())
        .putOrRemove("displayname", displayname)
        .putOrRemove("avatar_url", avatarUrl)
        .putOrRemove("reason", reason)
        .putOrRemove("is_direct", isDirect), extra);
  }
}
