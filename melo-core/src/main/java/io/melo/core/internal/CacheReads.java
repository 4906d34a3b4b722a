package io.melo.core.internal;

import io.melo.matrix.event.BasicEvent;
import io.melo.matrix.event.EventTypes;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Reads served from a client's sync cache, and the rule that keeps them equal to what the
 * homeserver would answer.
 *
 * <p><b>When the cache answers.</b> Only while it is current: the first sync has been applied and
 * the sync loop is connected (not connecting, reconnecting, stopped or failed). Otherwise
 * {@link #read} is empty and the caller asks the homeserver, as it did before the cache existed.
 *
 * <p><b>Read your own writes.</b> Every write of this client registers what it changes before (or,
 * for a room it creates or joins, right after) it is sent: a state event (known by the event id
 * the send answers), a membership, a room joined or created with the state it must show, a
 * conversation recorded in {@code m.direct}. Until the sync has applied that change to the cache,
 * the room (or {@code m.direct}) is <em>dirty</em>: {@link View#room} hides it and the caller reads
 * that room from the homeserver, while every other room still comes from the cache. A write never
 * waits for the sync to deliver it (registering a join or a membership change takes the cache lock
 * for a moment, as a read does), and a held or slow sync only costs the reads of the rooms written
 * meanwhile.
 * A change is recognised when the sync applies it (the {@link #stateApplied} hook: an event seen
 * while the send is still in flight counts too) or, as a fallback, when the cached state shows it.
 * A failed write drops its registration: its outcome shows once the sync delivers it. A write
 * that has returned is not waited for forever: once {@value #SETTLE_BATCHES} batches have been
 * applied since, the sync has delivered it or state that replaced it (a gappy batch sends only the
 * latest state of a key, so the own event may never come), and the cache is trusted again. This
 * holds for every write: state events, kicks and bans of other members, this user's joins and leaves.
 *
 * <p><b>Bounded.</b> At most {@value #MAX_OPEN} writes are tracked one by one (they pile up while
 * the sync loop stays disconnected, since only applied batches show or settle them). Past that the
 * registrations are dropped and every read asks the homeserver (correct, only slower) until each
 * write made meanwhile has returned and {@value #SETTLE_BATCHES} batches have been applied since the
 * last of them.
 *
 * <p>Changes by other users or devices show once this client's sync has delivered them (usually
 * within one long-poll round trip). Thread-safe: readers hold the sync processor's cache lock and
 * then this object's monitor, the sync hooks run in the same order. Not API.
 */
final class CacheReads {

  private final SyncProcessor sync;
  private final String userId;
  private final BooleanSupplier live;
  /** Own writes not yet seen in the cache, by room id. Guarded by this. */
  private final Map<String, List<Pending>> pending = new HashMap<>();
  /** Conversations recorded in m.direct and not yet seen there. Guarded by this. */
  private final List<DirectWrite> directPending = new ArrayList<>();
  /**
   * How many batches after a write returned it is taken as shown whatever the cache says. The batch
   * whose long poll was answering when the write returned may predate it; the one after that was
   * asked for later and covers it (its timeline, or its state section when the batch is gappy); one
   * more absorbs a homeserver whose sync stream trails its persisted events by a moment.
   */
  static final int SETTLE_BATCHES = 3;
  /** How many own writes are tracked one by one; past this every read asks the homeserver for a while. */
  static final int MAX_OPEN = 1024;
  /** True while more writes were made than are tracked: then no read comes from the cache. Guarded by this. */
  private boolean overflowed;
  /** Writes made (or dropped) while overflowed that have not returned yet. Guarded by this. */
  private int untrackedInFlight;
  /** The batch count from which the writes made while overflowed count as shown. Guarded by this. */
  private long overflowSettlesAt;
  /** How many batches the sync has applied (counted by {@link #accountData}). Guarded by this. */
  private long batches;
  /** How many registrations are open: the sync hook returns at once when there are none. */
  private volatile int open;
  /** m.direct as the sync last delivered it; null while unknown. Guarded by this. */
  private JsonObject direct;
  /** Counts m.direct deliveries, so a homeserver read installs its answer only over no newer one. */
  private long directVersion;
  /** Conversations being recorded in m.direct whose write the sync has not echoed yet. Guarded by this. */
  private final List<DirectRecording> recordings = new ArrayList<>();
  /** How many recordings are watched at once; past it the oldest is no longer watched. */
  static final int MAX_RECORDINGS = 64;
  /** m.direct entries another device added that an own write dropped, to merge back. Guarded by this. */
  private final Map<String, List<String>> lostDirect = new java.util.LinkedHashMap<>();

  /**
   * @param sync the processor that holds the cache
   * @param userId this client's user
   * @param live true while the sync loop is connected and the client open
   */
  CacheReads(SyncProcessor sync, String userId, BooleanSupplier live) {
    this.sync = sync;
    this.userId = userId;
    this.live = live;
    sync.onRoomLeft(this::roomLeft);
  }

  // ------------------------------------------------------------------ reads

  /**
   * Runs {@code reader} on the cache under its lock, when the cache is current; empty when it is
   * not, or when the reader returns null (its way of saying "ask the homeserver"). The reader must
   * do no I/O and must not let a {@link RoomState} escape (copy it).
   */
  <T> Optional<T> read(Function<View, T> reader) {
    if (!live.getAsBoolean() || overflowed()) {
      return Optional.empty();
    }
    return sync.readPrimed(joined -> reader.apply(new View(joined)));
  }

  /** A copy of a joined room's cached state, when the cache is current and shows every own write to it. */
  Optional<RoomState> snapshot(String roomId) {
    return read(view -> {
      RoomState room = view.room(roomId);
      return room == null ? null : room.copy();
    });
  }

  /** The cache as one read sees it. Valid only inside {@link #read}. */
  final class View {
    private final Map<String, RoomState> joined;

    private View(Map<String, RoomState> joined) {
      this.joined = joined;
    }

    /** The cached state of a joined room, or null when it is not cached or an own write to it is not shown yet. */
    RoomState room(String roomId) {
      RoomState room = joined.get(roomId);
      return room == null || dirty(roomId, room) ? null : room;
    }

    /** Every joined room in the cache (dirty ones included: check {@link #isDirty}). */
    Collection<RoomState> rooms() {
      return joined.values();
    }

    /** True when the room is joined per the cache. */
    boolean isJoined(String roomId) {
      return joined.containsKey(roomId);
    }

    /** True when an own write to the room is not shown by the cache yet. */
    boolean isDirty(String roomId) {
      return dirty(roomId, joined.get(roomId));
    }

    /** The rooms with own writes the cache does not show yet, cached or not. */
    Set<String> dirtyRooms() {
      Set<String> dirty = new HashSet<>();
      for (String roomId : pendingRooms()) {
        if (dirty(roomId, joined.get(roomId))) {
          dirty.add(roomId);
        }
      }
      return dirty;
    }

    /** True when an own join, creation or leave is not shown yet: the joined set is not final. */
    boolean membershipPending() {
      for (String roomId : pendingRooms()) {
        if (ownMembershipPending(roomId, joined.get(roomId))) {
          return true;
        }
      }
      return false;
    }

    /** m.direct as synced, or null when unknown or an own conversation is not shown in it yet. */
    JsonObject direct() {
      return CacheReads.this.direct();
    }
  }

  /** True while more own writes were made than are tracked and they may not be shown yet. */
  private synchronized boolean overflowed() {
    if (overflowed && untrackedInFlight == 0 && batches >= overflowSettlesAt) {
      overflowed = false;
    }
    return overflowed;
  }

  private synchronized Set<String> pendingRooms() {
    return new HashSet<>(pending.keySet());
  }

  private synchronized boolean dirty(String roomId, RoomState cached) {
    List<Pending> writes = pending.get(roomId);
    if (writes == null) {
      return false;
    }
    clearShown(roomId, writes, cached);
    return pending.containsKey(roomId);
  }

  private synchronized boolean ownMembershipPending(String roomId, RoomState cached) {
    List<Pending> writes = pending.get(roomId);
    if (writes == null) {
      return false;
    }
    clearShown(roomId, writes, cached);
    for (Pending write : writes) {
      if (write.isOwnMembership()) {
        return true;
      }
    }
    return false;
  }

  private void clearShown(String roomId, List<Pending> writes, RoomState cached) {
    for (Iterator<Pending> it = writes.iterator(); it.hasNext(); ) {
      Pending write = it.next();
      if (write.settled() || write.shownBy(cached)) {
        it.remove();
        open--;
      }
    }
    if (writes.isEmpty()) {
      pending.remove(roomId);
    }
  }

  private synchronized JsonObject direct() {
    directPending.removeIf(write -> {
      boolean shown = write.shownBy(direct);
      if (shown) {
        open--;
      }
      return shown;
    });
    return directPending.isEmpty() ? direct : null;
  }

  /** The m.direct delivery count, read before asking the homeserver for m.direct. */
  synchronized long directVersion() {
    return directVersion;
  }

  /**
   * Keeps m.direct as read from the homeserver when the sync has not delivered it (a client resumed
   * from a stored token gets only changes) and delivered nothing since {@code version} was read.
   */
  synchronized void learnDirect(long version, JsonObject content) {
    if (direct == null && directVersion == version) {
      direct = content;
    }
  }

  // ------------------------------------------------------------------ hooks from the sync

  /** See {@link SyncProcessor.Host#stateApplied}. */
  void stateApplied(String roomId, RoomEvent event) {
    if (open == 0) {
      return;
    }
    synchronized (this) {
      List<Pending> writes = pending.get(roomId);
      if (writes == null) {
        return;
      }
      for (Iterator<Pending> it = writes.iterator(); it.hasNext(); ) {
        if (it.next().seen(event)) {
          it.remove();
          open--;
        }
      }
      if (writes.isEmpty()) {
        pending.remove(roomId);
      }
    }
  }

  /**
   * The sync reports {@code roomId} in a batch's left rooms (see {@link SyncProcessor#onRoomLeft}):
   * this user's own leave of it is then shown by its absence from the cache, even when the room was
   * joined and left between two batches and never cached.
   */
  synchronized void roomLeft(String roomId) {
    for (Pending write : pending.getOrDefault(roomId, List.of())) {
      if (write instanceof MembershipWrite) {
        ((MembershipWrite) write).absenceShows = true;
      }
    }
  }

  /**
   * See {@link SyncProcessor.Host#accountData}; called once at the end of every batch, so it also
   * counts the batches and drops the writes settled by them (even in rooms nothing reads).
   */
  synchronized void accountData(List<BasicEvent> events, boolean complete) {
    batches++;
    if (open > 0) {
      for (Iterator<List<Pending>> rooms = pending.values().iterator(); rooms.hasNext(); ) {
        List<Pending> writes = rooms.next();
        for (Iterator<Pending> it = writes.iterator(); it.hasNext(); ) {
          if (it.next().settled()) {
            it.remove();
            open--;
          }
        }
        if (writes.isEmpty()) {
          rooms.remove();
        }
      }
    }
    JsonObject delivered = complete ? JsonObject.EMPTY : null;
    for (BasicEvent event : events) {
      if (EventTypes.DIRECT.equals(event.type())) {
        delivered = event.content();
      }
    }
    if (delivered != null) {
      direct = delivered;
      directVersion++;
      if (!recordings.isEmpty()) {
        watchRecordings(delivered);
      }
    }
    recordings.removeIf(r -> r.writtenAt != Long.MAX_VALUE && batches >= r.writtenAt + SETTLE_BATCHES);
  }

  // ------------------------------------------------------------------ m.direct read-modify-write

  /**
   * One conversation being recorded in m.direct by read-modify-write. Every m.direct the sync
   * delivers from the start of the read until the write's echo is watched: an entry another device
   * added in between (seen in a delivery, not in what was read) that the echo no longer holds was
   * overwritten by this write, and is handed to the repair (merged back in). Guarded by CacheReads.this.
   */
  final class DirectRecording {
    private final String otherUserId;
    private final String roomId;
    /** What the write was merged into; null until read. */
    private JsonObject base;
    /** Entries ("user\0room") seen in deliveries since the recording started. */
    private final Set<String> seen = new java.util.LinkedHashSet<>();
    /** The batch count when the write returned; Long.MAX_VALUE before. */
    private long writtenAt = Long.MAX_VALUE;

    private DirectRecording(String otherUserId, String roomId) {
      this.otherUserId = otherUserId;
      this.roomId = roomId;
    }
  }

  /**
   * Takes the m.direct entries another device added that an own write dropped (see {@link
   * DirectRecording}), for the client to merge back; empty when there are none.
   */
  synchronized Map<String, List<String>> takeLostDirect() {
    if (lostDirect.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> taken = new java.util.LinkedHashMap<>(lostDirect);
    lostDirect.clear();
    return taken;
  }

  /** Starts watching the sync's m.direct for a conversation about to be recorded; call before reading m.direct. */
  synchronized DirectRecording directRecordingStarted(String otherUserId, String roomId) {
    DirectRecording recording = new DirectRecording(otherUserId, roomId);
    if (recordings.size() >= MAX_RECORDINGS) {
      recordings.remove(0);
    }
    recordings.add(recording);
    return recording;
  }

  /** The m.direct the recording's write was merged into, read from the homeserver. */
  synchronized void directRead(DirectRecording recording, JsonObject base) {
    recording.base = base;
  }

  /**
   * The recording's write has returned (or was not needed): it is watched until the sync echoes it,
   * for {@value #SETTLE_BATCHES} batches at most.
   */
  synchronized void directWritten(DirectRecording recording) {
    recording.writtenAt = batches;
  }

  /** The recording's write failed: nothing to watch. */
  synchronized void directFailed(DirectRecording recording) {
    recordings.remove(recording);
  }

  private void watchRecordings(JsonObject delivered) {
    Map<String, List<String>> entries = DirectRooms.read(delivered);
    Map<String, List<String>> lost = lostDirect;
    for (Iterator<DirectRecording> it = recordings.iterator(); it.hasNext(); ) {
      DirectRecording recording = it.next();
      boolean echo = recording.base != null
          && entries.getOrDefault(recording.otherUserId, List.of()).contains(recording.roomId);
      if (!echo) {
        entries.forEach((user, rooms) -> rooms.forEach(room -> recording.seen.add(user + '\u0000' + room)));
        continue;
      }
      Map<String, List<String>> base = DirectRooms.read(recording.base);
      for (String entry : recording.seen) {
        String user = entry.substring(0, entry.indexOf('\u0000'));
        String room = entry.substring(entry.indexOf('\u0000') + 1);
        if (!base.getOrDefault(user, List.of()).contains(room)
            && !entries.getOrDefault(user, List.of()).contains(room)) {
          List<String> rooms = lost.computeIfAbsent(user, u -> new ArrayList<>());
          if (!rooms.contains(room)) {
            rooms.add(room);
          }
        }
      }
      it.remove();
    }
  }

  // ------------------------------------------------------------------ registering own writes

  /**
   * Registers a state event about to be sent; call {@link StateWrite#sent} with its event id, or
   * {@link #cancel} when the send failed.
   */
  synchronized StateWrite stateWrite(String roomId, String type, String stateKey) {
    return add(new StateWrite(roomId, type, stateKey));
  }

  /**
   * Registers a membership change about to be made (a kick, a ban, this user's leave): shown
   * once the cache has {@code userId} in one of {@code memberships}, or no longer has the room.
   */
  Pending membershipWrite(String roomId, String memberId, Set<String> memberships) {
    return register(roomId, cached -> {
      if (memberId.equals(userId)) {
        dropOwnMembership(roomId);
      }
      return add(new MembershipWrite(roomId, memberId, memberships, cached != null));
    });
  }

  /**
   * Registers a room this user has just created or joined: shown once the cache has it joined
   * with an entry for each {@code keys} pair (type, state key) its reads depend on.
   */
  void roomWrite(String roomId, List<String[]> keys) {
    register(roomId, cached -> {
      boolean leaving = leavePending(roomId, cached);
      dropOwnMembership(roomId);
      String staleJoin = null;
      if (leaving && cached != null && "join".equals(cached.membership(userId).orElse(null))) {
        // A rejoin: the cache still has this user joined from before a leave it has not synced yet.
        RoomState.Entry entry = cached.entry(EventTypes.MEMBER, userId);
        staleJoin = entry == null ? null : entry.eventId();
      }
      return add(new RoomWrite(roomId, keys, staleJoin)).settle();
    });
  }

  /**
   * Registers a write with {@code make}, which sees the room's cached state (null when not cached)
   * at that moment: under the cache lock and then this monitor (the order of the sync hooks), so no
   * batch applies in between. Before the first batch, nothing is cached.
   */
  private <P extends Pending> P register(String roomId, Function<RoomState, P> make) {
    Optional<P> registered = sync.readPrimed(joined -> {
      synchronized (this) {
        return make.apply(joined.get(roomId));
      }
    });
    if (registered.isPresent()) {
      return registered.get();
    }
    synchronized (this) {
      return make.apply(null);
    }
  }

  /** Registers a conversation recorded in m.direct: shown once the synced m.direct lists it. */
  synchronized void directWrite(String otherUserId, String roomId) {
    if (overflowed) {
      overflowSettlesAt = Math.max(overflowSettlesAt, batches + SETTLE_BATCHES);
      return;
    }
    directPending.add(new DirectWrite(otherUserId, roomId));
    open++;
    overflowIfFull();
  }

  /**
   * This user has left the room with {@code leave} (a registration of {@link #membershipWrite}):
   * the room's other own writes are dropped, since a left room leaves the cache and they would
   * never show there (a room created, written and left between two syncs never enters it). The
   * leave itself keeps the room dirty until the cache no longer has it joined.
   */
  synchronized void ownLeave(Pending leave) {
    leave.settle();
    List<Pending> writes = pending.get(leave.roomId);
    if (writes == null) {
      return;
    }
    for (Iterator<Pending> it = writes.iterator(); it.hasNext(); ) {
      if (it.next() != leave) {
        it.remove();
        open--;
      }
    }
    if (writes.isEmpty()) {
      pending.remove(leave.roomId);
    }
  }

  /**
   * A kick or ban of another member has returned: like every write, it is shown at the latest
   * {@value #SETTLE_BATCHES} batches from now (a gappy batch may bring only a later membership).
   */
  synchronized void kickReturned(Pending write) {
    write.settle();
  }

  /** Drops a registration whose write failed. */
  synchronized void cancel(Pending write) {
    if (write.untracked) {
      if (write.settledAt == Long.MAX_VALUE) {
        untrackedInFlight--;
        write.settledAt = batches; // counted once
      }
      return;
    }
    List<Pending> writes = pending.get(write.roomId);
    if (writes != null && writes.remove(write)) {
      open--;
      if (writes.isEmpty()) {
        pending.remove(write.roomId);
      }
    }
  }

  /** True when an own leave of the room is registered and {@code cached} does not show it yet. */
  private boolean leavePending(String roomId, RoomState cached) {
    for (Pending write : pending.getOrDefault(roomId, List.of())) {
      if (write instanceof MembershipWrite && write.isOwnMembership() && !write.shownBy(cached)) {
        return true;
      }
    }
    return false;
  }

  /** A newer own join or leave of a room replaces what the older one waited for. */
  private void dropOwnMembership(String roomId) {
    List<Pending> writes = pending.get(roomId);
    if (writes != null) {
      for (Iterator<Pending> it = writes.iterator(); it.hasNext(); ) {
        if (it.next().isOwnMembership()) {
          it.remove();
          open--;
        }
      }
      if (writes.isEmpty()) {
        pending.remove(roomId);
      }
    }
  }

  private <P extends Pending> P add(P write) {
    if (overflowed) {
      untrack(write);
      return write;
    }
    pending.computeIfAbsent(write.roomId, id -> new ArrayList<>(2)).add(write);
    open++;
    overflowIfFull();
    return write;
  }

  /**
   * Past {@link #MAX_OPEN} tracked writes, drops them all: reads ask the homeserver until every one
   * of them (and every write made meanwhile) has returned and settled.
   */
  private void overflowIfFull() {
    if (open <= MAX_OPEN) {
      return;
    }
    overflowed = true;
    for (List<Pending> writes : pending.values()) {
      writes.forEach(this::untrack);
    }
    pending.clear();
    if (!directPending.isEmpty()) {
      overflowSettlesAt = Math.max(overflowSettlesAt, batches + SETTLE_BATCHES);
      directPending.clear();
    }
    open = 0;
  }

  /** Counts a write no longer tracked one by one: until it returns and settles, nothing is read from the cache. */
  private void untrack(Pending write) {
    write.untracked = true;
    if (write.settledAt == Long.MAX_VALUE) {
      untrackedInFlight++;
    } else {
      overflowSettlesAt = Math.max(overflowSettlesAt, write.settledAt);
    }
  }

  /** How many own writes the cache does not show yet (for tests and diagnosis). */
  synchronized int openWrites() {
    return open;
  }

  /** One own write to a room that the cache may not show yet. */
  abstract class Pending {
    final String roomId;
    /** The batch count from which this write counts as shown; set when it has returned. Guarded by CacheReads.this. */
    private long settledAt = Long.MAX_VALUE;
    /** True when dropped past {@link #MAX_OPEN}: it only holds reads off until it settles. Guarded by CacheReads.this. */
    private boolean untracked;

    Pending(String roomId) {
      this.roomId = roomId;
    }

    /** The write has returned: {@link #SETTLE_BATCHES} batches from now it is shown, seen or not. */
    final Pending settle() {
      if (untracked && settledAt == Long.MAX_VALUE) {
        untrackedInFlight--;
      }
      settledAt = batches + SETTLE_BATCHES;
      if (untracked) {
        overflowSettlesAt = Math.max(overflowSettlesAt, settledAt);
      }
      return this;
    }

    /** True once enough batches were applied since the write returned. */
    final boolean settled() {
      return batches >= settledAt;
    }

    /** The sync applied {@code event} to the room: true when that shows this write. */
    boolean seen(RoomEvent event) {
      return false;
    }

    /** True when the cached state ({@code null}: the room is not cached) shows this write. */
    abstract boolean shownBy(RoomState cached);

    /** True for this user's own join, creation or leave of the room. */
    boolean isOwnMembership() {
      return false;
    }
  }

  /** A state event sent by this client, known by its event id once the send has answered. */
  final class StateWrite extends Pending {
    private final String type;
    private final String stateKey;
    /** Null while the send is in flight. */
    private String eventId;
    /** Ids of events for the same type and state key that the sync applied while in flight. */
    private final Set<String> seenInFlight = new HashSet<>(2);

    private StateWrite(String roomId, String type, String stateKey) {
      super(roomId);
      this.type = type;
      this.stateKey = stateKey;
    }

    /** The send answered with {@code id}: already shown if the sync applied it meanwhile. */
    void sent(String id) {
      synchronized (CacheReads.this) {
        eventId = id;
        settle();
        if (seenInFlight.contains(id)) {
          cancel(this);
        }
      }
    }

    @Override
    boolean seen(RoomEvent event) {
      if (!type.equals(event.type()) || !stateKey.equals(event.stateKey())) {
        return false;
      }
      if (eventId == null) {
        seenInFlight.add(event.eventId());
        return false;
      }
      return eventId.equals(event.eventId());
    }

    @Override
    boolean shownBy(RoomState cached) {
      if (eventId == null || cached == null) {
        return false;
      }
      RoomState.Entry entry = cached.entry(type, stateKey);
      return entry != null && eventId.equals(entry.eventId());
    }
  }

  /** A kick, ban or leave: done when the member's membership is one of the expected ones. */
  private final class MembershipWrite extends Pending {
    private final String memberId;
    private final Set<String> memberships;
    /**
     * True once the room has been in the cache since registration, or the sync has reported it
     * left: for this user's own leave, only then does its absence show the leave (a room joined just
     * before, whose join the sync has not delivered yet, is absent too, and the join batch would
     * bring it back).
     */
    private boolean absenceShows;

    private MembershipWrite(String roomId, String memberId, Set<String> memberships, boolean cached) {
      super(roomId);
      this.memberId = memberId;
      this.memberships = memberships;
      this.absenceShows = cached;
    }

    @Override
    boolean seen(RoomEvent event) {
      absenceShows = true; // the sync applies state to cached rooms only
      return EventTypes.MEMBER.equals(event.type()) && memberId.equals(event.stateKey())
          && memberships.contains(event.content().getStringOrNull("membership"));
    }

    @Override
    boolean shownBy(RoomState cached) {
      if (cached == null) {
        // A room no longer cached is left: its reads do not come from the cache.
        return absenceShows || !isOwnMembership();
      }
      absenceShows = true;
      return cached.membership(memberId).filter(memberships::contains).isPresent();
    }

    @Override
    boolean isOwnMembership() {
      return memberId.equals(userId);
    }
  }

  /** A room this user created or joined, with the state its reads need. */
  private final class RoomWrite extends Pending {
    private final List<String[]> keys;
    /**
     * The event id of this user's join the cache held at registration (a rejoin before the leave
     * was synced), which does not show this join; null when the cache did not have the user joined.
     */
    private String staleJoin;

    private RoomWrite(String roomId, List<String[]> keys, String staleJoin) {
      super(roomId);
      this.keys = List.copyOf(keys);
      this.staleJoin = staleJoin;
    }

    @Override
    boolean seen(RoomEvent event) {
      if (staleJoin == null || !EventTypes.MEMBER.equals(event.type()) || !userId.equals(event.stateKey())) {
        return false;
      }
      if (!"join".equals(event.content().getStringOrNull("membership"))) {
        staleJoin = null; // the leave is applied: a join cached after it is this one
      } else if (event.prevContent().map(c -> "join".equals(c.getStringOrNull("membership"))).orElse(false)) {
        staleJoin = event.eventId(); // a profile change of the stale join is still that join
      }
      return false;
    }

    @Override
    boolean shownBy(RoomState cached) {
      if (cached == null || !"join".equals(cached.membership(userId).orElse(null))) {
        return false;
      }
      RoomState.Entry join = cached.entry(EventTypes.MEMBER, userId);
      if (staleJoin != null && join != null && staleJoin.equals(join.eventId())) {
        return false;
      }
      for (String[] key : keys) {
        if (cached.entry(key[0], key[1]) == null) {
          return false;
        }
      }
      return true;
    }

    @Override
    boolean isOwnMembership() {
      return true;
    }
  }

  /** A conversation recorded in m.direct. */
  private static final class DirectWrite {
    private final String otherUserId;
    private final String roomId;

    DirectWrite(String otherUserId, String roomId) {
      this.otherUserId = otherUserId;
      this.roomId = roomId;
    }

    boolean shownBy(JsonObject direct) {
      return direct != null && direct.getStringList(otherUserId).contains(roomId);
    }
  }
}
