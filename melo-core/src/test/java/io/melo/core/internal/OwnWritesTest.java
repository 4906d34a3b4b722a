package io.melo.core.internal;

import static io.melo.core.internal.FakeSyncHost.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.MeloClient;
import io.melo.core.event.MeloEvent;
import io.melo.matrix.event.BasicEvent;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.sync.InMemorySyncStore;
import io.melo.matrix.sync.SyncBatch;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** When the cache shows this client's own writes: {@link CacheReads} driven by a real {@link SyncProcessor}. */
class OwnWritesTest {

  private static final String ME = "@alice:hs";
  private static final String BOB = "@bob:hs";
  private static final String ROOM = "!room:hs";

  private final FakeSyncHost fake = new FakeSyncHost(ME);
  private final AtomicBoolean live = new AtomicBoolean(true);
  private CacheReads cache;
  private final SyncProcessor sync = new SyncProcessor(new SyncProcessor.Host() {
    @Override
    public MeloClient client() {
      return fake.client();
    }

    @Override
    public String userId() {
      return ME;
    }

    @Override
    public Namespace namespace() {
      return fake.namespace();
    }

    @Override
    public Optional<RoomState> joinChannel(String channelId, List<String> via) {
      return fake.joinChannel(channelId, via);
    }

    @Override
    public void publish(MeloEvent event) {
      fake.publish(event);
    }

    @Override
    public void awaitDelivered() {}

    @Override
    public Optional<RoomEvent> fetchEvent(String roomId, String eventId) {
      return fake.fetchEvent(roomId, eventId);
    }

    @Override
    public Map<String, RoomState> loadJoinedRooms() {
      return fake.loadJoinedRooms();
    }

    @Override
    public void stateApplied(String roomId, RoomEvent event) {
      cache.stateApplied(roomId, event);
    }

    @Override
    public void accountData(List<BasicEvent> events, boolean complete) {
      cache.accountData(events, complete);
    }
  }, new SequencedStore(new InMemorySyncStore(), "@me:test"));

  OwnWritesTest() {
    cache = new CacheReads(sync, ME, live::get);
  }

  private int batches;

  /** Hands the processor one batch with {@code timeline} in the room (the first batch is initial). */
  private void sync(String timeline, String accountData) throws InterruptedException {
    String since = batches == 0 ? null : "t" + batches;
    batches++;
    String json = "{\"next_batch\":\"t" + batches + "\",\"account_data\":{\"events\":[" + accountData + "]},"
        + "\"rooms\":{\"join\":{\"" + ROOM + "\":{\"timeline\":{\"events\":[" + timeline + "]}}}}}";
    SyncResponse response = SyncResponseParser.parse(new Buffer().writeUtf8(json));
    sync.accept(new SyncBatch(response, since, false));
  }

  /** Hands the processor one batch with {@code rooms} (JSON members of {@code rooms.join}). */
  private void syncRooms(String rooms) throws InterruptedException {
    String since = batches == 0 ? null : "t" + batches;
    batches++;
    String json = "{\"next_batch\":\"t" + batches + "\",\"rooms\":{\"join\":{" + rooms + "}}}";
    SyncResponse response = SyncResponseParser.parse(new Buffer().writeUtf8(json));
    sync.accept(new SyncBatch(response, since, false));
  }

  /** A joined room's JSON for {@link #syncRooms} with {@code events} in its timeline. */
  private static String joinedRoom(String roomId, String... events) {
    return "\"" + roomId + "\":{\"timeline\":{\"events\":[" + String.join(",", events) + "]}}";
  }

  private void syncRoom() throws InterruptedException {
    sync(String.join(",",
        event("$c", "m.room.create", ME, "", "{\"room_version\":\"10\"}"),
        event("$j", "m.room.member", ME, ME, "{\"membership\":\"join\"}"),
        event("$bj", "m.room.member", BOB, BOB, "{\"membership\":\"join\"}"),
        event("$n0", "m.room.name", ME, "", "{\"name\":\"before\"}")), "");
  }

  /** Hands the processor one batch in which this user has left {@code roomId} ({@code events}: its timeline). */
  private void syncLeft(String roomId, String... events) throws InterruptedException {
    String since = batches == 0 ? null : "t" + batches;
    batches++;
    String json = "{\"next_batch\":\"t" + batches + "\",\"rooms\":{\"leave\":{" + joinedRoom(roomId, events) + "}}}";
    SyncResponse response = SyncResponseParser.parse(new Buffer().writeUtf8(json));
    sync.accept(new SyncBatch(response, since, false));
  }

  private static final List<String[]> CREATE = List.<String[]>of(new String[] {"m.room.create", ""});

  private static String name(String id, String sender, String name) {
    return event(id, "m.room.name", sender, "", "{\"name\":\"" + name + "\"}");
  }

  private boolean dirty() {
    return cache.read(view -> view.isDirty(ROOM)).orElseThrow();
  }

  @Test
  void nothingComesFromTheCacheBeforeTheFirstBatchOrWhileTheLoopIsNotConnected() throws Exception {
    assertThat(cache.snapshot(ROOM)).isEmpty();
    syncRoom();
    assertThat(cache.snapshot(ROOM)).isPresent();
    live.set(false);
    assertThat(cache.snapshot(ROOM)).isEmpty();
  }

  @Test
  void aStateEventTheSyncAppliesBeforeItsSendAnswersCounts() throws Exception {
    syncRoom();
    CacheReads.StateWrite write = cache.stateWrite(ROOM, "m.room.name", "");
    assertThat(dirty()).as("in flight").isTrue();
    sync(name("$mine", ME, "after"), ""); // the sync is faster than the send's answer
    assertThat(dirty()).isTrue();
    write.sent("$mine");
    assertThat(dirty()).isFalse();
    assertThat(cache.openWrites()).isZero();
    assertThat(cache.snapshot(ROOM).orElseThrow().content("m.room.name").getString("name", "")).isEqualTo("after");
  }

  @Test
  void aRoomStaysDirtyUntilTheWritesOwnEventArrivesNotAnother() throws Exception {
    syncRoom();
    cache.stateWrite(ROOM, "m.room.name", "").sent("$mine");
    sync(name("$earlier", BOB, "bob's"), ""); // another user's change that came before: not it
    assertThat(dirty()).isTrue();
    assertThat(cache.snapshot(ROOM)).isEmpty();
    sync(name("$mine", ME, "mine") + "," + name("$later", BOB, "bob's again"), ""); // seen, then replaced
    assertThat(dirty()).isFalse();
    assertThat(cache.openWrites()).isZero();
  }

  @Test
  void aFailedWriteIsDropped() throws Exception {
    syncRoom();
    CacheReads.StateWrite write = cache.stateWrite(ROOM, "m.room.name", "");
    cache.cancel(write);
    assertThat(dirty()).isFalse();
    assertThat(cache.openWrites()).isZero();
  }

  @Test
  void aKickIsSeenEvenWhenTheMemberIsBackInTheSameBatch() throws Exception {
    syncRoom();
    cache.membershipWrite(ROOM, BOB, Set.of("leave", "ban"));
    assertThat(dirty()).isTrue();
    sync(event("$kick", "m.room.member", ME, BOB, "{\"membership\":\"leave\"}") + ","
        + event("$back", "m.room.member", BOB, BOB, "{\"membership\":\"join\"}"), "");
    assertThat(dirty()).isFalse();
  }

  @Test
  void aJoinedRoomIsShownOnceTheCacheHasItJoinedWithTheStateItNeeds() throws Exception {
    syncRoom();
    cache.roomWrite(ROOM, List.<String[]>of(new String[] {"m.room.create", ""}, new String[] {"m.room.topic", ""}));
    assertThat(cache.read(CacheReads.View::membershipPending).orElseThrow()).isTrue();
    assertThat(dirty()).as("no topic in the cache yet").isTrue();
    sync(event("$t", "m.room.topic", ME, "", "{\"topic\":\"t\"}"), "");
    assertThat(dirty()).isFalse();
    assertThat(cache.read(CacheReads.View::membershipPending).orElseThrow()).isFalse();
  }

  @Test
  void anOwnLeaveOfARoomNotCachedYetIsNotShownByTheJoinBatchThatComesAfterIt() throws Exception {
    syncRoom();
    String other = "!other:hs";
    cache.roomWrite(other, CREATE); // joined, the sync has not delivered the join yet
    CacheReads.Pending leave = cache.membershipWrite(other, ME, Set.of("leave", "ban"));
    cache.ownLeave(leave); // and left again
    // a read in between (servers(), channels(), ...): the room not being cached does not show the leave
    assertThat(cache.read(CacheReads.View::dirtyRooms).orElseThrow()).containsExactly(other);
    // the long poll that was already answering brings the older join; the leave comes in a later batch
    syncRooms(joinedRoom(other, event("$oc", "m.room.create", BOB, "", "{\"room_version\":\"10\"}"),
        event("$oj", "m.room.member", ME, ME, "{\"membership\":\"join\"}")));
    assertThat(cache.snapshot(other)).as("after leave() returned, a read must not show the room joined").isEmpty();
    assertThat(cache.read(view -> view.isDirty(other)).orElseThrow()).isTrue();
    syncLeft(other, event("$ol", "m.room.member", ME, ME, "{\"membership\":\"leave\"}"));
    assertThat(cache.read(CacheReads.View::dirtyRooms).orElseThrow()).isEmpty();
    assertThat(cache.openWrites()).isZero();
  }

  @Test
  void anOwnLeaveOfACachedRoomIsShownOnceTheRoomLeavesTheCache() throws Exception {
    syncRoom();
    CacheReads.Pending leave = cache.membershipWrite(ROOM, ME, Set.of("leave", "ban"));
    cache.ownLeave(leave);
    assertThat(dirty()).isTrue();
    syncLeft(ROOM);
    assertThat(cache.read(CacheReads.View::dirtyRooms).orElseThrow()).isEmpty();
    assertThat(cache.openWrites()).isZero();
  }

  @Test
  void anOwnLeaveOfARoomJoinedAndLeftBetweenTwoBatchesIsShownWhenTheSyncReportsItLeft() throws Exception {
    syncRoom();
    String other = "!other:hs";
    cache.roomWrite(other, CREATE);
    CacheReads.Pending leave = cache.membershipWrite(other, ME, Set.of("leave", "ban"));
    cache.ownLeave(leave);
    assertThat(cache.read(CacheReads.View::membershipPending).orElseThrow()).isTrue();
    syncLeft(other); // the room never enters the cache: only rooms.leave tells
    assertThat(cache.read(CacheReads.View::membershipPending).orElseThrow()).isFalse();
    assertThat(cache.openWrites()).isZero();
  }

  @Test
  void aRejoinIsNotTakenAsShownByTheJoinFromBeforeTheLeave() throws Exception {
    syncRoom();
    CacheReads.Pending leave = cache.membershipWrite(ROOM, ME, Set.of("leave", "ban"));
    cache.ownLeave(leave);
    cache.roomWrite(ROOM, CREATE); // joined again before the sync delivered the leave
    assertThat(dirty()).as("the cached join is the one from before the leave").isTrue();
    sync(event("$l", "m.room.member", ME, ME, "{\"membership\":\"leave\"}"), "");
    assertThat(cache.read(view -> view.isDirty(ROOM) || view.room(ROOM) == null
            ? null : view.room(ROOM).membership(ME).orElse("none")))
        .as("after the rejoin returned, the cache must not answer that this user is not joined")
        .isEmpty();
    sync(event("$j2", "m.room.member", ME, ME, "{\"membership\":\"join\"}"), "");
    assertThat(dirty()).isFalse();
    assertThat(cache.snapshot(ROOM).orElseThrow().membership(ME)).contains("join");
    assertThat(cache.openWrites()).isZero();
  }

  @Test
  void anOwnStateWriteHiddenByAGapDoesNotKeepTheRoomDirtyForever() throws Exception {
    syncRoom();
    cache.stateWrite(ROOM, "m.room.name", "").sent("$mine");
    // a gappy batch: its state section holds only another user's later change of the same state
    syncRooms("\"" + ROOM + "\":{\"state\":{\"events\":[" + name("$later", BOB, "bob's")
        + "]},\"timeline\":{\"limited\":true,\"prev_batch\":\"p\",\"events\":["
        + event("$m", "m.room.message", BOB, null, "{\"msgtype\":\"m.text\",\"body\":\"hi\"}") + "]}}");
    for (int i = 0; i < 3; i++) {
      sync(event("$m" + i, "m.room.message", BOB, null, "{\"msgtype\":\"m.text\",\"body\":\"x\"}"), "");
    }
    assertThat(dirty()).as("the cache shows a state newer than the own write: nothing left to wait for").isFalse();
    assertThat(cache.openWrites()).isZero();
    assertThat(cache.snapshot(ROOM).orElseThrow().content("m.room.name").getString("name", "")).isEqualTo("bob's");
  }

  @Test
  void mDirectIsKnownFromAnInitialSyncAndAConversationWaitsForItsEntry() throws Exception {
    syncRoom();
    assertThat(cache.read(CacheReads.View::direct)).contains(JsonObject.EMPTY);
    cache.directWrite(BOB, ROOM);
    assertThat(cache.read(CacheReads.View::direct)).as("recorded, not synced yet").isEmpty();
    sync("", "{\"type\":\"m.direct\",\"content\":{\"" + BOB + "\":[\"" + ROOM + "\"]}}");
    assertThat(cache.read(view -> view.direct().getStringList(BOB))).contains(List.of(ROOM));
  }

  @Test
  void afterARestartMDirectIsLearnedFromTheHomeserverUnlessTheSyncBringsItFirst() throws Exception {
    JsonObject read = JsonObject.builder().putStrings(BOB, List.of(ROOM)).build();
    batches = 1; // resumed from a stored token: the first batch holds only changes, no m.direct
    syncRoom();
    assertThat(cache.read(CacheReads.View::direct)).as("unknown: ask the homeserver").isEmpty();
    long version = cache.directVersion();
    cache.learnDirect(version, read);
    assertThat(cache.read(CacheReads.View::direct)).contains(read);

    OwnWritesTest raced = new OwnWritesTest();
    raced.batches = 1;
    raced.syncRoom();
    long before = raced.cache.directVersion();
    raced.sync("", "{\"type\":\"m.direct\",\"content\":{}}"); // the sync brought it while the homeserver answered
    raced.cache.learnDirect(before, read);
    assertThat(raced.cache.read(CacheReads.View::direct)).contains(JsonObject.EMPTY);
  }
}
