package io.melo.core.internal;

import static io.melo.core.internal.FakeSyncHost.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.MeloClient;
import io.melo.core.UnreadCount;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.MeloEvent;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.sync.InMemorySyncStore;
import io.melo.matrix.sync.SyncBatch;
import io.melo.matrix.sync.SyncResponseParser;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reads of the cache do not wait while the processor waits for the homeserver (review #6). */
class CacheLockTest {

  private static final String ME = "@alice:hs";
  private static final String SPACE = "!space:hs";

  /** A host whose homeserver calls wait until the test lets them go. */
  private static final class SlowHost implements SyncProcessor.Host {
    final FakeSyncHost inner = new FakeSyncHost(ME);
    final CountDownLatch calling = new CountDownLatch(1);
    final CountDownLatch answer = new CountDownLatch(1);

    private void slow() {
      calling.countDown();
      try {
        answer.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public MeloClient client() {
      return inner.client();
    }

    @Override
    public String userId() {
      return ME;
    }

    @Override
    public Namespace namespace() {
      return inner.namespace();
    }

    @Override
    public Optional<RoomState> joinChannel(String channelId, List<String> via) {
      slow();
      return inner.joinChannel(channelId, via);
    }

    @Override
    public void publish(MeloEvent event) {
      inner.publish(event);
    }

    @Override
    public void awaitDelivered() {}

    @Override
    public Optional<RoomEvent> fetchEvent(String roomId, String eventId) {
      slow();
      return inner.fetchEvent(roomId, eventId);
    }

    @Override
    public Map<String, RoomState> loadJoinedRooms() {
      slow();
      return inner.loadJoinedRooms();
    }
  }

  private final SlowHost host = new SlowHost();
  private final InMemorySyncStore backing = new InMemorySyncStore();
  private final SyncProcessor processor = new SyncProcessor(host, new SequencedStore(backing, "@me:test"));

  @AfterEach
  void release() {
    host.answer.countDown();
  }

  private static SyncBatch batch(String since, String next, String spaceTimeline) {
    String json = "{\"next_batch\":\"" + next + "\",\"rooms\":{\"join\":{\"" + SPACE + "\":{\"timeline\":{\"events\":["
        + spaceTimeline + "]},\"unread_notifications\":{\"highlight_count\":1,\"notification_count\":3}}}}}";
    return new SyncBatch(SyncResponseParser.parse(new Buffer().writeUtf8(json)), since, false);
  }

  private static String space() {
    return String.join(",",
        event("$c", "m.room.create", ME, "", "{\"type\":\"m.space\",\"room_version\":\"10\"}"),
        event("$j", "m.room.member", ME, ME, "{\"membership\":\"join\"}"),
        event("$s", "io.melo.server", ME, "", "{\"ownerId\":\"" + ME + "\",\"inviteCode\":\"AAAAAAAAAAAAAAAAAAAAAA\"}"));
  }

  private static RoomEvent stateEvent(String roomId, String json) {
    return RoomEvent.from(io.melo.matrix.json.JsonObject.parseObject(json), roomId);
  }

  private CompletableFuture<Void> acceptInBackground(SyncBatch batch) {
    return CompletableFuture.runAsync(() -> {
      try {
        processor.accept(batch);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void readsGoOnWhileANewChannelIsBeingJoined() throws Exception {
    processor.accept(batch(null, "t1", space()));
    host.inner.joinable.put("!new:hs", List.of(
        stateEvent("!new:hs", event("$nc", "m.room.create", ME, "", "{}")),
        stateEvent("!new:hs", event("$nch", "io.melo.channel", ME, "", "{\"type\":\"TEXT\"}"))));
    CompletableFuture<Void> accepting =
        acceptInBackground(batch("t1", "t2", event("$child", "m.space.child", ME, "!new:hs", "{\"via\":[\"hs\"]}")));
    assertThat(host.calling.await(10, TimeUnit.SECONDS)).isTrue();

    // The join waits for the homeserver; the cache still answers.
    UnreadCount unread = CompletableFuture.supplyAsync(() -> processor.unread(SPACE)).get(10, TimeUnit.SECONDS);
    assertThat(unread).isEqualTo(new UnreadCount(3, 1));
    assertThat(CompletableFuture.supplyAsync(processor::invites).get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(accepting).isNotDone();

    host.answer.countDown();
    accepting.get(10, TimeUnit.SECONDS);
    assertThat(host.inner.published).singleElement().isInstanceOf(ChannelCreated.class);
    assertThat(backing.load().get()).endsWith(" t2");
  }

  @Test
  void readsGoOnWhileTheStateIsReloadedAfterARestart() throws Exception {
    backing.save("0 t1"); // a restart: the first batch resumes from a stored token
    CompletableFuture<Void> accepting = acceptInBackground(batch("t1", "t2", ""));
    assertThat(host.calling.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(CompletableFuture.supplyAsync(() -> processor.unread(SPACE)).get(10, TimeUnit.SECONDS))
        .isEqualTo(UnreadCount.NONE);
    assertThat(accepting).isNotDone();

    host.answer.countDown();
    accepting.get(10, TimeUnit.SECONDS);
    assertThat(processor.unread(SPACE)).isEqualTo(new UnreadCount(3, 1));
  }
}
