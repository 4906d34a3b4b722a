package io.melo.core.internal;

import static io.melo.core.internal.FakeSyncHost.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.event.ChannelCreated;
import io.melo.core.event.ChannelUpdated;
import io.melo.core.event.ChannelsReordered;
import io.melo.core.event.MeloEvent;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.sync.InMemorySyncStore;
import io.melo.matrix.sync.SyncBatch;
import io.melo.matrix.sync.SyncResponseParser;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** Channel events agree with channels(): its order (review #11), and deleted channels are no channels (#12). */
class ChannelEventsTest {

  private static final String ME = "@alice:hs";
  private static final String SPACE = "!space:hs";

  private final FakeSyncHost host = new FakeSyncHost(ME);
  private final List<MeloEvent> published = host.published;
  private final SyncProcessor processor = new SyncProcessor(host, new SequencedStore(new InMemorySyncStore(), "@me:test"));

  private static String child(String roomId) {
    return event("$child" + roomId, "m.space.child", ME, roomId, "{\"via\":[\"hs\"]}");
  }

  private static String space(String... children) {
    StringBuilder state = new StringBuilder(String.join(",",
        event("$c", "m.room.create", ME, "", "{\"type\":\"m.space\",\"room_version\":\"10\"}"),
        event("$j", "m.room.member", ME, ME, "{\"membership\":\"join\"}"),
        event("$s", "io.melo.server", ME, "", "{\"ownerId\":\"" + ME + "\",\"inviteCode\":\"AAAAAAAAAAAAAAAAAAAAAA\"}")));
    for (String c : children) {
      state.append(',').append(child(c));
    }
    return state.toString();
  }

  /** A channel's state; all create events have the same timestamp, so only createdAt tells them apart. */
  private static String channel(String roomId, String createdAt, boolean deleted) {
    return String.join(",",
        event("$rc" + roomId, "m.room.create", ME, "", "{\"room_version\":\"10\"}"),
        event("$rj" + roomId, "m.room.member", ME, ME, "{\"membership\":\"join\"}"),
        event("$parent" + roomId, "m.space.parent", ME, SPACE, "{\"via\":[\"hs\"]}"),
        event("$ch" + roomId, "io.melo.channel", ME, "", "{\"type\":\"TEXT\",\"createdAt\":\"" + createdAt + "\"}"))
        + (deleted ? "," + event("$del" + roomId, "io.melo.channel_deleted", ME, "", "{\"deletedBy\":\"" + ME + "\"}") : "");
  }

  private static String room(String roomId, String timeline) {
    return "\"" + roomId + "\":{\"timeline\":{\"events\":[" + timeline + "]}}";
  }

  private void batch(String since, String next, String... rooms) throws Exception {
    String json = "{\"next_batch\":\"" + next + "\",\"rooms\":{\"join\":{" + String.join(",", rooms) + "}}}";
    processor.accept(new SyncBatch(SyncResponseParser.parse(new Buffer().writeUtf8(json)), since, false));
  }

  private void setUp() throws Exception {
    batch(null, "t1",
        room(SPACE, space("!a:hs", "!b:hs", "!d:hs")),
        room("!a:hs", channel("!a:hs", "2024-01-02T00:00:00Z", false)),
        room("!b:hs", channel("!b:hs", "2024-01-01T00:00:00Z", false)),
        room("!d:hs", channel("!d:hs", "2023-12-31T00:00:00Z", true)));
    assertThat(published).isEmpty();
  }

  @Test
  void channelsReorderedListsTheChannelsInTheOrderChannelsGives() throws Exception {
    setUp();
    batch("t1", "t2", room(SPACE, event("$o", "io.melo.channel_order", ME, "", "{\"channels\":[]}")));
    // channels(): not deleted, unlisted ones by their own createdAt (b before a), not by the create event
    assertThat(published).singleElement().isInstanceOfSatisfying(ChannelsReordered.class,
        e -> assertThat(e.channelIds()).containsExactly("!b:hs", "!a:hs"));

    published.clear();
    batch("t2", "t3", room(SPACE, event("$o2", "io.melo.channel_order", ME, "",
        "{\"channels\":[{\"roomId\":\"!a:hs\",\"position\":0},{\"roomId\":\"!d:hs\",\"position\":1}]}")));
    assertThat(published).singleElement().isInstanceOfSatisfying(ChannelsReordered.class,
        e -> assertThat(e.channelIds()).containsExactly("!a:hs", "!b:hs"));
  }

  @Test
  void aDeletedChannelFiresNoChannelUpdated() throws Exception {
    setUp();
    batch("t1", "t2",
        room("!d:hs", event("$n", "m.room.name", ME, "", "{\"name\":\"renamed after deletion\"}")),
        room("!a:hs", event("$n2", "m.room.name", ME, "", "{\"name\":\"renamed\"}")));
    assertThat(published).singleElement().isInstanceOfSatisfying(ChannelUpdated.class,
        e -> assertThat(e.channel().id()).isEqualTo("!a:hs"));
  }

  @Test
  void aNewChildThatIsADeletedChannelFiresNoChannelCreated() throws Exception {
    setUp();
    host.joinable.put("!e:hs", parse(channel("!e:hs", "2024-02-01T00:00:00Z", true)));
    host.joinable.put("!f:hs", parse(channel("!f:hs", "2024-02-02T00:00:00Z", false)));
    batch("t1", "t2", room(SPACE, child("!e:hs") + "," + child("!f:hs")));
    assertThat(host.joinAttempts).containsExactly("!e:hs", "!f:hs");
    assertThat(published).singleElement().isInstanceOfSatisfying(ChannelCreated.class,
        e -> assertThat(e.channel().id()).isEqualTo("!f:hs"));
  }

  private static List<RoomEvent> parse(String events) {
    return JsonObject.parseObject("{\"e\":[" + events + "]}").getArrayOrEmpty("e").objects().stream()
        .map(o -> RoomEvent.from(o, null)).toList();
  }
}
