package io.melo.core.internal;

import static io.melo.core.internal.FakeSyncHost.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.matrix.sync.InMemorySyncStore;
import io.melo.matrix.sync.SyncBatch;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * A streamed initial sync hands plain member state to the processor compactly (it is a
 * {@code JoinedRoomCompactSink}): the cache must hold exactly the entries the whole answer, parsed
 * into full events, gives.
 */
class CompactMemberCacheTest {

  private static final String ME = "@alice:hs";
  private static final List<String> TYPES = List.of("m.room.create", "m.room.member", "m.room.power_levels", "m.room.name");

  private static SyncProcessor processor(FakeSyncHost host) {
    return new SyncProcessor(host, new SequencedStore(new InMemorySyncStore(), "@me:test"));
  }

  private static String room(String roomId, String... state) {
    return "\"" + roomId + "\":{\"state\":{\"events\":[" + String.join(",", state) + "]},\"timeline\":{\"events\":["
        + event("$t" + roomId, "m.room.member", "@late:hs", "@late:hs", "{\"membership\":\"join\"}") + "]}}";
  }

  @Test
  void streamedCompactMembersGiveTheSameCacheAsFullEvents() throws Exception {
    String answer = "{\"next_batch\":\"t1\",\"rooms\":{\"join\":{"
        + room("!a:hs",
            event("$c", "m.room.create", ME, "", "{\"room_version\":\"10\"}"),
            event("$m1", "m.room.member", ME, ME, "{\"membership\":\"join\",\"displayname\":\"Alice\",\"avatar_url\":\"mxc://hs/a\"}"),
            event("$m2", "m.room.member", ME, "@bob:hs", "{\"membership\":\"invite\"}"),
            event("$m3", "m.room.member", "@carol:hs", "@carol:hs", "{\"membership\":\"leave\",\"reason\":\"bye\"}"),
            event("$m4", "m.room.member", "@bob:hs", "@bob:hs", "{\"membership\":\"join\",\"displayname\":\"Bob\"}"),
            event("$p", "m.room.power_levels", ME, "", "{\"users\":{\"" + ME + "\":100}}"))
        + "," + room("!b:hs",
            event("$n", "m.room.name", ME, "", "{\"name\":\"B\"}"),
            event("$b1", "m.room.member", "@dave:hs", "@dave:hs", "{\"membership\":\"join\"}"),
            event("$b2", "m.room.member", "@dave:hs", "@dave:hs", "{\"membership\":\"join\",\"displayname\":\"D\"}"))
        + "}}}";
    FakeSyncHost streamedHost = new FakeSyncHost(ME);
    SyncProcessor streamed = processor(streamedHost);
    SyncResponse rest = SyncResponseParser.parse(new Buffer().writeUtf8(answer), streamed);
    streamed.accept(new SyncBatch(rest, null, false));
    FakeSyncHost wholeHost = new FakeSyncHost(ME);
    SyncProcessor whole = processor(wholeHost);
    whole.accept(new SyncBatch(SyncResponseParser.parse(new Buffer().writeUtf8(answer)), null, false));

    for (String roomId : List.of("!a:hs", "!b:hs")) {
      RoomState a = streamed.room(roomId).orElseThrow();
      RoomState b = whole.room(roomId).orElseThrow();
      for (String type : TYPES) {
        Map<String, RoomState.Entry> got = a.events(type);
        Map<String, RoomState.Entry> want = b.events(type);
        assertThat(got.keySet()).containsExactlyElementsOf(want.keySet()); // the same order too
        want.forEach((key, entry) -> {
          RoomState.Entry other = got.get(key);
          assertThat(other.eventId()).isEqualTo(entry.eventId());
          assertThat(other.sender()).isEqualTo(entry.sender());
          assertThat(other.originServerTs()).isEqualTo(entry.originServerTs());
          assertThat(other.content()).isEqualTo(entry.content());
        });
      }
    }
    RoomState a = streamed.room("!a:hs").orElseThrow();
    assertThat(a.membership("@bob:hs")).contains("join"); // $m4 after $m3 (full): applied after $m2
    assertThat(a.membership("@carol:hs")).contains("leave");
    assertThat(a.content("m.room.member", ME).getStringOrNull("avatar_url")).isEqualTo("mxc://hs/a");
    assertThat(a.events("m.room.member")).containsKeys("@late:hs");
    assertThat(streamed.room("!b:hs").orElseThrow().content("m.room.member", "@dave:hs").getStringOrNull("displayname"))
        .isEqualTo("D");
    assertThat(streamedHost.published).isEmpty();
  }
}
