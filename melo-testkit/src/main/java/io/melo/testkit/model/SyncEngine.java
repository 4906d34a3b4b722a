package io.melo.testkit.model;

import io.melo.testkit.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes {@code /sync} responses from the stream positions: everything a user may see that
 * changed after the since position, up to the current position (the {@code next_batch}). A sync
 * with nothing to report waits on the homeserver's condition and computes again when woken.
 * Runs under the homeserver's lock.
 */
final class SyncEngine {
  static final int DEFAULT_TIMELINE_LIMIT = 10;
  static final int MAX_TIMELINE_LIMIT = 1000;
  private static final List<String> STRIPPED_TYPES =
      List.of(
          "m.room.create", "m.room.join_rules", "m.room.name", "m.room.avatar",
          "m.room.canonical_alias", "m.room.encryption", "m.room.topic");

  private static final List<String> GLOBAL_SECTIONS = List.of("account_data", "presence");

  private final Homeserver hs;

  /**
   * Guarded by the homeserver's lock: the event renderings of the {@link #compute} in progress
   * that were left for after the lock (see {@link #toJson}). Only the lock holder computes, and
   * {@link #computeLocked} takes the list back before it releases the lock.
   */
  private List<Runnable> deferred;

  SyncEngine(Homeserver hs) {
    this.hs = hs;
  }

  /** A computed answer and the renderings still to do once the lock is released. */
  private record Computed(Map<String, Object> response, List<Runnable> renderings) {
    Map<String, Object> finish() {
      for (Runnable r : renderings) {
        r.run();
      }
      return response;
    }
  }

  private Computed computeLocked(
      Account account, Requester requester, Filter filter, long since, boolean fullState, long upTo, boolean stateAfter) {
    deferred = new ArrayList<>();
    try {
      Map<String, Object> response = compute(account, requester, filter, since, fullState, upTo, stateAfter);
      return new Computed(response, deferred);
    } finally {
      deferred = null;
    }
  }

  Map<String, Object> sync(Requester requester, SyncRequest request) {
    // Rendering the answer's events needs no lock: it happens after the lock is released.
    return syncLocked(requester, request).finish();
  }

  private Computed syncLocked(Requester requester, SyncRequest request) {
    String user = requester.userId();
    hs.lock.lock();
    try {
      // Validates set_presence, applies it and counts the sync as presence: in the same lock
      // acquisition as the answer (a sync used to take the lock three times).
      boolean counted = hs.presenceTimeouts.syncStarted(user, request.setPresence());
      try {
        return answerLocked(requester, request);
      } finally {
        if (counted) {
          // The sync's time is the user's latest sync. Rendering the answer after the lock takes
          // microseconds and changes no state, so the sync ends here.
          hs.presenceTimeouts.syncEnded(user);
        }
      }
    } finally {
      hs.lock.unlock();
    }
  }

  private Computed answerLocked(Requester requester, SyncRequest request) {
    Account account = hs.account(requester.userId());
    long since = request.since() == null ? -1 : hs.reads.parseToken(request.since(), "since");
    Filter filter = resolveFilter(account, request.filter());
    long deadline = Homeserver.saturatedAdd(hs.clock.nowMillis(), request.timeoutMs());
    while (true) {
      hs.sweepTyping();
      long now = hs.position;
      Computed computed =
          computeLocked(account, requester, filter, since, request.fullState(), now, request.useStateAfter());
      if (since < 0 || request.fullState() || !isEmpty(computed.response())) {
        return computed;
      }
      if (!hs.awaitLocked(requester.userId(), now, deadline)) {
        hs.sweepTyping();
        return computeLocked(account, requester, filter, since, false, hs.position, request.useStateAfter());
      }
    }
  }

  private Filter resolveFilter(Account account, String filter) {
    if (filter == null || filter.isEmpty()) {
      return Filter.EMPTY;
    }
    try {
      if (filter.startsWith("{")) {
        return Filter.parse(Json.parseObject(filter));
      }
    } catch (MatrixError e) {
      throw MatrixError.invalidParam("Invalid filter: " + e.getMessage());
    }
    Map<String, Object> stored = Homeserver.storedFilter(account, filter);
    if (stored == null) {
      throw MatrixError.invalidParam("No such filter: " + filter);
    }
    return account.parsedFilters.get(Integer.parseInt(filter));
  }

  @SuppressWarnings("unchecked")
  static boolean isEmpty(Map<String, Object> response) {
    Map<String, Object> rooms = (Map<String, Object>) response.get("rooms");
    for (Object section : rooms.values()) {
      if (!((Map<String, Object>) section).isEmpty()) {
        return false;
      }
    }
    for (String key : GLOBAL_SECTIONS) {
      Map<String, Object> s = (Map<String, Object>) response.get(key);
      if (!((List<Object>) s.get("events")).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  Map<String, Object> compute(
      Account account,
      Requester requester,
      Filter filter,
      long since,
      boolean fullState,
      long upTo,
      boolean stateAfter) {
    String user = account.userId;
    Map<String, Object> join = new LinkedHashMap<>();
    Map<String, Object> invite = new LinkedHashMap<>();
    Map<String, Object> leave = new LinkedHashMap<>();
    Map<String, Object> knock = new LinkedHashMap<>();
    for (String roomId : account.rooms) {
      if (account.forgotten.contains(roomId) || !filter.includesRoom(roomId)) {
        continue;
      }
      Room room = hs.rooms.get(roomId);
      Event me = room.state.get("m.room.member", user);
      if (me == null) {
        continue;
      }
      String membership = room.state.membership(user);
      boolean changedSince = me.streamPosition() > since;
      switch (membership) {
        case "join":
          {
            Map<String, Object> r = joinedRoom(room, requester, filter, since, fullState, upTo, stateAfter);
            if (r != null) {
              join.put(roomId, r);
            }
            break;
          }
        case "invite":
          if ((since < 0 || changedSince) && !hs.reads.isIgnored(user, me.sender())) {
            invite.put(roomId, Map.of("invite_state", Map.of("events", strippedState(room, me))));
          }
          break;
        case "knock":
          if (since < 0 || changedSince) {
            knock.put(roomId, Map.of("knock_state", Map.of("events", strippedState(room, me))));
          }
          break;
        default:
          if (since < 0 ? filter.includeLeave : (changedSince || (fullState && filter.includeLeave))) {
            leave.put(roomId, leftRoom(room, requester, filter, since < 0 || fullState ? -1 : since, me, stateAfter));
          }
          break;
      }
    }
    Map<String, Object> rooms = new LinkedHashMap<>();
    rooms.put("join", join);
    rooms.put("invite", invite);
    rooms.put("leave", leave);
    rooms.put("knock", knock);

    List<Object> accountData = new ArrayList<>();
    if (since < 0 && filter.accountData.matchesType("m.push_rules") && !account.accountData.containsKey("m.push_rules")) {
      accountData.add(Map.of("type", "m.push_rules", "content", DefaultPushRules.forUser(user)));
    }
    for (Map.Entry<String, Map<String, Object>> e : account.accountData.entrySet()) {
      if (account.accountDataPositions.get(e.getKey()) > since && filter.accountData.matchesType(e.getKey())) {
        accountData.add(Map.of("type", e.getKey(), "content", e.getValue()));
      }
    }
    List<Object> presence = new ArrayList<>();
    if (filter.presence.matchesType("m.presence")) {
      Set<String> newlyShared = newlySharedUsers(account, since);
      // Nothing to send when no presence changed after since and nobody newly shares a room: then
      // the peers need not be collected (the common incremental sync).
      boolean anyChange = since < 0 || hs.lastPresencePosition > since || !newlyShared.isEmpty();
      Set<Account> people = anyChange ? new java.util.LinkedHashSet<>() : Set.of();
      if (anyChange) {
        people.add(account);
        people.addAll(hs.peers(account));
      }
      for (Account a : people) {
        if ((a.presencePosition > since || newlyShared.contains(a.userId))
            && filter.presence.matchesSender(a.userId)) {
          presence.add(Map.of("type", "m.presence", "sender", a.userId, "content", hs.presenceContent(a)));
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("next_batch", hs.reads.token(upTo));
    out.put("rooms", rooms);
    out.put("presence", Map.of("events", presence));
    out.put("account_data", Map.of("events", accountData));
    out.put("to_device", Map.of("events", List.of()));
    out.put("device_lists", Map.of("changed", List.of(), "left", List.of()));
    out.put("device_one_time_keys_count", Map.of());
    return out;
  }

  /**
   * Users who started sharing a joined room with the account after {@code since}: everyone in a
   * room the account joined since, and everyone who joined one of its rooms since. Their presence
   * is sent even if it did not change, since the client has not seen it.
   */
  private Set<String> newlySharedUsers(Account account, long since) {
    Set<String> out = new HashSet<>();
    if (since < 0) {
      return out;
    }
    for (String roomId : account.rooms) {
      Room room = hs.rooms.get(roomId);
      Event me = room.state.get("m.room.member", account.userId);
      if (me == null || !room.state.membership(account.userId).equals("join")) {
        continue;
      }
      boolean iJoined = me.streamPosition() > since && !room.membershipAt(account.userId, since).equals("join");
      if (!iJoined && room.lastPosition <= since) {
        continue;
      }
      for (Event e : room.state.members()) {
        if (e.type().equals("m.room.member") && "join".equals(e.content().get("membership"))
            && (iJoined || (e.streamPosition() > since && !room.membershipAt(e.stateKey(), since).equals("join")))) {
          out.add(e.stateKey());
        }
      }
    }
    return out;
  }

  private List<Object> strippedState(Room room, Event membershipEvent) {
    List<Object> events = new ArrayList<>();
    for (String type : STRIPPED_TYPES) {
      Event e = room.state.get(type, "");
      if (e != null) {
        events.add(e.toStrippedJson());
      }
    }
    Event inviter = room.state.get("m.room.member", membershipEvent.sender());
    if (inviter != null && inviter != membershipEvent) {
      events.add(inviter.toStrippedJson());
    }
    events.add(membershipEvent.toStrippedJson());
    return events;
  }

  /** The visible, filtered events in (lower, upper], the newest {@code limit} of them. */
  private Timeline timeline(Room room, String user, long lower, long upper, Filter.EventFilter filter) {
    int limit = filter.limitOr(DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT);
    List<Event> picked = new ArrayList<>();
    boolean limited = false;
    int i = room.indexAfter(upper) - 1;
    for (; i >= 0; i--) {
      Event e = room.timeline.get(i);
      if (e.streamPosition() <= lower) {
        break;
      }
      if (!filter.matches(e) || !hs.reads.canSee(user, room, e)) {
        continue;
      }
      if (picked.size() >= limit) {
        limited = true;
        break;
      }
      picked.add(e);
    }
    java.util.Collections.reverse(picked);
    return new Timeline(picked, limited);
  }

  private record Timeline(List<Event> events, boolean limited) {}

  private Map<String, Object> joinedRoom(
      Room room,
      Requester requester,
      Filter filter,
      long since,
      boolean fullState,
      long upTo,
      boolean stateAfter) {
    String user = requester.userId();
    boolean newlyJoined = since >= 0 && !room.membershipAt(user, since).equals("join");
    boolean fresh = since < 0 || newlyJoined;
    if (!fresh && !fullState && room.lastPosition <= since && !roomAccountDataChanged(room, user, since)) {
      return null;
    }
    Timeline tl =
        filter.timeline.matchesRoom(room.roomId)
            ? timeline(room, user, fresh ? -1 : since, upTo, filter.timeline)
            : new Timeline(List.of(), false);
    List<Object> ephemeral = ephemeral(room, user, filter, fresh ? -1 : since);
    List<Object> roomAccountData = roomAccountData(room, hs.accounts.get(user), filter, fresh ? -1 : since);
    if (!fresh && !fullState && tl.events.isEmpty() && ephemeral.isEmpty() && roomAccountData.isEmpty()) {
      return null;
    }
    StateMap end = room.stateAt(upTo);
    StateMap start = tl.events.isEmpty() ? end : tl.events.get(0).stateBefore();
    long changedAfter = fresh || fullState ? -1 : since;
    List<Event> state =
        stateAfter
            ? stateAfterSection(end, filter, tl, changedAfter, user)
            : stateSection(start, end, filter, tl, changedAfter, user);

    Map<String, Object> timeline = new LinkedHashMap<>();
    timeline.put("events", toJson(requester, tl.events, filter));
    timeline.put("limited", tl.limited);
    timeline.put("prev_batch", hs.reads.token(tl.events.isEmpty() ? upTo : tl.events.get(0).streamPosition() - 1));

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("summary", summary(room, user));
    out.put(stateAfter ? "state_after" : "state", Map.of("events", toJson(requester, state, filter)));
    out.put("timeline", timeline);
    out.put("ephemeral", Map.of("events", ephemeral));
    out.put("account_data", Map.of("events", roomAccountData));
    putUnreadCounts(out, room, user, filter.timeline.unreadThreadNotifications);
    return out;
  }

  private Map<String, Object> leftRoom(
      Room room, Requester requester, Filter filter, long lower, Event leaveEvent, boolean stateAfter) {
    String user = requester.userId();
    Timeline tl =
        filter.timeline.matchesRoom(room.roomId)
            ? timeline(room, user, lower, leaveEvent.streamPosition(), filter.timeline)
            : new Timeline(List.of(), false);
    StateMap start = tl.events.isEmpty() ? leaveEvent.stateBefore() : tl.events.get(0).stateBefore();
    StateMap end = leaveEvent.stateBefore().with(leaveEvent);
    List<Event> state =
        stateAfter
            ? stateAfterSection(end, filter, tl, lower, user)
            : stateSection(start, end, filter, tl, lower, user);
    Map<String, Object> timeline = new LinkedHashMap<>();
    timeline.put("events", toJson(requester, tl.events, filter));
    timeline.put("limited", tl.limited);
    timeline.put("prev_batch", hs.reads.token(tl.events.isEmpty() ? leaveEvent.streamPosition() : tl.events.get(0).streamPosition() - 1));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(stateAfter ? "state_after" : "state", Map.of("events", toJson(requester, state, filter)));
    out.put("timeline", timeline);
    out.put("account_data", Map.of("events", roomAccountData(room, hs.accounts.get(user), filter, lower)));
    return out;
  }

  /**
   * The state section, so that applying it and then the timeline gives the state at the end: for
   * every state key, the event at the end of the timeline, or the one at its start when the end's
   * event is in the timeline; only those after {@code changedAfter} (-1 for a fresh room or
   * full_state), filtered. With lazy-loaded members, member events only for the timeline's
   * senders (and the user in a fresh room), which are always sent.
   */
  private List<Event> stateSection(
      StateMap start, StateMap end, Filter filter, Timeline tl, long changedAfter, String user) {
    Filter.EventFilter f = filter.state;
    Set<String> senders = new HashSet<>();
    Set<String> inTimeline = new HashSet<>();
    for (Event e : tl.events) {
      senders.add(e.sender());
      inTimeline.add(e.eventId());
    }
    if (changedAfter < 0) {
      senders.add(user);
    }
    List<Event> out = new ArrayList<>();
    for (Event e : end.events()) {
      Event chosen = e;
      if (inTimeline.contains(e.eventId())) {
        chosen = start.get(e.type(), e.stateKey());
        if (chosen == null) {
          continue;
        }
      }
      if (chosen.streamPosition() <= changedAfter || !f.matches(chosen)) {
        continue;
      }
      if (f.lazyLoadMembers && chosen.type().equals("m.room.member") && !senders.contains(chosen.stateKey())) {
        continue;
      }
      out.add(chosen);
    }
    if (f.lazyLoadMembers) {
      for (String sender : senders) {
        Event m = start.get("m.room.member", sender);
        if (m != null && !out.contains(m)) {
          out.add(m);
        }
      }
    }
    out.sort(Comparator.comparingLong(Event::streamPosition));
    return out;
  }

  /**
   * The {@code state_after} section ({@code use_state_after}): every state event at the end of
   * the timeline that changed after {@code changedAfter}, timeline events included; filtered and
   * lazy-loaded like {@link #stateSection}.
   */
  private List<Event> stateAfterSection(
      StateMap end, Filter filter, Timeline tl, long changedAfter, String user) {
    Filter.EventFilter f = filter.state;
    Set<String> senders = new HashSet<>();
    for (Event e : tl.events) {
      senders.add(e.sender());
    }
    if (changedAfter < 0) {
      senders.add(user);
    }
    List<Event> out = new ArrayList<>();
    for (Event e : end.events()) {
      boolean member = e.type().equals("m.room.member");
      if (!f.matches(e)) {
        continue;
      }
      if (f.lazyLoadMembers && member) {
        if (senders.contains(e.stateKey())) {
          out.add(e);
        }
        continue;
      }
      if (e.streamPosition() > changedAfter) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparingLong(Event::streamPosition));
    return out;
  }

  private List<Object> ephemeral(Room room, String user, Filter filter, long since) {
    List<Object> out = new ArrayList<>();
    Filter.EventFilter f = filter.ephemeral;
    if (!f.matchesRoom(room.roomId)) {
      return out;
    }
    if (f.matchesType("m.typing")
        && (since < 0 ? !room.typing.isEmpty() : room.typingPosition > since)) {
      out.add(Map.of("type", "m.typing", "content", Map.of("user_ids", new ArrayList<>(room.typing.keySet()))));
    }
    if (f.matchesType("m.receipt")) {
      Map<String, Object> content = new LinkedHashMap<>();
      for (Room.Receipt r : room.receipts.values()) {
        if (r.position() <= since) {
          continue;
        }
        if (r.type().equals("m.read.private") && !r.userId().equals(user)) {
          continue;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> byType =
            (Map<String, Object>) content.computeIfAbsent(r.eventId(), k -> new LinkedHashMap<>());
        @SuppressWarnings("unchecked")
        Map<String, Object> byUser =
            (Map<String, Object>) byType.computeIfAbsent(r.type(), k -> new LinkedHashMap<>());
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("ts", r.ts());
        if (r.threadId() != null) {
          receipt.put("thread_id", r.threadId());
        }
        byUser.put(r.userId(), receipt);
      }
      if (!content.isEmpty()) {
        out.add(Map.of("type", "m.receipt", "content", content));
      }
    }
    return out;
  }

  private boolean roomAccountDataChanged(Room room, String user, long since) {
    Map<String, Long> positions = hs.accounts.get(user).roomAccountDataPositions.get(room.roomId);
    if (positions != null) {
      for (long p : positions.values()) {
        if (p > since) {
          return true;
        }
      }
    }
    return false;
  }

  private List<Object> roomAccountData(Room room, Account account, Filter filter, long since) {
    List<Object> out = new ArrayList<>();
    Map<String, Map<String, Object>> data = account.roomAccountData.get(room.roomId);
    if (data == null || !filter.roomAccountData.matchesRoom(room.roomId)) {
      return out;
    }
    Map<String, Long> positions = account.roomAccountDataPositions.get(room.roomId);
    for (Map.Entry<String, Map<String, Object>> e : data.entrySet()) {
      if (positions.get(e.getKey()) > since && filter.roomAccountData.matchesType(e.getKey())) {
        out.add(Map.of("type", e.getKey(), "content", e.getValue()));
      }
    }
    return out;
  }

  private Map<String, Object> summary(Room room, String user) {
    StateMap.MemberSummary members = room.state.memberSummary();
    List<Object> heroes = new ArrayList<>(5);
    for (Event e : members.members()) {
      if (heroes.size() >= 5) {
        break;
      }
      if (!e.stateKey().equals(user)) {
        heroes.add(e.stateKey());
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("m.heroes", heroes);
    out.put("m.joined_member_count", (long) members.joined());
    out.put("m.invited_member_count", (long) members.invited());
    return out;
  }

  /**
   * Unread counts: the notifications the user's push rules produced (see {@link Notifications})
   * after the user's latest read receipt (public or private) and after their join; split into the
   * main timeline and {@code unread_thread_notifications} when the filter asks.
   */
  void putUnreadCounts(Map<String, Object> out, Room room, String user, boolean byThread) {
    long joined = joinedSince(room, user);
    if (byThread) {
      hs.notifications.putThreadedCounts(out, room, user, joined);
    } else {
      long after = Math.max(hs.notifications.readPosition(room, user), joined);
      out.put("unread_notifications", hs.notifications.unreadCounts(room, user, after));
    }
  }

  /** The position of the user's latest join (a profile change while joined is not a new join). */
  private static long joinedSince(Room room, String user) {
    List<Event> history = room.memberEvents.getOrDefault(user, List.of());
    long since = -1;
    for (int i = history.size() - 1; i >= 0; i--) {
      if (!"join".equals(history.get(i).content().get("membership"))) {
        break;
      }
      since = history.get(i).streamPosition();
    }
    return since;
  }

  /**
   * The client JSON of events. An event with relations (bundled aggregations read the room's
   * mutable relation index) or whose rendering depends on a redaction is rendered now, under the
   * lock; any other depends only on immutable data, so it gets an empty map that is filled after
   * the lock is released (ignoring redactions made meanwhile: the answer stays as of its position).
   */
  private List<Object> toJson(Requester requester, List<Event> events, Filter filter) {
    List<Object> out = new ArrayList<>();
    String key = Homeserver.deviceKey(requester);
    long now = hs.clock.nowMillis();
    for (Event e : events) {
      Room room = hs.rooms.get(e.roomId());
      if (deferred == null || e.rendersRedaction() || (room != null && room.relations.containsKey(e.eventId()))) {
        Map<String, Object> json = e.toClientJson(key, now, false);
        hs.reads.bundleAggregations(requester, room, e, json, false);
        out.add(filter.project(json));
      } else {
        Map<String, Object> json = new LinkedHashMap<>();
        deferred.add(filter.projectsFields()
            ? () -> json.putAll(filter.project(e.toClientJsonUnredacted(new LinkedHashMap<>(), key, now, false)))
            : () -> e.toClientJsonUnredacted(json, key, now, false));
        out.add(json);
      }
    }
    return out;
  }
}
