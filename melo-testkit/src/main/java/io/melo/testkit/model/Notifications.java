package io.melo.testkit.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Push-rule evaluation as events arrive, and what it produced: each user's notifications, which
 * feed {@code GET /notifications} and the unread counts of {@code /sync}.
 *
 * <p>When an event enters a room, the rules of every member joined before it (and of the invitee of
 * an invite) are evaluated against it with the room as it was then (member count, the user's display
 * name, the sender's power level), except for the user's own events. An outcome that notifies is
 * stored with its actions and time, as a homeserver stores push actions: later rule changes apply to
 * later events. A redacted event, or one from a user the reader now ignores, no longer counts and is
 * no longer listed. Accessed only under the homeserver's lock.
 */
final class Notifications {
  private final Homeserver hs;
  /** user id -> notifications in arrival order. */
  private final Map<String, List<Entry>> byUser = new HashMap<>();
  /** user id -> room id -> notifications in that room, in arrival order. */
  private final Map<String, Map<String, List<Entry>>> byUserRoom = new HashMap<>();
  /** user id -> room id -> counts so far for one read position (see {@link Counts}). */
  private final Map<String, Map<String, Counts>> counts = new HashMap<>();
  /** user id -> the parsed default ruleset (the default rules are the same until the user changes them). */
  private final Map<String, Map<String, Object>> defaults = new HashMap<>();

  /** One notification: the event, the actions of the rule that matched, whether it highlights. */
  record Entry(Event event, List<Object> actions, boolean highlight) {}

  /** Unread counts of one user in one room, valid for one read position, redaction count and ignore list. */
  private static final class Counts {
    final long after;
    final int redactions;
    final Object ignoreList;
    int scannedTo;
    long notifications;
    long highlights;
    /** The answer for the current counts (immutable; rebuilt when they change). */
    Map<String, Object> json;
    long jsonNotifications;
    long jsonHighlights;

    Counts(long after, int redactions, Object ignoreList) {
      this.after = after;
      this.redactions = redactions;
      this.ignoreList = ignoreList;
    }
  }

  Notifications(Homeserver hs) {
    this.hs = hs;
  }

  /** Evaluates every concerned user's push rules for an event just added to {@code room}. */
  void onEvent(Room room, Event e) {
    StateMap before = e.stateBefore();
    List<String> users = new ArrayList<>();
    int joined = 0;
    for (Event m : before.members()) {
      if ("join".equals(m.content().get("membership"))) {
        joined++;
        if (!m.stateKey().equals(e.sender())) {
          users.add(m.stateKey());
        }
      }
    }
    if (e.type().equals("m.room.member") && "invite".equals(e.content().get("membership"))
        && !users.contains(e.stateKey()) && !e.stateKey().equals(e.sender())) {
      users.add(e.stateKey());
    }
    if (users.isEmpty()) {
      return;
    }
    PowerLevels pl = PowerLevels.of(before, e.roomVersion());
    Map<String, Object> plContent = before.content("m.room.power_levels", "");
    Object levels = plContent == null ? null : plContent.get("notifications");
    long senderLevel = pl.user(e.sender());
    for (String user : users) {
      Account account = hs.accounts.get(user);
      if (account == null) {
        continue;
      }
      Map<String, Object> me = before.content("m.room.member", user);
      Object name = me == null ? null : me.get("displayname");
      PushRuleEvaluator.RoomFacts facts = new PushRuleEvaluator.RoomFacts(joined,
          name instanceof String ? (String) name : null, senderLevel, levels instanceof Map ? (Map<?, ?>) levels : null);
      PushRuleEvaluator.Outcome outcome = PushRuleEvaluator.evaluate(rules(account), e, facts);
      if (outcome == null || !outcome.notifies()) {
        continue;
      }
      Entry entry = new Entry(e, outcome.actions(), outcome.highlight());
      byUser.computeIfAbsent(user, k -> new ArrayList<>()).add(entry);
      byUserRoom.computeIfAbsent(user, k -> new HashMap<>()).computeIfAbsent(room.roomId, k -> new ArrayList<>())
          .add(entry);
    }
  }

  private Map<String, Object> rules(Account a) {
    Map<String, Object> stored = a.accountData.get("m.push_rules");
    if (stored != null) {
      return stored;
    }
    return defaults.computeIfAbsent(a.userId, DefaultPushRules::forUser);
  }

  /**
   * The unread counts of a user in a room: notifications after {@code after} (the stream position of
   * the user's latest read receipt or join), {@code {notification_count, highlight_count}}.
   */
  Map<String, Object> unreadCounts(Room room, String user, long after) {
    Account account = hs.accounts.get(user);
    Object ignoreList = account == null ? null : account.accountData.get("m.ignored_user_list");
    Map<String, Counts> mine = counts.computeIfAbsent(user, k -> new HashMap<>());
    Counts c = mine.get(room.roomId);
    List<Entry> entries = byUserRoom.getOrDefault(user, Map.of()).getOrDefault(room.roomId, List.of());
    if (c == null || c.after != after || c.redactions != room.redactions || c.ignoreList != ignoreList) {
      c = new Counts(after, room.redactions, ignoreList);
      c.scannedTo = firstAfter(entries, after);
      mine.put(room.roomId, c);
    }
    for (int i = c.scannedTo; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      if (counts(entry, user)) {
        c.notifications++;
        if (entry.highlight()) {
          c.highlights++;
        }
      }
    }
    c.scannedTo = entries.size();
    Map<String, Object> json = c.json;
    if (json == null || c.jsonNotifications != c.notifications || c.jsonHighlights != c.highlights) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("notification_count", c.notifications);
      out.put("highlight_count", c.highlights);
      json = java.util.Collections.unmodifiableMap(out);
      c.json = json;
      c.jsonNotifications = c.notifications;
      c.jsonHighlights = c.highlights;
    }
    return json;
  }

  private boolean counts(Entry entry, String user) {
    return !entry.event().isRedacted() && !hs.reads.isIgnored(user, entry.event().sender());
  }

  /** The index of the first entry after stream position {@code after} (entries are in position order). */
  private static int firstAfter(List<Entry> entries, long after) {
    int lo = 0;
    int hi = entries.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).event().streamPosition() <= after) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * {@code GET /notifications}: the user's notifications, newest first, {@code limit} of them before
   * the position in {@code from} (a {@code next_token}), only highlights with {@code only=highlight}.
   *
   * @throws MatrixError 400 M_INVALID_PARAM for a malformed {@code from} or a negative limit
   */
  Map<String, Object> list(Requester requester, String from, Long limit, String only) {
    long before = Long.MAX_VALUE;
    if (from != null) {
      if (!from.matches("n[0-9]{1,18}")) {
        throw MatrixError.invalidParam("'from' is not a token from an earlier /notifications answer");
      }
      before = Long.parseLong(from.substring(1));
    }
    if (limit != null && limit < 0) {
      throw MatrixError.invalidParam("'limit' must not be negative");
    }
    long max = limit == null ? 50 : Math.min(limit, 1000);
    boolean highlightsOnly = "highlight".equals(only);
    String user = requester.userId();
    String key = Homeserver.deviceKey(requester);
    long now = hs.clock.nowMillis();
    List<Entry> entries = byUser.getOrDefault(user, List.of());
    List<Object> out = new ArrayList<>();
    Map<String, Long> readUpTo = new HashMap<>();
    String next = null;
    long lastPosition = 0;
    for (int i = firstAfter(entries, before - 1) - 1; i >= 0; i--) {
      Entry entry = entries.get(i);
      if (!counts(entry, user) || (highlightsOnly && !entry.highlight())) {
        continue;
      }
      if (out.size() >= max) {
        next = "n" + lastPosition;
        break;
      }
      Event e = entry.event();
      lastPosition = e.streamPosition();
      Room room = hs.rooms.get(e.roomId());
      long read = readUpTo.computeIfAbsent(e.roomId(), r -> readPosition(room, user));
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("actions", entry.actions());
      n.put("event", e.toClientJson(key, now, false));
      n.put("read", e.streamPosition() <= read);
      n.put("room_id", e.roomId());
      n.put("ts", e.originServerTs());
      out.add(n);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    if (next != null) {
      answer.put("next_token", next);
    }
    answer.put("notifications", out);
    return answer;
  }

  /**
   * Unread counts split by thread (spec v1.4 threaded notifications): {@code unread_notifications}
   * for the main timeline and {@code unread_thread_notifications} (thread root -> counts, threads with
   * nothing unread left out). An unthreaded receipt reads everything up to its event; a receipt with
   * {@code thread_id} {@code main} reads the main timeline, one with a thread root that thread.
   */
  void putThreadedCounts(Map<String, Object> out, Room room, String user, long joinedSince) {
    long unthreaded = -1;
    long main = -1;
    Map<String, Long> threads = new HashMap<>();
    for (Room.Receipt r : room.receipts.values()) {
      if (!r.userId().equals(user) || !(r.type().equals("m.read") || r.type().equals("m.read.private"))) {
        continue;
      }
      Event e = hs.events.get(r.eventId());
      if (e == null) {
        continue;
      }
      long at = e.streamPosition();
      if (r.threadId() == null) {
        unthreaded = Math.max(unthreaded, at);
      } else if (r.threadId().equals("main")) {
        main = Math.max(main, at);
      } else {
        threads.merge(r.threadId(), at, Math::max);
      }
    }
    long floor = Math.max(unthreaded, joinedSince);
    long mainAfter = Math.max(floor, main);
    long[] mainCounts = new long[2];
    Map<String, long[]> threadCounts = new LinkedHashMap<>();
    List<Entry> entries = byUserRoom.getOrDefault(user, Map.of()).getOrDefault(room.roomId, List.of());
    for (int i = firstAfter(entries, floor); i < entries.size(); i++) {
      Entry entry = entries.get(i);
      if (!counts(entry, user)) {
        continue;
      }
      Event e = entry.event();
      String root = "m.thread".equals(Room.relType(e)) ? Room.relParent(e) : null;
      long[] c;
      if (root == null) {
        if (e.streamPosition() <= mainAfter) {
          continue;
        }
        c = mainCounts;
      } else {
        if (e.streamPosition() <= Math.max(floor, threads.getOrDefault(root, -1L))) {
          continue;
        }
        c = threadCounts.computeIfAbsent(root, k -> new long[2]);
      }
      c[0]++;
      if (entry.highlight()) {
        c[1]++;
      }
    }
    out.put("unread_notifications", countsJson(mainCounts));
    if (!threadCounts.isEmpty()) {
      Map<String, Object> byThread = new LinkedHashMap<>();
      for (Map.Entry<String, long[]> t : threadCounts.entrySet()) {
        byThread.put(t.getKey(), countsJson(t.getValue()));
      }
      out.put("unread_thread_notifications", byThread);
    }
  }

  private static Map<String, Object> countsJson(long[] c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("notification_count", c[0]);
    out.put("highlight_count", c[1]);
    return out;
  }

  /** The stream position of the user's latest public or private read receipt in the room, or -1. */
  long readPosition(Room room, String user) {
    long at = -1;
    if (room == null) {
      return at;
    }
    for (Room.Receipt r : room.receipts.values()) {
      if (r.userId().equals(user) && (r.type().equals("m.read") || r.type().equals("m.read.private"))) {
        Event e = hs.events.get(r.eventId());
        if (e != null) {
          at = Math.max(at, e.streamPosition());
        }
      }
    }
    return at;
  }
}
