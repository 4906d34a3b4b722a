package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.Conversation;
import io.melo.core.Member;
import io.melo.core.MemberPage;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.NotFoundException;
import io.melo.core.Role;
import io.melo.core.Server;
import io.melo.core.ServerUpdate;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.ProfileChanged;
import io.melo.core.event.ServerDeleted;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.Stall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reads served from the sync cache: the same answers as the homeserver gives, this client's own
 * writes visible at once even while its sync is held, the homeserver asked before the first sync,
 * and a cache that is behind never refusing what the homeserver allows.
 */
@FakeOnly("holds syncs and counts the requests the homeserver received")
class CacheReadsTest extends ThreeUsersScene {

  /** A client for alice whose first sync is held on the server until {@code held} is released. */
  private MeloClient aliceWithHeldFirstSync(Stall held) throws InterruptedException {
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).build();
    MeloClient client = MeloClient.login(config, alice.userId(), alice.password()).execute();
    assertThat(held.awaitArrival(Duration.ofSeconds(10))).isTrue();
    assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTING);
    return client;
  }

  /** Holds the next /sync of the only syncing client: {@code wake} answers the long poll in flight. */
  private Stall holdSync(Runnable wake) throws InterruptedException {
    Stall held = hs.faults().next(Endpoint.SYNC).stall();
    wake.run();
    assertThat(held.awaitArrival(Duration.ofSeconds(10))).isTrue();
    return held;
  }

  private static List<String> names(List<Channel> channels) {
    return channels.stream().map(Channel::name).toList();
  }

  /** Everything the read methods say about a user's servers and conversations. */
  record Reads(List<Server> servers, Map<String, Server> byId, Map<String, List<Channel>> channels,
      Map<String, List<Member>> members, Map<String, List<MemberPage>> pages, List<Conversation> conversations) {

    static Reads of(MeloClient client) {
      List<Server> servers = client.servers().execute();
      Map<String, Server> byId = new LinkedHashMap<>();
      Map<String, List<Channel>> channels = new LinkedHashMap<>();
      Map<String, List<Member>> members = new LinkedHashMap<>();
      Map<String, List<MemberPage>> pages = new LinkedHashMap<>();
      for (Server server : servers) {
        byId.put(server.id(), client.server(server.id()).execute());
        channels.put(server.id(), client.channels(server.id()).execute());
        members.put(server.id(), client.members(server.id()).execute());
        List<MemberPage> paged = new ArrayList<>();
        String cursor = null;
        do {
          MemberPage page = client.members(server.id(), cursor, 2).execute();
          paged.add(page);
          cursor = page.nextCursor().orElse(null);
        } while (cursor != null && paged.size() < 20);
        pages.put(server.id(), paged);
      }
      return new Reads(servers, byId, channels, members, pages, client.conversations().execute());
    }
  }

  @Test
  void theCacheAnswersWhatTheHomeserverAnswers() throws Exception {
    MeloClient owner = fixture.login(alice);
    MeloClient bobs = fixture.login(bob);
    Recorder ownerEvents = new Recorder(owner);
    // alice's server: channels with a topic, an audio channel, a stored order and a deleted channel
    Server hq = owner.createServer("HQ").execute();
    Channel general = owner.channels(hq.id()).execute().get(0);
    Channel design = owner.createChannel(hq.id(), "design", ChannelType.TEXT).execute();
    Channel voice = owner.createChannel(hq.id(), "voice", ChannelType.AUDIO).execute();
    Channel old = owner.createChannel(hq.id(), "old", ChannelType.TEXT).execute();
    owner.setChannelTopic(design.id(), "all things design").execute();
    owner.reorderChannels(hq.id(), List.of(voice.id(), design.id())).execute();
    owner.deleteChannel(old.id()).execute();
    // members: a moderator, one with a profile, one kicked, one banned, more to page through
    bobs.joinServer(hq.invite().get()).execute();
    owner.changeRole(hq.id(), bob.userId(), Role.MODERATOR).execute();
    try (MeloClient carols = fixture.login(carol)) {
      carols.setDisplayName("Carol C.").execute();
      carols.setAvatarUrl("mxc://localhost/carol").execute();
      carols.joinServer(hq.invite().get()).execute();
    }
    for (String name : List.of("dave", "erin", "frank", "grace", "heidi")) {
      hs.register(name).join(hq.id());
    }
    owner.kick(hq.id(), "@dave:" + hs.serverName(), "bye").execute();
    owner.ban(hq.id(), "@erin:" + hs.serverName(), "spam").execute();
    // bob's server, joined by alice, with a channel made after she joined (her sync joins it)
    Server place = bobs.createServer("Bob's place").execute();
    owner.joinServer(place.invite().get()).execute();
    Channel news = bobs.createChannel(place.id(), "news", ChannelType.TEXT).execute();
    ownerEvents.await(ChannelCreated.class, e -> e.channel().id().equals(news.id()));
    // a deleted server, a left server, a room that is no server, conversations
    Server gone = owner.createServer("Gone").execute();
    owner.deleteServer(gone.id()).execute();
    Server left = bobs.createServer("Left").execute();
    owner.joinServer(left.invite().get()).execute();
    owner.leaveServer(left.id()).execute();
    alice.createRoom(room -> room.name("not a server"));
    Conversation withBob = owner.conversationWith(bob.userId()).execute();
    bobs.conversationWith(alice.userId()).execute();
    Conversation withCarol = owner.conversationWith(carol.userId()).execute();
    // Everything above is in alice's cache once her sync has brought bob's marker after it.
    bob.sendText(general.id(), "marker");
    ownerEvents.await(MessageCreated.class, e -> e.message().body().equals("marker"));

    long mark = lastSequence();
    Reads live = Reads.of(owner);
    assertThat(homeserverReadsSince(mark)).as("a cache that has caught up answers alone").isEmpty();
    assertThat(live.servers()).extracting(Server::name).containsExactly("HQ", "Bob's place");
    assertThat(names(live.channels().get(hq.id()))).containsExactly("voice", "design", "general");
    assertThat(live.channels().get(hq.id()).get(1).topic()).contains("all things design");
    assertThat(names(live.channels().get(place.id()))).containsExactly("general", "news");
    assertThat(live.members().get(hq.id()))
        .extracting(Member::userId, Member::role, m -> m.profile().displayName(), m -> m.profile().avatarUrl())
        .startsWith(
            tuple(alice.userId(), Role.ADMIN, Optional.of("alice"), Optional.empty()),
            tuple(bob.userId(), Role.MODERATOR, Optional.of("bob"), Optional.empty()),
            tuple(carol.userId(), Role.GUEST, Optional.of("Carol C."), Optional.of("mxc://localhost/carol")))
        .hasSize(6);
    assertThat(live.pages().get(hq.id())).hasSize(3);
    assertThat(live.conversations()).containsExactlyInAnyOrder(withBob, withCarol);
    assertThatThrownBy(() -> owner.server(gone.id()).execute()).isInstanceOf(NotFoundException.class);
    owner.close();
    bobs.close();

    // The same questions to the homeserver: a fresh client whose first sync is held asks it.
    Stall held = hs.faults().next(Endpoint.SYNC).stall();
    MeloClient fresh = aliceWithHeldFirstSync(held);
    mark = lastSequence();
    assertThat(Reads.of(fresh)).isEqualTo(live);
    assertThat(homeserverReadsSince(mark)).as("before its first sync a client asks the homeserver").isNotEmpty();
    assertThatThrownBy(() -> fresh.server(gone.id()).execute()).isInstanceOf(NotFoundException.class);

    // And once its first sync has filled its cache, from that cache.
    held.release();
    SharedSyncRuntimeTest.awaitConnected(fresh);
    mark = lastSequence();
    assertThat(Reads.of(fresh)).isEqualTo(live);
    assertThat(homeserverReadsSince(mark)).isEmpty();
  }

  @Test
  void ownWritesShowAtOnceWhileTheSyncIsHeld() throws Exception {
    MeloClient owner = fixture.login(alice);
    Recorder events = new Recorder(owner);
    Server hq = owner.createServer("HQ").execute();
    Server quiet = owner.createServer("Quiet").execute();
    Channel general = owner.channels(hq.id()).execute().get(0);
    bob.join(hq.id());
    carol.join(quiet.id());
    events.await(MemberJoined.class, e -> e.userId().equals(bob.userId()));
    events.await(MemberJoined.class, e -> e.userId().equals(carol.userId()));
    List<Member> quietBefore = owner.members(quiet.id()).execute();

    Stall held = holdSync(() -> alice.sendText(general.id(), "wake"));
    carol.setDisplayName("Carol C."); // another user's change: the held sync cannot bring it yet
    long mark = lastSequence();

    Server second = owner.createServer("Second").execute();
    assertThat(owner.servers().execute()).extracting(Server::name).containsExactly("HQ", "Quiet", "Second");
    Channel design = owner.createChannel(hq.id(), "design", ChannelType.TEXT).execute();
    Channel random = owner.createChannel(hq.id(), "random", ChannelType.TEXT).execute();
    assertThat(names(owner.channels(hq.id()).execute())).containsExactly("general", "design", "random");
    owner.renameChannel(design.id(), "design-team").execute();
    owner.reorderChannels(hq.id(), List.of(random.id())).execute();
    assertThat(names(owner.channels(hq.id()).execute())).containsExactly("random", "general", "design-team");
    owner.changeRole(hq.id(), bob.userId(), Role.MODERATOR).execute();
    assertThat(owner.members(hq.id()).execute()).extracting(Member::userId, Member::role)
        .containsExactly(tuple(alice.userId(), Role.ADMIN), tuple(bob.userId(), Role.MODERATOR));
    owner.updateServer(hq.id(), ServerUpdate.none().name("HQ 2")).execute();
    assertThat(owner.server(hq.id()).execute().name()).isEqualTo("HQ 2");
    owner.deleteChannel(random.id()).execute();
    assertThat(names(owner.channels(hq.id()).execute())).containsExactly("general", "design-team");
    owner.kick(hq.id(), bob.userId(), null).execute();
    assertThat(owner.members(hq.id()).execute()).extracting(Member::userId).containsExactly(alice.userId());
    Conversation dm = owner.conversationWith(carol.userId()).execute();
    assertThat(owner.conversations().execute()).containsExactly(dm);
    owner.deleteServer(second.id()).execute();
    List<Server> servers = owner.servers().execute();
    assertThat(servers).extracting(Server::name).containsExactly("HQ 2", "Quiet");

    // The sync is still held: the untouched server comes from the cache, which is behind.
    assertThat(owner.members(quiet.id()).execute()).isEqualTo(quietBefore);
    assertThat(homeserverReadsSince(mark)).noneMatch(read -> read.contains(quiet.id()));

    held.release();
    events.await(ServerDeleted.class, e -> e.serverId().equals(second.id()));
    events.await(ProfileChanged.class, e -> e.userId().equals(carol.userId()));
    mark = lastSequence();
    assertThat(owner.servers().execute()).isEqualTo(servers);
    assertThat(names(owner.channels(hq.id()).execute())).containsExactly("general", "design-team");
    assertThat(owner.members(hq.id()).execute()).extracting(Member::userId).containsExactly(alice.userId());
    assertThat(owner.conversations().execute()).containsExactly(dm);
    assertThat(owner.members(quiet.id()).execute()).extracting(m -> m.profile().displayNameOrId())
        .containsExactly("alice", "Carol C.");
    assertThat(homeserverReadsSince(mark)).as("the sync has shown every write: all from the cache").isEmpty();
  }

  @Test
  void beforeTheFirstSyncReadsAskTheHomeserver() throws Exception {
    MeloClient first = fixture.login(alice);
    Server hq = first.createServer("HQ").execute();
    first.createChannel(hq.id(), "design", ChannelType.TEXT).execute();
    Conversation dm = first.conversationWith(bob.userId()).execute();
    first.close();

    Stall held = hs.faults().next(Endpoint.SYNC).stall();
    MeloClient client = aliceWithHeldFirstSync(held);
    long mark = lastSequence();
    assertThat(client.servers().execute()).extracting(Server::id).containsExactly(hq.id());
    assertThat(names(client.channels(hq.id()).execute())).containsExactly("general", "design");
    assertThat(client.conversations().execute()).containsExactly(dm);
    assertThat(homeserverReadsSince(mark)).isNotEmpty();

    held.release();
    SharedSyncRuntimeTest.awaitConnected(client);
    mark = lastSequence();
    assertThat(client.servers().execute()).extracting(Server::id).containsExactly(hq.id());
    assertThat(names(client.channels(hq.id()).execute())).containsExactly("general", "design");
    assertThat(client.conversations().execute()).containsExactly(dm);
    assertThat(homeserverReadsSince(mark)).isEmpty();
  }

  @Test
  void aCacheBehindTheHomeserverNeverRefusesWhatTheHomeserverAllows() throws Exception {
    MeloClient owner = fixture.login(alice);
    Server hq = owner.createServer("HQ").execute();
    Channel general = owner.channels(hq.id()).execute().get(0);
    Channel design = owner.createChannel(hq.id(), "design", ChannelType.TEXT).execute();
    MeloClient guest = fixture.login(bob);
    Recorder guestEvents = new Recorder(guest);
    guest.joinServer(hq.invite().get()).execute();
    alice.sendText(general.id(), "welcome");
    guestEvents.await(MessageCreated.class, e -> e.message().body().equals("welcome"));
    owner.close(); // only bob's client syncs from here on

    Stall held = holdSync(() -> alice.sendText(general.id(), "wake"));
    // Alice makes bob a moderator from another device while bob's sync is held.
    for (String roomId : List.of(hq.id(), design.id())) {
      Map<String, Object> levels = new HashMap<>(hs.room(roomId).state("m.room.power_levels", ""));
      @SuppressWarnings("unchecked")
      Map<String, Object> users = new HashMap<>((Map<String, Object>) levels.get("users"));
      users.put(bob.userId(), 50);
      levels.put("users", users);
      alice.setState(roomId, "m.room.power_levels", "", levels);
    }
    assertThat(guest.members(hq.id()).execute()).filteredOn(m -> m.userId().equals(bob.userId()))
        .extracting(Member::role).as("bob's cache is behind").containsExactly(Role.GUEST);

    // Melo's check refuses on the cached levels, asks the homeserver, and goes ahead.
    assertThat(guest.renameChannel(design.id(), "design-team").execute().name()).isEqualTo("design-team");
    assertThat(hs.room(design.id()).state("m.room.name", "")).containsEntry("name", "design-team");
    held.release();
  }

  /**
   * m.direct is read, merged and written back: two conversations opened at once by one client
   * (the first write held on the server) must both end up in it.
   */
  /** True when a thread waits for the m.direct lock in DefaultMeloClient.recordDirect. */
  private static boolean waitingToRecordDirect() {
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      StackTraceElement[] frames = e.getValue();
      for (int i = 1; i < frames.length; i++) {
        if (frames[i].getMethodName().equals("recordDirect")
            && frames[i - 1].getClassName().equals("java.util.concurrent.locks.ReentrantLock")) {
          return e.getKey().getState() == Thread.State.WAITING;
        }
      }
    }
    return false;
  }

  @Test
  void twoConversationsOpenedAtOnceAreBothRecordedInMDirect() throws Exception {
    MeloClient client = fixture.login(alice);
    // The first m.direct write (bob's conversation) is held on the server, as a slow request is.
    Stall firstWrite = hs.faults().next("PUT", p -> p.endsWith("/account_data/m.direct")).stall();
    java.util.concurrent.CompletableFuture<Conversation> withBob = client.conversationWith(bob.userId()).future();
    assertThat(firstWrite.awaitArrival(Duration.ofSeconds(10))).isTrue();
    java.util.concurrent.CompletableFuture<Conversation> withCarol = client.conversationWith(carol.userId()).future();
    // Carol's call has either finished (written m.direct meanwhile) or waits to record its room.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!withCarol.isDone() && !waitingToRecordDirect() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(withCarol.isDone() || waitingToRecordDirect()).as("carol's call reached m.direct").isTrue();
    firstWrite.release();
    Conversation bobs = withBob.get(10, java.util.concurrent.TimeUnit.SECONDS);
    Conversation carols = withCarol.get(10, java.util.concurrent.TimeUnit.SECONDS);

    List<String> listed = client.conversations().execute().stream().map(Conversation::id).toList();
    assertThat(listed)
        .as("m.direct must name both conversations opened by this client")
        .contains(bobs.id(), carols.id());
  }
}
