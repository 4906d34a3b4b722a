package io.melo.testkit.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event of a room as the server holds it: immutable apart from its redaction. Inspection
 * methods give the stored fields; {@link #toClientJson} renders the client format for one viewer
 * (redacted content, {@code unsigned.redacted_because}, {@code transaction_id} only for the
 * device that sent it).
 */
public final class Event {
  private final String eventId;
  private final String roomId;
  private final String sender;
  private final String type;
  private final String stateKey;
  private final Map<String, Object> content;
  private final long originServerTs;
  private final long depth;
  private final long streamPosition;
  private final List<String> prevEvents;
  private final List<String> authEvents;
  private final String redacts;
  private final String txnId;
  private final String txnDeviceKey;
  private final StateMap stateBefore;
  private final RoomVersion version;
  private volatile Event redactedBy;
  /** True for an event read from a server that redacted its content already ({@link #fromClientJson}). */
  private boolean contentIsRedacted;

  Event(
      String eventId,
      String roomId,
      String sender,
      String type,
      String stateKey,
      Map<String, Object> content,
      long originServerTs,
      long depth,
      long streamPosition,
      List<String> prevEvents,
      List<String> authEvents,
      String redacts,
      String txnId,
      String txnDeviceKey,
      StateMap stateBefore,
      RoomVersion version) {
    this.eventId = eventId;
    this.roomId = roomId;
    this.sender = sender;
    this.type = type;
    this.stateKey = stateKey;
    this.content = content;
    this.originServerTs = originServerTs;
    this.depth = depth;
    this.streamPosition = streamPosition;
    this.prevEvents = List.copyOf(prevEvents);
    this.authEvents = List.copyOf(authEvents);
    this.redacts = redacts;
    this.txnId = txnId;
    this.txnDeviceKey = txnDeviceKey;
    this.stateBefore = stateBefore;
    this.version = version;
  }

  /** {@return the event id ({@code $} + unpadded URL-safe base64 of the reference hash)} */
  public String eventId() {
    return eventId;
  }

  /** {@return the room the event belongs to} */
  public String roomId() {
    return roomId;
  }

  /** {@return the sender's user id} */
  public String sender() {
    return sender;
  }

  /** {@return the event type} */
  public String type() {
    return type;
  }

  /** {@return the state key, or null for a message event} */
  public String stateKey() {
    return stateKey;
  }

  /** {@return whether this is a state event} */
  public boolean isState() {
    return stateKey != null;
  }

  /** {@return the content as sent (unmodifiable), even if the event was redacted since} */
  public Map<String, Object> originalContent() {
    return content;
  }

  /**
   * {@return the content as clients now see it: redacted per the room version if the event was
   * redacted}
   */
  public Map<String, Object> content() {
    return redactedBy == null || contentIsRedacted ? content : version.redactContent(type, content);
  }

  /** {@return the server's timestamp when it accepted the event} */
  public long originServerTs() {
    return originServerTs;
  }

  /** {@return the event's depth in the room's graph} */
  public long depth() {
    return depth;
  }

  /** {@return the global stream position at which the event was stored} */
  public long streamPosition() {
    return streamPosition;
  }

  /** {@return the previous events in the room's graph} */
  public List<String> prevEvents() {
    return prevEvents;
  }

  /** {@return the auth events selected for the event} */
  public List<String> authEvents() {
    return authEvents;
  }

  /**
   * For a redaction, the redacted event's id; otherwise null.
   *
   * @return the id of the event this redaction redacts, or null if this is not a redaction
   */
  public String redacts() {
    return redacts;
  }

  /** {@return the redaction that redacted this event, or null} */
  public Event redactedBy() {
    return redactedBy;
  }

  /** {@return whether this event was redacted} */
  public boolean isRedacted() {
    return redactedBy != null;
  }

  /**
   * An event as a client read it from a homeserver (for example from {@code /messages} or
   * {@code /state} of a real server): it has no graph ({@code prev_events}, {@code auth_events} and
   * depth are empty or 0) and its content is taken as the server sent it, already redacted if it was
   * ({@code unsigned.redacted_because} then makes {@link #isRedacted()} true).
   *
   * @param roomId the room the event belongs to; not null
   * @param json the client-format event ({@code event_id}, {@code type}, {@code sender},
   *     {@code content}, optional {@code state_key}, {@code origin_server_ts}, {@code redacts})
   * @param version the room's version, or null if it is not one this model knows
   * @return the event
   * @throws IllegalArgumentException if {@code event_id} or {@code type} is missing
   */
  @SuppressWarnings("unchecked")
  public static Event fromClientJson(String roomId, Map<String, Object> json, RoomVersion version) {
    java.util.Objects.requireNonNull(roomId, "roomId");
    Object id = json.get("event_id");
    Object type = json.get("type");
    if (!(id instanceof String) || !(type instanceof String)) {
      throw new IllegalArgumentException("not a client event (no event_id or type): keys " + json.keySet());
    }
    Object content = json.get("content");
    Object stateKey = json.get("state_key");
    Object ts = json.get("origin_server_ts");
    Object redacts = json.get("redacts");
    if (redacts == null && content instanceof Map && ((Map<String, Object>) content).get("redacts") instanceof String) {
      redacts = ((Map<String, Object>) content).get("redacts");
    }
    Event event = new Event((String) id, roomId, (String) json.get("sender"), (String) type,
        stateKey instanceof String ? (String) stateKey : null,
        content instanceof Map ? io.melo.testkit.json.Json.frozenObject((Map<String, ?>) content) : Map.of(),
        ts instanceof Number ? ((Number) ts).longValue() : 0L, 0L, 0L, List.of(), List.of(),
        redacts instanceof String ? (String) redacts : null, null, null, StateMap.EMPTY, version);
    Object unsigned = json.get("unsigned");
    Object because = unsigned instanceof Map ? ((Map<String, Object>) unsigned).get("redacted_because") : null;
    if (because instanceof Map && ((Map<String, Object>) because).get("event_id") instanceof String
        && ((Map<String, Object>) because).get("type") instanceof String) {
      // The server sent the content already redacted: content() keeps it as it is.
      event.redactedBy = fromClientJson(roomId, (Map<String, Object>) because, version);
      event.contentIsRedacted = true;
    }
    return event;
  }

  /** {@return the room version the event was created under} */
  public RoomVersion roomVersion() {
    return version;
  }

  /** {@return the plain-text body of a message event, or null} */
  public String body() {
    Object b = content().get("body");
    return b instanceof String ? (String) b : null;
  }

  StateMap stateBefore() {
    return stateBefore;
  }

  String txnId() {
    return txnId;
  }

  String txnDeviceKey() {
    return txnDeviceKey;
  }

  void markRedactedBy(Event redaction) {
    this.redactedBy = redaction;
  }

  /** The previous state event this one replaced, or null. */
  Event replacedState() {
    return stateKey == null ? null : stateBefore.get(type, stateKey);
  }

  /**
   * {@return the client-format JSON of this event for a viewer, with {@code unsigned.membership}
   * (the viewer's membership at the event, Matrix 1.11) when a viewer is given}
   *
   * @param viewerDeviceKey the viewer's user id + device id key, to decide on {@code
   *     unsigned.transaction_id}; null for none
   * @param now the server's current time, for {@code unsigned.age}
   * @param includeRoomId whether to include {@code room_id} (sync omits it)
   */
  public Map<String, Object> toClientJson(String viewerDeviceKey, long now, boolean includeRoomId) {
    return render(new LinkedHashMap<>(), viewerDeviceKey, now, includeRoomId, redactedBy, true);
  }

  /**
   * As {@link #toClientJson}, for an event that was not redacted, and whose replaced state event
   * was not redacted, when the caller looked under the homeserver's lock: redactions made since are
   * ignored, so an answer rendered after the lock is released still shows the room as of the
   * position it was computed at. Reads only immutable data: needs no lock.
   *
   * @param into the (empty) map to fill and return
   */
  Map<String, Object> toClientJsonUnredacted(
      Map<String, Object> into, String viewerDeviceKey, long now, boolean includeRoomId) {
    return render(into, viewerDeviceKey, now, includeRoomId, null, false);
  }

  /** Whether {@link #toClientJson} depends on a redaction: of this event or of the state it replaced. */
  boolean rendersRedaction() {
    Event replaced = replacedState();
    return redactedBy != null || (replaced != null && replaced.redactedBy != null);
  }

  private Map<String, Object> render(
      Map<String, Object> json,
      String viewerDeviceKey,
      long now,
      boolean includeRoomId,
      Event redaction,
      boolean liveReplaced) {
    json.put("type", type);
    if (stateKey != null) {
      json.put("state_key", stateKey);
    }
    json.put("sender", sender);
    json.put("event_id", eventId);
    if (includeRoomId) {
      json.put("room_id", roomId);
    }
    json.put("origin_server_ts", originServerTs);
    json.put("content", redaction == null ? content : version.redactContent(type, content));
    if (redacts != null && redaction == null) {
      json.put("redacts", redacts);
    }
    Map<String, Object> unsigned = new LinkedHashMap<>();
    unsigned.put("age", Math.max(0, now - originServerTs));
    if (txnId != null && txnDeviceKey.equals(viewerDeviceKey)) {
      unsigned.put("transaction_id", txnId);
    }
    if (viewerDeviceKey != null) {
      int cut = viewerDeviceKey.indexOf('\u0000');
      String viewer = cut < 0 ? viewerDeviceKey : viewerDeviceKey.substring(0, cut);
      boolean ownMembership = type.equals("m.room.member") && viewer.equals(stateKey);
      Object m = ownMembership ? content.get("membership") : stateBefore.membership(viewer);
      if (m instanceof String) {
        unsigned.put("membership", m);
      }
    }
    Event replaced = replacedState();
    if (replaced != null) {
      unsigned.put("replaces_state", replaced.eventId);
      unsigned.put("prev_content", liveReplaced ? replaced.content() : replaced.content);
      unsigned.put("prev_sender", replaced.sender);
    }
    if (redaction != null) {
      unsigned.put("redacted_because", redaction.toClientJson(null, now, includeRoomId));
    }
    json.put("unsigned", unsigned);
    return json;
  }

  /** The stripped-state form used in invite and knock state: type, state_key, sender, content. */
  Map<String, Object> toStrippedJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", type);
    json.put("state_key", stateKey);
    json.put("sender", sender);
    json.put("content", content());
    return json;
  }

  @Override
  public String toString() {
    return "Event{" + eventId + " " + type + (stateKey != null ? "[" + stateKey + "]" : "")
        + " from " + sender + " in " + roomId + "}";
  }
}
