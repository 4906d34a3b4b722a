package io.melo.core.internal;

import static io.melo.core.internal.FakeSyncHost.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.event.MeloEvent;
import io.melo.core.Role;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.RoleChanged;
import io.melo.core.event.MessageCreated;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.sync.InMemorySyncStore;
import io.melo.matrix.sync.SyncBatch;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * History from before this user's own join never fires created events, even when the room's
 * state was cached by an auto-join before its first batch; what follows the join does.
 */
class JoinHistoryTest {

  private static final String ME = "@alice:hs";
  private static final String CHANNEL = "!ch:hs";

  private final FakeSyncHost host = new FakeSyncHost(ME);
  private final List<MeloEvent> published = host.published;
  private final Map<String, RoomEvent> fetchable = host.fetchable;
  private final Map<String, List<RoomEvent>> joinable = host.joinable;
  private final Map<String, RoomState> loaded = host.loaded;
  private final SyncProcessor processor = new SyncProcessor(host, new SequencedStore(new InMemorySyncStore(), "@me:test"));

  private static String message(String id, String body) {
    return event(id, "m.room.message", "@o:hs", null, "{\"msgtype\":\"m.text\",\"body\":\"" + body + "\"}");
  }

  private static String ownJoin(String id) {
    return event(id, "m.room.member", ME, ME, "{\"membership\":\"join\"}");
  }

  private static SyncBatch batch(String since, String next, String roomsJoinJson) {
    String json = "{\"next_batch\":\"" + next + "\",\"rooms\":{\"join\":{" + roomsJoinJson + "}}}";
    SyncResponse response = SyncResponseParser.parse(new Buffer().writeUtf8(json));
    return new SyncBatch(response, since, false);
  }

  private static String timeline(String roomId, String... events) {
    return "\"" + roomId + "\":{\"timeline\":{\"events\":[" + String.join(",", events) + "]}}";
  }

  private static String space() {
    return String.join(",",
        event("$cS", "m.room.create", "@o:hs", "", "{\"type\":\"m.space\",\"room_version\":\"10\"}"),
        event("$pS", "m.room.power_levels", "@o:hs", "", "{\"users\":{\"@o:hs\":101}}"),
        event("$sS", "io.melo.server", "@o:hs", "", "{\"ownerId\":\"@o:hs\",\"inviteCode\":\"AAAAAAAAAAAAAAAAAAAAAA\"}"));
  }

  private static List<RoomEvent> channelState() {
    List<RoomEvent> state = new ArrayList<>();
    for (String json : List.of(
        event("$rc", "m.room.create", "@o:hs", "", "{\"room_version\":\"10\"}"),
        event("$par", "m.space.parent", "@o:hs", "!S:hs", "{\"via\":[\"hs\"],\"canonical\":true}"),
        event("$ch", "io.melo.channel", "@o:hs", "", "{\"type\":\"TEXT\"}"),
        ownJoin("$mej"))) {
      state.add(RoomEvent.from(JsonObject.parseObject(json)));
    }
    return state;
  }

  private List<String> createdBodies() {
    List<String> bodies = new ArrayList<>();
    for (MeloEvent e : published) {
      if (e instanceof MessageCreated created) {
        bodies.add(created.message().body());
      }
    }
    return bodies;
  }

  @Test
  void anAutoJoinedChannelsHistoryIsNotNewsButWhatFollowsTheJoinIs() throws Exception {
    joinable.put(CHANNEL, channelState());
    processor.accept(batch(null, "t1", timeline("!S:hs", space(), ownJoin("$me"))));
    // A channel is added: the processor joins it and caches its state (m.room.create included).
    processor.accept(batch("t1", "t2", timeline("!S:hs",
        event("$child", "m.space.child", "@o:hs", CHANNEL, "{\"via\":[\"hs\"]}"))));
    // The channel's first batch: a message from before this user's join, the join, a new one.
    processor.accept(batch("t2", "t3", timeline(CHANNEL, message("$old", "old"), ownJoin("$mej"), message("$new", "new"))));

    assertThat(createdBodies()).containsExactly("new");
  }

  @Test
  void aMemberJoiningAfterTheOwnJoinInARoomsFirstBatchIsNews() throws Exception {
    processor.accept(batch(null, "t1", ""));
    processor.accept(batch("t1", "t2", timeline("!S:hs", space(), ownJoin("$me"),
        event("$bob", "m.room.member", "@bob:hs", "@bob:hs", "{\"membership\":\"join\"}"))));

    assertThat(published).filteredOn(e -> e instanceof MemberJoined)
        .extracting(e -> ((MemberJoined) e).userId()).containsExactly("@bob:hs");
  }

  @Test
  void aRoomJoinedWhileTheClientWasDownBringsNoHistoryAfterARestart() throws Exception {
    // After a restart the room is among the joined rooms (joined while down); its catch-up
    // batch holds the history before the join, then the join.
    loaded.put("!dm:hs", new RoomState("!dm:hs", List.of(
        RoomEvent.from(JsonObject.parseObject(event("$rc2", "m.room.create", "@o:hs", "", "{\"room_version\":\"10\"}"))))));
    processor.accept(batch("t0", "t1", timeline("!dm:hs",
        message("$before", "before"), ownJoin("$join"), message("$after", "after"))));

    assertThat(createdBodies()).containsExactly("after");
  }

  @Test
  void aProfileChangeOfThisUserIsNotAJoinThatHidesEarlierMessages() throws Exception {
    processor.accept(batch(null, "t1", timeline("!dm:hs",
        event("$rc2", "m.room.create", "@o:hs", "", "{\"room_version\":\"10\"}"), ownJoin("$join"))));
    String rename = "{\"event_id\":\"$rename\",\"type\":\"m.room.member\",\"sender\":\"" + ME
        + "\",\"origin_server_ts\":1700000000001,\"state_key\":\"" + ME + "\",\"content\":{\"membership\":\"join\","
        + "\"displayname\":\"Al\"},\"unsigned\":{\"prev_content\":{\"membership\":\"join\"}}}";
    processor.accept(batch("t1", "t2", timeline("!dm:hs", message("$m1", "one"), rename, message("$m2", "two"))));

    assertThat(createdBodies()).containsExactly("one", "two");
  }

  private static RoomEvent parsed(String json) {
    return RoomEvent.from(JsonObject.parseObject(json));
  }

  @Test
  void stateChangesWhileTheClientWasDownAreNewsAfterARestart() throws Exception {
    String levelsNow = "{\"event_id\":\"$p2\",\"type\":\"m.room.power_levels\",\"sender\":\"@o:hs\","
        + "\"origin_server_ts\":1700000000002,\"state_key\":\"\",\"content\":{\"users\":{\"@o:hs\":101,\"@bob:hs\":50}},"
        + "\"unsigned\":{\"replaces_state\":\"$pS\",\"prev_content\":{\"users\":{\"@o:hs\":101}}}}";
    String bobJoin = event("$bob", "m.room.member", "@bob:hs", "@bob:hs", "{\"membership\":\"join\"}");
    String child = event("$child", "m.space.child", "@o:hs", CHANNEL, "{\"via\":[\"hs\"]}");
    // After the restart the space's current state already holds what changed while down.
    List<RoomEvent> current = new ArrayList<>();
    for (String json : space().split(",(?=\\{\"event_id)")) {
      current.add(parsed(json));
    }
    current.add(parsed(event("$me", "m.room.member", ME, ME, "{\"membership\":\"join\"}")));
    current.add(parsed(levelsNow));
    current.add(parsed(bobJoin));
    current.add(parsed(child));
    loaded.put("!S:hs", new RoomState("!S:hs", current));
    joinable.put(CHANNEL, channelState());

    processor.accept(batch("t0", "t1", timeline("!S:hs", bobJoin, levelsNow, child)));

    assertThat(published).filteredOn(e -> e instanceof MemberJoined)
        .extracting(e -> ((MemberJoined) e).userId()).containsExactly("@bob:hs");
    assertThat(published).filteredOn(e -> e instanceof RoleChanged).singleElement()
        .satisfies(e -> assertThat(((RoleChanged) e).newRole()).isEqualTo(Role.MODERATOR));
    assertThat(published).filteredOn(e -> e instanceof ChannelCreated)
        .extracting(e -> ((ChannelCreated) e).channel().id()).containsExactly(CHANNEL);
  }
}
