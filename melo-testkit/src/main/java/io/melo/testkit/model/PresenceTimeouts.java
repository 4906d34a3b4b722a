package io.melo.testkit.model;

import java.util.HashMap;
import java.util.Map;

/**
 * Presence that changes with time, as a homeserver's does. The rule, on the {@link Clock}:
 *
 * <ul>
 *   <li><b>Activity</b> (sending any event, typing, a receipt or read marker, setting presence, a
 *       sync that brings an offline user online) sets {@code last_active_ago} to 0 and ends idling:
 *       a user the server made {@code unavailable} for idling is {@code online} again (a user who
 *       chose {@code unavailable} stays so).
 *   <li><b>Idle</b>: an {@code online} user with no activity for {@link HomeserverConfig#presenceIdleTimeout()}
 *       (default 5 minutes) becomes {@code unavailable}.
 *   <li><b>Gone</b>: a user who is not {@code offline}, has no sync in progress that marks them
 *       present (any {@code set_presence} but {@code offline}), and whose latest such sync and latest
 *       activity both ended more than {@link HomeserverConfig#presenceOfflineTimeout()} ago (default 30
 *       seconds) becomes {@code offline}.
 *   <li>A sync with {@code set_presence} absent or {@code online} marks the user {@code online} (an
 *       {@code offline} user also gets activity now), except a user idling: polling is not using the
 *       app, so it neither ends idling nor counts as activity; {@code unavailable} sets that state;
 *       {@code offline} leaves presence alone.
 *   <li>{@code currently_active} is true for an {@code online} user active within the last minute.
 * </ul>
 *
 * <p>The timeouts are checked whenever a manual clock is advanced (waking long polls that should see
 * the change); with the system clock, at the start of a sync and on {@code GET /presence}, at most
 * once a second. Accessed only under the
 * homeserver's lock.
 */
final class PresenceTimeouts {
  /** How recent activity must be for {@code currently_active}. */
  static final long CURRENTLY_ACTIVE_MS = 60_000;

  private final Homeserver hs;
  private final Map<String, UserState> users = new HashMap<>();
  private long lastSweep = Long.MIN_VALUE / 2;

  /** What presence needs beyond the account: syncs in progress, the latest sync, whether idling. */
  private static final class UserState {
    int syncing;
    long lastSyncTs;
    boolean idle;
  }

  PresenceTimeouts(Homeserver hs) {
    this.hs = hs;
  }

  private UserState state(String userId) {
    return users.computeIfAbsent(userId, k -> new UserState());
  }

  /**
   * Applies the timeouts if time may have moved since the last sweep: never for a manual clock (it
   * sweeps when advanced), at most once a second of a system clock. Keeps syncs from scanning every
   * account each time.
   */
  void sweepIfDue() {
    if (hs.clock.isManual() || hs.clock.nowMillis() - lastSweep < 1000) {
      return;
    }
    sweep();
  }

  /** Applies the idle and offline timeouts to every account. */
  void sweep() {
    long now = hs.clock.nowMillis();
    lastSweep = now;
    long idleAfter = hs.config.presenceIdleTimeout().toMillis();
    long offlineAfter = hs.config.presenceOfflineTimeout().toMillis();
    for (Account a : hs.accounts.values()) {
      if (a.presence.equals("offline")) {
        continue;
      }
      UserState s = state(a.userId);
      if (s.syncing == 0 && now - Math.max(s.lastSyncTs, a.lastActiveTs) > offlineAfter) {
        s.idle = false;
        change(a, "offline");
      } else if (a.presence.equals("online") && now - a.lastActiveTs > idleAfter) {
        s.idle = true;
        change(a, "unavailable");
      }
    }
  }

  /** The user did something: activity now, and an idling user is online again. */
  void active(String userId) {
    Account a = hs.accounts.get(userId);
    if (a == null) {
      return;
    }
    a.lastActiveTs = hs.clock.nowMillis();
    UserState s = state(userId);
    if (s.idle) {
      s.idle = false;
      if (a.presence.equals("unavailable")) {
        change(a, "online");
      }
    }
  }

  /** The user set their presence themselves ({@code PUT /presence}): no longer idling by the server's decision. */
  void set(String userId) {
    state(userId).idle = false;
  }

  /**
   * A sync starts: validates {@code set_presence}, applies it and, unless it is {@code offline}, counts
   * the sync as presence (the caller must then call {@link #syncEnded}).
   *
   * @return whether the sync was counted
   * @throws MatrixError 400 M_INVALID_PARAM for an unknown {@code set_presence}
   */
  boolean syncStarted(String userId, String setPresence) {
    if (setPresence != null && !setPresence.equals("online") && !setPresence.equals("offline")
        && !setPresence.equals("unavailable")) {
      throw MatrixError.invalidParam("'set_presence' must be online, offline or unavailable");
    }
    Account a = hs.account(userId);
    sweepIfDue();
    if ("offline".equals(setPresence)) {
      return false; // the spec: such a sync does not mark the user present
    }
    UserState s = state(userId);
    s.syncing++;
    s.lastSyncTs = hs.clock.nowMillis();
    if ("unavailable".equals(setPresence)) {
      s.idle = false;
      if (!a.presence.equals("unavailable")) {
        change(a, "unavailable");
      }
    } else if (a.presence.equals("offline")) {
      a.lastActiveTs = hs.clock.nowMillis();
      change(a, "online");
    } else if (a.presence.equals("unavailable") && !s.idle) {
      change(a, "online"); // the spec: polling marks the client online (but not back from idling)
    }
    return true;
  }

  /** A counted sync ended: its time is the user's latest sync. */
  void syncEnded(String userId) {
    UserState s = state(userId);
    s.syncing = Math.max(0, s.syncing - 1);
    s.lastSyncTs = hs.clock.nowMillis();
  }

  /** Whether the user is online and was active within the last minute. */
  boolean currentlyActive(Account a) {
    return a.presence.equals("online") && hs.clock.nowMillis() - a.lastActiveTs < CURRENTLY_ACTIVE_MS;
  }

  /** Changes presence (status message kept) and tells the user and everyone sharing a room. */
  private void change(Account a, String presence) {
    a.presence = presence;
    long pos = hs.nextPosition();
    a.presencePosition = pos;
    hs.lastPresencePosition = pos;
    a.lastPosition = pos;
    for (Account other : hs.peers(a)) {
      other.lastPosition = pos;
    }
    hs.signal();
  }
}
