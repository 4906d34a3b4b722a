package io.melo.testkit.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One room's mutable server-side data. Accessed only under the homeserver's lock. */
final class Room {
  final String roomId;
  final RoomVersion version;
  final List<Event> timeline = new ArrayList<>();
  StateMap state = StateMap.EMPTY;
  String directoryVisibility = "private";
  /** user id -> clock time when the typing notification expires. */
  final Map<String, Long> typing = new LinkedHashMap<>();
  long typingPosition;
  /** receipt type + user + thread -> receipt. */
  final Map<String, Receipt> receipts = new LinkedHashMap<>();
  /** The highest stream position of anything in this room (events, typing, receipts). */
  long lastPosition;

  /** parent event id -> events relating to it (m.relates_to with rel_type and event_id). */
  final Map<String, List<Event>> relations = new HashMap<>();
  /** user id -> that user's member events, in order. */
  final Map<String, List<Event>> memberEvents = new HashMap<>();

  /** Redactions so far: a change invalidates cached unread counts. */
  int redactions;

  Room(String roomId, RoomVersion version) {
    this.roomId = roomId;
    this.version = version;
  }

  void index(Event e) {
    if (e.type().equals("m.room.member")) {
      memberEvents.computeIfAbsent(e.stateKey(), k -> new ArrayList<>()).add(e);
    }
    Object rel = e.originalContent().get("m.relates_to");
    if (rel instanceof Map) {
      Object parent = ((Map<?, ?>) rel).get("event_id");
      Object relType = ((Map<?, ?>) rel).get("rel_type");
      if (parent instanceof String && relType instanceof String) {
        relations.computeIfAbsent((String) parent, k -> new ArrayList<>()).add(e);
      }
    }
  }

  /** The relation type of an event, or null. */
  static String relType(Event e) {
    Object rel = e.content().get("m.relates_to");
    if (rel instanceof Map && ((Map<?, ?>) rel).get("rel_type") instanceof String) {
      return (String) ((Map<?, ?>) rel).get("rel_type");
    }
    return null;
  }

  /** The parent of an event's relation, or null. */
  static String relParent(Event e) {
    Object rel = e.content().get("m.relates_to");
    if (rel instanceof Map && ((Map<?, ?>) rel).get("event_id") instanceof String) {
      return (String) ((Map<?, ?>) rel).get("event_id");
    }
    return null;
  }

  Event last() {
    return timeline.isEmpty() ? null : timeline.get(timeline.size() - 1);
  }

  /** Index of the first event with a stream position greater than {@code position}. */
  int indexAfter(long position) {
    int hi = timeline.size();
    // Syncs ask mostly about the current position: no search (each probe is a cache miss).
    if (hi == 0 || timeline.get(hi - 1).streamPosition() <= position) {
      return hi;
    }
    int lo = 0;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timeline.get(mid).streamPosition() <= position) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The state after the event at the given index (inclusive), or the empty state for -1. */
  StateMap stateAfter(int index) {
    if (index < 0) {
      return StateMap.EMPTY;
    }
    Event e = timeline.get(index);
    return e.isState() ? e.stateBefore().with(e) : e.stateBefore();
  }

  /** The state at a stream position: after every event at or before it. */
  StateMap stateAt(long position) {
    Event last = last();
    if (last == null || last.streamPosition() <= position) {
      return state;
    }
    return stateAfter(indexAfter(position) - 1);
  }

  /**
   * A user's membership at a stream position. When the user's current member event is at or
   * before the position, nothing changed it since, so no search of the timeline is needed.
   */
  String membershipAt(String userId, long position) {
    Event current = state.get("m.room.member", userId);
    if (current == null || current.streamPosition() <= position) {
      return state.membership(userId);
    }
    return stateAt(position).membership(userId);
  }

  /** One read receipt. */
  record Receipt(String type, String userId, String eventId, String threadId, long ts, long position) {}
}
