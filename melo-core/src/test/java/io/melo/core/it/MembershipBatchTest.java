package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Channel;
import io.melo.core.Member;
import io.melo.core.MeloClient;
import io.melo.core.Server;
import io.melo.core.event.InvitedToServer;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MemberBanned;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MemberKicked;
import io.melo.core.event.MemberLeft;
import io.melo.core.event.MessageCreated;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.Stall;
import io.melo.testkit.TestUser;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several membership changes of one server arriving in one sync batch give the member events
 * that the same changes give when each arrives in a batch of its own: for this user's own
 * membership (changed from another device) and for another member's, in every order. This user's
 * own join is never an event (its client asked for it); what happened in the server before it is
 * history, not news; an invite answered within the same batch is no open invite. After the batch
 * the member reads agree with the homeserver.
 */
@FakeOnly("holds syncs on the fake homeserver")
class MembershipBatchTest {

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  private Fixture fixture;

  @BeforeEach
  void start() {
    fixture = new Fixture(hs);
  }

  @AfterEach
  void closeClients() {
    fixture.close();
  }

  /** The users and server of one case; bob's Melo client is the one whose events are checked. */
  record Scene(TestUser alice, TestUser bob, TestUser carol, String club, FakeHomeserverExtension hs,
      MeloClient client) {

    /** Alice (the owner) lifts a ban, through the homeserver's API. */
    void unban(String userId) {
      String url = hs.baseUrl() + "/_matrix/client/v3/rooms/" + club.replace("!", "%21").replace(":", "%3A")
          + "/unban";
      Request request = new Request.Builder().url(url)
          .header("Authorization", "Bearer " + alice.accessToken())
          .post(RequestBody.create("{\"user_id\":\"" + userId + "\"}", MediaType.get("application/json")))
          .build();
      try (Response response = new OkHttpClient().newCall(request).execute()) {
        assertThat(response.code()).as("unban").isEqualTo(200);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** What is set up before bob's sync is held, and what happens while it is. */
  interface Step {
    void run(Scene scene);
  }

  record Case(String name, boolean bobMember, boolean carolMember, Step batch, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // another member, bob in the server all along
        new Case("other joins and leaves", true, false, s -> {
          s.carol().join(s.club());
          s.carol().leave(s.club());
        }, List.of("joined carol", "left carol")),
        new Case("other joins and is kicked", true, false, s -> {
          s.carol().join(s.club());
          s.alice().kick(s.club(), s.carol().userId());
        }, List.of("joined carol", "kicked carol by alice")),
        new Case("other is invited and joins", true, false, s -> {
          s.alice().invite(s.club(), s.carol().userId());
          s.carol().join(s.club());
        }, List.of("joined carol")),
        new Case("other leaves and rejoins", true, true, s -> {
          s.carol().leave(s.club());
          s.carol().join(s.club());
        }, List.of("left carol", "joined carol")),
        new Case("other is kicked and rejoins", true, true, s -> {
          s.alice().kick(s.club(), s.carol().userId());
          s.carol().join(s.club());
        }, List.of("kicked carol by alice", "joined carol")),
        new Case("other is banned and unbanned", true, true, s -> {
          s.alice().ban(s.club(), s.carol().userId());
          s.unban(s.carol().userId());
        }, List.of("banned carol by alice")),
        // bob's own membership, changed from another device, with or without another member's change
        new Case("own join, then another member is kicked", false, true, s -> {
          s.bob().join(s.club());
          s.alice().kick(s.club(), s.carol().userId());
        }, List.of("kicked carol by alice")),
        new Case("own join by this client, then another member is kicked", false, true, s -> {
          s.client().joinServer(s.club()).execute();
          s.alice().kick(s.club(), s.carol().userId());
        }, List.of("kicked carol by alice")),
        new Case("own join by this client, then kicked", false, false, s -> {
          s.client().joinServer(s.club()).execute();
          s.alice().kick(s.club(), s.bob().userId());
        }, List.of("kicked bob by alice")),
        new Case("own join, then another member leaves", false, true, s -> {
          s.bob().join(s.club());
          s.carol().leave(s.club());
        }, List.of("left carol")),
        new Case("own join, then another member joins", false, false, s -> {
          s.bob().join(s.club());
          s.carol().join(s.club());
        }, List.of("joined carol")),
        new Case("another member joins, then own join", false, false, s -> {
          s.carol().join(s.club());
          s.bob().join(s.club());
        }, List.of()),
        new Case("own join, then kicked", false, false, s -> {
          s.bob().join(s.club());
          s.alice().kick(s.club(), s.bob().userId());
        }, List.of("kicked bob by alice")),
        new Case("own join, then leave", false, false, s -> {
          s.bob().join(s.club());
          s.bob().leave(s.club());
        }, List.of("left bob")),
        new Case("own join, another member kicked, then own leave", false, true, s -> {
          s.bob().join(s.club());
          s.alice().kick(s.club(), s.carol().userId());
          s.bob().leave(s.club());
        }, List.of("kicked carol by alice", "left bob")),
        new Case("own invite, then join", false, false, s -> {
          s.alice().invite(s.club(), s.bob().userId());
          s.bob().join(s.club());
        }, List.of()),
        new Case("own leave, then rejoin", true, true, s -> {
          s.bob().leave(s.club());
          s.bob().join(s.club());
        }, List.of("left bob")),
        new Case("own leave, another member kicked meanwhile, then rejoin", true, true, s -> {
          s.bob().leave(s.club());
          s.alice().kick(s.club(), s.carol().userId());
          s.bob().join(s.club());
        }, List.of("left bob")),
        new Case("own kick, then rejoin", true, false, s -> {
          s.alice().kick(s.club(), s.bob().userId());
          s.bob().join(s.club());
        }, List.of("kicked bob by alice")),
        new Case("own ban, then unban", true, false, s -> {
          s.alice().ban(s.club(), s.bob().userId());
          s.unban(s.bob().userId());
        }, List.of("banned bob by alice")))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void changesInOneBatchGiveTheEventsOfSeparateBatches(Case c) throws Exception {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    TestUser carol = hs.register("carol");
    MeloClient owner = fixture.login(alice);
    Server lobby = owner.createServer("Lobby").execute();
    Server club = owner.createServer("Club").execute();
    Channel lobbyGeneral = owner.channels(lobby.id()).execute().get(0);
    owner.close(); // from here on only bob's client syncs: the held sync below is his
    MeloClient client = fixture.login(bob);
    Scene scene = new Scene(alice, bob, carol, club.id(), hs, client);
    Recorder events = new Recorder(client);
    client.joinServer(lobby.id()).execute();
    if (c.bobMember()) {
      client.joinServer(club.id()).execute();
    }
    if (c.carolMember()) {
      carol.join(club.id());
    }
    alice.sendText(lobbyGeneral.id(), "set up");
    events.await(MessageCreated.class, e -> e.message().body().equals("set up"));

    // Bob's next sync is held while the case's changes happen: they all arrive in one batch.
    Stall held = hs.faults().next(Endpoint.SYNC).stall();
    alice.sendText(lobbyGeneral.id(), "wake");
    assertThat(held.awaitArrival(Duration.ofSeconds(10))).isTrue();
    // The loop asks for its next batch only once the last one reached the listeners: all is seen.
    long before = events.seen().stream().mapToLong(MeloEvent::sequence).max().orElse(0);
    c.batch().run(scene);
    // The sync after the batch is asked for only once the batch's events have reached the listeners.
    Stall after = hs.faults().next(Endpoint.SYNC).stall();
    held.release();
    assertThat(after.awaitArrival(Duration.ofSeconds(10))).isTrue();

    List<String> seen = new ArrayList<>();
    for (MeloEvent event : events.seen()) {
      if (event.sequence() > before) {
        describe(event, club.id()).ifPresent(seen::add);
      }
    }
    assertThat(seen).as(c.name()).isEqualTo(c.expected());

    // And the cache the batch left answers as the homeserver does.
    List<String> members = hs.room(club.id()).joinedMembers().stream().sorted().toList();
    if (members.contains(bob.userId())) {
      assertThat(client.members(club.id()).execute()).extracting(Member::userId)
          .containsExactlyInAnyOrderElementsOf(members);
    } else {
      assertThat(client.servers().execute()).extracting(Server::id).doesNotContain(club.id());
    }
    after.release();
  }

  private static String local(String userId) {
    return userId.substring(1, userId.indexOf(':'));
  }

  /** The member and invite events of the club, in words; empty for every other event. */
  private static Optional<String> describe(MeloEvent event, String club) {
    if (event instanceof MemberJoined e && e.serverId().equals(club)) {
      return Optional.of("joined " + local(e.userId()));
    } else if (event instanceof MemberLeft e && e.serverId().equals(club)) {
      return Optional.of("left " + local(e.userId()));
    } else if (event instanceof MemberKicked e && e.serverId().equals(club)) {
      return Optional.of("kicked " + local(e.userId()) + " by " + local(e.kickedBy()));
    } else if (event instanceof MemberBanned e && e.serverId().equals(club)) {
      return Optional.of("banned " + local(e.userId()) + " by " + local(e.bannedBy()));
    } else if (event instanceof InvitedToServer e && e.serverId().equals(club)) {
      return Optional.of("invited by " + local(e.inviterId()));
    }
    return Optional.empty();
  }
}
