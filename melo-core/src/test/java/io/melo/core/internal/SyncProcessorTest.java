package io.melo.core.internal;

import static io.melo.core.internal.FakeSyncHost.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Role;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageDeleted;
import io.melo.core.event.MessageEdited;
import io.melo.core.event.RoleChanged;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.sync.InMemorySyncStore;
import io.melo.matrix.sync.SyncBatch;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import io.melo.matrix.sync.SyncStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** The sync processor on hand-written /sync answers: what is news, what fires once, what is ignored. */
class SyncProcessorTest {

  private static final String ME = "@alice:hs";

  /** ME's store over {@code backing}, its clock at 0: a fresh store numbers from 0 as before. */
  private static SequencedStore numbered(SyncStore backing) {
    return new SequencedStore(backing, ME, () -> 0);
  }
  private static final String SPACE = "!space:hs";
  private static final String ROOM = "!general:hs";

  private final FakeSyncHost host = new FakeSyncHost(ME);
  private final List<MeloEvent> published = host.published;
  private final List<String> joinAttempts = host.joinAttempts;
  private final Map<String, RoomEvent> fetchable = host.fetchable;
  private final InMemorySyncStore backing = new InMemorySyncStore();
  private final SequencedStore store = numbered(backing);
  private final SyncProcessor processor = new SyncProcessor(host, store);

  private static String text(String id, String sender, String body) {
    return event(id, "m.room.message", sender, null, "{\"msgtype\":\"m.text\",\"body\":\"" + body + "\"}");
  }

  private static SyncBatch batch(String since, String next, String spaceTimeline, String roomTimeline) {
    String json = "{\"next_batch\":\"" + next + "\",\"rooms\":{\"join\":{"
        + "\"" + SPACE + "\":{\"timeline\":{\"events\":[" + spaceTimeline + "]}},"
        + "\"" + ROOM + "\":{\"timeline\":{\"events\":[" + roomTimeline + "]}}}}}";
    SyncResponse response = SyncResponseParser.parse(new Buffer().writeUtf8(json));
    return new SyncBatch(response, since, false);
  }

  private static String spaceSetup() {
    return String.join(",",
        event("$c", "m.room.create", ME, "", "{\"type\":\"m.space\",\"room_version\":\"10\"}"),
        event("$j", "m.room.member", ME, ME, "{\"membership\":\"join\"}"),
        event("$p", "m.room.power_levels", ME, "", "{\"users\":{\"" + ME + "\":101}}"),
        event("$s", "io.melo.server", ME, "", "{\"ownerId\":\"" + ME + "\",\"inviteCode\":\"AAAAAAAAAAAAAAAAAAAAAA\"}"),
        event("$child", "m.space.child", ME, ROOM, "{\"via\":[\"hs\"]}"));
  }

  private static String roomSetup() {
    return String.join(",",
        event("$rc", "m.room.create", ME, "", "{\"room_version\":\"10\"}"),
        event("$rj", "m.room.member", ME, ME, "{\"membership\":\"join\"}"),
        event("$parent", "m.space.parent", ME, SPACE, "{\"via\":[\"hs\"],\"canonical\":true}"),
        event("$ch", "io.melo.channel", ME, "", "{\"type\":\"TEXT\"}"));
  }

  @Test
  void theInitialSyncIsCatchUpAndLaterBatchesAreNewsDeliveredOnce() throws Exception {
    processor.accept(batch(null, "t1", spaceSetup(), roomSetup() + "," + text("$old", "@bob:hs", "old")));
    assertThat(published).isEmpty();
    assertThat(backing.load()).isPresent();

    SyncBatch next = batch("t1", "t2", "", text("$new", "@bob:hs", "new"));
    processor.accept(next);
    processor.accept(next); // handed over again by the loop: nothing twice
    assertThat(published).hasSize(1);
    MessageCreated created = (MessageCreated) published.get(0);
    assertThat(created.message().body()).isEqualTo("new");
    assertThat(created.serverId()).contains(SPACE);
    assertThat(backing.load().get()).endsWith(" t2").startsWith(created.sequence() + " ");
  }

  /** A channel's limited timeline: {@code prevBatch} null for none. */
  private static SyncBatch limitedBatch(String since, String next, String prevBatch, String roomTimeline) {
    String json = "{\"next_batch\":\"" + next + "\",\"rooms\":{\"join\":{"
        + "\"" + ROOM + "\":{\"timeline\":{\"limited\":true,"
        + (prevBatch == null ? "" : "\"prev_batch\":\"" + prevBatch + "\",")
        + "\"events\":[" + roomTimeline + "]}}}}}";
    return new SyncBatch(SyncResponseParser.parse(new Buffer().writeUtf8(json)), since, false);
  }

  /**
   * A gap is never skipped silently (review9): a limited timeline without prev_batch is a
   * HistoryGap too, with an empty cursor (page from the newest message), as its Javadoc says.
   */
  @Test
  void aLimitedTimelineIsAGapWithOrWithoutACursor() throws Exception {
    processor.accept(batch(null, "t1", spaceSetup(), roomSetup()));
    processor.accept(limitedBatch("t1", "t2", "p2", text("$a", "@bob:hs", "after a gap")));
    processor.accept(limitedBatch("t2", "t3", null, text("$b", "@bob:hs", "after another gap")));

    assertThat(published).filteredOn(e -> e instanceof io.melo.core.event.HistoryGap)
        .extracting(e -> ((io.melo.core.event.HistoryGap) e).cursor())
        .containsExactly("p2", "");
    assertThat(published).filteredOn(e -> e instanceof MessageCreated).hasSize(2);
  }

  /**
   * MeloEvent#sequence across restarts (review9 #4): a connection event's number is saved at once,
   * so the next run on the store never hands it out again; and a batch whose delivery a crash cut
   * short (its token never saved) comes again with the numbers it had, above the new run's
   * connection events and below none of them.
   */
  @Test
  void sequenceNumbersAreNeverHandedOutTwiceAndARedeliveredBatchKeepsItsNumbers() throws Exception {
    List<Long> firstRun = new ArrayList<>();
    firstRun.add(processor.nextSequence()); // CONNECTING
    processor.accept(batch(null, "t1", spaceSetup(), roomSetup()));
    firstRun.add(processor.nextSequence()); // CONNECTED
    SyncBatch cut = batch("t1", "t2", "", text("$x", "@bob:hs", "x") + "," + text("$y", "@bob:hs", "y"));
    processor.acceptAsync(cut).toCompletableFuture().get(); // delivered; the process dies before the loop saves t2
    published.forEach(e -> firstRun.add(e.sequence()));
    assertThat(firstRun).as("one run: increasing").isSorted().doesNotHaveDuplicates();

    FakeSyncHost restartedHost = new FakeSyncHost(ME);
    SequencedStore reloaded = numbered(backing);
    assertThat(reloaded.load()).contains("t1");
    SyncProcessor restarted = new SyncProcessor(restartedHost, reloaded);
    long connecting = restarted.nextSequence();
    long connected = restarted.nextSequence();
    restartedHost.loaded.put(SPACE, processor.room(SPACE).orElseThrow().copy());
    restartedHost.loaded.put(ROOM, processor.room(ROOM).orElseThrow().copy());
    restarted.accept(cut);
    restarted.nextSequence(); // STOPPED: saved too
    long stoppedLast = restarted.nextSequence();

    assertThat(List.of(connecting, connected)).doesNotContainAnyElementsOf(firstRun);
    assertThat(connecting).isGreaterThan(firstRun.get(1));
    assertThat(restartedHost.published).extracting(MeloEvent::sequence)
        .as("the batch again, with its numbers").containsExactlyElementsOf(firstRun.subList(2, firstRun.size()))
        .allSatisfy(n -> assertThat(n).isGreaterThan(connected));
    assertThat(new SyncProcessor(new FakeSyncHost(ME), numbered(backing)).nextSequence())
        .as("after a stop, on from the last number handed out").isEqualTo(stoppedLast + 1);
  }

  /** The store's format: older values still load, and a number handed out before any token is kept too. */
  @Test
  void theSequencedStoreReadsOlderValuesAndKeepsNumbersWithoutAToken() {
    backing.save("plain-token"); // an older client's: no sequence
    SequencedStore older = numbered(backing);
    assertThat(older.load()).contains("plain-token");
    assertThat(older.sequence()).isZero();

    backing.save("12 t9"); // before connection events were saved
    SequencedStore numbered = numbered(backing);
    assertThat(numbered.load()).contains("t9");
    assertThat(numbered.highest()).isEqualTo(12);
    numbered.handedOut(13);
    assertThat(backing.load()).contains("12/13 " + ME + " t9");

    backing.clear();
    SequencedStore fresh = numbered(backing);
    assertThat(fresh.load()).isEmpty();
    fresh.handedOut(1); // CONNECTING before the first batch: no token yet
    SequencedStore again = numbered(backing);
    assertThat(again.load()).as("still no token").isEmpty();
    assertThat(again.highest()).isEqualTo(1);
    assertThat(again.sequence()).isZero();
  }

  @Test
  void anOwnSendIsConfirmedOnceByItsTransactionIdEvenIfTheServerStoredItTwice() throws Exception {
    processor.accept(batch(null, "t1", spaceSetup(), roomSetup()));
    String echo = ",\"unsigned\":{\"transaction_id\":\"txn-1\"}}";
    String first = text("$mine", ME, "mine");
    String second = text("$mine-again", ME, "mine");
    String forgedTxn = text("$bob", "@bob:hs", "theirs");
    processor.accept(batch("t1", "t2", "", first.substring(0, first.length() - 1) + echo));
    processor.accept(batch("t2", "t3", "",
        second.substring(0, second.length() - 1) + echo + "," + forgedTxn.substring(0, forgedTxn.length() - 1) + echo));

    assertThat(published).extracting(e -> (MessageCreated) e)
        .extracting(e -> e.message().id() + " " + e.transactionId().orElse("-"))
        .containsExactly("$mine txn-1", "$bob -");
  }

  @Test
  void aFailingAutoJoinIsTriedOnceMoreOnEachLaterBatchThenGivenUp() throws Exception {
    processor.accept(batch(null, "t1", spaceSetup(), roomSetup()));
    joinAttempts.clear(); // (general may be tried before its own timeline in the batch is read)
    processor.accept(batch("t1", "t2", event("$new", "m.space.child", ME, "!new:hs", "{\"via\":[\"hs\"]}"), ""));
    assertThat(joinAttempts).containsExactly("!new:hs"); // not again within the same batch
    for (int i = 3; i < 3 + 2 * SyncProcessor.JOIN_ATTEMPTS; i++) {
      processor.accept(batch("t" + (i - 1), "t" + i, "", text("$m" + i, "@bob:hs", "tick")));
    }
    assertThat(joinAttempts).hasSize(SyncProcessor.JOIN_ATTEMPTS).containsOnly("!new:hs");
  }

  @Test
  void noAutoJoinIsRetriedForAChannelRemovedFromTheSpace() throws Exception {
    processor.accept(batch(null, "t1", spaceSetup(), roomSetup()));
    joinAttempts.clear(); // (general may be tried before its own timeline in the batch is read)
    processor.accept(batch("t1", "t2", event("$new", "m.space.child", ME, "!new:hs", "{\"via\":[\"hs\"]}"), ""));
    processor.accept(batch("t2", "t3", event("$gone", "m.space.child", ME, "!new:hs", "{}"), ""));
    processor.accept(batch("t3", "t4", "", text("$m", "@bob:hs", "tick")));
    assertThat(joinAttempts).containsExactly("!new:hs");
  }

  @Test
  void anEditCountsOnlyFromTheAuthor() throws Exception {
    processor.accept(batch(null, "t1", spaceSetup(), roomSetup()));
    processor.accept(batch("t1", "t2", "", text("$m", "@bob:hs", "hi")));
    String forged = event("$f", "m.room.message", "@mallory:hs", null,
        "{\"msgtype\":\"m.text\",\"body\":\"* pwned\",\"m.new_content\":{\"msgtype\":\"m.text\",\"body\":\"pwned\"},"
            + "\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$m\"}}");
    String real = event("$e", "m.room.message", "@bob:hs", null,
        "{\"msgtype\":\"m.text\",\"body\":\"* hello\",\"m.new_content\":{\"msgtype\":\"m.text\",\"body\":\"hello\"},"
            + "\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$m\"}}");
    processor.accept(batch("t2", "t3", "", forged + "," + real));
    List<MessageEdited> edits = new ArrayList<>();
    published.forEach(e -> {
      if (e instanceof MessageEdited m) {
        edits.add(m);
      }
    });
    assertThat(edits).hasSize(1);
    assertThat(edits.get(0).message().body()).isEqualTo("hello");
    assertThat(edits.get(0).editEventId()).isEqualTo("$e");
  }

  @Test
  void anEditOfAMessageOutsideTheLiveCacheIsReadFirstAndCountsOnlyFromTheAuthor() throws Exception {
    processor.accept(batch(null, "t1", spaceSetup(), roomSetup()));
    fetchable.put("$old", RoomEvent.from(JsonObject.parseObject(text("$old", "@bob:hs", "yesterday"))));
    String forged = event("$f", "m.room.message", "@mallory:hs", null,
        "{\"msgtype\":\"m.text\",\"body\":\"* pwned\",\"m.new_content\":{\"msgtype\":\"m.text\",\"body\":\"pwned\"},"
            + "\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$old\"}}");
    String real = event("$e", "m.room.message", "@bob:hs", null,
        "{\"msgtype\":\"m.text\",\"body\":\"* today\",\"m.new_content\":{\"msgtype\":\"m.text\",\"body\":\"today\"},"
            + "\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$old\"}}");
    processor.accept(batch("t1", "t2", "", forged + "," + real));

    assertThat(published).singleElement().isInstanceOfSatisfying(MessageEdited.class, e -> {
      assertThat(e.message().id()).isEqualTo("$old");
      assertThat(e.message().body()).isEqualTo("today");
      assertThat(e.editEventId()).isEqualTo("$e");
    });
  }

  @Test
  void aRedactionOfAMessageOutsideTheLiveCacheIsADeletionButOfAReactionIsNot() throws Exception {
    processor.accept(batch(null, "t1", spaceSetup(), roomSetup()));
    String redactedBecause = ",\"unsigned\":{\"redacted_because\":{\"type\":\"m.room.redaction\"}}}";
    String oldMessage = event("$msg", "m.room.message", "@bob:hs", null, "{}");
    String oldReaction = event("$react", "m.reaction", "@bob:hs", null, "{}");
    fetchable.put("$msg", RoomEvent.from(JsonObject.parseObject(
        oldMessage.substring(0, oldMessage.length() - 1) + redactedBecause)));
    fetchable.put("$react", RoomEvent.from(JsonObject.parseObject(
        oldReaction.substring(0, oldReaction.length() - 1) + redactedBecause)));
    String redactions = String.join(",",
        "{\"event_id\":\"$r1\",\"type\":\"m.room.redaction\",\"sender\":\"@bob:hs\",\"origin_server_ts\":1,\"redacts\":\"$msg\",\"content\":{}}",
        "{\"event_id\":\"$r2\",\"type\":\"m.room.redaction\",\"sender\":\"@bob:hs\",\"origin_server_ts\":2,\"redacts\":\"$react\",\"content\":{}}",
        "{\"event_id\":\"$r3\",\"type\":\"m.room.redaction\",\"sender\":\"@bob:hs\",\"origin_server_ts\":3,\"redacts\":\"$msg\",\"content\":{}}",
        "{\"event_id\":\"$r4\",\"type\":\"m.room.redaction\",\"sender\":\"@mod:hs\",\"origin_server_ts\":4,\"redacts\":\"$unreadable\",\"content\":{}}");
    processor.accept(batch("t1", "t2", "", redactions));

    assertThat(published).extracting(e -> ((MessageDeleted) e).messageId() + " by " + ((MessageDeleted) e).deletedBy())
        .containsExactly("$msg by @bob:hs", "$unreadable by @mod:hs");
  }

  @Test
  void aPowerLevelChangeAcrossARoleBoundaryIsARoleChange() throws Exception {
    processor.accept(batch(null, "t1", spaceSetup(), roomSetup()));
    String raised = event("$p2", "m.room.power_levels", ME, "",
        "{\"users\":{\"" + ME + "\":101,\"@bob:hs\":50,\"@carol:hs\":10}}");
    processor.accept(batch("t1", "t2", raised, ""));
    assertThat(published).hasSize(1);
    RoleChanged role = (RoleChanged) published.get(0);
    assertThat(role.userId()).isEqualTo("@bob:hs");
    assertThat(role.oldRole()).isEqualTo(Role.GUEST);
    assertThat(role.newRole()).isEqualTo(Role.MODERATOR);
  }
}
