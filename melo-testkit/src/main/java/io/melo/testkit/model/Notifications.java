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
 * no longer listed.
 *
 * <p>Bounded as Synapse bounds its push actions, so a long standalone run does not grow without end:
 * non-highlight notifications older than {@link #RETENTION_MS} (a day) are deleted by a sweep at
 * most once per {@link #SWEEP_INTERVAL_MS}, and each user keeps at most {@link #MAX_PER_USER}
 * (oldest deleted first, highlights included, trimmed when the list reaches {@link #TRIM_AT}). A
 * deleted notification that was still unread keeps counting in a per-room summary (Synapse's {@code
 * event_push_summary}) until a read receipt covers it; {@code GET /notifications} no longer lists it.
 * Accessed only under the homeserver's lock.
 */
final class Notifications {
  /** How long a non-highlight notification is listed (Synapse deletes rotated ones after a day). */
  static final long RETENTION_MS = 24L * 60 * 60 * 1000;
  /** How often, at most, the age sweep runs (on the clock, when an event arrives). */
  static final long SWEEP_INTERVAL_MS = 60L * 60 * 1000;
  /** The most notifications one user keeps (the largest page {@code GET /notifications} serves). */
  static final int MAX_PER_USER = 1000;
  /** The list length at which a user's list is trimmed back to {@link #MAX_PER_USER}. */
  static final int TRIM_AT = MAX_PER_USER + MAX_PER_USER / 4;

  private final Homeserver hs;
  /** user id -> notifications in arrival order. */
  private final Map<String, List<Entry>> byUser = new HashMap<>();
  /** user id -> room id -> notifications in that room, in arrival order. */
  private final Map<String, Map<String, List<Entry>>> byUserRoom = new HashMap<>();
  /** user id -> room id -> counts so far for one read position (see {@link Counts}). */
  private final Map<String, Map<String, Counts>> counts = new HashMap<>();
  /** user id -> the parsed default ruleset (the default rules are the same until the user changes them). */
  private final Map<String, Map<String, Object>> defaults = new HashMap<>();
  /** user id -> room id -> counts of unread notifications deleted since the user's last receipt there. */
  private final Map<String, Map<String, Rotated>> rotated = new HashMap<>();
  /** Clock time of the last age sweep. */
  private long lastSweep;

  /**
   * One notification: the event, the actions of the rule that matched, whether it highlights, the
   * clock time it was stored and the thread it is in ({@code null}: the main timeline).
   */
  record Entry(Event event, List<Object> actions, boolean highlight, long storedAt, String thread) {}

  /**
   * Unread notifications of one user in one room that were deleted from the lists, per thread root
   * ({@code ""}: the main timeline): {@code [count, highlights, lowest position, highest position]}.
   * A part counts while the user's read position for it is before its lowest position; a receipt at
   * or after its highest position removes it. (A receipt in between drops it from the counts: the
   * positions of the deleted notifications are gone, as in Synapse's summary.)
   */
  private static final class Rotated {
    final Map<String, long[]> parts = new HashMap<>();

    void add(String thread, long position, boolean highlight) {
      long[] p = parts.computeIfAbsent(thread == null ? "" : thread,
          k -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
      p[0]++;
      if (highlight) {
        p[1]++;
      }
      p[2] = Math.min(p[2], position);
      p[3] = Math.max(p[3], position);
    }
  }

  /** A user's read receipts in a room: unthreaded, {@code main} and per thread root (-1: none). */
  private record ReadState(long unthreaded, long main, Map<String, Long> threads) {
    /** The position up to which a notification in {@code thread} (null: main timeline) is read. */
    long readUpTo(String thread) {
      long own = thread == null ? main : threads.getOrDefault(thread, -1L);
      return Math.max(unthreaded, own);
    }
  }

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
    long now = hs.clock.nowMillis();
    sweep(now);
    Object thread = NOT_COMPUTED;
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
      if (thread == NOT_COMPUTED) {
        thread = "m.thread".equals(Room.relType(e)) ? Room.relParent(e) : null;
      }
      Entry entry = new Entry(e, outcome.actions(), outcome.highlight(), now, (String) thread);
      List<Entry> mine = byUser.computeIfAbsent(user, k -> new ArrayList<>());
      mine.add(entry);
      byUserRoom.computeIfAbsent(user, k -> new HashMap<>()).computeIfAbsent(room.roomId, k -> new ArrayList<>())
          .add(entry);
      if (mine.size() >= TRIM_AT) {
        List<Entry> oldest = new ArrayList<>(mine.subList(0, mine.size() - MAX_PER_USER));
        delete(user, oldest);
      }
    }
  }

  private static final Object NOT_COMPUTED = new Object();

  /**
   * A read receipt moved: summary parts it covers entirely (every deleted unread notification in
   * them is now read) are dropped, and the cached counts of the room are recomputed.
   */
  void onReceipt(Room room, String user) {
    Map<String, Rotated> rooms = rotated.get(user);
    Rotated r = rooms == null ? null : rooms.get(room.roomId);
    if (r != null) {
      ReadState read = readState(room, user);
      r.parts.entrySet().removeIf(p -> read.readUpTo(p.getKey().isEmpty() ? null : p.getKey()) >= p.getValue()[3]);
      if (r.parts.isEmpty()) {
        rooms.remove(room.roomId);
      }
    }
    clearCounts(user, room.roomId);
  }

  /**
   * Deletes non-highlight notifications older than {@link #RETENTION_MS}, at most once per
   * {@link #SWEEP_INTERVAL_MS} of clock time; unread ones keep counting in the summary.
   */
  private void sweep(long now) {
    if (now - lastSweep < SWEEP_INTERVAL_MS) {
      return;
    }
    lastSweep = now;
    long cutoff = now - RETENTION_MS;
    for (Map.Entry<String, List<Entry>> u : byUser.entrySet()) {
      List<Entry> old = new ArrayList<>();
      for (Entry entry : u.getValue()) {
        if (entry.storedAt() > cutoff) {
          break; // stored in clock order
        }
        if (!entry.highlight()) {
          old.add(entry);
        }
      }
      if (!old.isEmpty()) {
        delete(u.getKey(), old);
      }
    }
  }

  /**
   * Removes {@code gone} (entries of {@code user}, in list order) from the user's lists; the ones
   * still unread are added to the room's summary first.
   */
  private void delete(String user, List<Entry> gone) {
    Map<String, List<Entry>> rooms = byUserRoom.get(user);
    Map<String, ReadState> reads = new HashMap<>();
    java.util.Set<Entry> set = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    set.addAll(gone);
    java.util.Set<String> touched = new java.util.HashSet<>();
    for (Entry entry : gone) {
      String roomId = entry.event().roomId();
      touched.add(roomId);
      if (!counts(entry, user)) {
        continue;
      }
      ReadState read = reads.computeIfAbsent(roomId, r -> readState(hs.rooms.get(r), user));
      long position = entry.event().streamPosition();
      if (position <= read.readUpTo(entry.thread())) {
        continue;
      }
      rotated.computeIfAbsent(user, k -> new HashMap<>()).computeIfAbsent(roomId, k -> new Rotated())
          .add(entry.thread(), position, entry.highlight());
    }
    byUser.get(user).removeIf(set::contains);
    for (String roomId : touched) {
      List<Entry> list = rooms.get(roomId);
      list.removeIf(set::contains);
      if (list.isEmpty()) {
        rooms.remove(roomId);
      }
      clearCounts(user, roomId);
    }
  }

  /** How many notifications {@code user} has stored (for tests of the bounds). */
  int storedCount(String user) {
    return byUser.getOrDefault(user, List.of()).size();
  }

  private void clearCounts(String user, String roomId) {
    Map<String, Counts> mine = counts.get(user);
    if (mine != null) {
      mine.remove(roomId);
    }
  }

  private ReadState readState(Room room, String user) {
    long unthreaded = -1;
    long main = -1;
    Map<String, Long> threads = new HashMap<>();
    if (room == null) {
      return new ReadState(unthreaded, main, threads);
    }
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
    return new ReadState(unthreaded, main, threads);
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
      Rotated r = rotated.getOrDefault(user, Map.of()).get(room.roomId);
      if (r != null) {
        for (long[] p : r.parts.values()) {
          if (after < p[2]) {
            c.notifications += p[0];
            c.highlights += p[1];
          }
        }
      }
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
    ReadState read = readState(room, user);
    Map<String, Long> threads = read.threads();
    long floor = Math.max(read.unthreaded(), joinedSince);
    long mainAfter = Math.max(floor, read.main());
    long[] mainCounts = new long[2];
    Map<String, long[]> threadCounts = new LinkedHashMap<>();
    Rotated r = rotated.getOrDefault(user, Map.of()).get(room.roomId);
    if (r != null) {
      for (Map.Entry<String, long[]> part : r.parts.entrySet()) {
        long[] p = part.getValue();
        boolean main = part.getKey().isEmpty();
        long readUpTo = main ? mainAfter : Math.max(floor, threads.getOrDefault(part.getKey(), -1L));
        if (readUpTo < p[2]) {
          long[] c = main ? mainCounts : threadCounts.computeIfAbsent(part.getKey(), k -> new long[2]);
          c[0] += p[0];
          c[1] += p[1];
        }
      }
    }
    List<Entry> entries = byUserRoom.getOrDefault(user, Map.of()).getOrDefault(room.roomId, List.of());
    for (int i = firstAfter(entries, floor); i < entries.size(); i++) {
      Entry entry = entries.get(i);
      if (!counts(entry, user)) {
        continue;
      }
      Event e = entry.event();
      String root = entry.thread();
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
