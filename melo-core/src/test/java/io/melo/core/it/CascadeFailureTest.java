package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.InviteCode;
import io.melo.core.MeloCall;
import io.melo.core.NotFoundException;
import io.melo.core.PartialFailureException;
import io.melo.core.Role;
import io.melo.core.Server;
import io.melo.core.event.MemberBanned;
import io.melo.core.event.ServerDeleted;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeOnly;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ban, role change and server deletion with a failure injected in the middle: each reports the
 * rooms done, the room that failed and the rooms left, and running it again completes the job.
 */
@FakeOnly("injects faults in the middle of cascades")
class CascadeFailureTest extends AliceAndBobScene {

  private Server server;
  private Channel general;
  private Channel design;

  @BeforeEach
  void setUp() {
    server = owner.createServer("HQ").execute();
    general = owner.channels(server.id()).execute().get(0);
    design = owner.createChannel(server.id(), "design", ChannelType.TEXT).execute();
    guest.joinServer(server.invite().get()).execute();
    assertThat(hs.room(design.id()).membership(bob.userId())).isEqualTo("join");
  }

  @Test
  void aBanThatFailsMidwayReportsEachRoomAndARerunCompletesIt() {
    Recorder ownerEvents = new Recorder(owner);
    hs.faults().next(Endpoint.BAN, path -> path.contains(design.id())).error(400, "M_UNKNOWN", "injected");

    assertThatThrownBy(() -> owner.ban(server.id(), bob.userId(), "spam").execute())
        .isInstanceOfSatisfying(PartialFailureException.class, e -> {
          assertThat(e.doneSteps()).containsExactly("ban from " + general.id());
          assertThat(e.failedStep()).isEqualTo("ban from " + design.id());
          assertThat(e.remainingSteps()).containsExactly("ban from " + server.id());
          assertThat(e.getCause()).hasMessageContaining("injected");
        });
    assertThat(hs.room(general.id()).membership(bob.userId())).isEqualTo("ban");
    assertThat(hs.room(design.id()).membership(bob.userId())).isEqualTo("join");
    assertThat(hs.room(server.id()).membership(bob.userId())).isEqualTo("join");

    // Some homeservers refuse to ban a banned user again: the re-run still goes on past general.
    hs.faults().next(Endpoint.BAN, path -> path.contains(general.id())).error(403, "M_FORBIDDEN", "already banned");
    owner.ban(server.id(), bob.userId(), "spam").execute();

    assertThat(hs.room(general.id()).membership(bob.userId())).isEqualTo("ban");
    assertThat(hs.room(design.id()).membership(bob.userId())).isEqualTo("ban");
    assertThat(hs.room(server.id()).membership(bob.userId())).isEqualTo("ban");
    assertThat(ownerEvents.await(MemberBanned.class).userId()).isEqualTo(bob.userId());
    assertThatThrownBy(() -> guest.joinServer(server.invite().get()).execute())
        .isInstanceOf(io.melo.core.RuleViolationException.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRoleChangeThatFailsMidwayReportsEachRoomAndARerunCompletesIt() {
    hs.faults().next(Endpoint.SET_STATE, path -> path.contains(design.id()) && path.contains("m.room.power_levels"))
        .error(400, "M_UNKNOWN", "injected");
    String step = "set " + bob.userId() + " to MODERATOR in ";

    assertThatThrownBy(() -> owner.changeRole(server.id(), bob.userId(), Role.MODERATOR).execute())
        .isInstanceOfSatisfying(PartialFailureException.class, e -> {
          assertThat(e.doneSteps()).containsExactly(step + server.id(), step + general.id());
          assertThat(e.failedStep()).isEqualTo(step + design.id());
          assertThat(e.remainingSteps()).isEmpty();
        });
    assertThat(userLevels(design)).doesNotContainKey(bob.userId());

    assertThat(owner.changeRole(server.id(), bob.userId(), Role.MODERATOR).execute().role()).isEqualTo(Role.MODERATOR);

    for (String roomId : new String[] {server.id(), general.id(), design.id()}) {
      assertThat((Map<String, Object>) hs.room(roomId).state("m.room.power_levels", "").get("users"))
          .as(roomId).containsEntry(bob.userId(), 50L).containsEntry(alice.userId(), 101L);
    }
    // The moderator can now manage the channel whose step failed the first time.
    assertThat(guest.renameChannel(design.id(), "design-team").execute().name()).isEqualTo("design-team");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> userLevels(Channel channel) {
    return (Map<String, Object>) hs.room(channel.id()).state("m.room.power_levels", "").get("users");
  }

  @Test
  void aServerDeletionThatFailsMidwayReportsEachRoomAndARerunCompletesIt() {
    Recorder guestEvents = new Recorder(guest);
    hs.faults().next(Endpoint.SET_STATE, path -> path.contains(design.id()) && path.contains("io.melo.channel_deleted"))
        .error(400, "M_UNKNOWN", "injected");

    assertThatThrownBy(() -> owner.deleteServer(server.id()).execute())
        .isInstanceOfSatisfying(PartialFailureException.class, e -> {
          assertThat(e.doneSteps()).containsExactly("mark channel " + general.id() + " deleted");
          assertThat(e.failedStep()).isEqualTo("mark channel " + design.id() + " deleted");
          assertThat(e.remainingSteps()).containsExactly("mark server " + server.id() + " deleted",
              "leave channel " + general.id(), "leave channel " + design.id(), "leave the space " + server.id());
        });
    assertThat(hs.room(design.id()).state("io.melo.channel_deleted", "")).isNull();
    assertThat(hs.room(server.id()).state("io.melo.server_deleted", "")).isNull();
    assertThat(owner.servers().execute()).extracting(Server::id).containsExactly(server.id());

    owner.deleteServer(server.id()).execute();

    assertThat(hs.room(design.id()).state("io.melo.channel_deleted", "")).containsEntry("deletedBy", alice.userId());
    assertThat(hs.room(server.id()).state("io.melo.server_deleted", "")).containsEntry("deletedBy", alice.userId());
    assertThat(guestEvents.await(ServerDeleted.class).serverId()).isEqualTo(server.id());
    assertThat(owner.servers().execute()).isEmpty();
    assertThatThrownBy(() -> guest.server(server.id()).execute()).isInstanceOf(NotFoundException.class);
    for (String roomId : new String[] {server.id(), general.id(), design.id()}) {
      assertThat(hs.room(roomId).membership(alice.userId())).as(roomId).isEqualTo("leave");
    }
  }

  @Test
  void aServerDeletionThatFailsWhileLeavingReportsEachRoomAndARerunLeavesTheRest() {
    hs.faults().next(Endpoint.LEAVE, path -> path.contains(design.id())).error(400, "M_UNKNOWN", "injected");

    assertThatThrownBy(() -> owner.deleteServer(server.id()).execute())
        .isInstanceOfSatisfying(PartialFailureException.class, e -> {
          assertThat(e.doneSteps()).containsExactly("mark channel " + general.id() + " deleted",
              "mark channel " + design.id() + " deleted", "mark server " + server.id() + " deleted",
              "leave channel " + general.id());
          assertThat(e.failedStep()).isEqualTo("leave channel " + design.id());
          assertThat(e.remainingSteps()).containsExactly("leave the space " + server.id());
        });
    assertThat(hs.room(design.id()).membership(alice.userId())).isEqualTo("join");
    assertThat(hs.room(server.id()).membership(alice.userId())).isEqualTo("join");
    Object firstMarker = hs.room(general.id()).state("io.melo.channel_deleted", "");

    owner.deleteServer(server.id()).execute();

    for (String roomId : new String[] {server.id(), general.id(), design.id()}) {
      assertThat(hs.room(roomId).membership(alice.userId())).as(roomId).isEqualTo("leave");
    }
    // Markers already written stay as first written.
    assertThat(hs.room(general.id()).state("io.melo.channel_deleted", "")).isEqualTo(firstMarker);
  }

  @Test
  void anInviteRegenerationThatFailsMidwayKeepsAWorkingCodeRecordedAndARerunCompletesIt() {
    InviteCode old = server.invite().get();
    hs.faults().next(Endpoint.SET_STATE, path -> path.contains("io.melo.server")).error(400, "M_UNKNOWN", "injected");
    MeloCall<InviteCode> call = owner.regenerateInvite(server.id());

    String oldAlias = old.alias("io.melo");
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(PartialFailureException.class, e -> {
          assertThat(e.doneSteps()).hasSize(1).allMatch(step -> step.startsWith("publish invite alias #io.melo.invite."));
          assertThat(e.failedStep()).isEqualTo("record the new invite code in io.melo.server");
          assertThat(e.remainingSteps()).containsExactly("delete alias " + oldAlias);
        });
    // The recorded code still resolves: the old alias is only deleted once the new code is recorded.
    assertThat(hs.room(server.id()).state("io.melo.server", "")).containsEntry("inviteCode", old.code());
    assertThat(resolves(oldAlias)).isTrue();

    InviteCode fresh = call.copy().execute();

    assertThat(hs.room(server.id()).state("io.melo.server", "")).containsEntry("inviteCode", fresh.code());
    assertThat(resolves(fresh.alias("io.melo"))).isTrue();
    assertThat(resolves(oldAlias)).isFalse();
    assertThat(owner.server(server.id()).execute().invite()).contains(fresh);
    guest.leaveServer(server.id()).execute();
    assertThat(guest.joinServer(fresh).execute().id()).isEqualTo(server.id());
  }

  @Test
  void anInviteRegenerationThatFailsDeletingTheOldAliasHasRecordedTheNewCodeAndANewCallCompletesIt() {
    InviteCode old = server.invite().get();
    String oldAlias = old.alias("io.melo");
    hs.faults().next(Endpoint.DELETE_ALIAS).error(400, "M_UNKNOWN", "injected");

    assertThatThrownBy(() -> owner.regenerateInvite(server.id()).execute())
        .isInstanceOfSatisfying(PartialFailureException.class, e -> {
          assertThat(e.doneSteps()).hasSize(2);
          assertThat(e.failedStep()).isEqualTo("delete alias " + oldAlias);
        });
    String recorded = (String) hs.room(server.id()).state("io.melo.server", "").get("inviteCode");
    assertThat(recorded).isNotEqualTo(old.code());
    assertThat(resolves(new InviteCode(recorded, "localhost").alias("io.melo"))).isTrue();

    InviteCode fresh = owner.regenerateInvite(server.id()).execute();

    assertThat(hs.room(server.id()).state("io.melo.server", "")).containsEntry("inviteCode", fresh.code());
    assertThat(resolves(oldAlias)).isFalse();
    assertThat(resolves(new InviteCode(recorded, "localhost").alias("io.melo"))).isFalse();
    assertThat(resolves(fresh.alias("io.melo"))).isTrue();
  }

  private boolean resolves(String alias) {
    try {
      return server.id().equals(hs.fake().model().resolveAlias(alias).get("room_id"));
    } catch (io.melo.testkit.model.MatrixError e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }
}
