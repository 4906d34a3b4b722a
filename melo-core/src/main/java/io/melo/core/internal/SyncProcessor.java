package io.melo.core.internal;

import io.melo.core.Channel;
import io.melo.core.MeloClient;
import io.melo.core.Message;
import io.melo.core.Presence;
import io.melo.core.Profile;
import io.melo.core.Role;
import io.melo.core.Server;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.ChannelDeleted;
import io.melo.core.event.ChannelUpdated;
import io.melo.core.event.ChannelsReordered;
import io.melo.core.event.HistoryGap;
import io.melo.core.event.InvitedToConversation;
import io.melo.core.event.InvitedToServer;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MemberBanned;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MemberKicked;
import io.melo.core.event.MemberLeft;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageDeleted;
import io.melo.core.event.MessageEdited;
import io.melo.core.event.PresenceChanged;
import io.melo.core.event.ProfileChanged;
import io.melo.core.event.ReactionAdded;
import io.melo.core.event.ReactionRemoved;
import io.melo.core.event.ReceiptReceived;
import io.melo.core.event.RoleChanged;
import io.melo.core.event.ServerDeleted;
import io.melo.core.event.ServerUpdated;
import io.melo.core.event.TypingChanged;
import io.melo.core.event.UnknownEvent;
import io.melo.core.internal.MessageAggregator.EditOutcome;
import io.melo.matrix.event.BasicEvent;
import io.melo.matrix.event.CreateContent;
import io.melo.matrix.event.EventTypes;
import io.melo.matrix.event.PowerLevelsContent;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.event.SpaceChildContent;
import io.melo.matrix.event.StrippedStateEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.sync.InvitedRoom;
import io.melo.matrix.sync.JoinedRoom;
import io.melo.matrix.sync.JoinedRoomCompactSink;
import io.melo.matrix.sync.JoinedRoomMember;
import io.melo.matrix.sync.JoinedRoomSink;
import io.melo.matrix.sync.LeftRoom;
import io.melo.matrix.sync.Receipt;
import io.melo.matrix.sync.SyncBatch;
import io.melo.matrix.sync.SyncConsumer;
import io.melo.matrix.sync.SyncResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code /sync} batches into the client's cache (room state of every joined room, invites)
 * and typed {@link MeloEvent}s, in sync order. The first batch of a session (an initial sync) only
 * fills the cache: it is catch-up, not news. As the source's {@link JoinedRoomSink} it takes the
 * joined rooms of an initial sync one by one while the answer is read (see {@link #joinedRoom}). Runs on the sync loop's thread and never throws: a
 * failure in one room is logged and the other rooms go on, so a batch is never delivered twice.
 * Not API.
 */
final class SyncProcessor implements SyncConsumer, JoinedRoomCompactSink {

  private static final Logger LOG = LoggerFactory.getLogger(SyncProcessor.class);
  /** Recent messages remembered per room, to apply live edits and reactions to them. */
  private static final int MESSAGE_MEMORY = 500;
  /** Event ids remembered to never deliver one twice (redelivered or overlapping batches). */
  private static final int SEEN_MEMORY = 5000;
  /** How many sync batches in all an auto-join of a new channel is tried in before giving up. */
  static final int JOIN_ATTEMPTS = 5;
  /** How many distinct state event senders the cache keeps one shared copy of. */
  private static final int SENDER_MEMORY = 10_000;

  /** What the processor needs from its client: identity, requests for auto-join, and event output. */
  interface Host {
    MeloClient client();

    String userId();

    Namespace namespace();

    /** Joins a channel of a joined space (restricted join) and returns its state, or empty on failure. */
    Optional<RoomState> joinChannel(String channelId, List<String> via);

    /** Delivers an event to listeners. */
    void publish(MeloEvent event);

    /** Waits until every event published so far has been handed to the listeners. */
    void awaitDelivered() throws InterruptedException;

    /**
     * Delivers {@code events} in order and returns {@link #whenDelivered()} as of right after them.
     * The default publishes them one by one; the client's bus hands them and the marker over at once.
     */
    default java.util.concurrent.CompletableFuture<Void> publishAll(List<MeloEvent> events) {
      events.forEach(this::publish);
      return whenDelivered();
    }

    /**
     * Completes once every event published so far has been handed to the listeners, without holding
     * the calling thread (the client's event bus completes it on its delivering thread). The default
     * waits with {@link #awaitDelivered()} and returns a completed future.
     */
    default java.util.concurrent.CompletableFuture<Void> whenDelivered() {
      try {
        awaitDelivered();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /**
     * Fetches one event of a room ({@code GET /rooms/{roomId}/event/{eventId}}), or empty when it
     * cannot be read; used for the target of an edit or redaction that is not in the live cache.
     */
    Optional<RoomEvent> fetchEvent(String roomId, String eventId);

    /**
     * The state of a room this user has left, as it was when they left ({@code GET
     * /rooms/{roomId}/state} answers that for a former member), or empty when it cannot be read.
     */
    default Optional<RoomState> leftRoomState(String roomId) {
      return Optional.empty();
    }

    /** The current state of every joined room (rooms that cannot be read are left out). */
    Map<String, RoomState> loadJoinedRooms();

    /**
     * Told of each state event as the sync applies it to a joined room's cached state, under the
     * cache lock: must be quick and must not call back into the processor.
     */
    default void stateApplied(String roomId, RoomEvent event) {}

    /**
     * Told of a batch's global account data, under the cache lock; {@code complete} when the
     * batch holds all of it (an initial sync), so a type it lacks has no content. Called once for
     * every batch (with an empty list when it has none), after its rooms have been applied.
     */
    default void accountData(List<BasicEvent> events, boolean complete) {}

    /**
     * Told of each new timeline event of a message room (once per event id) with what it is to the
     * message model, under the cache lock: must be quick and must not call back into the
     * processor. Keeps history the client has read current with later edits, reactions and
     * deletions; it fires no events.
     */
    default void timelineRead(String roomId, TimelineReader.Item item) {}
  }

  /** A set that forgets its oldest entry once it holds more than {@code capacity}. */
  private static Set<String> bounded(int capacity) {
    return java.util.Collections.newSetFromMap(new LinkedHashMap<String, Boolean>(capacity * 4 / 3 + 2) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    });
  }

  private final Host host;
  /** Told of each room of a batch's left rooms, under the cache lock (see {@link #onRoomLeft}). */
  private volatile java.util.function.Consumer<String> roomLeft = roomId -> {};
  private final java.util.concurrent.locks.ReentrantLock batchLock = new java.util.concurrent.locks.ReentrantLock();
  private volatile boolean closing;
  /** What closing runs once no batch is in progress (see {@link #stopAfterBatch}). */
  private final java.util.concurrent.atomic.AtomicReference<Runnable> stopAfterBatch =
      new java.util.concurrent.atomic.AtomicReference<>();
  /**
   * The end of the batch whose events listeners may still be running (set under batchLock, cleared
   * when it ends): what {@link #stopAfterBatch} waits for besides batchLock; null when none.
   */
  private volatile java.util.concurrent.CompletableFuture<Void> inDelivery;
  private String published;
  private final SequencedStore store;
  /** Guards the cache; released while the processor waits for the homeserver (review #6). */
  private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
  private final Map<String, RoomState> joined = new HashMap<>();
  private final Map<String, InvitedRoom> invites = new LinkedHashMap<>();
  private final Map<String, MessageAggregator> live = new HashMap<>();
  private final Set<String> seenEvents = bounded(SEEN_MEMORY);
  /** Transaction ids of this client's own sends whose echo has already been reported (bounded). */
  private final Set<String> confirmedSends = bounded(SEEN_MEMORY);
  /**
   * The last profile reported per user, to report a change once: bounded (the users seen most
   * recently), since a client in large rooms with churn meets new users for its whole life. A user
   * forgotten here has at most one change reported again.
   */
  private final Map<String, Profile> profiles =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Profile> eldest) {
          return size() > SENDER_MEMORY;
        }
      };
  private final Map<String, String> senders = new HashMap<>();
  private final Map<String, List<String>> typing = new HashMap<>();
  private final Map<String, io.melo.core.UnreadCount> unread = new HashMap<>();
  /** Channels whose deletion was reported, to report it once (bounded: the most recent). */
  private final Set<String> deletedChannels = bounded(SEEN_MEMORY);
  /**
   * Rooms whose timeline this client has already processed in a sync batch (or, after a restart,
   * that it was joined to when it resumed). Only these rooms bring news from their first event;
   * a room cached by an auto-join but not yet synced does not count.
   */
  private final Set<String> syncedRooms = new HashSet<>();
  /** New channels of a joined space whose auto-join failed: channel id to its retry. */
  private final Map<String, PendingJoin> pendingJoins = new LinkedHashMap<>();

  /**
   * An auto-join to try again on a later batch, or (when {@code attempts} is 0) one left for the
   * end of a catch-up batch, whose later rooms may show the channel joined already.
   */
  private static final class PendingJoin {
    final String spaceId;
    final List<String> via;
    int attempts;
    boolean thisBatch;

    /** A join that failed once in this batch. */
    PendingJoin(String spaceId, List<String> via) {
      this(spaceId, via, 1);
    }

    PendingJoin(String spaceId, List<String> via, int attempts) {
      this.spaceId = spaceId;
      this.via = via;
      this.attempts = attempts;
      this.thisBatch = attempts > 0;
    }
  }
  private long sequence;
  /**
   * The lowest number the events of the batch in progress may take: {@link SequencedStore#BATCH_GAP}
   * past the last saved batch, so that a batch delivered again after a crash gets the numbers it
   * had, above the connection events numbered meanwhile (see {@link SequencedStore}).
   */
  private long batchFloor;
  private boolean primed;
  /** True while an initial sync (or a reset) is applied: catch-up, not news. */
  private boolean catchUp;

  SyncProcessor(Host host, SequencedStore store) {
    this.host = host;
    this.store = store;
    this.sequence = store.highest();
  }

  // ------------------------------------------------------------------ cache reads

  /** The cached state of a joined room, if this client is in it and has synced. */
  Optional<RoomState> room(String roomId) {
    lock.lock();
    try {
      return Optional.ofNullable(joined.get(roomId));
    } finally {
      lock.unlock();
    }
  }

  /** The room's unread counts from the last sync. */
  io.melo.core.UnreadCount unread(String roomId) {
    lock.lock();
    try {
      return unread.getOrDefault(roomId, io.melo.core.UnreadCount.NONE);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets what is told of each room in a batch's left rooms ({@code rooms.leave}), cached or not,
   * before the room leaves the cache, under the cache lock: must be quick and must not call back
   * into the processor. The client's {@link CacheReads} uses it to see its own leaves.
   */
  void onRoomLeft(java.util.function.Consumer<String> hook) {
    roomLeft = hook;
  }

  /** Pending invites: room id to (inviter, is_direct). */
  Map<String, InvitedRoom> invites() {
    lock.lock();
    try {
      return new LinkedHashMap<>(invites);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code reader} on the cached joined rooms (read-only) under the cache lock, once the first
   * batch has been processed; empty before that, or when the reader returns null. The sync waits
   * meanwhile: no I/O in the reader, and nothing of the map may escape it.
   */
  <T> Optional<T> readPrimed(java.util.function.Function<Map<String, RoomState>, T> reader) {
    lock.lock();
    try {
      return primed ? Optional.ofNullable(reader.apply(java.util.Collections.unmodifiableMap(joined))) : Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /** True once the first batch has been processed. */
  boolean primed() {
    lock.lock();
    try {
      return primed;
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ batches

  /**
   * Handles one batch and blocks until it is done: updates the cache, hands its events to the
   * listeners, waits until they have run, then saves the batch's token with the sequence reached.
   * Events therefore reach listeners exactly once across restarts, unless the process dies while
   * a listener runs (the batch then comes again). Once its events are out, a batch is seen through
   * to the end even when the client closes meanwhile (the wait for delivery ignores interrupts),
   * since cutting it would repeat its delivered events after a restart. While the client closes, a
   * new batch is refused (it throws, so the loop does not save its token and it comes again after a
   * restart). The sync loop uses {@link #acceptAsync}, which does not hold its thread.
   *
   * @throws InterruptedException never (the wait ignores interrupts); kept for older callers
   */
  @Override
  public void accept(SyncBatch batch) throws InterruptedException {
    java.util.concurrent.CompletableFuture<Void> saved = new java.util.concurrent.CompletableFuture<>();
    try {
      java.util.concurrent.CompletableFuture<Void> delivered = publish(batch, saved);
      if (delivered != null) {
        joinUninterruptibly(delivered);
      }
      store.save(batch.response().nextBatch());
    } finally {
      inDelivery = null;
      saved.complete(null);
      runStop(); // a close() that came during this batch stops the loop now that it is saved
    }
  }

  /**
   * Handles one batch without holding the sync loop's worker while listeners run: updates the
   * cache and queues the batch's events for the listeners like {@link #accept}, then returns a stage
   * that completes once every listener has run them. The loop saves the batch's token (this
   * processor's store is the loop's) only when that stage completes, and only then sends its next
   * request, so events keep sync order and reach listeners exactly once across restarts, as with
   * {@link #accept}. A close() that came meanwhile stops the loop as soon as the stage completes;
   * the loop still saves that batch's token (see {@link io.melo.matrix.sync.SyncConsumer#acceptAsync}).
   */
  @Override
  public java.util.concurrent.CompletionStage<Void> acceptAsync(SyncBatch batch) {
    java.util.concurrent.CompletableFuture<Void> delivered;
    try {
      delivered = publish(batch, null);
    } catch (RuntimeException | Error e) {
      runStop();
      throw e;
    }
    if (delivered == null) {
      runStop(); // nothing for listeners: a close() that came during this batch stops the loop now
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
    java.util.concurrent.CompletableFuture<Void> handled = new java.util.concurrent.CompletableFuture<>();
    delivered.whenComplete(
        (ignored, never) -> {
          inDelivery = null;
          // The loop learns first (it goes on on its own worker), then a close() that came during
          // this batch stops it: the loop, closed, still saves this batch's token. In the other
          // order a stop that waits for the loop would wait for the stage it holds up itself.
          handled.complete(null);
          runStop();
        });
    return handled;
  }

  /**
   * Applies the batch to the cache and publishes its events, under batchLock. Returns their
   * delivery, or null when there was nothing to publish. {@code saved}, if given, is what
   * {@link #stopAfterBatch} waits for until the caller has saved the token; otherwise it waits for
   * the delivery.
   */
  private java.util.concurrent.CompletableFuture<Void> publish(
      SyncBatch batch, java.util.concurrent.CompletableFuture<Void> saved) {
    batchLock.lock();
    try {
      if (closing) {
        throw new IllegalStateException("the client is closing; this batch comes again after a restart");
      }
      inDelivery = saved;
      String token = batch.response().nextBatch();
      if (token.equals(published)) {
        // A batch the loop hands over again (its save failed, or waiting was interrupted) was
        // published already: its events must not reach listeners twice.
        return null;
      }
      List<MeloEvent> out = process(batch);
      published = token;
      if (out.isEmpty()) {
        return null;
      }
      java.util.concurrent.CompletableFuture<Void> delivered = host.publishAll(out);
      if (saved == null) {
        inDelivery = delivered;
      }
      return delivered;
    } finally {
      batchLock.unlock();
    }
  }

  private static void joinUninterruptibly(java.util.concurrent.CompletableFuture<Void> future) {
    boolean interrupted = false;
    while (true) {
      try {
        future.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (java.util.concurrent.ExecutionException e) {
        break; // a delivery marker never fails; nothing to wait for
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Takes one joined room of an initial sync while its answer is still being read (the source
   * streams initial syncs, see {@code MatrixClient.syncSource(JoinedRoomSink)}): the room goes into
   * the cache at once, as catch-up, and its tree can be dropped before the next room is parsed.
   * Catch-up fires no event, so nothing reaches listeners before the batch is accepted. If the
   * answer breaks off later, the loop asks again and the rooms come again: state entries are
   * replaced and timeline events already seen are skipped, so the retry overwrites what the
   * broken answer left. The batch itself then arrives with no joined rooms; {@link #accept} does
   * the rest (invites, left rooms, the joins left for the end of the batch) and saves the token.
   */
  @Override
  public void joinedRoom(JoinedRoom room) {
    joinedRoom(room, List.of());
  }

  /**
   * As {@link #joinedRoom(JoinedRoom)}, with the room's plain member state events compacted by the
   * parser ({@link JoinedRoomCompactSink}): they become the same cache entries as the full events
   * would, without a JSON tree per member.
   */
  @Override
  public void joinedRoom(JoinedRoom room, List<JoinedRoomMember> members) {
    List<MeloEvent> none = new ArrayList<>(0);
    batchLock.lock(); // one batch at a time, streamed or not
    lock.lock();
    try {
      catchUp = true;
      guard(room.roomId(), () -> joinedRoom(room.roomId(), room, members, false, none));
    } finally {
      lock.unlock();
      batchLock.unlock();
      runStop(); // a close() that came while this room was applied stops the loop now
    }
    if (!none.isEmpty()) {
      LOG.error("Catch-up of room {} produced {} events; they were dropped", room.roomId(), none.size());
    }
  }

  /**
   * Closing: refuses further batches and runs {@code stop} once the batch in progress, if any,
   * has reached every listener (and, for {@link #accept}, been saved; after {@link #acceptAsync}
   * the loop saves it even when {@code stop} closed it), so no event of it is lost or repeated
   * after a restart. Waits up to {@code timeout} for that; when the batch takes longer (a slow
   * listener, or a call from a listener, which that very batch waits for: pass zero), returns
   * at once and {@code stop} runs right after the batch, on the thread that ends it. {@code stop}
   * runs once.
   *
   * @return true when no batch was left in progress: {@code stop} has run, here or (just now)
   *     on the sync thread; false when the sync thread runs it after its batch
   */
  boolean stopAfterBatch(java.time.Duration timeout, Runnable stop) {
    closing = true;
    stopAfterBatch.set(stop);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean idle;
    try {
      idle = batchLock.tryLock(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      idle = batchLock.tryLock();
    }
    if (idle) {
      java.util.concurrent.CompletableFuture<Void> pending = inDelivery;
      batchLock.unlock();
      if (pending != null) {
        idle = awaitQuietly(pending, deadline - System.nanoTime());
      }
    }
    if (idle) {
      runStop();
    }
    return idle;
  }

  /** Waits up to {@code nanos} for {@code future}; true if it completed. */
  private static boolean awaitQuietly(java.util.concurrent.CompletableFuture<Void> future, long nanos) {
    if (future.isDone() || nanos <= 0) {
      return future.isDone();
    }
    try {
      future.get(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return future.isDone();
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  private void runStop() {
    Runnable stop = stopAfterBatch.getAndSet(null);
    if (stop != null) {
      stop.run();
    }
  }

  private List<MeloEvent> process(SyncBatch batch) {
    List<MeloEvent> out = new ArrayList<>();
    lock.lock();
    try {
      boolean initial = batch.isInitial() || batch.reset();
      catchUp = initial;
      batchFloor = store.sequence() + SequencedStore.BATCH_GAP;
      SyncResponse response = batch.response();
      if (!primed && !initial) {
        // A restart that resumes from a stored token: the batch holds only what changed, so
        // the cache starts from the rooms' current state, read once, rolled back to the
        // stored token so that the batch's own state changes are news again.
        Map<String, RoomState> loaded = unlocked(host::loadJoinedRooms);
        joined.putAll(loaded);
        syncedRooms.addAll(loaded.keySet());
        response.rooms().join().forEach((roomId, room) -> guard(roomId, () -> rollBack(roomId, room)));
        guard("channels not joined yet", this::queueUnjoinedChannels);
      }
      boolean news = !initial;
      response.rooms().join().forEach((roomId, room) -> guard(roomId, () -> joinedRoom(roomId, room, news, out)));
      response.rooms().invite().forEach((roomId, room) -> guard(roomId, () -> invitedRoom(roomId, room, news, out)));
      response.rooms().leave().forEach((roomId, room) -> guard(roomId, () -> leftRoom(roomId, room, news, out)));
      if (!pendingJoins.isEmpty()) {
        guard("retrying channel joins", () -> retryJoins(news, out));
      }
      guard("account data", () -> host.accountData(response.accountData(), initial));
      if (news) {
        for (BasicEvent presence : response.presence()) {
          guard("presence", () -> presence(presence, out));
        }
      }
      if (initial && !primed && store.lost()) {
        // The store was damaged: whatever came between its last save and this initial sync
        // reached no listener. Never silently: each room reports a gap to page back through.
        for (RoomState room : joined.values()) {
          if (isMessageRoom(room)) {
            out.add(new HistoryGap(host.client(), next(), room.roomId(), serverOf(room.roomId()), ""));
          }
        }
        store.lossReported();
      }
      primed = true;
      store.sequence(sequence);
    } finally {
      lock.unlock();
    }
    // Published by the caller, outside the lock: listeners may call back into the client.
    return out;
  }

  /**
   * Rolls a room's state, read after a restart (so already holding this batch's changes), back
   * to what it was at the stored token: each state key changed in the batch gets the content
   * before its first change ({@code unsigned.prev_content}), or is removed when it had none.
   * A room this user was not joined to at the token was joined while the client was down: it
   * is new, so its history is not news. This relies on the batch's state holding changes only,
   * as an incremental sync without lazy-loaded members does (Melo's sync sets no such filter).
   */
  private void rollBack(String roomId, JoinedRoom room) {
    RoomState state = joined.get(roomId);
    if (state == null) {
      return;
    }
    List<RoomEvent> changes = new ArrayList<>(room.state());
    for (RoomEvent event : room.timeline().events()) {
      if (event.isState()) {
        changes.add(event);
      }
    }
    Set<String> rolledBack = new HashSet<>();
    for (RoomEvent event : changes) {
      if (event.stateKey() == null || !rolledBack.add(event.type() + '\u0000' + event.stateKey())) {
        continue;
      }
      Optional<JsonObject> previous = event.prevContent();
      if (previous.isPresent()) {
        state.apply(previousEvent(roomId, event, previous.get()));
      } else {
        state.remove(event.type(), event.stateKey());
      }
    }
    if (!"join".equals(state.membership(host.userId()).orElse(null))) {
      syncedRooms.remove(roomId);
    }
  }

  /** The state event {@code event} replaced, rebuilt from its unsigned data. */
  private static RoomEvent previousEvent(String roomId, RoomEvent event, JsonObject previous) {
    JsonObject raw = JsonObject.EMPTY
        .with("event_id", event.unsigned().getString("replaces_state").orElse("$melo.before." + event.eventId()))
        .with("type", event.type())
        .with("state_key", event.stateKey())
        .with("sender", event.unsigned().getString("prev_sender").orElse(event.sender()))
        .with("origin_server_ts", event.originServerTs())
        .with("content", previous);
    return RoomEvent.from(raw, roomId);
  }

  /**
   * Asks the homeserver (auto-join, reading an event, the restart reload) with the cache lock
   * released, so that reads of the cache (unread counts, invites, ...) from other threads do not
   * wait for the network (review #6). Batches stay one at a time and in order: the batch lock is
   * kept. Meanwhile a reader may see the batch partly applied, as it may between a batch and the
   * delivery of its events.
   */
  private <T> T unlocked(java.util.function.Supplier<T> io) {
    int holds = lock.getHoldCount();
    for (int i = 0; i < holds; i++) {
      lock.unlock();
    }
    try {
      return io.get();
    } finally {
      for (int i = 0; i < holds; i++) {
        lock.lock();
      }
    }
  }

  private void guard(String where, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.warn("Melo could not process the sync of {}; the other rooms go on", where, e);
    }
  }

  /**
   * One shared copy of a state event's sender for the whole cache: a few admins send most state
   * of many rooms. Bounded; past the bound senders are kept as they come.
   */
  private String canonicalSender(String userId) {
    String known = senders.get(userId);
    if (known != null) {
      return known;
    }
    if (senders.size() < SENDER_MEMORY) {
      senders.put(userId, userId);
    }
    return userId;
  }

  /** The number of the next event of the batch in progress. */
  private long next() {
    sequence = Math.max(sequence + 1, batchFloor);
    return sequence;
  }

  private void joinedRoom(String roomId, JoinedRoom room, boolean news, List<MeloEvent> out) {
    joinedRoom(roomId, room, List.of(), news, out);
  }

  /** {@code members}: plain member state sent before every member event in {@code room.state()} (catch-up only). */
  private void joinedRoom(String roomId, JoinedRoom room, List<JoinedRoomMember> members, boolean news,
      List<MeloEvent> out) {
    invites.remove(roomId);
    if (room.unreadNotifications() != null) {
      unread.put(roomId, new io.melo.core.UnreadCount(
          room.unreadNotifications().notificationCount(), room.unreadNotifications().highlightCount()));
    }
    RoomState state = joined.computeIfAbsent(roomId, id -> new RoomState(id, List.of()));
    // Known means seen in an earlier batch: not merely cached (Host.joinChannel caches a channel's
    // whole state, m.room.create included, before its first batch arrives).
    boolean wasKnown = news && syncedRooms.contains(roomId);
    for (JoinedRoomMember member : members) {
      // As stateEvent for a member event of catch-up: a member's state fires nothing, only the entry changes.
      RoomState.Entry before = state.entry(EventTypes.MEMBER, member.userId());
      if (before == null || !before.eventId().equals(member.eventId())) {
        state.applyMember(member, this::canonicalSender);
      }
    }
    for (RoomEvent event : room.state()) {
      stateEvent(state, event, news && wasKnown, out);
    }
    if (wasKnown && room.timeline().limited() && isMessageRoom(state)) {
      // Never skipped silently: without prev_batch (all homeservers send one today) the cursor is
      // empty and the app pages from the newest message (see HistoryGap#cursor).
      String cursor = room.timeline().prevBatch();
      out.add(new HistoryGap(host.client(), next(), roomId, serverOf(roomId), cursor == null ? "" : cursor));
    }
    // The same events as when each membership change of this user came in a batch of its own.
    // History from before this user's own join is never news (a new room, or one joined while
    // the client was down); the join itself is not either. In a room this client was in at the
    // start of the batch, what comes before an own leave is news, the leave too, and what comes
    // between that leave and a rejoin is not (the room was out of the cache meanwhile). Without
    // an own join in the timeline, the join is in the state before it, or in an earlier batch.
    List<RoomEvent> events = room.timeline().events();
    boolean inRoom = wasKnown || !containsOwnJoin(events);
    for (RoomEvent event : events) {
      boolean ownJoin = isOwnJoin(event);
      if (event.isState()) {
        stateEvent(state, event, news && inRoom && !ownJoin, out);
      } else {
        timelineEvent(roomId, event, news && inRoom, out);
      }
      if (ownJoin) {
        inRoom = true;
      } else if (isOwnExit(event)) {
        inRoom = false;
      }
    }
    syncedRooms.add(roomId);
    if (news) {
      Optional<List<String>> typers = room.typingUserIds();
      if (typers.isPresent() && !typers.get().equals(typing.getOrDefault(roomId, List.of()))) {
        typing.put(roomId, typers.get());
        out.add(new TypingChanged(host.client(), next(), roomId, serverOf(roomId), typers.get()));
      }
      for (Receipt receipt : room.receipts()) {
        if (receipt.userId() != null && receipt.eventId() != null && !receipt.userId().equals(host.userId())) {
          Optional<Instant> at = receipt.timestamp() == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(receipt.timestamp()));
          out.add(new ReceiptReceived(host.client(), next(), roomId, serverOf(roomId), receipt.userId(), receipt.eventId(), at));
        }
      }
    }
  }

  /**
   * This user's own join: a membership {@code join} whose previous content (if the server sent
   * one) was not already a join, so a profile change of a joined user is not a join.
   */
  private boolean isOwnJoin(RoomEvent event) {
    return event.isType(EventTypes.MEMBER) && host.userId().equals(event.stateKey())
        && "join".equals(event.content().getStringOrNull("membership"))
        && !event.prevContent().map(c -> "join".equals(c.getStringOrNull("membership"))).orElse(false);
  }

  /** This user's own leave, kick or ban. */
  private boolean isOwnExit(RoomEvent event) {
    if (!event.isType(EventTypes.MEMBER) || !host.userId().equals(event.stateKey())) {
      return false;
    }
    String membership = event.content().getString("membership", "leave");
    return membership.equals("leave") || membership.equals("ban");
  }

  private boolean containsOwnJoin(List<RoomEvent> events) {
    for (RoomEvent event : events) {
      if (isOwnJoin(event)) {
        return true;
      }
    }
    return false;
  }

  private void invitedRoom(String roomId, InvitedRoom room, boolean news, List<MeloEvent> out) {
    if (invites.containsKey(roomId)) {
      return;
    }
    invites.put(roomId, room);
    if (!news) {
      return;
    }
    String inviter = null;
    boolean direct = false;
    boolean space = false;
    String name = null;
    for (StrippedStateEvent event : room.inviteState()) {
      if (EventTypes.MEMBER.equals(event.type()) && host.userId().equals(event.stateKey())) {
        inviter = event.sender();
        direct = event.content().getBoolean("is_direct", false);
      } else if (EventTypes.CREATE.equals(event.type())) {
        space = CreateContent.SPACE.equals(CreateContent.from(event.content()).type());
      } else if (EventTypes.NAME.equals(event.type())) {
        name = event.content().getStringOrNull("name");
      }
    }
    if (inviter == null) {
      return;
    }
    if (direct) {
      out.add(new InvitedToConversation(host.client(), next(), roomId, inviter));
    } else if (space) {
      out.add(new InvitedToServer(host.client(), next(), roomId, inviter, Optional.ofNullable(name)));
    }
  }

  private void leftRoom(String roomId, LeftRoom room, boolean news, List<MeloEvent> out) {
    roomLeft.accept(roomId);
    invites.remove(roomId);
    RoomState state = joined.get(roomId);
    if (state != null && news) {
      for (RoomEvent event : room.timeline().events()) {
        if (event.isState()) {
          stateEvent(state, event, true, out);
        }
      }
    } else if (news) {
      joinedMeanwhile(roomId, room, out);
      deletedMeanwhile(roomId, room, out);
    }
    joined.remove(roomId);
    syncedRooms.remove(roomId);
    unread.remove(roomId);
    live.remove(roomId);
    typing.remove(roomId);
  }

  /**
   * A server this user joined and left (or was kicked or banned from) within one batch, never in
   * the cache: the member changes of its timeline from this user's join on are reported as they
   * are when the join comes in a batch of its own and the rest in the next (the join itself, as
   * always, fires nothing; what came before it is history).
   */
  private void joinedMeanwhile(String roomId, LeftRoom room, List<MeloEvent> out) {
    List<RoomEvent> events = room.timeline().events();
    int join = -1;
    for (int i = events.size() - 1; i >= 0 && join < 0; i--) {
      if (isOwnJoin(events.get(i))) {
        join = i;
      }
    }
    if (join < 0) {
      return;
    }
    RoomState seen = new RoomState(roomId, room.state());
    for (int i = 0; i <= join; i++) {
      seen.apply(events.get(i));
    }
    // The batch's state holds what changed since the last batch only: a server created before
    // may need its state read (as it was when this user left) to be known as one.
    if (!isServer(seen) && !unlocked(() -> host.leftRoomState(roomId)).filter(this::isServer).isPresent()) {
      return;
    }
    for (RoomEvent event : events.subList(join + 1, events.size())) {
      if (!event.isState()) {
        continue;
      }
      RoomState.Entry before = seen.entry(event.type(), event.stateKey());
      // A member from before the last batch is known by the event's previous content.
      JsonObject old = before != null ? before.content() : event.prevContent().orElse(JsonObject.EMPTY);
      seen.apply(event);
      if (event.isType(EventTypes.MEMBER) && event.stateKey() != null) {
        memberChanged(roomId, event, old, out);
      }
    }
  }

  /**
   * A room joined and left between two batches, never in the cache: a server this user created or
   * joined and then deleted meanwhile (deleting leaves it) still reports its deletion. Nothing else
   * of such a room is news: its channels are not joined, its other changes not reported.
   */
  private void deletedMeanwhile(String roomId, LeftRoom room, List<MeloEvent> out) {
    RoomState seen = new RoomState(roomId, room.state());
    Set<String> timeline = new HashSet<>();
    for (RoomEvent event : room.timeline().events()) {
      seen.apply(event);
      timeline.add(event.eventId());
    }
    RoomState.Entry marker = seen.entry(host.namespace().serverDeleted(), "");
    // Only a deletion within this batch's timeline is news (not one that was there before).
    if (marker != null && timeline.contains(marker.eventId()) && isServer(seen)
        && StateContents.Deletion.from(marker.content()).isDeletion()) {
      out.add(new ServerDeleted(host.client(), next(), roomId, marker.sender()));
    }
  }

  // ------------------------------------------------------------------ state

  /** A Melo server: a space whose {@code <ns>.server} names an owner (as {@link StateContents.Server#hasOwner()}). */
  private boolean isServer(RoomState state) {
    if (!state.isSpace()) {
      return false;
    }
    String owner = state.content(host.namespace().server()).getStringOrNull("ownerId");
    return owner != null && owner.startsWith("@");
  }

  private boolean isMessageRoom(RoomState state) {
    return !state.isSpace();
  }

  /** The server a channel belongs to: a joined space listing it as a child. */
  Optional<String> serverOf(String roomId) {
    lock.lock();
    try {
      RoomState room = joined.get(roomId);
      if (room == null) {
        return Optional.empty();
      }
      for (String parent : room.events(EventTypes.SPACE_PARENT).keySet()) {
        RoomState space = joined.get(parent);
        if (space != null && isServer(space) && isChild(space, roomId)) {
          return Optional.of(parent);
        }
      }
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  private static boolean isChild(RoomState space, String roomId) {
    RoomState.Entry child = space.entry(EventTypes.SPACE_CHILD, roomId);
    return child != null && !SpaceChildContent.from(child.content()).isRemoved();
  }

  private void stateEvent(RoomState state, RoomEvent event, boolean news, List<MeloEvent> out) {
    host.stateApplied(state.roomId(), event);
    String type = event.type();
    RoomState.Entry before = state.entry(type, event.stateKey());
    if (before != null && before.eventId().equals(event.eventId())) {
      return; // already applied (state and timeline may repeat an event)
    }
    JsonObject old = before == null ? JsonObject.EMPTY : before.content();
    boolean server = isServer(state);
    state.apply(event, this::canonicalSender);
    String roomId = state.roomId();
    Namespace ns = host.namespace();
    if (server && type.equals(EventTypes.SPACE_CHILD)) {
      childChanged(state, event, old, news, out);
      return;
    }
    if (!news) {
      return;
    }
    if (server) {
      if (type.equals(EventTypes.MEMBER)) {
        memberChanged(roomId, event, old, out);
      } else if (type.equals(EventTypes.POWER_LEVELS)) {
        levelsChanged(roomId, PowerLevelsContent.from(old), PowerLevelsContent.from(event.content()), out);
      } else if (type.equals(ns.serverDeleted())) {
        if (StateContents.Deletion.from(event.content()).isDeletion()) {
          out.add(new ServerDeleted(host.client(), next(), roomId, event.sender()));
        }
      } else if (type.equals(EventTypes.NAME) || type.equals(EventTypes.TOPIC) || type.equals(EventTypes.AVATAR)
          || type.equals(ns.server())) {
        toServer(state).ifPresent(s -> out.add(new ServerUpdated(host.client(), next(), roomId, s)));
      } else if (type.equals(ns.channelOrder())) {
        // The order channels() gives: the server's channels (not deleted) by their own createdAt.
        // A child this client has not joined yet is not in the cache and is left out.
        List<ChannelOrdering.Child> children = new ArrayList<>();
        for (String child : state.events(EventTypes.SPACE_CHILD).keySet()) {
          RoomState room = isChild(state, child) ? joined.get(child) : null;
          if (room != null) {
            toChannel(room, roomId).ifPresent(c -> children.add(new ChannelOrdering.Child(c.id(), c.createdAt())));
          }
        }
        List<String> ids = ChannelOrdering.order(children, StateContents.ChannelOrder.from(event.content()).channels());
        out.add(new ChannelsReordered(host.client(), next(), roomId, ids));
      }
      return;
    }
    if (type.equals(EventTypes.MEMBER) && !state.isSpace()) {
      peerProfileChanged(event, old, out);
    }
    Optional<String> serverId = serverOf(roomId);
    if (!serverId.isPresent()) {
      return;
    }
    if (type.equals(ns.channelDeleted())) {
      if (StateContents.Deletion.from(event.content()).isDeletion() && deletedChannels.add(roomId)) {
        out.add(new ChannelDeleted(host.client(), next(), serverId.get(), roomId, event.sender()));
      }
    } else if (type.equals(EventTypes.NAME) || type.equals(EventTypes.TOPIC)) {
      toChannel(state, serverId.get()).ifPresent(c -> out.add(new ChannelUpdated(host.client(), next(), serverId.get(), c)));
    }
  }

  private void childChanged(RoomState space, RoomEvent event, JsonObject old, boolean news, List<MeloEvent> out) {
    String channelId = event.stateKey();
    boolean wasChild = !old.isEmpty() && !SpaceChildContent.from(old).isRemoved();
    SpaceChildContent now = SpaceChildContent.from(event.content());
    if (!now.isRemoved() && !wasChild) {
      RoomState channel = joined.get(channelId);
      if (channel == null || channel.entry(EventTypes.CREATE, "") == null) {
        if (catchUp) {
          // Catch-up (an initial sync, streamed room by room): the channel may be among the rooms
          // still to come, so the join waits for the end of the batch, where it fires nothing.
          pendingJoins.putIfAbsent(channelId, new PendingJoin(space.roomId(), now.via(), 0));
          return;
        }
        // DESIGN: Matrix has no auto-join; a new child of a joined space is joined by the client.
        Optional<RoomState> fetched = unlocked(() -> host.joinChannel(channelId, now.via()));
        if (fetched.isPresent()) {
          channel = fetched.get();
          joined.put(channelId, channel);
          pendingJoins.remove(channelId);
        } else {
          // Tried again on later batches (a homeserver hiccup must not leave it unjoined for good).
          pendingJoins.put(channelId, new PendingJoin(space.roomId(), now.via()));
        }
      }
      if (news && channel != null) {
        toChannel(channel, space.roomId())
            .ifPresent(c -> out.add(new ChannelCreated(host.client(), next(), space.roomId(), c)));
      }
    } else if (now.isRemoved() && wasChild && news && deletedChannels.add(channelId)) {
      // A deletion marks the channel and removes it from the space: one event for both.
      out.add(new ChannelDeleted(host.client(), next(), space.roomId(), channelId, event.sender()));
    }
  }

  /**
   * After a restart: the pending auto-joins of the last run were in memory only, so every child
   * of a joined server that this user is not in (its auto-join failed, or gave up, before the
   * restart) is queued to be joined on this very batch. Runs on the state rolled back to the
   * stored token: a channel added while the client was down is joined by this batch itself.
   */
  private void queueUnjoinedChannels() {
    for (RoomState space : new ArrayList<>(joined.values())) {
      if (!isServer(space) || !"join".equals(space.membership(host.userId()).orElse(null))
          || StateContents.Deletion.from(space.content(host.namespace().serverDeleted())).isDeletion()) {
        continue;
      }
      space.events(EventTypes.SPACE_CHILD).forEach((channelId, event) -> {
        SpaceChildContent child = SpaceChildContent.from(event.content());
        if (!child.isRemoved() && !joined.containsKey(channelId) && !pendingJoins.containsKey(channelId)) {
          PendingJoin pending = new PendingJoin(space.roomId(), child.via());
          pending.attempts = 0;
          pending.thisBatch = false; // not tried yet: retryJoins tries it on this batch
          pendingJoins.put(channelId, pending);
        }
      });
    }
  }

  /**
   * Tries again to join the new channels whose auto-join failed in an earlier batch, while they
   * are still children of a space this user is in; gives up after {@link #JOIN_ATTEMPTS} tries.
   */
  private void retryJoins(boolean news, List<MeloEvent> out) {
    for (java.util.Iterator<Map.Entry<String, PendingJoin>> it = pendingJoins.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, PendingJoin> entry = it.next();
      String channelId = entry.getKey();
      PendingJoin pending = entry.getValue();
      RoomState space = joined.get(pending.spaceId);
      RoomState known = joined.get(channelId);
      boolean stillChild = space != null
          && "join".equals(space.membership(host.userId()).orElse(null))
          && isChild(space, channelId);
      if (!stillChild || (known != null && known.entry(EventTypes.CREATE, "") != null)) {
        it.remove(); // removed from the space, space left, or joined by other means meanwhile
        continue;
      }
      if (pending.thisBatch) {
        pending.thisBatch = false; // failed in this very batch: try again on the next one
        continue;
      }
      pending.attempts++;
      Optional<RoomState> fetched = unlocked(() -> host.joinChannel(channelId, pending.via));
      if (fetched.isPresent()) {
        it.remove();
        joined.put(channelId, fetched.get());
        if (news) {
          toChannel(fetched.get(), space.roomId())
              .ifPresent(c -> out.add(new ChannelCreated(host.client(), next(), space.roomId(), c)));
        }
      } else if (pending.attempts >= JOIN_ATTEMPTS) {
        it.remove();
        LOG.warn("Melo gave up joining new channel {} of server {} after {} attempts", channelId, pending.spaceId,
            pending.attempts);
      }
    }
  }

  private void memberChanged(String serverId, RoomEvent event, JsonObject old, List<MeloEvent> out) {
    String member = event.stateKey();
    String before = old.getString("membership", "leave");
    String after = event.content().getString("membership", "leave");
    Optional<String> reason = event.content().getString("reason");
    Profile profile = new Profile(member, event.content().getString("displayname"), event.content().getString("avatar_url"));
    if (after.equals("join") && !before.equals("join")) {
      profiles.put(member, profile);
      out.add(new MemberJoined(host.client(), next(), serverId, member, profile));
    } else if (after.equals("join")) {
      Profile known = profiles.get(member);
      if (known == null || !known.equals(profile)) {
        profiles.put(member, profile);
        out.add(new ProfileChanged(host.client(), next(), member, profile));
      }
    } else if (after.equals("ban") && !before.equals("ban")) {
      out.add(new MemberBanned(host.client(), next(), serverId, member, event.sender(), reason));
    } else if (after.equals("leave") && before.equals("join")) {
      // Only a member leaves or is kicked: a declined or revoked invite (invite -> leave), or a
      // knock withdrawn or refused, is no member going, so it fires nothing.
      if (event.sender().equals(member)) {
        out.add(new MemberLeft(host.client(), next(), serverId, member));
      } else {
        out.add(new MemberKicked(host.client(), next(), serverId, member, event.sender(), reason));
      }
    }
  }

  /**
   * A member event of a channel or conversation: a joined user's new display name or avatar is a
   * {@link ProfileChanged}, as in a server's space, for a peer who shares no server with this user
   * (met only in a conversation, they have no space to show it). A server member's change is
   * reported by the space alone: the rooms of one batch come in no set order, so an older member
   * event of a channel could otherwise report a name already replaced. The change comes in every
   * conversation the peer shares with this user: the {@code profiles} map reports it once.
   */
  private void peerProfileChanged(RoomEvent event, JsonObject old, List<MeloEvent> out) {
    String member = event.stateKey();
    if (member == null || !"join".equals(event.content().getStringOrNull("membership"))) {
      return;
    }
    Profile profile = new Profile(member, event.content().getString("displayname"), event.content().getString("avatar_url"));
    if (!"join".equals(old.getString("membership", "leave"))) {
      profiles.putIfAbsent(member, profile);
      return;
    }
    Profile was = new Profile(member, old.getString("displayname"), old.getString("avatar_url"));
    if (!was.equals(profile) && !profile.equals(profiles.get(member)) && !sharesServer(member)) {
      profiles.put(member, profile);
      out.add(new ProfileChanged(host.client(), next(), member, profile));
    }
  }

  /** True when {@code userId} is a joined member of a server (space) this user is in. */
  private boolean sharesServer(String userId) {
    for (RoomState room : joined.values()) {
      if (room.isSpace() && "join".equals(room.membership(userId).orElse(null)) && isServer(room)) {
        return true;
      }
    }
    return false;
  }

  private void levelsChanged(String serverId, PowerLevelsContent before, PowerLevelsContent after, List<MeloEvent> out) {
    Set<String> users = new LinkedHashSet<>(before.users().keySet());
    users.addAll(after.users().keySet());
    for (String user : users) {
      Role was = Role.fromPowerLevel(before.userLevel(user));
      long level = after.userLevel(user);
      Role now = Role.fromPowerLevel(level);
      if (was != now) {
        out.add(new RoleChanged(host.client(), next(), serverId, user, was, now, level));
      }
    }
  }

  private Optional<Server> toServer(RoomState space) {
    StateContents.Server content = StateContents.Server.from(space.content(host.namespace().server()));
    if (!content.hasOwner()) {
      return Optional.empty();
    }
    Optional<io.melo.core.InviteCode> invite = Optional.empty();
    try {
      if (content.inviteCode() != null) {
        String owner = content.ownerId();
        invite = Optional.of(new io.melo.core.InviteCode(content.inviteCode(), owner.substring(owner.indexOf(':') + 1)));
      }
    } catch (IllegalArgumentException malformed) {
      invite = Optional.empty();
    }
    return Optional.of(new Server(
        space.roomId(),
        space.content(EventTypes.NAME).getString("name", ""),
        space.content(EventTypes.TOPIC).getString("topic"),
        space.content(EventTypes.AVATAR).getString("url"),
        content.ownerId(),
        invite,
        content.createdAt() != null ? content.createdAt() : space.createdAt()));
  }

  /** The channel a room is, as channels() shows it; a room marked deleted is no channel (review #12). */
  private Optional<Channel> toChannel(RoomState room, String serverId) {
    if (room.entry(host.namespace().channel(), "") == null
        || StateContents.Deletion.from(room.content(host.namespace().channelDeleted())).isDeletion()) {
      return Optional.empty();
    }
    StateContents.Channel content = StateContents.Channel.from(room.content(host.namespace().channel()));
    String creator = content.creatorId() != null && content.creatorId().startsWith("@")
        ? content.creatorId() : room.creator().orElse(host.userId());
    return Optional.of(new Channel(
        room.roomId(), serverId,
        room.content(EventTypes.NAME).getString("name", ""),
        room.content(EventTypes.TOPIC).getString("topic"),
        content.channelType(),
        content.type() == null ? "TEXT" : content.type(),
        creator,
        content.createdAt() != null ? content.createdAt() : room.createdAt()));
  }

  // ------------------------------------------------------------------ timeline

  private MessageAggregator liveAggregator(String roomId) {
    return live.computeIfAbsent(roomId, id -> new MessageAggregator(id, MESSAGE_MEMORY));
  }

  private boolean firstSight(String eventId) {
    return seenEvents.add(eventId);
  }

  /**
   * The transaction id of this client's own send, when {@code event} is its echo: the homeserver
   * puts {@code unsigned.transaction_id} only into the copy it gives the device that sent it.
   */
  private Optional<String> ownTransaction(RoomEvent event) {
    if (!host.userId().equals(event.sender())) {
      return Optional.empty();
    }
    return event.transactionId();
  }

  /** Records an own send as confirmed; false when its echo was already reported. */
  private boolean confirmSend(String txnId) {
    return confirmedSends.add(txnId);
  }

  private void timelineEvent(String roomId, RoomEvent event, boolean news, List<MeloEvent> out) {
    RoomState state = joined.get(roomId);
    if (state != null && !isMessageRoom(state)) {
      return; // messages sent into a space are not part of any channel: nothing to remember either
    }
    if (!firstSight(event.eventId())) {
      return; // the same event again (a redelivered or overlapping batch): never twice
    }
    Optional<String> txnId = ownTransaction(event);
    if (txnId.isPresent() && !confirmSend(txnId.get())) {
      return; // a second echo of a send already confirmed (a server that stored a retry twice)
    }
    MessageAggregator room = liveAggregator(roomId);
    TimelineReader.Item item = TimelineReader.read(event);
    host.timelineRead(roomId, item);
    // Only news names its server: catch-up (an initial sync's thousands of events) skips the lookup.
    Optional<String> serverId = news ? serverOf(roomId) : Optional.empty();
    if (item instanceof TimelineReader.OriginalItem original) {
      Optional<Message> message = room.addOriginal(original.original());
      if (news && message.isPresent() && !message.get().deleted()) {
        out.add(new MessageCreated(host.client(), next(), roomId, serverId, message.get(), txnId));
      }
    } else if (item instanceof TimelineReader.EditItem edit) {
      EditOutcome outcome = room.addEdit(edit.edit());
      if (news && outcome == EditOutcome.PENDING && fetchOriginal(roomId, room, edit.edit().targetId())) {
        // The target is older than the live cache (or from before a restart): now that it is
        // known, the edit counts only if its sender is the original's sender.
        outcome = room.isLatestEdit(edit.edit()) ? EditOutcome.APPLIED : EditOutcome.IGNORED;
      }
      if (news && outcome == EditOutcome.APPLIED) {
        room.message(edit.edit().targetId()).ifPresent(m ->
            out.add(new MessageEdited(host.client(), next(), roomId, serverId, m, edit.edit().eventId(), txnId)));
      }
    } else if (item instanceof TimelineReader.ReactionItem reaction) {
      MessageAggregator.Annotation a = reaction.annotation();
      if (room.addReaction(a) && news) {
        out.add(new ReactionAdded(host.client(), next(), roomId, serverId, a.targetId(), a.key(), a.senderId(), txnId));
      }
    } else if (item instanceof TimelineReader.RedactionItem redaction) {
      boolean known = room.knows(redaction.redactsId());
      MessageAggregator.Redacted result = room.redact(redaction.redactsId());
      if (!news) {
        return;
      }
      if (!known) {
        unknownRedacted(roomId, serverId, room, redaction, out);
        return;
      }
      if (result instanceof MessageAggregator.MessageRedacted deleted) {
        out.add(new MessageDeleted(host.client(), next(), roomId, serverId, deleted.message().id(), redaction.senderId()));
      } else if (result instanceof MessageAggregator.EditRedacted reverted) {
        out.add(new MessageEdited(host.client(), next(), roomId, serverId, reverted.message(), redaction.redactionId()));
      } else if (result instanceof MessageAggregator.ReactionRedacted r && !r.stillCounted()) {
        out.add(new ReactionRemoved(host.client(), next(), roomId, serverId, r.targetId(), r.key(), r.senderId()));
      }
    } else if (news && !isKnownType(event.type())) {
      out.add(new UnknownEvent(host.client(), next(), Optional.of(roomId), serverId, event.type(), event.raw().toJson()));
    }
  }

  /** Fetches a message not in the live cache into it; true when it is now known. */
  private boolean fetchOriginal(String roomId, MessageAggregator room, String eventId) {
    Optional<RoomEvent> fetched = unlocked(() -> host.fetchEvent(roomId, eventId));
    if (!fetched.isPresent()) {
      return false;
    }
    TimelineReader.Item item = TimelineReader.read(fetched.get());
    if (item instanceof TimelineReader.OriginalItem original && original.original().eventId().equals(eventId)) {
      room.addOriginal(original.original());
      return true;
    }
    return false;
  }

  /**
   * A redaction of an event not in the live cache (older than it, or from before a restart).
   * The target is fetched to tell a message from a reaction or a state event: only a message
   * fires {@link MessageDeleted}. When the target cannot be read, the deletion is reported with
   * what is known (its id and who deleted it) rather than lost.
   */
  private void unknownRedacted(String roomId, Optional<String> serverId, MessageAggregator room,
      TimelineReader.RedactionItem redaction, List<MeloEvent> out) {
    Optional<RoomEvent> target = unlocked(() -> host.fetchEvent(roomId, redaction.redactsId()));
    if (target.isPresent()) {
      RoomEvent event = target.get();
      if (!event.isType(EventTypes.MESSAGE) || event.stateKey() != null) {
        return; // a reaction, a state event or another type: not a message deletion
      }
      TimelineReader.Item item = TimelineReader.read(event);
      if (item instanceof TimelineReader.OriginalItem original && original.original().redacted()) {
        room.addOriginal(original.original()); // remembered as deleted: a repeat fires nothing
      }
    }
    out.add(new MessageDeleted(host.client(), next(), roomId, serverId, redaction.redactsId(), redaction.senderId()));
  }

  private boolean isKnownType(String type) {
    return type.equals(EventTypes.MESSAGE) || type.equals(EventTypes.REACTION) || type.equals(EventTypes.REDACTION);
  }

  private void presence(BasicEvent event, List<MeloEvent> out) {
    Optional<String> sender = event.sender();
    if (!sender.isPresent()) {
      return;
    }
    Presence presence = Presence.fromWireName(event.content().getString("presence", ""));
    out.add(new PresenceChanged(host.client(), next(), sender.get(), presence, event.content().getString("status_msg")));
  }

  /** Visible for the client: rooms this user is joined to, per the cache. */
  Set<String> joinedRoomIds() {
    lock.lock();
    try {
      return new HashSet<>(joined.keySet());
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next sequence number, for events that do not come from a batch (connection state): saved
   * at once (outside the cache lock), so that no later run hands it out again.
   */
  long nextSequence() {
    long number;
    lock.lock();
    try {
      number = ++sequence;
    } finally {
      lock.unlock();
    }
    store.handedOut(number);
    return number;
  }

  /** The since token of the last saved batch, if any. */
  Optional<String> savedToken() {
    return store.token();
  }
}
