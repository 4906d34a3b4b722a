package io.melo.spec;

import io.melo.spec.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Larger fixtures assembled from the spec's example events, valid against the spec's schemas (the tests of this
 * module prove it), for parser tests that should meet every kind of event the spec describes.
 */
public final class SpecFixtures {
  /** The joined room of {@link #syncResponseWithAllExamples()}. */
  public static final String JOINED_ROOM_ID = "!636q39766251:example.com";
  /** The invited room of {@link #syncResponseWithAllExamples()}. */
  public static final String INVITED_ROOM_ID = "!invited:example.org";
  /** The knocked room of {@link #syncResponseWithAllExamples()}. */
  public static final String KNOCKED_ROOM_ID = "!knocked:example.org";

  private static final Set<String> EPHEMERAL = Set.of("m.typing", "m.receipt");
  private static final Set<String> ROOM_ACCOUNT_DATA = Set.of("m.fully_read", "m.tag", "m.marked_unread");
  private static final List<String> TO_DEVICE_PREFIXES = List.of("m.key.verification.", "m.room_key",
      "m.forwarded_room_key", "m.dummy", "m.secret.");

  private SpecFixtures() {}

  /**
   * A {@code GET /sync} 200 response holding every example event of the spec, each where it belongs: in one
   * joined room ({@link #JOINED_ROOM_ID}) the state examples (without {@code room_id}, as /sync sends them) in
   * {@code state}, the message-like examples and the state variants ({@code m.room.member$...}) in a limited
   * {@code timeline}, typing and receipts in {@code ephemeral}, fully-read, tags and marked-unread in the room's
   * {@code account_data}; the other content-only examples in global {@code account_data} or, for key
   * verification, room keys, secrets and {@code m.dummy}, in {@code to_device} (with a sender added); presence in
   * {@code presence}; the stripped-state arrays as an invite ({@link #INVITED_ROOM_ID}) and a knock
   * ({@link #KNOCKED_ROOM_ID}).
   *
   * @return the response as compact JSON
   */
  @SuppressWarnings("unchecked")
  public static String syncResponseWithAllExamples() {
    List<Object> state = new ArrayList<>();
    List<Object> timeline = new ArrayList<>();
    List<Object> ephemeral = new ArrayList<>();
    List<Object> roomAccountData = new ArrayList<>();
    List<Object> accountData = new ArrayList<>();
    List<Object> toDevice = new ArrayList<>();
    List<Object> presence = new ArrayList<>();
    Object inviteState = null;
    Object knockState = null;
    for (Example example : EventSchemas.examples()) {
      Object tree = example.tree();
      if (example.name().equals("invite_room_state")) {
        inviteState = tree;
        continue;
      }
      if (example.name().equals("knock_room_state")) {
        knockState = tree;
        continue;
      }
      Map<String, Object> event = (Map<String, Object>) tree;
      String type = (String) event.get("type");
      event.remove("room_id");
      if (event.containsKey("event_id")) {
        (event.containsKey("state_key") && !example.name().contains("$") ? state : timeline).add(event);
      } else if (type.equals("m.presence")) {
        presence.add(event);
      } else if (EPHEMERAL.contains(type)) {
        ephemeral.add(event);
      } else if (ROOM_ACCOUNT_DATA.contains(type)) {
        roomAccountData.add(event);
      } else if (TO_DEVICE_PREFIXES.stream().anyMatch(type::startsWith)) {
        event.putIfAbsent("sender", "@alice:example.org");
        toDevice.add(event);
      } else {
        accountData.add(event);
      }
    }
    Map<String, Object> joined = new LinkedHashMap<>();
    joined.put("summary", Map.of("m.heroes", List.of("@alice:example.com"), "m.joined_member_count", 2,
        "m.invited_member_count", 0));
    joined.put("state", Map.of("events", state));
    joined.put("timeline", Map.of("events", timeline, "limited", true, "prev_batch", "t34-23535_0_0"));
    joined.put("ephemeral", Map.of("events", ephemeral));
    joined.put("account_data", Map.of("events", roomAccountData));
    joined.put("unread_notifications", Map.of("highlight_count", 1, "notification_count", 5));
    Map<String, Object> rooms = new LinkedHashMap<>();
    rooms.put("join", Map.of(JOINED_ROOM_ID, joined));
    rooms.put("invite", Map.of(INVITED_ROOM_ID, Map.of("invite_state", Map.of("events", inviteState))));
    rooms.put("knock", Map.of(KNOCKED_ROOM_ID, Map.of("knock_state", Map.of("events", knockState))));
    rooms.put("leave", Map.of());
    Map<String, Object> sync = new LinkedHashMap<>();
    sync.put("next_batch", "s72595_4483_1934");
    sync.put("account_data", Map.of("events", accountData));
    sync.put("presence", Map.of("events", presence));
    sync.put("to_device", Map.of("events", toDevice));
    sync.put("rooms", rooms);
    return Json.write(sync);
  }
}
