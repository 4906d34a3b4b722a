package io.melo.core.internal;

import static io.melo.core.internal.FakeSyncHost.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.event.ChannelCreated;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.sync.InMemorySyncStore;
import io.melo.matrix.sync.SyncBatch;
import io.melo.matrix.sync.SyncResponseParser;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * After a restart, the children of joined servers that this user is not in are joined, though
 * the failed auto-join that left them out was remembered in memory only (review item 6).
 */
class UnjoinedChannelsTest {

  private static final String ME = "@alice:hs";

  private final FakeSyncHost host = new FakeSyncHost(ME);
  private final SyncProcessor processor = new SyncProcessor(host, new SequencedStore(new InMemorySyncStore(), "@me:test"));

  private static RoomEvent parsed(String json) {
    return RoomEvent.from(JsonObject.parseObject(json));
  }

  private static RoomState space(String id, boolean deleted, String... children) {
    List<RoomEvent> state = new ArrayList<>();
    state.add(parsed(event("$c" + id, "m.room.create", "@o:hs", "", "{\"type\":\"m.space\",\"room_version\":\"10\"}")));
    state.add(parsed(event("$s" + id, "io.melo.server", "@o:hs", "", "{\"ownerId\":\"@o:hs\"}")));
    state.add(parsed(event("$m" + id, "m.room.member", ME, ME, "{\"membership\":\"join\"}")));
    if (deleted) {
      state.add(parsed(event("$d" + id, "io.melo.server_deleted", "@o:hs", "", "{\"deletedBy\":\"@o:hs\",\"deletedAt\":1}")));
    }
    for (String child : children) {
      String content = child.startsWith("!gone") ? "{}" : "{\"via\":[\"hs\"]}";
      state.add(parsed(event("$k" + child, "m.space.child", "@o:hs", child, content)));
    }
    return new RoomState(id, state);
  }

  private static List<RoomEvent> channel(String id, String parent) {
    return List.of(
        parsed(event("$rc" + id, "m.room.create", "@o:hs", "", "{\"room_version\":\"10\"}")),
        parsed(event("$rp" + id, "m.space.parent", "@o:hs", parent, "{\"via\":[\"hs\"],\"canonical\":true}")),
        parsed(event("$rt" + id, "io.melo.channel", "@o:hs", "", "{\"type\":\"TEXT\"}")),
        parsed(event("$rm" + id, "m.room.member", ME, ME, "{\"membership\":\"join\"}")));
  }

  private static SyncBatch emptyCatchUp() {
    return new SyncBatch(SyncResponseParser.parse(new Buffer().writeUtf8("{\"next_batch\":\"t1\"}")), "t0", false);
  }

  @Test
  void aRestartJoinsTheChildrenOfJoinedServersThisUserIsNotIn() throws Exception {
    host.loaded.put("!S:hs", space("!S:hs", false, "!in:hs", "!out:hs", "!gone:hs"));
    host.loaded.put("!in:hs", new RoomState("!in:hs", channel("!in:hs", "!S:hs")));
    host.loaded.put("!D:hs", space("!D:hs", true, "!ofDeleted:hs"));
    host.joinable.put("!out:hs", channel("!out:hs", "!S:hs"));

    processor.accept(emptyCatchUp());

    assertThat(host.joinAttempts).containsExactly("!out:hs");
    assertThat(host.published).filteredOn(ChannelCreated.class::isInstance)
        .extracting(e -> ((ChannelCreated) e).channel().id()).containsExactly("!out:hs");
    assertThat(processor.joinedRoomIds()).contains("!out:hs");
  }

  @Test
  void aJoinThatStillFailsIsRetriedOnLaterBatchesAsBefore() throws Exception {
    host.loaded.put("!S:hs", space("!S:hs", false, "!out:hs"));

    processor.accept(emptyCatchUp());
    assertThat(host.joinAttempts).containsExactly("!out:hs");

    host.joinable.put("!out:hs", channel("!out:hs", "!S:hs"));
    processor.accept(new SyncBatch(SyncResponseParser.parse(new Buffer().writeUtf8("{\"next_batch\":\"t2\"}")), "t1", false));
    assertThat(host.joinAttempts).containsExactly("!out:hs", "!out:hs");
    assertThat(host.published).filteredOn(ChannelCreated.class::isInstance).hasSize(1);
  }
}
