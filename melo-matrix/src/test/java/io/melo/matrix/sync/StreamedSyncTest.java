package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.MatrixProtocolException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** Joined rooms handed over one by one while a /sync answer is read, and what a broken answer does then. */
class StreamedSyncTest extends OverHttpSyncScene {

  static String event(String id, String type, String stateKey, String content) {
    return "{\"event_id\":\"" + id + "\",\"type\":\"" + type + "\",\"sender\":\"@a:hs\",\"origin_server_ts\":1"
        + (stateKey == null ? "" : ",\"state_key\":\"" + stateKey + "\"") + ",\"content\":" + content + "}";
  }

  static String room(String id, String name) {
    return "\"" + id + "\":{\"state\":{\"events\":[" + event("$n" + name, "m.room.name", "", "{\"name\":\"" + name + "\"}")
        + "]},\"timeline\":{\"events\":[" + event("$m" + name, "m.room.message", null, "{\"body\":\"hi\"}")
        + ",{\"type\":\"broken\"}],\"limited\":true,\"prev_batch\":\"p-" + name + "\"}}";
  }

  /** The first part of an answer: its token, an invite, and the start of the joined rooms. */
  static final String HEAD = "{\"next_batch\":\"n1\",\"rooms\":{\"invite\":{\"!inv:hs\":{\"invite_state\":{\"events\":[]}}},"
      + "\"join\":{" + room("!a:hs", "A") + ",";
  static final String WHOLE = HEAD + room("!b:hs", "B") + "},\"leave\":{\"!gone:hs\":{}}},"
      + "\"presence\":{\"events\":[{\"type\":\"m.presence\",\"sender\":\"@b:hs\",\"content\":{\"presence\":\"online\"}}]}}";

  final List<JoinedRoom> streamed = new CopyOnWriteArrayList<>();

  @Test
  void joinedRoomsGoToTheSinkInOrderAndTheRestStaysInTheResponse() {
    SyncResponse response = SyncResponseParser.parse(new Buffer().writeUtf8(WHOLE), streamed::add);

    assertThat(streamed).extracting(JoinedRoom::roomId).containsExactly("!a:hs", "!b:hs");
    JoinedRoom a = streamed.get(0);
    assertThat(a.state()).singleElement().satisfies(e -> assertThat(e.roomId()).isEqualTo("!a:hs"));
    assertThat(a.timeline().events()).extracting(e -> e.eventId()).containsExactly("$mA");
    assertThat(a.timeline().limited()).isTrue();
    assertThat(a.timeline().prevBatch()).isEqualTo("p-A");
    assertThat(response.rooms().join()).isEmpty();
    assertThat(response.rooms().invite()).containsOnlyKeys("!inv:hs");
    assertThat(response.rooms().leave()).containsOnlyKeys("!gone:hs");
    assertThat(response.presence()).hasSize(1);
    assertThat(response.nextBatch()).isEqualTo("n1");
    // what a streamed room set aside is still reported, with its path
    assertThat(response.rejected()).extracting(SyncResponse.Rejected::path)
        .containsExactly("rooms.join.!a:hs.timeline.events[1]", "rooms.join.!b:hs.timeline.events[1]");
  }

  @Test
  void theSameAnswerParsedWholeHasTheSameRooms() {
    SyncResponse whole = SyncResponseParser.parse(new Buffer().writeUtf8(WHOLE));
    SyncResponseParser.parse(new Buffer().writeUtf8(WHOLE), streamed::add);
    assertThat(streamed).containsExactlyElementsOf(whole.rooms().join().values());
  }

  @Test
  void anAnswerThatBreaksOffAfterARoomStillFails() {
    assertThatThrownBy(() -> SyncResponseParser.parse(new Buffer().writeUtf8(HEAD), streamed::add))
        .isInstanceOf(MatrixProtocolException.class);
    assertThat(streamed).extracting(JoinedRoom::roomId).containsExactly("!a:hs");
  }

  @Test
  void whatTheSinkThrowsComesOutUnchanged() {
    IllegalStateException refused = new IllegalStateException("refused");
    assertThatThrownBy(() -> SyncResponseParser.parse(new Buffer().writeUtf8(WHOLE), room -> {
      throw refused;
    })).isSameAs(refused);
  }

  // ------------------------------------------------------------------ over HTTP

  final BlockingQueue<SyncBatch> delivered = new LinkedBlockingQueue<>();
  final CountDownLatch releasePolls = new CountDownLatch(1);

  static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  void serve(Dispatcher dispatcher) {
    server.setDispatcher(dispatcher);
  }

  @Test
  void onlyTheInitialSyncIsStreamed() {
    serve(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return json(WHOLE);
      }
    });
    SyncSource source = client.syncSource(streamed::add);

    SyncResponse initial = source.fetch(SyncRequest.builder().build());
    assertThat(initial.rooms().join()).isEmpty();
    assertThat(streamed).hasSize(2);

    SyncResponse incremental = source.fetch(SyncRequest.builder().build().withSince("n1"));
    assertThat(incremental.rooms().join()).containsOnlyKeys("!a:hs", "!b:hs");
    assertThat(streamed).hasSize(2);
  }

  @Test
  void aSinkThatThrowsFailsTheFetchAsABrokenAnswer() {
    serve(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return json(WHOLE);
      }
    });
    SyncSource source = client.syncSource(room -> {
      throw new IllegalStateException("cannot take " + room.roomId());
    });
    assertThatThrownBy(() -> source.fetch(SyncRequest.builder().build()))
        .isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("cannot take !a:hs");
  }

  @Test
  void anInitialSyncThatBreaksOffMidwayIsAskedAgainAndDeliveredOnceCompleteWithItsTokenSavedAfter()
      throws Exception {
    AtomicInteger initialAnswers = new AtomicInteger();
    serve(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (request.getUrl().queryParameter("since") == null) {
          // the first answer stops after the first room: truncated JSON
          return json(initialAnswers.incrementAndGet() == 1 ? HEAD : WHOLE);
        }
        releasePolls.await(30, TimeUnit.SECONDS); // parks the long poll until the server closes
        return json("{\"next_batch\":\"late\"}");
      }

      @Override
      public void close() {
        releasePolls.countDown();
      }
    });
    InMemorySyncStore store = new InMemorySyncStore();
    List<String> storeWhenDelivered = new CopyOnWriteArrayList<>();
    loop = SyncLoop.builder(client.syncSource(streamed::add), batch -> {
          storeWhenDelivered.add(store.load().orElse("-"));
          delivered.add(batch);
        })
        .store(store)
        .sleeper(d -> { })
        .closeTimeout(Duration.ofSeconds(10))
        .build();
    loop.start();

    SyncBatch batch = delivered.poll(10, TimeUnit.SECONDS);
    assertThat(batch).isNotNull();
    assertThat(batch.isInitial()).isTrue();
    assertThat(batch.response().nextBatch()).isEqualTo("n1");
    assertThat(batch.response().rooms().join()).isEmpty();
    assertThat(initialAnswers.get()).isEqualTo(2);
    // the broken answer's room first, then the complete answer's rooms again
    assertThat(streamed).extracting(JoinedRoom::roomId).containsExactly("!a:hs", "!a:hs", "!b:hs");
    assertThat(storeWhenDelivered).containsExactly("-"); // nothing saved before the consumer had the batch
    loop.close();
    assertThat(store.load()).contains("n1");
    assertThat(delivered).isEmpty();
  }
}
