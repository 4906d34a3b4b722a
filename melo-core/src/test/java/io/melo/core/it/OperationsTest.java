package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.Conversation;
import io.melo.core.MeloClient;
import io.melo.core.Member;
import io.melo.core.Message;
import io.melo.core.MeloClient;
import io.melo.core.MessagePage;
import io.melo.core.NotFoundException;
import io.melo.core.PartialFailureException;
import io.melo.core.Presence;
import io.melo.core.PrivateProfile;
import io.melo.core.Profile;
import io.melo.core.Reaction;
import io.melo.core.Role;
import io.melo.core.RuleViolationException;
import io.melo.core.RuleViolationException.Rule;
import io.melo.core.ServerUpdate;
import io.melo.core.UserPresence;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.ChannelDeleted;
import io.melo.core.event.ChannelsReordered;
import io.melo.core.event.InvitedToConversation;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MemberKicked;
import io.melo.core.event.MemberLeft;
import io.melo.core.event.ServerDeleted;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Operations and their rules (on the fake or a real homeserver): owner alice, guest or moderator bob, outsider carol. */
class OperationsTest extends HqScene {

  @Test
  void historyPagesNewestFirstWithEditsReactionsRepliesAndDeletions() {
    List<Message> sent = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      sent.add(owner.sendText(general.id(), "m" + i).execute());
    }
    owner.editMessage(general.id(), sent.get(1).id(), "m2 fixed").execute();
    guest.react(general.id(), sent.get(2).id(), "🎉").execute();
    guest.react(general.id(), sent.get(2).id(), "🎉").execute(); // twice: counted once
    Message reply = guest.reply(general.id(), sent.get(4).id(), "re: m5").execute();
    guest.deleteMessage(general.id(), reply.id()).execute();

    List<Message> all = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 20; pages++) {
      MessagePage page = guest.messages(general.id(), cursor, 3).execute();
      all.addAll(page.messages());
      if (!page.nextCursor().isPresent()) {
        break;
      }
      cursor = page.nextCursor().get();
    }
    assertThat(all).extracting(Message::body).containsExactly("", "m5", "m4", "m3", "m2 fixed", "m1");
    assertThat(all.get(0).deleted()).isTrue();
    assertThat(all.get(4).edited()).isTrue();
    assertThat(all.get(3).reactions()).containsExactly(new Reaction("🎉", List.of(bob.userId())));

    assertThatThrownBy(() -> guest.editMessage(general.id(), sent.get(0).id(), "mine now").execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.AUTHOR_ONLY));
    assertThatThrownBy(() -> guest.deleteMessage(general.id(), sent.get(0).id()).execute())
        .hasMessage("deleting another user's message needs MODERATOR; " + bob.userId() + " is GUEST");
    Message bobs = guest.sendText(general.id(), "delete me").execute();
    owner.deleteMessage(general.id(), bobs.id()).execute();
    assertThat(hs.room(general.id()).messages()).filteredOn(e -> e.eventId().equals(bobs.id()))
        .allMatch(e -> e.isRedacted());
  }

  private static Message newest(MeloClient client, String roomId, String id) {
    return client.messages(roomId, null, 50).execute().messages().stream()
        .filter(m -> m.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("message " + id + " not in the newest page"));
  }

  /** review9 #1: a message read once and then deleted by someone else shows as deleted on the next read. */
  @Test
  void aSecondHistoryReadShowsADeletionByAnotherUser() {
    Message m = owner.sendText(general.id(), "doomed").execute();
    assertThat(newest(guest, general.id(), m.id()).deleted()).isFalse();

    owner.deleteMessage(general.id(), m.id()).execute();

    Message again = newest(guest, general.id(), m.id());
    assertThat(again.deleted()).as("re-read after deletion: %s", again).isTrue();
    assertThat(again.body()).isEmpty();
  }

  /** review9 #1: this user's own unreact shows on the next read. */
  @Test
  void aSecondHistoryReadDropsAReactionTakenBack() {
    Message m = owner.sendText(general.id(), "react to me").execute();
    guest.react(general.id(), m.id(), "👍").execute();
    assertThat(newest(guest, general.id(), m.id()).reactions()).hasSize(1);

    guest.unreact(general.id(), m.id(), "👍").execute();

    assertThat(newest(guest, general.id(), m.id()).reactions()).as("reactions after unreact").isEmpty();
  }

  /** review9 #1: an edit taken back (redacted) by its author: the next read shows the original text again, and no phantom message. */
  @Test
  void aSecondHistoryReadShowsTheOriginalAgainWhenItsEditIsTakenBack() {
    Message m = owner.sendText(general.id(), "v1").execute();
    owner.editMessage(general.id(), m.id(), "v2").execute();
    assertThat(newest(guest, general.id(), m.id()).body()).isEqualTo("v2");
    String editId = hs.room(general.id()).messages().stream()
        .filter(e -> "* v2".equals(e.body())).findFirst().orElseThrow().eventId();

    alice.redact(general.id(), editId);

    assertThat(newest(guest, general.id(), m.id()).body()).as("body after the edit was redacted").isEqualTo("v1");
    assertThat(guest.messages(general.id(), null, 50).execute().messages()).extracting(Message::id)
        .as("the redacted edit is not a (deleted) message of its own").doesNotContain(editId);
  }

  /**
   * review9 #1, live path: once history is read, a reaction taken back and an edit made later by
   * raw clients come through the sync only (neither is in the page read with the older cursor).
   */
  @Test
  void editsAndReactionsTakenBackLiveShowInAPageReadWithAnOlderCursor() {
    Recorder guestEvents = new Recorder(guest);
    Message first = owner.sendText(general.id(), "first").execute();
    owner.sendText(general.id(), "m2").execute();
    // Newer than the page of "first": a read from its cursor on does not see it again.
    String reaction = alice.send(general.id(), "m.reaction", Map.of("m.relates_to",
        Map.of("rel_type", "m.annotation", "event_id", first.id(), "key", "👍")));
    owner.sendText(general.id(), "m3").execute();
    owner.sendText(general.id(), "m4").execute();
    List<String> cursors = new ArrayList<>();
    String cursor = null;
    Message read = null;
    for (int pages = 0; pages < 10 && read == null; pages++) {
      MessagePage page = guest.messages(general.id(), cursor, 1).execute();
      cursors.add(cursor);
      read = page.messages().stream().filter(m -> m.id().equals(first.id())).findFirst().orElse(null);
      cursor = page.nextCursor().orElse(null);
    }
    assertThat(read).isNotNull();
    assertThat(read.reactions()).containsExactly(new Reaction("👍", List.of(alice.userId())));
    String firstsCursor = cursors.get(cursors.size() - 1);

    alice.redact(general.id(), reaction);
    alice.send(general.id(), "m.room.message", Map.of("msgtype", "m.text", "body", "* first!",
        "m.new_content", Map.of("msgtype", "m.text", "body", "first!"),
        "m.relates_to", Map.of("rel_type", "m.replace", "event_id", first.id())));
    guestEvents.await(io.melo.core.event.MessageEdited.class, e -> e.message().id().equals(first.id()));

    Message again = guest.messages(general.id(), firstsCursor, 1).execute().messages().get(0);
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.reactions()).as("the reaction taken back").isEmpty();
    assertThat(again.body()).as("the later edit").isEqualTo("first!");
  }

  /** review9 #12: a page is never empty while older messages exist, however many reactions come first. */
  @Test
  void aHistoryPageIsNeverEmptyWhileOlderMessagesExist() {
    Message m = owner.sendText(general.id(), "popular").execute();
    for (int i = 0; i < 12; i++) {
      owner.react(general.id(), m.id(), "k" + i).execute();
    }
    Message latest = owner.sendText(general.id(), "latest").execute();
    for (int i = 0; i < 30; i++) {
      owner.react(general.id(), latest.id(), "k" + i).execute();
    }

    MessagePage page = guest.messages(general.id(), null, 1).execute();
    assertThat(page.messages()).as("next cursor %s", page.nextCursor()).extracting(Message::id).containsExactly(latest.id());
    MessagePage second = guest.messages(general.id(), page.nextCursor().orElseThrow(), 1).execute();
    assertThat(second.messages()).extracting(Message::id).containsExactly(m.id());
    assertThat(second.messages().get(0).reactions()).hasSize(12);
  }

  /**
   * review9 #9: an edit's id (MessageEdited#editEventId) is no message to edit, react to or reply
   * to: refused with NotFoundException before any request, never an edit of an edit.
   */
  @Test
  void anEditsIdIsRefusedAsATargetBeforeAnyRequest() {
    Recorder ownerEvents = new Recorder(owner);
    Message m = owner.sendText(general.id(), "v1").execute();
    owner.editMessage(general.id(), m.id(), "v2").execute();
    io.melo.core.event.MessageEdited edited = ownerEvents.await(io.melo.core.event.MessageEdited.class);
    int before = hs.room(general.id()).timeline().size();

    assertThatThrownBy(() -> owner.editMessage(general.id(), edited.editEventId(), "v3").execute())
        .isInstanceOf(io.melo.core.NotFoundException.class).hasMessageContaining(m.id());
    assertThatThrownBy(() -> owner.react(general.id(), edited.editEventId(), "👍").execute())
        .isInstanceOf(io.melo.core.NotFoundException.class);
    assertThatThrownBy(() -> owner.reply(general.id(), edited.editEventId(), "re").execute())
        .isInstanceOf(io.melo.core.NotFoundException.class);
    // A client that never saw the edit asks the homeserver, and still sends nothing.
    assertThatThrownBy(() -> guest.editMessage(general.id(), edited.editEventId(), "v3").execute())
        .isInstanceOf(io.melo.core.NotFoundException.class);
    assertThat(hs.room(general.id()).timeline()).as("nothing was sent").hasSize(before);
    assertThat(newest(owner, general.id(), m.id()).body()).isEqualTo("v2");
  }

  @Test
  void aModeratorManagesChannelsButNotRoles() {
    Recorder ownerEvents = new Recorder(owner);
    owner.changeRole(server.id(), bob.userId(), Role.MODERATOR).execute();
    assertThat(hs.room(server.id()).state("m.room.power_levels", "").get("users"))
        .isEqualTo(Map.of(alice.userId(), 101L, bob.userId(), 50L));
    assertThat(hs.room(general.id()).state("m.room.power_levels", "").get("users"))
        .isEqualTo(Map.of(alice.userId(), 101L, bob.userId(), 50L));

    Channel design = guest.createChannel(server.id(), "design", ChannelType.AUDIO).execute();
    // Created at 100 for the initial state, then lowered to the space level as the last step.
    assertThat(hs.room(design.id()).state("m.room.power_levels", "").get("users"))
        .isEqualTo(Map.of(alice.userId(), 101L, bob.userId(), 50L));
    assertThat(hs.room(server.id()).state("m.space.child", design.id())).containsKey("via");

    Channel renamed = guest.renameChannel(design.id(), "design-team").execute();
    assertThat(renamed.name()).isEqualTo("design-team");
    assertThat(guest.reorderChannels(server.id(), List.of(design.id())).execute())
        .extracting(Channel::name).containsExactly("design-team", "general");
    // Another user's change: the owner's reads show it once the owner's sync has brought it.
    ownerEvents.await(ChannelsReordered.class);
    assertThat(owner.channels(server.id()).execute()).extracting(Channel::name).containsExactly("design-team", "general");
    assertThatThrownBy(() -> guest.reorderChannels(server.id(), List.of("!not-a-channel:localhost")).execute())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not channels of this server: [!not-a-channel:localhost]");
    assertThatThrownBy(() -> guest.createChannel(server.id(), "  ", ChannelType.TEXT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> guest.deleteChannel(general.id()).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NAME_RESERVED));
    guest.deleteChannel(design.id()).execute();
    ownerEvents.await(ChannelDeleted.class, e -> e.channelId().equals(design.id()));
    assertThat(owner.channels(server.id()).execute()).extracting(Channel::name).containsExactly("general");

    assertThatThrownBy(() -> guest.changeRole(server.id(), alice.userId(), Role.GUEST).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.OWNER_ONLY));
    assertThatThrownBy(() -> owner.changeRole(server.id(), alice.userId(), Role.GUEST).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NOT_ON_SELF));
    assertThatThrownBy(() -> guest.kick(server.id(), alice.userId(), null).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.OWNER_ONLY));

    assertThat(owner.members(server.id()).execute())
        .extracting(Member::userId, Member::role, Member::owner)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(alice.userId(), Role.ADMIN, true),
            org.assertj.core.groups.Tuple.tuple(bob.userId(), Role.MODERATOR, false));
  }

  @Test
  @FakeOnly("injects a fault")
  void aChannelDeletionThatFailsMidwayReportsItsStepsAndARerunCompletesIt() {
    Channel design = owner.createChannel(server.id(), "design", ChannelType.TEXT).execute();
    hs.faults().next(Endpoint.SET_STATE, path -> path.contains("m.space.child")).error(400, "M_UNKNOWN", "injected");

    assertThatThrownBy(() -> owner.deleteChannel(design.id()).execute())
        .isInstanceOfSatisfying(PartialFailureException.class, e -> {
          assertThat(e.doneSteps()).containsExactly("mark channel " + design.id() + " deleted");
          assertThat(e.failedStep()).isEqualTo("remove channel " + design.id() + " from server " + server.id());
          assertThat(e.remainingSteps()).isEmpty();
        });
    assertThat(hs.room(design.id()).state("io.melo.channel_deleted", "")).isNotNull();
    assertThat(hs.room(server.id()).state("m.space.child", design.id())).isNotEmpty();

    owner.deleteChannel(design.id()).execute();
    assertThat(hs.room(server.id()).state("m.space.child", design.id())).isEmpty();
    assertThat(owner.channels(server.id()).execute()).extracting(Channel::id).doesNotContain(design.id());
  }

  @Test
  @FakeOnly("injects a fault")
  void aKickThatFailsMidwayReportsItsStepsAndARerunCompletesIt() {
    Recorder guestEvents = new Recorder(guest);
    Channel design = owner.createChannel(server.id(), "design", ChannelType.TEXT).execute();
    guestEvents.await(ChannelCreated.class, e -> e.channel().id().equals(design.id())); // bob is in design
    Recorder ownerEvents = new Recorder(owner);
    hs.faults().next(Endpoint.KICK, path -> path.contains(design.id())).error(400, "M_UNKNOWN", "injected");

    assertThatThrownBy(() -> owner.kick(server.id(), bob.userId(), "bye").execute())
        .isInstanceOfSatisfying(PartialFailureException.class, e -> {
          assertThat(e.doneSteps()).containsExactly("kick from " + general.id());
          assertThat(e.failedStep()).isEqualTo("kick from " + design.id());
          assertThat(e.remainingSteps()).containsExactly("kick from " + server.id());
        });
    assertThat(hs.room(server.id()).membership(bob.userId())).isEqualTo("join");

    owner.kick(server.id(), bob.userId(), "bye").execute();
    assertThat(hs.room(server.id()).membership(bob.userId())).isEqualTo("leave");
    assertThat(hs.room(general.id()).membership(bob.userId())).isEqualTo("leave");
    assertThat(hs.room(design.id()).membership(bob.userId())).isEqualTo("leave");
    MemberKicked kicked = ownerEvents.await(MemberKicked.class);
    assertThat(kicked.userId()).isEqualTo(bob.userId());
    assertThat(kicked.kickedBy()).isEqualTo(alice.userId());
    assertThat(kicked.reason()).contains("bye");
    guestEvents.await(MemberKicked.class, e -> e.userId().equals(bob.userId()));
    assertThat(guest.servers().execute()).isEmpty();
    // As on Discord, the invite code brings a kicked member back.
    assertThat(guest.joinServer(server.invite().get()).execute().id()).isEqualTo(server.id());
  }

  @Test
  void aBannedMemberIsBannedFromChannelsCreatedLater() {
    Recorder ownerEvents = new Recorder(owner);
    owner.ban(server.id(), bob.userId(), "spam").execute();
    io.melo.core.event.MemberBanned banned = ownerEvents.await(io.melo.core.event.MemberBanned.class);
    assertThat(banned.userId()).isEqualTo(bob.userId());
    assertThat(banned.reason()).contains("spam");
    assertThat(hs.room(server.id()).membership(bob.userId())).isEqualTo("ban");
    Channel later = owner.createChannel(server.id(), "later", ChannelType.TEXT).execute();
    assertThat(hs.room(later.id()).membership(bob.userId())).isEqualTo("ban");
  }

  @Test
  void leavingAndDeletingAServer() {
    Recorder ownerEvents = new Recorder(owner);
    Recorder guestEvents = new Recorder(guest);
    guest.leaveServer(server.id()).execute();
    assertThat(ownerEvents.await(MemberLeft.class).userId()).isEqualTo(bob.userId());
    assertThat(hs.room(general.id()).membership(bob.userId())).isEqualTo("leave");

    guest.joinServer(server.invite().get()).execute();
    assertThatThrownBy(() -> guest.deleteServer(server.id()).execute())
        .hasMessage("deleting the server needs ADMIN; " + bob.userId() + " is GUEST");
    owner.deleteServer(server.id()).execute();
    assertThat(guestEvents.await(ServerDeleted.class).deletedBy()).isEqualTo(alice.userId());
    assertThat(owner.servers().execute()).isEmpty();
    assertThat(hs.room(general.id()).state("io.melo.channel_deleted", "")).containsEntry("deletedBy", alice.userId());
  }

  /** MeloClient#deleteServer: the markers, then this user leaves every channel and the space. */
  @Test
  void deletingAServerLeavesItsRooms() {
    owner.deleteServer(server.id()).execute();

    assertThat(hs.room(server.id()).membership(alice.userId())).isEqualTo("leave");
    assertThat(hs.room(general.id()).membership(alice.userId())).isEqualTo("leave");
    assertThat(hs.room(general.id()).state("io.melo.channel_deleted", "")).containsEntry("deletedBy", alice.userId());
    assertThat(hs.room(server.id()).state("io.melo.server_deleted", "")).containsEntry("deletedBy", alice.userId());
    // Running it again once it completed changes nothing.
    owner.deleteServer(server.id()).execute();
    assertThat(hs.room(server.id()).membership(alice.userId())).isEqualTo("leave");
  }

  /** The owner rule ("the owner cannot leave: they delete it") has nothing to protect once the server is deleted. */
  @Test
  void theOwnerCanLeaveAServerOnceItIsDeleted() {
    owner.deleteServer(server.id()).execute();

    owner.leaveServer(server.id()).execute();
    assertThat(hs.room(server.id()).membership(alice.userId())).isEqualTo("leave");
    // Deleted by its owner, the server is no longer bob's either: he may still leave it.
    guest.leaveServer(server.id()).execute();
    assertThat(hs.room(server.id()).membership(bob.userId())).isEqualTo("leave");
    assertThat(hs.room(general.id()).membership(bob.userId())).isEqualTo("leave");
  }

  /** MeloClient#server: NotFoundException "when it is not a Melo server this user has joined". */
  @Test
  void aServerThisUserLeftIsNotFound() {
    guest.leaveServer(server.id()).execute();

    assertThatThrownBy(() -> guest.server(server.id()).execute()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> guest.channels(server.id()).execute()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> guest.members(server.id()).execute()).isInstanceOf(NotFoundException.class);
  }

  /** The same for a kicked member: the state as of the kick is no current server for them. */
  @Test
  void aServerThisUserWasKickedFromIsNotFoundAndHasNoChannelsForThem() {
    Recorder guestEvents = new Recorder(guest);
    // bob's sync has seen his own join first: a join and a kick in one sync batch would bring the
    // space as left only, with no MemberKicked to wait for.
    Message barrier = owner.sendText(general.id(), "barrier").execute();
    guestEvents.await(io.melo.core.event.MessageCreated.class, e -> e.message().id().equals(barrier.id()));
    owner.kick(server.id(), bob.userId(), null).execute();
    // Another user's change: bob's reads show it once bob's sync has brought it (MeloClient docs).
    guestEvents.await(MemberKicked.class, e -> e.userId().equals(bob.userId()));

    assertThatThrownBy(() -> guest.server(server.id()).execute()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> guest.channels(server.id()).execute()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> guest.members(server.id()).execute()).isInstanceOf(NotFoundException.class);
  }

  /** An outsider (never joined) reading the server, its channels or members: NotFound, not the homeserver's 403. */
  @Test
  void anOutsiderReadingAServerGetsNotFound() {
    TestUser carol = hs.register("carol");
    MeloClient outsider = fixture.login(carol);

    assertThatThrownBy(() -> outsider.server(server.id()).execute()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> outsider.channels(server.id()).execute()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> outsider.members(server.id()).execute()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> outsider.renameChannel(general.id(), "mine").execute())
        .isInstanceOf(NotFoundException.class);
  }

  /** changeRole of a non-member is NotFoundException; a kick of one must not report success. */
  @Test
  void kickingSomeoneWhoIsNotAMemberIsNotFound() {
    TestUser carol = hs.register("carol");
    assertThatThrownBy(() -> owner.changeRole(server.id(), carol.userId(), Role.MODERATOR).execute())
        .isInstanceOf(NotFoundException.class);

    assertThatThrownBy(() -> owner.kick(server.id(), carol.userId(), "never here").execute())
        .isInstanceOf(NotFoundException.class)
        .hasMessage("no member " + carol.userId() + " in server " + server.id());
    // An invited user is removable (the invite is revoked); a ban may be pre-emptive.
    alice.invite(server.id(), carol.userId());
    owner.kick(server.id(), carol.userId(), "changed my mind").execute();
    assertThat(hs.room(server.id()).membership(carol.userId())).isEqualTo("leave");
    owner.ban(server.id(), carol.userId(), "pre-emptive").execute();
    assertThat(hs.room(server.id()).membership(carol.userId())).isEqualTo("ban");
  }

  private static Message find(MeloClient client, String roomId, String id) {
    return client.messages(roomId, null, 50).execute().messages().stream()
        .filter(m -> m.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("message " + id + " not in the newest page"));
  }

  /** A MODERATOR may delete another user's message; an outsider may not post; a MODERATOR is refused owner and ADMIN rules. */
  @Test
  void aModeratorDeletesAGuestsMessageButAnOutsiderCannotPost() {
    TestUser carol = hs.register("carol");
    MeloClient outsider = fixture.login(carol);
    TestUser dave = hs.register("dave");
    MeloClient mod = fixture.login(dave);
    mod.joinServer(server.invite().get()).execute();
    owner.changeRole(server.id(), dave.userId(), Role.MODERATOR).execute();

    Message bobs = guest.sendText(general.id(), "spam").execute();
    mod.deleteMessage(general.id(), bobs.id()).execute();
    assertThat(find(owner, general.id(), bobs.id()).deleted()).isTrue();

    assertThatThrownBy(() -> outsider.sendText(general.id(), "let me in").execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.HOMESERVER_REFUSED));
    assertThatThrownBy(() -> mod.changeRole(server.id(), bob.userId(), Role.MODERATOR).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.OWNER_ONLY));
    assertThatThrownBy(() -> mod.regenerateInvite(server.id()).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.requiredRole()).contains(Role.ADMIN));
  }

  /** Each rule with the role just below or beside it: a non-owner ADMIN, a MODERATOR and a GUEST. */
  @Test
  void aNonOwnerAdminAModeratorAndAGuestAreRefusedWhatTheirRoleDoesNotAllow() {
    TestUser dave = hs.register("dave");
    MeloClient mod = fixture.login(dave);
    mod.joinServer(server.invite().get()).execute();
    owner.changeRole(server.id(), dave.userId(), Role.MODERATOR).execute();
    TestUser erin = hs.register("erin");
    MeloClient admin = fixture.login(erin);
    admin.joinServer(server.invite().get()).execute();
    owner.changeRole(server.id(), erin.userId(), Role.ADMIN).execute();
    Recorder modEvents = new Recorder(mod);
    Recorder guestEvents = new Recorder(guest);
    Channel design = owner.createChannel(server.id(), "design", ChannelType.TEXT).execute();
    // The moderator's and bob's syncs join the new channel by themselves: wait until they are in it.
    modEvents.await(ChannelCreated.class, e -> e.channel().id().equals(design.id()));
    guestEvents.await(ChannelCreated.class, e -> e.channel().id().equals(design.id()));

    // only the owner changes roles or removes members, even an ADMIN may not
    assertThatThrownBy(() -> admin.kick(server.id(), bob.userId(), null).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.OWNER_ONLY));
    assertThatThrownBy(() -> admin.ban(server.id(), bob.userId(), null).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.OWNER_ONLY));
    assertThatThrownBy(() -> admin.changeRole(server.id(), bob.userId(), Role.MODERATOR).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.OWNER_ONLY));
    assertThatThrownBy(() -> owner.ban(server.id(), alice.userId(), null).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NOT_ON_SELF));
    assertThatThrownBy(() -> owner.kick(server.id(), alice.userId(), null).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NOT_ON_SELF));
    // ADMIN rules: a MODERATOR is refused, a non-owner ADMIN allowed
    assertThatThrownBy(() -> mod.updateServer(server.id(), ServerUpdate.none().topic("x")).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.requiredRole()).contains(Role.ADMIN));
    assertThatThrownBy(() -> mod.deleteServer(server.id()).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.requiredRole()).contains(Role.ADMIN));
    assertThat(admin.updateServer(server.id(), ServerUpdate.none().topic("by admin")).execute().topic())
        .contains("by admin");
    // channel rules: a GUEST is refused reorder and delete; nobody renames to or from general
    assertThatThrownBy(() -> guest.reorderChannels(server.id(), List.of(design.id())).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.requiredRole()).contains(Role.MODERATOR));
    assertThatThrownBy(() -> guest.deleteChannel(design.id()).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.requiredRole()).contains(Role.MODERATOR));
    assertThatThrownBy(() -> mod.renameChannel(design.id(), "general").execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NAME_RESERVED));
    assertThatThrownBy(() -> owner.renameChannel(general.id(), "lobby").execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NAME_RESERVED));
  }

  @Test
  void conversationsAreFoundOrCreatedAndRecordedForBothUsersWithoutLosingOtherEntries() {
    alice.setAccountData("m.direct", Map.of("@carol:localhost", List.of("!other:localhost")));
    Recorder guestEvents = new Recorder(guest);

    Conversation started = owner.conversationWith(bob.userId()).execute();
    assertThat(guestEvents.await(InvitedToConversation.class).roomId()).isEqualTo(started.id());
    Conversation accepted = guest.conversationWith(alice.userId()).execute();

    assertThat(accepted.id()).isEqualTo(started.id());
    assertThat(owner.conversationWith(bob.userId()).execute()).isEqualTo(started);
    assertThat(owner.conversations().execute()).containsExactly(started);
    assertThat(guest.conversations().execute()).containsExactly(new Conversation(started.id(), alice.userId()));
    assertThat(alice.accountData("m.direct"))
        .containsEntry("@carol:localhost", List.of("!other:localhost"))
        .containsEntry(bob.userId(), List.of(started.id()));
    assertThat(bob.accountData("m.direct"))
        .containsEntry(alice.userId(), List.of(started.id()));
    Message hi = guest.sendText(started.id(), "hi alice").execute();
    assertThat(owner.messages(started.id(), null, 10).execute().messages()).extracting(Message::id).contains(hi.id());
    assertThatThrownBy(() -> owner.deleteMessage(started.id(), hi.id()).execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.AUTHOR_ONLY));
    guest.deleteMessage(started.id(), hi.id()).execute();
  }

  /**
   * Exactly once (review9 #6): when the answer to the conversation's createRoom is lost, running
   * the call again finds the room it made instead of inviting bob to a second one.
   */
  @Test
  @FakeOnly("drops a response after applying the request")
  void aLostAnswerToCreatingAConversationDoesNotMakeASecondOne() {
    hs.faults().next(Endpoint.CREATE_ROOM).applyThenDropResponse();
    io.melo.core.MeloCall<Conversation> call = owner.conversationWith(bob.userId());
    Conversation conversation;
    try {
      conversation = call.execute();
    } catch (io.melo.core.MeloNetworkException lost) {
      conversation = call.copy().execute(); // what an app does after a network failure
    }

    List<String> roomsInvitingBob = hs.fake().model().roomIds().stream()
        .filter(id -> "invite".equals(hs.room(id).membership(bob.userId())))
        .toList();
    assertThat(roomsInvitingBob).as("conversation %s", conversation.id()).containsExactly(conversation.id());
    assertThat(alice.accountData("m.direct"))
        .containsEntry(bob.userId(), List.of(conversation.id()));
  }

  /**
   * Both users' m.direct name one room (review9 #7): bob opens the conversation right after alice
   * started it, before his sync can have brought her invite, and gets her room.
   */
  @Test
  @FakeOnly("lists every room the homeserver holds")
  void theInviteeOpeningTheConversationAtOnceGetsTheSameRoom() {
    Conversation started = owner.conversationWith(bob.userId()).execute();
    Conversation accepted = guest.conversationWith(alice.userId()).execute();

    assertThat(accepted.id()).isEqualTo(started.id());
    assertThat(hs.room(started.id()).membership(bob.userId())).isEqualTo("join");
    assertThat(hs.fake().model().roomIds().stream()
        .filter(id -> hs.room(id).membership(bob.userId()) != null && hs.room(id).membership(alice.userId()) != null)
        .filter(id -> !id.equals(server.id()) && !id.equals(general.id())))
        .as("rooms alice and bob share besides the server").containsExactly(started.id());
  }

  /**
   * A conversation the other user left is no conversation with them as it is (review9 #8): alice
   * invites bob back into the same room (both m.direct name it), and bob opening the conversation
   * accepts that invite.
   */
  @Test
  void aConversationTheOtherUserLeftInvitesThemBackIntoTheSameRoom() {
    Recorder ownerEvents = new Recorder(owner);
    Recorder guestEvents = new Recorder(guest);
    Conversation first = owner.conversationWith(bob.userId()).execute();
    guest.conversationWith(alice.userId()).execute();
    bob.leave(first.id());
    // Alice's sync has seen bob leave once it brings bob's later message.
    String marker = bob.sendText(general.id(), "left the conversation");
    ownerEvents.await(io.melo.core.event.MessageCreated.class, e -> e.message().id().equals(marker));

    Conversation again = owner.conversationWith(bob.userId()).execute();

    assertThat(again).isEqualTo(first);
    assertThat(hs.room(again.id()).membership(bob.userId()))
        .as("bob's membership in the conversation alice gets back").isEqualTo("invite");
    // Bob left on another device: his client answers from its cache, so it must have synced the
    // leave and the new invite first (reads show what this client's sync delivered): a message
    // sent after the invite reaching bob's client says it has.
    String invited = alice.sendText(general.id(), "invited bob back");
    guestEvents.await(io.melo.core.event.MessageCreated.class, e -> e.message().id().equals(invited));
    assertThat(guest.conversationWith(alice.userId()).execute()).isEqualTo(new Conversation(first.id(), alice.userId()));
    assertThat(hs.room(first.id()).membership(bob.userId())).isEqualTo("join");
    assertThat(owner.conversations().execute()).containsExactly(first);
  }

  /**
   * A room m.direct names for bob but that bob is banned from (another client made it: in a room
   * Melo creates both users are admins) is not reused: a new room is made and appended to m.direct.
   */
  @Test
  void aConversationTheOtherUserIsBannedFromIsReplacedByANewOne() {
    String firstId = alice.createRoom(room -> room.name("made elsewhere"));
    alice.invite(firstId, bob.userId());
    alice.ban(firstId, bob.userId());
    alice.setAccountData("m.direct", Map.of(bob.userId(), List.of(firstId)));
    Conversation first = new Conversation(firstId, bob.userId());

    Conversation second = owner.conversationWith(bob.userId()).execute();

    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(hs.room(second.id()).membership(bob.userId())).isEqualTo("invite");
    assertThat(alice.accountData("m.direct"))
        .containsEntry(bob.userId(), List.of(first.id(), second.id()));
    assertThat(owner.conversationWith(bob.userId()).execute()).isEqualTo(second);
  }

  @Test
  void profilesPublicAndPrivate() {
    owner.setDisplayName("Alice A.").execute();
    Profile profile = guest.profile(alice.userId()).execute();
    assertThat(profile.displayName()).contains("Alice A.");
    assertThat(profile.displayNameOrId()).isEqualTo("Alice A.");

    alice.setAccountData("io.melo.profile", Map.of("email", "a@old.org", "clerkId", "c1"));
    PrivateProfile updated = owner.updatePrivateProfile(new PrivateProfile(Optional.of("a@new.org"), Optional.of("ext-1"))).execute();
    assertThat(updated).isEqualTo(new PrivateProfile(Optional.of("a@new.org"), Optional.of("ext-1")));
    assertThat(owner.privateProfile().execute()).isEqualTo(updated);
    assertThat(guest.privateProfile().execute()).isEqualTo(PrivateProfile.empty());
  }

  /** Another user's presence, as the homeserver reports it now; an unknown user is NotFound. */
  @Test
  void anotherUsersPresenceIsRead() {
    owner.setPresence(Presence.ONLINE, "in the office").execute();

    UserPresence read = guest.presence(alice.userId()).execute();

    assertThat(read.userId()).isEqualTo(alice.userId());
    assertThat(read.presence()).isEqualTo(Presence.ONLINE);
    assertThat(read.statusMessage()).contains("in the office");
    assertThat(read.lastActiveAgo()).isPresent();
    assertThat(read.lastActiveAgo().get().isNegative()).isFalse();
    owner.setPresence(Presence.UNAVAILABLE, null).execute();
    assertThat(guest.presence(alice.userId()).execute().presence()).isEqualTo(Presence.UNAVAILABLE);
    assertThat(guest.presence(alice.userId()).execute().statusMessage()).isEmpty();

    assertThatThrownBy(() -> guest.presence("@nobody:" + hs.serverName()).execute()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> guest.presence("alice")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @FakeOnly("drops a response after applying the request")
  void aLostSendResponseIsRetriedWithTheSameTransactionAndNotDuplicated() {
    hs.faults().next(Endpoint.SEND_EVENT).applyThenDropResponse();
    Message sent = owner.sendText(general.id(), "exactly once").execute();
    assertThat(hs.room(general.id()).messages()).filteredOn(e -> "exactly once".equals(e.body())).hasSize(1)
        .first().extracting(e -> e.eventId()).isEqualTo(sent.id());
  }

  @Test
  void theHomeserversOwnRefusalComesBackAsARuleViolation() {
    owner.changeRole(server.id(), bob.userId(), Role.MODERATOR).execute();
    // Another client lowers bob in the channel only: Melo's check (the space role) passes, the
    // homeserver's power levels refuse.
    alice.setState(general.id(), "m.room.power_levels", "", Map.of(
        "users", Map.of(alice.userId(), 101, bob.userId(), 0),
        "users_default", 0, "events_default", 0, "state_default", 100,
        "events", Map.of("m.room.topic", 50, "m.room.power_levels", 100)));
    assertThatThrownBy(() -> guest.setChannelTopic(general.id(), "mine").execute())
        .isInstanceOfSatisfying(RuleViolationException.class, e -> {
          assertThat(e.rule()).isEqualTo(Rule.HOMESERVER_REFUSED);
          assertThat(e.refusedByHomeserver()).isTrue();
          assertThat(e.getCause()).isInstanceOf(io.melo.matrix.MatrixErrorException.class);
        });
  }

  @Test
  void membersComeInPagesInRoleOrder() {
    owner.changeRole(server.id(), bob.userId(), Role.MODERATOR).execute();
    List<String> expected = new ArrayList<>(List.of(alice.userId(), bob.userId()));
    List<String> guests = new ArrayList<>();
    Recorder ownerEvents = new Recorder(owner);
    for (String name : List.of("dave", "carol", "erin")) {
      TestUser user = hs.register(name);
      user.join(server.id());
      guests.add(user.userId());
    }
    // Joins by others: the owner's reads show them once the owner's sync has brought them.
    for (String user : guests) {
      ownerEvents.await(MemberJoined.class, e -> e.userId().equals(user));
    }
    guests.sort(null);
    expected.addAll(guests);

    List<String> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      io.melo.core.MemberPage page = owner.members(server.id(), cursor, 2).execute();
      assertThat(page.members()).hasSizeLessThanOrEqualTo(2);
      page.members().forEach(m -> paged.add(m.userId()));
      cursor = page.nextCursor().orElse(null);
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(paged).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(3);
    assertThatThrownBy(() -> owner.members(server.id(), "garbage", 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRoleChangeKeepsPowerLevelFieldsMeloDoesNotKnow() {
    Map<String, Object> levels = new java.util.LinkedHashMap<>(hs.room(server.id()).state("m.room.power_levels", ""));
    levels.put("notifications", Map.of("room", 20));
    levels.put("org.example.setting", Map.of("keep", true));
    Map<String, Object> events = new java.util.LinkedHashMap<>((Map<String, Object>) levels.get("events"));
    events.put("org.example.custom", 75);
    levels.put("events", events);
    alice.setState(server.id(), "m.room.power_levels", "", levels);

    owner.changeRole(server.id(), bob.userId(), Role.MODERATOR).execute();

    Map<String, Object> after = hs.room(server.id()).state("m.room.power_levels", "");
    assertThat(after.get("notifications")).isEqualTo(Map.of("room", 20L));
    assertThat(after.get("org.example.setting")).isEqualTo(Map.of("keep", true));
    assertThat((Map<String, Object>) after.get("events")).containsEntry("org.example.custom", 75L)
        .containsEntry("io.melo.server", 100L);
    assertThat((Map<String, Object>) after.get("users")).containsEntry(bob.userId(), 50L)
        .containsEntry(alice.userId(), 101L);
  }
}
