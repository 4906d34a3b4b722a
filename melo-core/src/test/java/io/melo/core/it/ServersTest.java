package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.InviteCode;
import io.melo.core.MeloClient;
import io.melo.core.NotFoundException;
import io.melo.core.RuleViolationException;
import io.melo.core.RuleViolationException.Rule;
import io.melo.core.Server;
import io.melo.core.ServerUpdate;
import io.melo.testkit.HomeserverExtension;
import io.melo.testkit.RoomView;
import io.melo.testkit.TestUser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Servers and channels (on the fake or a real homeserver), with an owner and a guest. */
class ServersTest {

  @RegisterExtension final HomeserverExtension hs = new HomeserverExtension();

  private Fixture fixture;

  @AfterEach
  void closeClients() {
    if (fixture != null) {
      fixture.close();
    }
  }

  MeloClient login(TestUser user) {
    if (fixture == null) {
      fixture = new Fixture(hs);
    }
    return fixture.login(user);
  }

  @Test
  @SuppressWarnings("unchecked")
  void createServerBuildsTheSpaceGeneralChannelPowerLevelsAndInviteAlias() {
    TestUser alice = hs.register("alice");
    MeloClient owner = login(alice);

    Server server = owner.createServer("Melo HQ").execute();

    assertThat(server.name()).isEqualTo("Melo HQ");
    assertThat(server.ownerId()).isEqualTo(alice.userId());
    assertThat(server.invite()).isPresent();
    RoomView space = hs.room(server.id());
    assertThat(space.state("m.room.create", "")).containsEntry("type", "m.space");
    assertThat(space.state("m.room.join_rules", "")).containsEntry("join_rule", "public");
    Map<String, Object> levels = space.state("m.room.power_levels", "");
    assertThat(levels).containsEntry("state_default", 100L).containsEntry("invite", 0L)
        .containsEntry("kick", 50L).containsEntry("ban", 50L).containsEntry("redact", 50L)
        .containsEntry("users_default", 0L).containsEntry("events_default", 0L);
    assertThat(levels.get("users")).isEqualTo(Map.of(alice.userId(), 101L));
    assertThat((Map<String, Object>) levels.get("events")).containsEntry("io.melo.server", 100L).containsEntry("m.space.child", 50L)
        .hasSize(10);
    assertThat(space.state("io.melo.server", "")).containsEntry("ownerId", alice.userId())
        .containsEntry("inviteCode", server.invite().get().code());

    List<Channel> channels = owner.channels(server.id()).execute();
    assertThat(channels).extracting(Channel::name).containsExactly("general");
    RoomView general = hs.room(channels.get(0).id());
    assertThat(general.state("m.room.join_rules", "")).containsEntry("join_rule", "restricted");
    assertThat(general.state("m.room.guest_access", "")).containsEntry("guest_access", "forbidden");
    assertThat(general.state("m.space.parent", server.id())).containsEntry("canonical", true);
    assertThat(general.state("io.melo.channel", "")).containsEntry("type", "TEXT");
    assertThat(general.state("m.room.power_levels", "")).containsEntry("invite", 50L);
    assertThat(general.version()).isEqualTo("10");

    assertThat(owner.server(server.id()).execute()).isEqualTo(server);
    assertThat(owner.servers().execute()).containsExactly(server);
  }

  @Test
  void aGuestJoinsByInviteAndTheRulesHold() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    MeloClient owner = login(alice);
    MeloClient guest = login(bob);
    Server server = owner.createServer("HQ").execute();
    Channel design = owner.createChannel(server.id(), "design", ChannelType.TEXT).execute();

    InviteCode shared = InviteCode.parse(server.invite().get().alias("io.melo"), "io.melo");
    Server joined = guest.joinServer(shared).execute();

    assertThat(joined.id()).isEqualTo(server.id());
    assertThat(hs.room(design.id()).membership(bob.userId())).isEqualTo("join");
    assertThat(guest.channels(server.id()).execute()).extracting(Channel::name).containsExactly("general", "design");

    assertThatThrownBy(() -> guest.createChannel(server.id(), "mine", ChannelType.TEXT).execute())
        .isInstanceOf(RuleViolationException.class)
        .hasMessage("creating a channel needs MODERATOR; " + bob.userId() + " is GUEST");
    assertThatThrownBy(() -> owner.createChannel(server.id(), "General", ChannelType.TEXT).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NAME_RESERVED));
    assertThatThrownBy(() -> guest.updateServer(server.id(), ServerUpdate.none().name("mine")).execute())
        .isInstanceOf(RuleViolationException.class);
    assertThatThrownBy(() -> guest.renameChannel(design.id(), "x").execute())
        .hasMessage("renaming a channel needs MODERATOR; " + bob.userId() + " is GUEST");
    assertThatThrownBy(() -> owner.leaveServer(server.id()).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.OWNER_CANNOT_LEAVE));
  }

  @Test
  void regeneratingTheInviteRetiresTheOldCode() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    MeloClient owner = login(alice);
    MeloClient guest = login(bob);
    Server server = owner.createServer("HQ").execute();
    InviteCode old = server.invite().get();

    InviteCode fresh = owner.regenerateInvite(server.id()).execute();

    assertThat(fresh).isNotEqualTo(old);
    assertThat(owner.server(server.id()).execute().invite()).contains(fresh);
    assertThatThrownBy(() -> guest.joinServer(old).execute())
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(old.code());
    assertThat(guest.joinServer(fresh).execute().id()).isEqualTo(server.id());
  }

  @Test
  void anAppCanPlugInItsOwnInviteResolution() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    MeloClient owner = login(alice);
    Server server = owner.createServer("HQ").execute();
    InviteCode appCode = InviteCode.generate(hs.serverName());
    java.util.Map<InviteCode, String> backend = java.util.Map.of(appCode, server.id());
    io.melo.core.MeloConfig config = io.melo.core.MeloConfig.builder(hs.baseUrl())
        .eventExecutor(Runnable::run)
        .inviteResolver(code -> java.util.Optional.ofNullable(backend.get(code))
            .map(id -> new io.melo.core.InviteResolver.Target(id, java.util.List.of())))
        .build();
    try (MeloClient guest = MeloClient.login(config, bob.userId(), bob.password()).execute()) {
      assertThat(guest.joinServer(appCode).execute().id()).isEqualTo(server.id());
      // The homeserver alias of the real code means nothing to this app's resolver.
      assertThatThrownBy(() -> guest.joinServer(server.invite().get()).execute()).isInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void anInviteToADeletedServerJoinsNothing() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    MeloClient owner = login(alice);
    MeloClient guest = login(bob);
    Server server = owner.createServer("HQ").execute();
    owner.deleteServer(server.id()).execute();

    assertThatThrownBy(() -> guest.joinServer(server.invite().get()).execute())
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("deleted");
    assertThat(hs.room(server.id()).membership(bob.userId())).isEqualTo("leave");
  }

  @Test
  void anotherNamespaceWorksTheSameAndStaysSeparate() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    io.melo.core.MeloConfig haos = io.melo.core.MeloConfig.builder(hs.baseUrl())
        .eventExecutor(Runnable::run).namespace("io.haos").build();
    try (MeloClient owner = MeloClient.login(haos, alice.userId(), alice.password()).execute();
        MeloClient guest = MeloClient.login(haos, bob.userId(), bob.password()).execute()) {
      Server server = owner.createServer("HAOS").execute();
      assertThat(hs.room(server.id()).state("io.haos.server", "")).containsEntry("ownerId", alice.userId());
      assertThat(server.invite().get().alias("io.haos")).startsWith("#io.haos.invite.");
      assertThat(guest.joinServer(server.invite().get()).execute().id()).isEqualTo(server.id());
      assertThat(guest.channels(server.id()).execute()).extracting(Channel::name).containsExactly("general");

      MeloClient meloOwner = login(alice);
      assertThat(meloOwner.servers().execute()).isEmpty();
      assertThatThrownBy(() -> meloOwner.server(server.id()).execute()).isInstanceOf(NotFoundException.class);
    }
  }
}
