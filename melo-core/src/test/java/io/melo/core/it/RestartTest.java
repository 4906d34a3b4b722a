package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Channel;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MeloListener;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageDeleted;
import io.melo.core.event.MessageEdited;
import io.melo.matrix.sync.FileSyncStore;
import io.melo.testkit.HomeserverExtension;
import io.melo.testkit.TestUser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A client restarted on its file store neither loses nor repeats events. */
class RestartTest {

  @RegisterExtension final HomeserverExtension hs = new HomeserverExtension();

  @TempDir Path dir;

  private final Map<MeloClient, GatedExecutor> gates = new java.util.IdentityHashMap<>();

  /** A client whose events wait until {@link #recorder} listens, so that none of its first batch is missed. */
  private MeloClient client(TestUser user, Path storeFile) {
    GatedExecutor gate = new GatedExecutor(Runnable::run);
    MeloConfig config = MeloConfig.builder(hs.baseUrl())
        .eventExecutor(gate)
        .store(new FileSyncStore(storeFile))
        .build();
    MeloClient client = MeloClient.connect(config, user.userId(), user.accessToken());
    gates.put(client, gate);
    return client;
  }

  private Recorder recorder(MeloClient client) {
    return new Recorder(client, gates.get(client)::open);
  }

  /**
   * MeloEvent#sequence "survives restarts" (review9 #4): the connection events at the end of a run
   * (here STOPPED) were numbered but never saved, so the next run handed their numbers out again.
   */
  @Test
  void noTwoEventsOfOneStoreShareASequenceNumberAcrossARestart() throws Exception {
    TestUser alice = hs.register("alice");
    Path store = dir.resolve("alice.sync");
    List<MeloEvent> first = new CopyOnWriteArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch connected = new CountDownLatch(1);
    MeloListener recordFirst = event -> {
      first.add(event);
      if (event instanceof ConnectionStateChanged c && c.state() == ConnectionState.STOPPED) {
        stopped.countDown();
      }
      if (event instanceof ConnectionStateChanged c && c.state() == ConnectionState.CONNECTED) {
        connected.countDown();
      }
    };
    MeloConfig config1 = MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run)
        .store(new FileSyncStore(store)).listener(recordFirst).build();
    MeloClient one = MeloClient.connect(config1, alice.userId(), alice.accessToken());
    assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
    one.close();
    assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();

    List<MeloEvent> second = new CopyOnWriteArrayList<>();
    CountDownLatch connectedAgain = new CountDownLatch(1);
    MeloListener recordSecond = event -> {
      second.add(event);
      if (event instanceof ConnectionStateChanged c && c.state() == ConnectionState.CONNECTED) {
        connectedAgain.countDown();
      }
    };
    MeloConfig config2 = MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run)
        .store(new FileSyncStore(store)).listener(recordSecond).build();
    try (MeloClient two = MeloClient.connect(config2, alice.userId(), alice.accessToken())) {
      assertThat(connectedAgain.await(10, TimeUnit.SECONDS)).isTrue();
    }

    long lastOfFirstRun = first.stream().mapToLong(MeloEvent::sequence).max().orElseThrow();
    assertThat(second.get(0).sequence())
        .as("first run: %s%nsecond run: %s", first, second)
        .isGreaterThan(lastOfFirstRun);
  }

  @Test
  void eventsWhileDownArriveOnceAfterTheRestartAndOldOnesDoNotRepeat() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    Path store = dir.resolve("alice.sync");
    Server server;
    Channel general;
    long before;
    try (MeloClient first = client(alice, store)) {
      Recorder events = recorder(first);
      server = first.createServer("HQ").execute();
      general = first.channels(server.id()).execute().get(0);
      bob.join(server.id());
      bob.join(general.id());
      bob.sendText(general.id(), "one");
      MessageCreated one = events.await(MessageCreated.class, e -> e.message().body().equals("one"));
      before = one.sequence();
    }
    bob.sendText(general.id(), "two");

    try (MeloClient second = client(alice, store)) {
      Recorder events = recorder(second);
      MessageCreated two = events.await(MessageCreated.class);
      assertThat(two.message().body()).isEqualTo("two");
      assertThat(two.sequence()).isGreaterThan(before);
      bob.sendText(general.id(), "three");
      assertThat(events.await(MessageCreated.class).message().body()).isEqualTo("three");
      assertThat(events.seen(MessageCreated.class)).extracting(e -> e.message().body()).containsExactly("two", "three");
    }
  }

  @Test
  void aGapAfterALongAbsenceIsReportedWithACursorThatFillsIt() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    Path store = dir.resolve("alice.sync");
    Channel general;
    try (MeloClient first = client(alice, store)) {
      recorder(first);
      Server server = first.createServer("HQ").execute();
      general = first.channels(server.id()).execute().get(0);
      bob.join(server.id());
      bob.join(general.id());
      Recorder events = recorder(first);
      bob.sendText(general.id(), "before");
      events.await(MessageCreated.class);
    }
    for (int i = 0; i < 60; i++) {
      bob.sendText(general.id(), "missed " + i);
    }
    try (MeloClient second = client(alice, store)) {
      Recorder events = recorder(second);
      io.melo.core.event.HistoryGap gap = events.await(io.melo.core.event.HistoryGap.class);
      assertThat(gap.roomId()).isEqualTo(general.id());
      java.util.Set<String> bodies = new java.util.HashSet<>();
      events.seen(MessageCreated.class).forEach(e -> bodies.add(e.message().body()));
      String cursor = gap.cursor();
      for (int pages = 0; pages < 20 && cursor != null; pages++) {
        io.melo.core.MessagePage page = second.messages(general.id(), cursor, 20).execute();
        page.messages().forEach(m -> bodies.add(m.body()));
        cursor = page.nextCursor().orElse(null);
      }
      for (int i = 0; i < 60; i++) {
        assertThat(bodies).contains("missed " + i);
      }
    }
  }

  @Test
  void anEditAndADeletionOfMessagesFromBeforeARestartAreReported() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    Path store = dir.resolve("alice.sync");
    Channel general;
    String toEdit;
    String toDelete;
    try (MeloClient first = client(alice, store)) {
      Recorder events = recorder(first);
      Server server = first.createServer("HQ").execute();
      general = first.channels(server.id()).execute().get(0);
      bob.join(server.id());
      bob.join(general.id());
      toEdit = bob.sendText(general.id(), "to edit");
      toDelete = bob.sendText(general.id(), "to delete");
      events.await(MessageCreated.class, e -> e.message().body().equals("to delete"));
    }

    try (MeloClient second = client(alice, store)) {
      Recorder events = recorder(second);
      // A forged edit by another user is still ignored; the author's edit counts.
      alice.send(general.id(), "m.room.message", Map.of("msgtype", "m.text", "body", "* forged",
          "m.new_content", Map.of("msgtype", "m.text", "body", "forged"),
          "m.relates_to", Map.of("rel_type", "m.replace", "event_id", toEdit)));
      bob.send(general.id(), "m.room.message", Map.of("msgtype", "m.text", "body", "* edited",
          "m.new_content", Map.of("msgtype", "m.text", "body", "edited"),
          "m.relates_to", Map.of("rel_type", "m.replace", "event_id", toEdit)));
      bob.redact(general.id(), toDelete);
      bob.sendText(general.id(), "marker");
      events.await(MessageCreated.class, e -> e.message().body().equals("marker"));

      assertThat(events.seen(MessageEdited.class)).singleElement().satisfies(e -> {
        assertThat(e.message().id()).isEqualTo(toEdit);
        assertThat(e.message().body()).isEqualTo("edited");
        assertThat(e.message().senderId()).isEqualTo(bob.userId());
      });
      assertThat(events.seen(MessageDeleted.class)).singleElement().satisfies(e -> {
        assertThat(e.messageId()).isEqualTo(toDelete);
        assertThat(e.deletedBy()).isEqualTo(bob.userId());
      });
    }
  }

  @Test
  void aMemberWhoJoinedWhileDownIsReportedAfterTheRestart() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    Path store = dir.resolve("alice.sync");
    Server server;
    Channel general;
    try (MeloClient first = client(alice, store)) {
      Recorder events = recorder(first);
      server = first.createServer("HQ").execute();
      general = first.channels(server.id()).execute().get(0);
      first.sendText(general.id(), "mark").execute();
      events.await(MessageCreated.class);
    }
    bob.join(server.id());

    try (MeloClient second = client(alice, store)) {
      Recorder events = recorder(second);
      bob.join(general.id());
      bob.sendText(general.id(), "after");
      events.await(MessageCreated.class, e -> e.message().body().equals("after"));
      assertThat(events.seen(MemberJoined.class)).extracting(MemberJoined::userId).containsExactly(bob.userId());
    }
  }
}
