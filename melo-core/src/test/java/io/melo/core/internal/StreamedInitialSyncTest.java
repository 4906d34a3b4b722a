package io.melo.core.internal;

import static io.melo.core.internal.FakeSyncHost.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Role;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.RoleChanged;
import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.sync.InMemorySyncStore;
import io.melo.matrix.sync.SyncBatch;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * An initial sync streamed room by room into the cache (the processor as the source's
 * JoinedRoomSink): the same cache as a whole answer, no event while streaming, and a retry after an
 * answer that broke off midway.
 */
class StreamedInitialSyncTest {

  private static final String ME = "@alice:hs";
  private static final String SPACE = "!space:hs";
  private static final String ROOM = "!general:hs";
  private static final String OTHER = "!other:hs";

  private final FakeSyncHost host = new FakeSyncHost(ME);
  private final List<MeloEvent> published = host.published;
  private final InMemorySyncStore backing = new InMemorySyncStore();
  private final SyncProcessor processor = new SyncProcessor(host, new SequencedStore(backing, "@me:test"));

  private static String text(String id, String sender, String body) {
    return event(id, "m.room.message", sender, null, "{\"msgtype\":\"m.text\",\"body\":\"" + body + "\"}");
  }

  private static String room(String roomId, String state, String timeline) {
    return "\"" + roomId + "\":{\"state\":{\"events\":[" + state + "]},\"timeline\":{\"events\":[" + timeline + "]}}";
  }

  private static String space(String... children) {
    StringBuilder state = new StringBuilder(String.join(",",
        event("$c", "m.room.create", ME, "", "{\"type\":\"m.space\",\"room_version\":\"10\"}"),
        event("$j", "m.room.member", ME, ME, "{\"membership\":\"join\",\"displayname\":\"Alice\"}"),
        event("$b", "m.room.member", "@bob:hs", "@bob:hs", "{\"membership\":\"join\"}"),
        event("$p", "m.room.power_levels", ME, "", "{\"users\":{\"" + ME + "\":101}}"),
        event("$s", "io.melo.server", ME, "", "{\"ownerId\":\"" + ME + "\",\"inviteCode\":\"AAAAAAAAAAAAAAAAAAAAAA\"}")));
    for (String child : children) {
      state.append(',').append(event("$child" + child, "m.space.child", ME, child, "{\"via\":[\"hs\"]}"));
    }
    return room(SPACE, state.toString(), "");
  }

  private static String channel(String roomId, String timeline) {
    return room(roomId, String.join(",",
        event("$rc" + roomId, "m.room.create", ME, "", "{\"room_version\":\"10\"}"),
        event("$rj" + roomId, "m.room.member", ME, ME, "{\"membership\":\"join\"}"),
        event("$parent" + roomId, "m.space.parent", ME, SPACE, "{\"via\":[\"hs\"],\"canonical\":true}"),
        event("$ch" + roomId, "io.melo.channel", ME, "", "{\"type\":\"TEXT\"}")), timeline);
  }

  private static String answer(String next, String... joinedRooms) {
    return "{\"next_batch\":\"" + next + "\",\"rooms\":{\"join\":{" + String.join(",", joinedRooms) + "}}}";
  }

  /** What the loop does with a streaming source: fetch (rooms into the sink), then accept the batch. */
  private void streamInitial(String json) throws Exception {
    SyncResponse response = SyncResponseParser.parse(new Buffer().writeUtf8(json), processor);
    processor.accept(new SyncBatch(response, null, false));
  }

  private void incremental(String since, String json) throws Exception {
    processor.accept(new SyncBatch(SyncResponseParser.parse(new Buffer().writeUtf8(json)), since, false));
  }

  @Test
  void aStreamedInitialSyncFillsTheCacheLikeAWholeOneAndFiresNothing() throws Exception {
    String initial = answer("t1", space(ROOM), channel(ROOM, text("$old", "@bob:hs", "old")));
    SyncResponse response = SyncResponseParser.parse(new Buffer().writeUtf8(initial), processor);
    assertThat(response.rooms().join()).isEmpty();
    assertThat(published).isEmpty();
    assertThat(processor.primed()).isFalse(); // the batch is not accepted yet
    assertThat(backing.load()).isEmpty();
    assertThat(processor.room(SPACE)).isPresent();
    assertThat(processor.serverOf(ROOM)).contains(SPACE);

    processor.accept(new SyncBatch(response, null, false));
    assertThat(published).isEmpty();
    assertThat(processor.primed()).isTrue();
    assertThat(backing.load().get()).endsWith(" t1");
    assertThat(host.joinAttempts).isEmpty();

    // News after it is read against the streamed cache: the channel's server, the old power levels.
    String raised = event("$p2", "m.room.power_levels", ME, "", "{\"users\":{\"" + ME + "\":101,\"@bob:hs\":50}}");
    incremental("t1", answer("t2", room(SPACE, "", raised), channel(ROOM, text("$old", "@bob:hs", "old") + ","
        + text("$new", "@bob:hs", "new"))));
    assertThat(published).hasSize(2);
    RoleChanged role = (RoleChanged) published.get(0);
    assertThat(role.userId()).isEqualTo("@bob:hs");
    assertThat(role.newRole()).isEqualTo(Role.MODERATOR);
    MessageCreated created = (MessageCreated) published.get(1);
    assertThat(created.message().body()).isEqualTo("new"); // "$old" was seen while streaming: not news
    assertThat(created.serverId()).contains(SPACE);
  }

  @Test
  void anAnswerThatBreaksOffMidwayLeavesNoTokenAndTheRetryOverwritesTheCache() throws Exception {
    String whole = answer("t1", space(ROOM), channel(ROOM, text("$old", "@bob:hs", "old")),
        channel(OTHER, text("$other", "@bob:hs", "other")));
    String broken = whole.substring(0, whole.indexOf("\"" + OTHER + "\""));
    assertThatThrownBy(() -> SyncResponseParser.parse(new Buffer().writeUtf8(broken), processor))
        .isInstanceOf(MatrixProtocolException.class);
    assertThat(published).isEmpty();
    assertThat(backing.load()).isEmpty(); // no token: the loop asks for the initial sync again
    assertThat(processor.primed()).isFalse();
    assertThat(processor.room(ROOM)).isPresent();
    assertThat(processor.room(OTHER)).isEmpty();

    streamInitial(whole); // the retry: the same rooms again, then the batch
    assertThat(published).isEmpty();
    assertThat(backing.load().get()).endsWith(" t1");
    assertThat(processor.room(OTHER)).isPresent();
    assertThat(processor.serverOf(OTHER)).isEmpty(); // not a child of the space: no server

    incremental("t1", answer("t2", channel(ROOM, text("$old", "@bob:hs", "old") + "," + text("$new", "@bob:hs", "new")),
        channel(OTHER, text("$other", "@bob:hs", "other"))));
    assertThat(published).extracting(e -> ((MessageCreated) e).message().id()).containsExactly("$new");
  }

  @Test
  void aChildChannelOfACatchUpIsJoinedAtTheEndOfTheBatchOnlyIfNoLaterRoomShowsItJoined() throws Exception {
    host.joinable.put("!new:hs", List.of()); // joining it succeeds
    // the space comes first and lists the general channel (in the answer, after it) and a new one
    streamInitial(answer("t1", space(ROOM, "!new:hs"), channel(ROOM, "")));

    assertThat(host.joinAttempts).containsExactly("!new:hs");
    assertThat(published).isEmpty(); // catch-up: the join fires no ChannelCreated
    assertThat(processor.room("!new:hs")).isPresent();
  }

  @Test
  void aFailedJoinOfACatchUpIsTriedAgainOnTheNextBatch() throws Exception {
    streamInitial(answer("t1", space(ROOM, "!new:hs"), channel(ROOM, "")));
    assertThat(host.joinAttempts).containsExactly("!new:hs");
    incremental("t1", answer("t2", channel(ROOM, text("$m", "@bob:hs", "tick"))));
    assertThat(host.joinAttempts).containsExactly("!new:hs", "!new:hs");
  }

  @Test
  void compactMemberStateReadsAsTheContentItCameWith() throws Exception {
    streamInitial(answer("t1", space(), channel(ROOM, "")));
    RoomState space = processor.room(SPACE).orElseThrow();
    assertThat(space.membership(ME)).contains("join");
    assertThat(space.content("m.room.member", ME).toJson()).isEqualTo("{\"membership\":\"join\",\"displayname\":\"Alice\"}");
    assertThat(space.content("m.room.member", "@bob:hs").toJson()).isEqualTo("{\"membership\":\"join\"}");
    assertThat(space.event("m.room.member", "@bob:hs").orElseThrow().sender()).isEqualTo("@bob:hs");
    assertThat(space.creator()).contains(ME);
    assertThat(space.isSpace()).isTrue();
  }
}
