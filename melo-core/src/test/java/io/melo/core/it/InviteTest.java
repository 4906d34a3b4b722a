package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.Conversation;
import io.melo.core.InviteCode;
import io.melo.core.MeloClient;
import io.melo.core.NotFoundException;
import io.melo.core.Role;
import io.melo.core.RuleViolationException;
import io.melo.core.RuleViolationException.Rule;
import io.melo.core.Server;
import io.melo.core.event.InvitedToServer;
import io.melo.core.event.ServerUpdated;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.RecordedCall;
import io.melo.testkit.TestUser;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Invite codes on the wire: joining by alias (review #9) and who may regenerate one (review #10). */
class InviteTest extends AliceAndBobScene {

  private Server server;

  @BeforeEach
  void setUp() {
    server = owner.createServer("HQ").execute();
  }

  private List<RecordedCall> callsSince(long sequence, Endpoint... endpoints) {
    List<Endpoint> wanted = List.of(endpoints);
    return hs.requests().stream().filter(c -> c.sequence() > sequence && wanted.contains(c.endpoint())).toList();
  }

  private long lastSequence() {
    List<RecordedCall> calls = hs.requests();
    return calls.isEmpty() ? 0 : calls.get(calls.size() - 1).sequence();
  }

  private static String decodedPath(RecordedCall call) {
    return URLDecoder.decode(call.path().replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Test
  @FakeOnly("asserts on the requests the homeserver received")
  void joiningByInviteCodeResolvesThenJoinsTheAliasItself() {
    InviteCode invite = server.invite().get();
    String alias = invite.alias("io.melo");
    long before = lastSequence();

    assertThat(guest.joinServer(invite).execute().id()).isEqualTo(server.id());

    // Other clients' requests (the owner's sync auto-joining general) may come in between.
    List<String> paths = callsSince(before, Endpoint.GET_ALIAS, Endpoint.JOIN, Endpoint.JOIN_ROOM).stream()
        .map(InviteTest::decodedPath).toList();
    String resolve = "/_matrix/client/v3/directory/room/" + alias;
    String join = "/_matrix/client/v3/join/" + alias;
    assertThat(paths).containsOnlyOnce(resolve, join);
    assertThat(paths.indexOf(resolve)).isLessThan(paths.indexOf(join));
    // The space itself is never joined by its room id (the channels are, after it).
    assertThat(paths).noneMatch(path -> path.endsWith(server.id()));
    assertThat(hs.room(server.id()).membership(bob.userId())).isEqualTo("join");
  }

  @Test
  void anAdminOnTheOwnersHomeserverRegeneratesTheInvite() {
    guest.joinServer(server.invite().get()).execute();
    owner.changeRole(server.id(), bob.userId(), Role.ADMIN).execute();
    InviteCode old = server.invite().get();

    Recorder ownerEvents = new Recorder(owner);
    InviteCode fresh = guest.regenerateInvite(server.id()).execute();

    assertThat(fresh.server()).isEqualTo(hs.serverName());
    assertThat(guest.server(server.id()).execute().invite()).contains(fresh);
    // Another user's change: the owner's reads show it once the owner's sync has brought it.
    ownerEvents.await(ServerUpdated.class, e -> e.server().invite().equals(Optional.of(fresh)));
    assertThat(owner.server(server.id()).execute().invite()).contains(fresh);
    TestUser carol = hs.register("carol");
    MeloClient outsider = fixture.login(carol);
    assertThatThrownBy(() -> outsider.joinServer(old).execute()).isInstanceOf(io.melo.core.NotFoundException.class);
    assertThat(outsider.joinServer(fresh).execute().id()).isEqualTo(server.id());
  }

  @Test
  @FakeOnly("asserts on the requests the homeserver received")
  void anAdminOnAnotherHomeserverThanTheOwnersIsRefusedBeforeAnyChange() {
    guest.joinServer(server.invite().get()).execute();
    owner.changeRole(server.id(), bob.userId(), Role.ADMIN).execute();
    // The owner lives on another homeserver than bob (the fake serves one name: the owner is
    // recorded as a user of elsewhere.example, as a space federated from there would say).
    Map<String, Object> content = new LinkedHashMap<>(hs.room(server.id()).state("io.melo.server", ""));
    content.put("ownerId", "@olivia:elsewhere.example");
    alice.setState(server.id(), "io.melo.server", "", content);
    String alias = server.invite().get().alias("io.melo");
    long before = lastSequence();

    assertThatThrownBy(() -> guest.regenerateInvite(server.id()).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> {
          assertThat(e.rule()).isEqualTo(Rule.OWNERS_HOMESERVER_ONLY);
          assertThat(e.refusedByHomeserver()).isFalse();
          assertThat(e.userId()).isEqualTo(bob.userId());
          assertThat(e).hasMessage("regenerating the invite code is only for users of the owner's homeserver "
              + "elsewhere.example, where its alias lives; " + bob.userId() + " is on " + hs.serverName());
        });

    assertThat(callsSince(before, Endpoint.ROOM_ALIASES, Endpoint.DELETE_ALIAS, Endpoint.SET_ALIAS, Endpoint.SET_STATE))
        .isEmpty();
    assertThat(hs.room(server.id()).state("io.melo.server", "")).containsEntry("inviteCode", server.invite().get().code());
    assertThat(guest.joinServer(InviteCode.parse(alias, "io.melo")).execute().id()).isEqualTo(server.id());
  }

  @Test
  void anInviteToAServerIsAcceptedByTheServersId() {
    Channel general = owner.channels(server.id()).execute().get(0);
    Recorder guestEvents = new Recorder(guest);
    alice.invite(server.id(), bob.userId());
    InvitedToServer invited = guestEvents.await(InvitedToServer.class);
    assertThat(invited.serverId()).isEqualTo(server.id());

    Server joined = guest.joinServer(invited.serverId()).execute();

    assertThat(joined).isEqualTo(owner.server(server.id()).execute());
    assertThat(hs.room(server.id()).membership(bob.userId())).isEqualTo("join");
    assertThat(hs.room(general.id()).membership(bob.userId())).isEqualTo("join");
    assertThat(guest.servers().execute()).extracting(Server::id).containsExactly(server.id());
    // The same call future-style, and joining again is harmless.
    assertThat(guest.joinServer(server.id()).future().join().id()).isEqualTo(server.id());
  }

  @Test
  void joiningByIdIsRefusedForABannedUserARoomThatIsNoServerAndAnUnknownRoom() {
    TestUser carol = hs.register("carol");
    MeloClient banned = fixture.login(carol);
    owner.ban(server.id(), carol.userId(), "not welcome").execute();
    assertThatThrownBy(() -> banned.joinServer(server.id()).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.HOMESERVER_REFUSED));
    assertThat(hs.room(server.id()).membership(carol.userId())).isEqualTo("ban");

    // A conversation is no server: joined by its id, then left again.
    Conversation dm = owner.conversationWith(bob.userId()).execute();
    assertThatThrownBy(() -> guest.joinServer(dm.id()).execute()).isInstanceOf(NotFoundException.class);
    assertThat(hs.room(dm.id()).membership(bob.userId())).isEqualTo("leave");

    assertThatThrownBy(() -> guest.joinServer("!unknown:" + hs.serverName()).execute()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> guest.joinServer("#alias:" + hs.serverName())).isInstanceOf(IllegalArgumentException.class);
  }
}
