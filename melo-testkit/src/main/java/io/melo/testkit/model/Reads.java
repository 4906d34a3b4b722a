package io.melo.testkit.model;

import io.melo.testkit.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Read endpoints over rooms: state, events, pagination, context, members, relations, threads,
 * the space hierarchy and the public room directory. Applies history visibility. Runs under the
 * homeserver's lock.
 *
 * <p>Message events from users the viewer ignores ({@code m.ignored_user_list}) are never shown;
 * state events are. History visibility: a user sees their own membership events; {@code world_readable} events
 * to all; events sent while they were joined; with {@code invited}, events sent while they were
 * invited; with {@code shared}, events before a later join (so a current member sees the whole
 * history, and a user who left sees up to their leave). Tokens are {@code s<position>_<server
 * instance>}: "the gap after stream position n".
 */
final class Reads {
  static final int DEFAULT_MESSAGES_LIMIT = 10;
  static final int DEFAULT_RELATIONS_LIMIT = 5;
  static final int DEFAULT_THREADS_LIMIT = 50;
  static final int DEFAULT_HIERARCHY_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  private final Homeserver hs;

  /** Reports of content, in order. */
  private final List<Report> reports = new ArrayList<>();

  /**
   * Stores a report: of an event (the reporter must be joined and able to see it; not redacted), of
   * a room (it must exist) or of a local user (they must exist).
   *
   * @throws MatrixError 404 M_NOT_FOUND otherwise, as the spec describes
   */
  void report(Requester requester, String roomId, String eventId, String userId, String reason) {
    String reporter = requester.userId();
    if (userId != null) {
      if (!hs.accounts.containsKey(userId)) {
        throw MatrixError.notFound("User " + userId + " not found on this homeserver");
      }
    } else {
      Room room = hs.rooms.get(roomId);
      if (room == null) {
        throw MatrixError.notFound("Room not found");
      }
      if (eventId != null) {
        Event e = hs.events.get(eventId);
        if (!room.state.membership(reporter).equals("join") || e == null || !e.roomId().equals(roomId)
            || !canSee(reporter, room, e) || e.isRedacted()) {
          throw MatrixError.notFound("The event was not found or you are not joined to its room");
        }
      }
    }
    reports.add(new Report(reporter, userId != null ? null : roomId, eventId, userId, reason, hs.clock.nowMillis()));
  }

  /** The reports so far, in order. */
  List<Report> reports() {
    return List.copyOf(reports);
  }

  Reads(Homeserver hs) {
    this.hs = hs;
  }

  // ---------------------------------------------------------------- tokens

  String token(long position) {
    return "s" + position + "_" + hs.instanceTag;
  }

  /**
   * The position of a token.
   *
   * @throws MatrixError 400 M_INVALID_PARAM for a malformed token, one from another server
   *     instance, or one from the future
   */
  long parseToken(String token, String what) {
    int underscore = token.indexOf('_');
    if (!token.startsWith("s") || underscore < 2) {
      throw MatrixError.invalidParam("Invalid " + what + " token");
    }
    String digits = token.substring(1, underscore);
    if (!Ids.isDigits(digits, 18)) {
      throw MatrixError.invalidParam("Invalid " + what + " token");
    }
    if (!token.substring(underscore + 1).equals(hs.instanceTag)) {
      throw MatrixError.invalidParam("Unknown " + what + " token: it is not from this server");
    }
    long pos = Long.parseLong(digits);
    if (pos > hs.position) {
      throw MatrixError.invalidParam("Unknown " + what + " token: it is ahead of the server");
    }
    return pos;
  }

  private static int limit(Long limit, int dflt) {
    if (limit == null) {
      return dflt;
    }
    if (limit < 0) {
      throw MatrixError.invalidParam("'limit' must not be negative");
    }
    return (int) Math.min(limit, MAX_LIMIT);
  }

  static Filter.EventFilter eventFilter(String filterJson) {
    if (filterJson == null || filterJson.isEmpty()) {
      return Filter.EventFilter.ALL;
    }
    try {
      return Filter.EventFilter.parse(Json.parseObject(filterJson));
    } catch (MatrixError e) {
      throw MatrixError.invalidParam("Invalid filter: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- visibility

  boolean canSee(String userId, Room room, Event e) {
    if (e.type().equals("m.room.member") && userId.equals(e.stateKey())) {
      return true;
    }
    if (!e.isState() && isIgnored(userId, e.sender())) {
      return false;
    }
    StateMap before = e.stateBefore();
    String visibility = before.historyVisibility();
    if (visibility.equals("world_readable")) {
      return true;
    }
    String membership = before.membership(userId);
    if (membership.equals("join")) {
      return true;
    }
    if (visibility.equals("invited") && membership.equals("invite")) {
      return true;
    }
    if (visibility.equals("shared")) {
      if (room.state.membership(userId).equals("join")) {
        return true;
      }
      for (Event m : room.memberEvents.getOrDefault(userId, List.of())) {
        if (m.streamPosition() > e.streamPosition() && "join".equals(m.content().get("membership"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether {@code viewer} ignores {@code sender} ({@code m.ignored_user_list} account data). */
  boolean isIgnored(String viewer, String sender) {
    Account a = hs.accounts.get(viewer);
    if (a == null || viewer.equals(sender)) {
      return false;
    }
    Map<String, Object> list = a.accountData.get("m.ignored_user_list");
    Object ignored = list == null ? null : list.get("ignored_users");
    return ignored instanceof Map && ((Map<?, ?>) ignored).containsKey(sender);
  }

  /** The state a user may read: current when joined, at their leave when left, else 403. */
  StateMap readableState(String userId, Room room) {
    String m = room.state.membership(userId);
    if (m.equals("join")) {
      return room.state;
    }
    List<Event> history = room.memberEvents.get(userId);
    if (history != null && !history.isEmpty()) {
      Event last = history.get(history.size() - 1);
      String lm = String.valueOf(last.content().get("membership"));
      if ((lm.equals("leave") || lm.equals("ban")) && hadJoined(history)) {
        return last.stateBefore().with(last);
      }
    }
    if (room.state.historyVisibility().equals("world_readable")) {
      return room.state;
    }
    throw MatrixError.forbidden(userId + " is not in the room");
  }

  private static boolean hadJoined(List<Event> history) {
    for (Event e : history) {
      if ("join".equals(e.content().get("membership"))) {
        return true;
      }
    }
    return false;
  }

  void requireReadAccess(String userId, Room room) {
    if (room.memberEvents.containsKey(userId)) {
      return;
    }
    if (room.state.historyVisibility().equals("world_readable")) {
      return;
    }
    throw MatrixError.forbidden(userId + " is not in the room");
  }

  Map<String, Object> clientJson(Requester requester, Event e, boolean includeRoomId) {
    Map<String, Object> json =
        e.toClientJson(Homeserver.deviceKey(requester), hs.clock.nowMillis(), includeRoomId);
    bundleAggregations(requester, hs.rooms.get(e.roomId()), e, json, includeRoomId);
    return json;
  }

  /**
   * Server-side aggregation of relations into {@code unsigned.m.relations}: {@code m.thread}
   * (latest event, count, whether the viewer took part), {@code m.replace} (the most recent valid
   * edit, in full: same sender and type as the original, not a state event) and {@code
   * m.reference} (the referencing event ids). Only events the viewer can see count; a redacted
   * event has no bundle.
   */
  void bundleAggregations(
      Requester requester, Room room, Event e, Map<String, Object> json, boolean includeRoomId) {
    List<Event> children = room == null ? null : room.relations.get(e.eventId());
    if (children == null || e.isRedacted()) {
      return;
    }
    String user = requester.userId();
    Event latestThread = null;
    long threadCount = 0;
    boolean participated = e.sender().equals(user);
    Event edit = null;
    List<Object> references = new ArrayList<>();
    for (Event c : children) {
      if (c.isRedacted() || !canSee(user, room, c)) {
        continue;
      }
      String rel = Room.relType(c);
      if ("m.thread".equals(rel)) {
        threadCount++;
        participated |= c.sender().equals(user);
        if (latestThread == null || c.streamPosition() > latestThread.streamPosition()) {
          latestThread = c;
        }
      } else if ("m.replace".equals(rel)) {
        if (c.sender().equals(e.sender()) && c.type().equals(e.type()) && !e.isState() && !c.isState()
            && (edit == null || c.originServerTs() > edit.originServerTs()
                || (c.originServerTs() == edit.originServerTs() && c.eventId().compareTo(edit.eventId()) > 0))) {
          edit = c;
        }
      } else if ("m.reference".equals(rel)) {
        references.add(Map.of("event_id", c.eventId()));
      }
    }
    Map<String, Object> relations = new LinkedHashMap<>();
    if (latestThread != null) {
      Map<String, Object> thread = new LinkedHashMap<>();
      thread.put("latest_event", latestThread.toClientJson(Homeserver.deviceKey(requester), hs.clock.nowMillis(), includeRoomId));
      thread.put("count", threadCount);
      thread.put("current_user_participated", participated);
      relations.put("m.thread", thread);
    }
    if (edit != null) {
      relations.put("m.replace", edit.toClientJson(Homeserver.deviceKey(requester), hs.clock.nowMillis(), includeRoomId));
    }
    if (!references.isEmpty()) {
      relations.put("m.reference", Map.of("chunk", references));
    }
    if (!relations.isEmpty()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> unsigned = (Map<String, Object>) json.get("unsigned");
      unsigned.put("m.relations", relations);
    }
  }

  // ---------------------------------------------------------------- state and events

  Map<String, Object> stateContent(String userId, String roomId, String type, String stateKey) {
    Room room = hs.room(roomId);
    StateMap state = readableState(userId, room);
    Event e = state.get(type, stateKey);
    if (e == null) {
      throw MatrixError.notFound("Event not found");
    }
    return e.content();
  }

  Map<String, Object> stateEventJson(Requester requester, String roomId, String type, String stateKey) {
    Room room = hs.room(roomId);
    Event e = readableState(requester.userId(), room).get(type, stateKey);
    if (e == null) {
      throw MatrixError.notFound("Event not found");
    }
    return clientJson(requester, e, true);
  }

  List<Object> fullState(Requester requester, String roomId) {
    Room room = hs.room(roomId);
    StateMap state = readableState(requester.userId(), room);
    List<Event> sorted = new ArrayList<>(state.events());
    sorted.sort(Comparator.comparingLong(Event::streamPosition));
    List<Object> out = new ArrayList<>();
    for (Event e : sorted) {
      out.add(clientJson(requester, e, true));
    }
    return out;
  }

  Map<String, Object> event(Requester requester, String roomId, String eventId) {
    Room room = hs.room(roomId);
    Event e = hs.events.get(eventId);
    if (e == null || !e.roomId().equals(roomId) || !canSee(requester.userId(), room, e)) {
      throw MatrixError.notFound("Event not found");
    }
    return clientJson(requester, e, true);
  }

  // ---------------------------------------------------------------- pagination

  Map<String, Object> messages(
      Requester requester, String roomId, String from, String to, String dir, Long limit, String filterJson) {
    Room room = hs.room(roomId);
    String user = requester.userId();
    requireReadAccess(user, room);
    String d = dir == null ? "b" : dir;
    if (!d.equals("b") && !d.equals("f")) {
      throw MatrixError.invalidParam("'dir' must be b or f");
    }
    int lim = limit(limit, DEFAULT_MESSAGES_LIMIT);
    Filter.EventFilter filter = eventFilter(filterJson);
    long fromPos = from == null ? (d.equals("b") ? hs.position : 0) : parseToken(from, "from");
    Long toPos = to == null ? null : parseToken(to, "to");
    List<Event> chunk = new ArrayList<>();
    String end;
    if (d.equals("b")) {
      int i = room.indexAfter(fromPos) - 1;
      boolean reachedTo = false;
      while (i >= 0) {
        Event e = room.timeline.get(i);
        if (toPos != null && e.streamPosition() <= toPos) {
          reachedTo = true;
          break;
        }
        if (chunk.size() >= lim) {
          break;
        }
        if (filter.matches(e) && canSee(user, room, e)) {
          chunk.add(e);
        }
        i--;
      }
      end = i < 0 ? null : reachedTo ? token(toPos) : token(room.timeline.get(i).streamPosition());
    } else {
      int i = room.indexAfter(fromPos);
      boolean reachedTo = false;
      while (i < room.timeline.size()) {
        Event e = room.timeline.get(i);
        if (toPos != null && e.streamPosition() > toPos) {
          reachedTo = true;
          break;
        }
        if (chunk.size() >= lim) {
          break;
        }
        if (filter.matches(e) && canSee(user, room, e)) {
          chunk.add(e);
        }
        i++;
      }
      if (reachedTo) {
        end = token(toPos);
      } else if (i < room.timeline.size()) {
        end = token(room.timeline.get(i).streamPosition() - 1);
      } else {
        end = token(Math.max(fromPos, hs.position));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    List<Object> json = new ArrayList<>();
    for (Event e : chunk) {
      json.add(clientJson(requester, e, true));
    }
    out.put("chunk", json);
    out.put("start", from == null ? token(fromPos) : from);
    if (end != null) {
      out.put("end", end);
    }
    if (filter.lazyLoadMembers) {
      out.put("state", lazyMembers(requester, chunk, Set.of()));
    }
    return out;
  }

  /** Member events of the senders of {@code chunk}, from the state before each event. */
  List<Object> lazyMembers(Requester requester, List<Event> chunk, Set<String> skip) {
    Map<String, Event> members = new LinkedHashMap<>();
    for (Event e : chunk) {
      if (skip.contains(e.sender()) || members.containsKey(e.sender())) {
        continue;
      }
      Event m = e.stateBefore().get("m.room.member", e.sender());
      if (m != null) {
        members.put(e.sender(), m);
      }
    }
    List<Object> out = new ArrayList<>();
    for (Event m : members.values()) {
      out.add(clientJson(requester, m, true));
    }
    return out;
  }

  Map<String, Object> context(
      Requester requester, String roomId, String eventId, Long limit, String filterJson) {
    Room room = hs.room(roomId);
    String user = requester.userId();
    Event target = hs.events.get(eventId);
    if (target == null || !target.roomId().equals(roomId) || !canSee(user, room, target)) {
      throw MatrixError.notFound("Event not found");
    }
    int lim = limit(limit, DEFAULT_MESSAGES_LIMIT);
    int beforeLimit = lim / 2;
    int afterLimit = lim - beforeLimit;
    Filter.EventFilter filter = eventFilter(filterJson);
    int index = room.indexAfter(target.streamPosition()) - 1;
    List<Event> before = new ArrayList<>();
    int i = index - 1;
    for (; i >= 0 && before.size() < beforeLimit; i--) {
      Event e = room.timeline.get(i);
      if (filter.matches(e) && canSee(user, room, e)) {
        before.add(e);
      }
    }
    List<Event> after = new ArrayList<>();
    int j = index + 1;
    for (; j < room.timeline.size() && after.size() < afterLimit; j++) {
      Event e = room.timeline.get(j);
      if (filter.matches(e) && canSee(user, room, e)) {
        after.add(e);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("event", clientJson(requester, target, true));
    out.put("events_before", toJson(requester, before));
    out.put("events_after", toJson(requester, after));
    out.put("start", token(i >= 0 ? room.timeline.get(i).streamPosition() : 0));
    out.put("end", token(j - 1 >= 0 ? room.timeline.get(j - 1).streamPosition() : target.streamPosition()));
    Event last = after.isEmpty() ? target : after.get(after.size() - 1);
    StateMap stateAtLast = last.isState() ? last.stateBefore().with(last) : last.stateBefore();
    List<Object> state = new ArrayList<>();
    if (filter.lazyLoadMembers) {
      List<Event> all = new ArrayList<>(before);
      all.add(target);
      all.addAll(after);
      Set<String> senders = new LinkedHashSet<>();
      for (Event e : all) {
        senders.add(e.sender());
      }
      for (Event s : stateAtLast.events()) {
        if (!s.type().equals("m.room.member") || senders.contains(s.stateKey())) {
          state.add(clientJson(requester, s, true));
        }
      }
    } else {
      for (Event s : stateAtLast.events()) {
        state.add(clientJson(requester, s, true));
      }
    }
    out.put("state", state);
    return out;
  }

  private List<Object> toJson(Requester requester, List<Event> list) {
    List<Object> out = new ArrayList<>();
    for (Event e : list) {
      out.add(clientJson(requester, e, true));
    }
    return out;
  }

  // ---------------------------------------------------------------- members

  Map<String, Object> members(
      Requester requester, String roomId, String at, String membership, String notMembership) {
    Room room = hs.room(roomId);
    String user = requester.userId();
    StateMap state = readableState(user, room);
    if (at != null) {
      long pos = parseToken(at, "at");
      StateMap atState = room.stateAt(pos);
      if (room.state.membership(user).equals("join") || atState.membership(user).equals("join")) {
        state = atState;
      }
    }
    List<Event> sorted = new ArrayList<>();
    for (Event e : state.members()) {
      if (!e.type().equals("m.room.member")) {
        continue;
      }
      String m = String.valueOf(e.content().get("membership"));
      if (membership != null && !membership.equals(m)) {
        continue;
      }
      if (notMembership != null && notMembership.equals(m)) {
        continue;
      }
      sorted.add(e);
    }
    sorted.sort(Comparator.comparingLong(Event::streamPosition));
    return Map.of("chunk", toJson(requester, sorted));
  }

  Map<String, Object> joinedMembers(Requester requester, String roomId) {
    Room room = hs.room(roomId);
    if (!room.state.membership(requester.userId()).equals("join")) {
      throw MatrixError.forbidden(requester.userId() + " is not joined to the room");
    }
    Map<String, Object> joined = new LinkedHashMap<>();
    for (Event e : room.state.members()) {
      if (e.type().equals("m.room.member") && "join".equals(e.content().get("membership"))) {
        Map<String, Object> m = new LinkedHashMap<>();
        Object dn = e.content().get("displayname");
        Object av = e.content().get("avatar_url");
        if (dn instanceof String) {
          m.put("display_name", dn);
        }
        if (av instanceof String) {
          m.put("avatar_url", av);
        }
        joined.put(e.stateKey(), m);
      }
    }
    return Map.of("joined", joined);
  }

  // ---------------------------------------------------------------- relations and threads

  Map<String, Object> relations(
      Requester requester, String roomId, String eventId, String relType, String eventType,
      String from, String to, Long limit, String dir, boolean recurse) {
    Room room = hs.room(roomId);
    String user = requester.userId();
    Event parent = hs.events.get(eventId);
    if (parent == null || !parent.roomId().equals(roomId) || !canSee(user, room, parent)) {
      throw MatrixError.notFound("Event not found");
    }
    String d = dir == null ? "b" : dir;
    if (!d.equals("b") && !d.equals("f")) {
      throw MatrixError.invalidParam("'dir' must be b or f");
    }
    int lim = limit(limit, DEFAULT_RELATIONS_LIMIT);
    Long fromPos = from == null ? null : parseToken(from, "from");
    Long toPos = to == null ? null : parseToken(to, "to");
    List<Event> all = new ArrayList<>();
    collectRelations(room, eventId, recurse ? 3 : 1, all, new HashSet<>());
    List<Event> matching = new ArrayList<>();
    for (Event e : all) {
      if (relType != null && !relType.equals(Room.relType(e))) {
        continue;
      }
      if (eventType != null && !eventType.equals(e.type())) {
        continue;
      }
      if (!canSee(user, room, e)) {
        continue;
      }
      matching.add(e);
    }
    matching.sort(Comparator.comparingLong(Event::streamPosition));
    if (d.equals("b")) {
      java.util.Collections.reverse(matching);
    }
    List<Event> page = new ArrayList<>();
    String next = null;
    for (Event e : matching) {
      long p = e.streamPosition();
      if (d.equals("b")) {
        if (fromPos != null && p > fromPos) {
          continue;
        }
        if (toPos != null && p <= toPos) {
          break;
        }
      } else {
        if (fromPos != null && p <= fromPos) {
          continue;
        }
        if (toPos != null && p > toPos) {
          break;
        }
      }
      if (page.size() >= lim) {
        Event lastTaken = page.get(page.size() - 1);
        next = token(d.equals("b") ? lastTaken.streamPosition() - 1 : lastTaken.streamPosition());
        break;
      }
      page.add(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("chunk", toJson(requester, page));
    if (next != null) {
      out.put("next_batch", next);
    }
    if (from != null) {
      out.put("prev_batch", from);
    }
    if (recurse) {
      out.put("recursion_depth", 3);
    }
    return out;
  }

  private void collectRelations(Room room, String parentId, int depth, List<Event> out, Set<String> seen) {
    if (depth <= 0) {
      return;
    }
    for (Event e : room.relations.getOrDefault(parentId, List.of())) {
      if (seen.add(e.eventId())) {
        out.add(e);
        collectRelations(room, e.eventId(), depth - 1, out, seen);
      }
    }
  }

  Map<String, Object> threads(Requester requester, String roomId, String include, String from, Long limit) {
    Room room = hs.room(roomId);
    String user = requester.userId();
    requireReadAccess(user, room);
    String inc = include == null ? "all" : include;
    if (!inc.equals("all") && !inc.equals("participated")) {
      throw MatrixError.invalidParam("'include' must be all or participated");
    }
    int lim = limit(limit, DEFAULT_THREADS_LIMIT);
    Long fromPos = from == null ? null : parseToken(from, "from");
    List<Thread> threads = new ArrayList<>();
    for (Map.Entry<String, List<Event>> entry : room.relations.entrySet()) {
      Event root = hs.events.get(entry.getKey());
      if (root == null || !root.roomId().equals(roomId) || !canSee(user, room, root)) {
        continue;
      }
      Event latest = null;
      int count = 0;
      boolean participated = root.sender().equals(user);
      for (Event e : entry.getValue()) {
        if (!"m.thread".equals(Room.relType(e)) || !canSee(user, room, e)) {
          continue;
        }
        count++;
        participated |= e.sender().equals(user);
        if (latest == null || e.streamPosition() > latest.streamPosition()) {
          latest = e;
        }
      }
      if (latest == null || (inc.equals("participated") && !participated)) {
        continue;
      }
      threads.add(new Thread(root, latest, count, participated));
    }
    threads.sort(Comparator.comparingLong((Thread t) -> t.latest.streamPosition()).reversed());
    List<Object> chunk = new ArrayList<>();
    String next = null;
    for (Thread t : threads) {
      if (fromPos != null && t.latest.streamPosition() > fromPos) {
        continue;
      }
      if (chunk.size() >= lim) {
        next = token(t.latest.streamPosition());
        break;
      }
      Map<String, Object> json = clientJson(requester, t.root, true);
      @SuppressWarnings("unchecked")
      Map<String, Object> unsigned = (Map<String, Object>) json.get("unsigned");
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("latest_event", clientJson(requester, t.latest, true));
      summary.put("count", (long) t.count);
      summary.put("current_user_participated", t.participated);
      unsigned.put("m.relations", Map.of("m.thread", summary));
      chunk.add(json);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("chunk", chunk);
    if (next != null) {
      out.put("next_batch", next);
    }
    return out;
  }

  private record Thread(Event root, Event latest, int count, boolean participated) {}

  // ---------------------------------------------------------------- search

  private static final List<String> SEARCH_KEYS = List.of("content.body", "content.name", "content.topic");

  /**
   * {@code POST /search} over {@code room_events}: events of joined rooms the user can see whose
   * searched keys contain every word of the term (case-insensitive); rank counts the
   * occurrences. Supports keys, filter (with limit), order_by, event_context, include_state and
   * next_batch paging.
   */
  Map<String, Object> search(Requester requester, Map<String, Object> body, String nextBatch) {
    Map<String, Object> categories = io.melo.testkit.json.Fields.object(body, "search_categories");
    Map<String, Object> roomEvents = io.melo.testkit.json.Fields.optObject(categories, "room_events");
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> resultCategories = new LinkedHashMap<>();
    out.put("search_categories", resultCategories);
    if (roomEvents == null) {
      return out;
    }
    String term = io.melo.testkit.json.Fields.string(roomEvents, "search_term");
    List<String> keys = io.melo.testkit.json.Fields.optStringList(roomEvents, "keys");
    if (keys == null) {
      keys = SEARCH_KEYS;
    }
    for (String k : keys) {
      if (!SEARCH_KEYS.contains(k)) {
        throw MatrixError.badJson("'keys' may only hold content.body, content.name and content.topic");
      }
    }
    Map<String, Object> filterJson = io.melo.testkit.json.Fields.optObject(roomEvents, "filter");
    Filter.EventFilter filter = Filter.EventFilter.parse(filterJson);
    String orderBy = io.melo.testkit.json.Fields.optString(roomEvents, "order_by", "rank");
    if (!orderBy.equals("rank") && !orderBy.equals("recent")) {
      throw MatrixError.badJson("'order_by' must be rank or recent");
    }
    Map<String, Object> eventContext = io.melo.testkit.json.Fields.optObject(roomEvents, "event_context");
    boolean includeState = io.melo.testkit.json.Fields.optBoolean(roomEvents, "include_state", false);
    int offset = 0;
    if (nextBatch != null) {
      if (!nextBatch.matches("q[0-9]{1,9}_" + hs.instanceTag)) {
        throw MatrixError.invalidParam("Unknown next_batch token");
      }
      offset = Integer.parseInt(nextBatch.substring(1, nextBatch.indexOf('_')));
    }
    List<String> words = new ArrayList<>();
    for (String w : term.toLowerCase(Locale.ROOT).split("\\s+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    String user = requester.userId();
    List<Object[]> hits = new ArrayList<>();
    for (String roomId : hs.accounts.get(user).rooms) {
      Room room = hs.rooms.get(roomId);
      if (!room.state.membership(user).equals("join") || !filter.matchesRoom(roomId)) {
        continue;
      }
      for (Event e : room.timeline) {
        if (e.isRedacted() || !filter.matches(e)) {
          continue;
        }
        String text = searchable(e, keys);
        if (text == null) {
          continue;
        }
        int rank = 0;
        boolean all = !words.isEmpty();
        for (String w : words) {
          int count = 0;
          for (int i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + w.length())) {
            count++;
          }
          all &= count > 0;
          rank += count;
        }
        if (all && canSee(user, room, e)) {
          hits.add(new Object[] {e, (double) rank});
        }
      }
    }
    Comparator<Object[]> recent = Comparator.comparingLong(h -> -((Event) h[0]).streamPosition());
    hits.sort(orderBy.equals("recent") ? recent
        : Comparator.comparingDouble((Object[] h) -> -(Double) h[1]).thenComparing(recent));
    int limit = filter.limitOr(10, MAX_LIMIT);
    int end = Math.min(hits.size(), offset + limit);
    List<Object> results = new ArrayList<>();
    Set<String> resultRooms = new LinkedHashSet<>();
    for (Object[] h : hits.subList(Math.min(offset, hits.size()), end)) {
      Event e = (Event) h[0];
      resultRooms.add(e.roomId());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("rank", h[1]);
      r.put("result", clientJson(requester, e, true));
      if (eventContext != null) {
        r.put("context", searchContext(requester, e, eventContext));
      }
      results.add(r);
    }
    Map<String, Object> re = new LinkedHashMap<>();
    re.put("count", (long) hits.size());
    re.put("highlights", words);
    re.put("results", results);
    if (includeState) {
      Map<String, Object> state = new LinkedHashMap<>();
      for (String roomId : resultRooms) {
        List<Object> events = new ArrayList<>();
        for (Event s : hs.rooms.get(roomId).state.events()) {
          events.add(clientJson(requester, s, true));
        }
        state.put(roomId, events);
      }
      re.put("state", state);
    }
    if (end < hits.size()) {
      re.put("next_batch", "q" + end + "_" + hs.instanceTag);
    }
    resultCategories.put("room_events", re);
    return out;
  }

  private static String searchable(Event e, List<String> keys) {
    StringBuilder text = new StringBuilder();
    for (String key : keys) {
      String field = key.substring("content.".length());
      boolean applies = field.equals("body")
          || (field.equals("name") && e.type().equals("m.room.name"))
          || (field.equals("topic") && e.type().equals("m.room.topic"));
      Object v = applies ? e.content().get(field) : null;
      if (v instanceof String) {
        text.append(((String) v).toLowerCase(Locale.ROOT)).append('\n');
      }
    }
    return text.length() == 0 ? null : text.toString();
  }

  private Map<String, Object> searchContext(Requester requester, Event target, Map<String, Object> spec) {
    int before = (int) Math.max(0, Math.min(io.melo.testkit.json.Fields.optInteger(spec, "before_limit", 5), MAX_LIMIT));
    int after = (int) Math.max(0, Math.min(io.melo.testkit.json.Fields.optInteger(spec, "after_limit", 5), MAX_LIMIT));
    boolean profile = io.melo.testkit.json.Fields.optBoolean(spec, "include_profile", false);
    Room room = hs.rooms.get(target.roomId());
    String user = requester.userId();
    int index = room.indexAfter(target.streamPosition()) - 1;
    List<Event> eventsBefore = new ArrayList<>();
    int i = index - 1;
    for (; i >= 0 && eventsBefore.size() < before; i--) {
      Event e = room.timeline.get(i);
      if (canSee(user, room, e)) {
        eventsBefore.add(e);
      }
    }
    List<Event> eventsAfter = new ArrayList<>();
    int j = index + 1;
    for (; j < room.timeline.size() && eventsAfter.size() < after; j++) {
      Event e = room.timeline.get(j);
      if (canSee(user, room, e)) {
        eventsAfter.add(e);
      }
    }
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("start", token(i >= 0 ? room.timeline.get(i).streamPosition() : 0));
    ctx.put("end", token(j - 1 >= 0 ? room.timeline.get(j - 1).streamPosition() : target.streamPosition()));
    ctx.put("events_before", toJson(requester, eventsBefore));
    ctx.put("events_after", toJson(requester, eventsAfter));
    if (profile) {
      Map<String, Object> profiles = new LinkedHashMap<>();
      List<Event> all = new ArrayList<>(eventsBefore);
      all.add(target);
      all.addAll(eventsAfter);
      for (Event e : all) {
        Event m = e.stateBefore().get("m.room.member", e.sender());
        if (m != null && !profiles.containsKey(e.sender())) {
          Map<String, Object> p = new LinkedHashMap<>();
          putString(p, "displayname", m.content().get("displayname"));
          putString(p, "avatar_url", m.content().get("avatar_url"));
          profiles.put(e.sender(), p);
        }
      }
      ctx.put("profile_info", profiles);
    }
    return ctx;
  }

  // ---------------------------------------------------------------- hierarchy and directory

  boolean canPeekSummary(String userId, Room room) {
    String m = room.state.membership(userId);
    if (m.equals("join") || m.equals("invite") || m.equals("knock")) {
      return true;
    }
    if (room.state.historyVisibility().equals("world_readable")) {
      return true;
    }
    String rule = room.state.joinRule();
    if (rule.equals("public") || rule.equals("knock") || rule.equals("knock_restricted")) {
      return true;
    }
    if (rule.equals("restricted")) {
      try {
        return hs.restrictedJoinAuthoriser(room, userId) != null;
      } catch (MatrixError noAuthoriser) {
        return false;
      }
    }
    return false;
  }

  Map<String, Object> summary(Room room) {
    StateMap s = room.state;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("room_id", room.roomId);
    putString(out, "name", s.content("m.room.name", "").get("name"));
    putString(out, "topic", s.content("m.room.topic", "").get("topic"));
    putString(out, "canonical_alias", s.content("m.room.canonical_alias", "").get("alias"));
    putString(out, "avatar_url", s.content("m.room.avatar", "").get("url"));
    out.put("num_joined_members", (long) joinedCount(s));
    out.put("world_readable", s.historyVisibility().equals("world_readable"));
    out.put("guest_can_join", "can_join".equals(s.content("m.room.guest_access", "").get("guest_access")));
    out.put("join_rule", s.joinRule());
    putString(out, "room_type", s.content("m.room.create", "").get("type"));
    return out;
  }

  /**
   * {@code GET /_matrix/client/v1/room_summary/{roomIdOrAlias}} (spec v1.15): the room's summary for
   * a user who may preview it ({@link #canPeekSummary}) or, unauthenticated ({@code user} null), for
   * a room that is public, knockable or world-readable, as the spec allows; with the user's membership.
   *
   * @throws MatrixError 404 M_NOT_FOUND for an unknown room or alias, or a room the caller may not preview
   */
  Map<String, Object> roomSummary(String user, String roomIdOrAlias) {
    Room room = null;
    if (roomIdOrAlias.startsWith("#")) {
      Homeserver.Alias a = hs.aliases.get(roomIdOrAlias);
      room = a == null ? null : hs.rooms.get(a.roomId());
    } else if (roomIdOrAlias.startsWith("!")) {
      room = hs.rooms.get(roomIdOrAlias);
    } else {
      throw MatrixError.invalidParam(roomIdOrAlias + " is not a room id or alias");
    }
    boolean visible;
    if (room == null) {
      visible = false;
    } else if (user != null) {
      visible = canPeekSummary(user, room);
    } else {
      String rule = room.state.joinRule();
      visible = room.state.historyVisibility().equals("world_readable") || rule.equals("public")
          || rule.equals("knock") || rule.equals("knock_restricted");
    }
    if (!visible) {
      throw MatrixError.notFound("Room " + roomIdOrAlias + " not found, or not visible to you");
    }
    Map<String, Object> out = summary(room);
    out.put("room_version", room.version.id());
    Object algorithm = room.state.content("m.room.encryption", "").get("algorithm");
    if ("m.megolm.v1.aes-sha2".equals(algorithm)) {
      out.put("encryption", algorithm);
    }
    String rule = room.state.joinRule();
    if (rule.equals("restricted") || rule.equals("knock_restricted")) {
      List<String> allowed = new ArrayList<>();
      Object allow = room.state.content("m.room.join_rules", "").get("allow");
      if (allow instanceof List) {
        for (Object o : (List<?>) allow) {
          if (o instanceof Map && "m.room_membership".equals(((Map<?, ?>) o).get("type"))
              && ((Map<?, ?>) o).get("room_id") instanceof String) {
            allowed.add((String) ((Map<?, ?>) o).get("room_id"));
          }
        }
      }
      out.put("allowed_room_ids", allowed);
    }
    if (user != null && room.state.get("m.room.member", user) != null) {
      out.put("membership", room.state.membership(user));
    }
    return out;
  }

  private static void putString(Map<String, Object> out, String key, Object value) {
    if (value instanceof String && !((String) value).isEmpty()) {
      out.put(key, value);
    }
  }

  static int joinedCount(StateMap s) {
    int n = 0;
    for (Event e : s.members()) {
      if (e.type().equals("m.room.member") && "join".equals(e.content().get("membership"))) {
        n++;
      }
    }
    return n;
  }

  Map<String, Object> hierarchy(
      Requester requester, String roomId, String from, Long limit, Long maxDepth, boolean suggestedOnly) {
    Room root = hs.room(roomId);
    String user = requester.userId();
    if (!canPeekSummary(user, root)) {
      throw MatrixError.forbidden(user + " cannot see the room " + roomId);
    }
    int lim = limit == null ? DEFAULT_HIERARCHY_LIMIT : limit(limit, DEFAULT_HIERARCHY_LIMIT);
    if (lim < 1) {
      throw MatrixError.invalidParam("'limit' must be positive");
    }
    if (maxDepth != null && maxDepth < 0) {
      throw MatrixError.invalidParam("'max_depth' must not be negative");
    }
    String paramsTag = Integer.toHexString((roomId + "|" + maxDepth + "|" + suggestedOnly).hashCode());
    String tokenSuffix = "_" + hs.instanceTag + "_" + paramsTag;
    int offset = 0;
    if (from != null) {
      if (!from.matches("h[0-9]{1,9}_.*") || !from.endsWith(tokenSuffix)) {
        throw MatrixError.invalidParam(
            "Unknown from token (max_depth and suggested_only cannot change while paginating)");
      }
      offset = Integer.parseInt(from.substring(1, from.indexOf('_')));
    }
    List<Map<String, Object>> all = new ArrayList<>();
    Deque<Object[]> queue = new ArrayDeque<>();
    Set<String> visited = new HashSet<>();
    queue.add(new Object[] {root, 0L});
    visited.add(root.roomId);
    while (!queue.isEmpty()) {
      Object[] item = queue.poll();
      Room room = (Room) item[0];
      long depth = (Long) item[1];
      Map<String, Object> summary = summary(room);
      List<Object> childrenState = new ArrayList<>();
      List<Event> children = new ArrayList<>();
      for (Event e : room.state.ofType("m.space.child")) {
        if (!e.type().equals("m.space.child")) {
          continue;
        }
        Object via = e.content().get("via");
        if (!(via instanceof List) || ((List<?>) via).isEmpty()) {
          continue;
        }
        if (suggestedOnly && !Boolean.TRUE.equals(e.content().get("suggested"))) {
          continue;
        }
        children.add(e);
      }
      children.sort(Reads::compareSpaceChildren);
      for (Event e : children) {
        Map<String, Object> stripped = e.toStrippedJson();
        stripped.put("origin_server_ts", e.originServerTs());
        childrenState.add(stripped);
      }
      summary.put("children_state", childrenState);
      all.add(summary);
      if (maxDepth != null && depth >= maxDepth) {
        continue;
      }
      for (Event e : children) {
        Room child = hs.rooms.get(e.stateKey());
        if (child != null && visited.add(child.roomId) && canPeekSummary(user, child)) {
          queue.add(new Object[] {child, depth + 1});
        }
      }
    }
    if (offset > all.size()) {
      throw MatrixError.invalidParam("Invalid from token");
    }
    int endIndex = Math.min(all.size(), offset + lim);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rooms", new ArrayList<Object>(all.subList(offset, endIndex)));
    if (endIndex < all.size()) {
      out.put("next_batch", "h" + endIndex + tokenSuffix);
    }
    return out;
  }

  /**
   * The spec's ordering of space children: by a valid {@code order} (printable ASCII, at most 50
   * characters) first, lexicographically; then by {@code origin_server_ts}; then by room id.
   */
  static int compareSpaceChildren(Event a, Event b) {
    String oa = validOrder(a.content().get("order"));
    String ob = validOrder(b.content().get("order"));
    if (oa != null || ob != null) {
      if (oa == null) {
        return 1;
      }
      if (ob == null) {
        return -1;
      }
      int c = oa.compareTo(ob);
      if (c != 0) {
        return c;
      }
    }
    int c = Long.compare(a.originServerTs(), b.originServerTs());
    return c != 0 ? c : a.stateKey().compareTo(b.stateKey());
  }

  private static String validOrder(Object order) {
    if (!(order instanceof String)) {
      return null;
    }
    String o = (String) order;
    if (o.length() > 50) {
      return null;
    }
    for (int i = 0; i < o.length(); i++) {
      char c = o.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return null;
      }
    }
    return o;
  }

  Map<String, Object> publicRooms(Long limit, String since, String searchTerm) {
    List<Room> published = new ArrayList<>();
    String needle = searchTerm == null ? null : searchTerm.toLowerCase(Locale.ROOT);
    for (Room room : hs.rooms.values()) {
      if (!room.directoryVisibility.equals("public")) {
        continue;
      }
      if (needle != null) {
        Map<String, Object> s = summary(room);
        String hay = (s.getOrDefault("name", "") + " " + s.getOrDefault("topic", "") + " "
            + s.getOrDefault("canonical_alias", "")).toLowerCase(Locale.ROOT);
        if (!hay.contains(needle)) {
          continue;
        }
      }
      published.add(room);
    }
    published.sort(
        Comparator.comparingInt((Room r) -> joinedCount(r.state)).reversed()
            .thenComparing(r -> r.roomId));
    int offset = 0;
    if (since != null) {
      if (!since.matches("p[0-9]{1,9}_" + hs.instanceTag)) {
        throw MatrixError.invalidParam("Invalid since token");
      }
      offset = Math.min(published.size(), Integer.parseInt(since.substring(1, since.indexOf('_'))));
    }
    int lim = limit == null ? published.size() : limit(limit, 100);
    int endIndex = Math.min(published.size(), offset + Math.max(lim, 0));
    List<Object> chunk = new ArrayList<>();
    for (Room r : published.subList(offset, endIndex)) {
      chunk.add(summary(r));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("chunk", chunk);
    if (endIndex < published.size()) {
      out.put("next_batch", "p" + endIndex + "_" + hs.instanceTag);
    }
    if (offset > 0) {
      out.put("prev_batch", "p" + Math.max(0, offset - lim) + "_" + hs.instanceTag);
    }
    out.put("total_room_count_estimate", (long) published.size());
    return out;
  }
}
