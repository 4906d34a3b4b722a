package io.melo.matrix.event;

import io.melo.matrix.json.JsonArray;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of {@code m.room.join_rules}. An unknown join rule is {@link JoinRule#UNKNOWN} and its
 * string stays in {@code extra}.
 *
 * @param joinRule the join rule
 * @param allow for {@code restricted} and {@code knock_restricted}: who may join; empty when absent
 * @param extra every other field, kept as received
 */
public record JoinRulesContent(JoinRule joinRule, List<AllowCondition> allow, JsonObject extra) {

  /**
   * Replaces nulls with UNKNOWN, an empty list and an empty {@code extra}.
   *
   * @param joinRule the join rule
   * @param allow for {@code restricted} and {@code knock_restricted}: who may join; empty when
   *     absent
   * @param extra every other field, kept as received
   */
  public JoinRulesContent {
    joinRule = joinRule == null ? JoinRule.UNKNOWN : joinRule;
    allow = ContentReader.copy(allow);
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * One entry of {@code allow}.
   *
   * @param type the condition type, such as {@code m.room_membership}
   * @param roomId the room whose members may join, for {@code m.room_membership}
   * @param extra every other field
   */
  public record AllowCondition(String type, String roomId, JsonObject extra) {
    /** {@code m.room_membership}: members of a room may join. */
    public static final String ROOM_MEMBERSHIP = "m.room_membership";

    /**
     * Replaces a null {@code extra} with an empty object.
     *
     * @param type the condition type, such as {@code m.room_membership}
     * @param roomId the room whose members may join, for {@code m.room_membership}
     * @param extra every other field
     */
    public AllowCondition {
      extra = ContentReader.orEmpty(extra);
    }

    /**
     * Members of this room may join.
     *
     * @param roomId the room whose members may join; null or empty is an {@link
     *     IllegalArgumentException}
     * @return the condition
     */
    public static AllowCondition roomMembership(String roomId) {
      if (roomId == null || roomId.isEmpty()) {
        throw new IllegalArgumentException("roomId must not be empty");
      }
      return new AllowCondition(ROOM_MEMBERSHIP, roomId, JsonObject.EMPTY);
    }

    /** {@return this condition as JSON} */
    public JsonObject toJson() {
      return ContentReader.withExtra(JsonObject.builder().putOrRemove("type", type).putOrRemove("room_id", roomId), extra);
    }
  }

  /**
   * {@return a join rule with no allow list}
   *
   * @param joinRule a known rule; null or {@code UNKNOWN} is an {@link IllegalArgumentException}
   */
  public static JoinRulesContent of(JoinRule joinRule) {
    if (joinRule == null || joinRule == JoinRule.UNKNOWN) {
      throw new IllegalArgumentException("a join rule to send must be a known one, was: " + joinRule);
    }
    return new JoinRulesContent(joinRule, List.of(), JsonObject.EMPTY);
  }

  /**
   * {@code restricted}: members of these rooms (for Melo, the space) may join.
   *
   * @param roomIds the rooms whose members may join; an empty id is an {@link
   *     IllegalArgumentException}
   * @return the content
   */
  public static JoinRulesContent restricted(String... roomIds) {
    List<AllowCondition> allow = new ArrayList<>();
    for (String roomId : roomIds) {
      allow.add(AllowCondition.roomMembership(roomId));
    }
    return new JoinRulesContent(JoinRule.RESTRICTED, allow, JsonObject.EMPTY);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; an unknown rule reads as {@code UNKNOWN} (and stays in {@code extra}), an
   *     {@code allow} that is not an array of objects stays in {@code extra}
   */
  public static JoinRulesContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    JoinRule rule = JoinRule.of(json.getStringOrNull("join_rule"));
    if (rule != JoinRule.UNKNOWN) {
      r.consume("join_rule");
    }
    List<AllowCondition> allow = new ArrayList<>();
    JsonArray array = json.getArray("allow").orElse(null);
    if (array != null && array.objects().size() == array.size()) {
      for (JsonValue value : array.values()) {
        ContentReader cr = new ContentReader((JsonObject) value);
        allow.add(new AllowCondition(cr.string("type"), cr.string("room_id"), cr.extra()));
      }
      r.consume("allow");
    }
    return new JoinRulesContent(rule, allow, r.extra());
  }

  /** {@return the join rule string as sent, also for unknown rules} */
  public String joinRuleValue() {
    return joinRule != JoinRule.UNKNOWN ? joinRule.value() : extra.getStringOrNull("join_rule");
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    JsonObject.Builder b = JsonObject.builder().putOrRemove("join_rule", joinRule.value());
    if (!allow.isEmpty()) {
      List<JsonValue> conditions = new ArrayList<>();
      for (AllowCondition condition : allow) {
        conditions.add(condition.toJson());
      }
      b.put("allow", JsonArray.of(conditions));
    }
    return ContentReader.withExtra(b, extra);
  }
}
