package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.MeloClient;
import io.melo.core.Message;
import io.melo.core.Role;
import io.melo.core.Server;
import io.melo.core.ServerUpdate;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.ChannelDeleted;
import io.melo.core.event.ChannelUpdated;
import io.melo.core.event.ChannelsReordered;
import io.melo.core.event.InvitedToServer;
import io.melo.core.event.ServerUpdated;
import io.melo.core.event.EventScope;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageDeleted;
import io.melo.core.event.MessageEdited;
import io.melo.core.event.ReactionAdded;
import io.melo.core.event.ReactionRemoved;
import io.melo.core.event.RoleChanged;
import io.melo.core.event.TypingChanged;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Typed live events from the sync loop, between an owner and a guest. */
class LiveEventsTest extends AliceAndBobScene {

  private Server server;
  private Channel general;

  @BeforeEach
  void setUp() {
    server = owner.createServer("HQ").execute();
    general = owner.channels(server.id()).execute().get(0);
  }

  /** A declined invite (review9 #11) is no member leaving, and a revoked one no member kicked. */
  @Test
  void aDeclinedOrRevokedInviteIsNoMemberLeavingOrKicked() {
    TestUser carol = hs.register("carol");
    TestUser dave = hs.register("dave");
    Recorder ownerEvents = new Recorder(owner);
    alice.invite(server.id(), carol.userId());
    carol.leave(server.id()); // declines
    alice.invite(server.id(), dave.userId());
    alice.kick(server.id(), dave.userId()); // revokes
    guest.joinServer(server.invite().get()).execute();
    guest.leaveServer(server.id()).execute(); // a member leaving still counts
    Message barrier = owner.sendText(general.id(), "barrier").execute();
    ownerEvents.await(MessageCreated.class, e -> e.message().id().equals(barrier.id()));

    assertThat(ownerEvents.seen(io.melo.core.event.MemberLeft.class))
        .extracting(io.melo.core.event.MemberLeft::userId).containsExactly(bob.userId());
    assertThat(ownerEvents.seen(io.melo.core.event.MemberKicked.class)).isEmpty();
  }

  /**
   * Live profile events (review9 #10) for a peer met only in a conversation: carol, in no server of
   * alice's, changes her name and alice hears of it once.
   */
  @Test
  void aProfileChangeOfAConversationPeerIsAnEvent() {
    TestUser carol = hs.register("carol");
    MeloClient carolClient = fixture.login(carol);
    Recorder carolEvents = new Recorder(carolClient);
    io.melo.core.Conversation dm = owner.conversationWith(carol.userId()).execute();
    carolEvents.await(io.melo.core.event.InvitedToConversation.class);
    carolClient.conversationWith(alice.userId()).execute();
    Recorder ownerEvents = new Recorder(owner);

    carolClient.setDisplayName("Caroline").execute();
    Message barrier = carolClient.sendText(dm.id(), "barrier").execute();
    ownerEvents.await(MessageCreated.class, e -> e.message().id().equals(barrier.id()));
    // The homeserver did update carol's member event in the conversation (as Synapse does).
    assertThat(hs.room(dm.id()).state("m.room.member", carol.userId())).containsEntry("displayname", "Caroline");

    assertThat(ownerEvents.seen(io.melo.core.event.ProfileChanged.class))
        .extracting(p -> p.userId() + " " + p.profile().displayName().orElse("-"))
        .containsExactly(carol.userId() + " Caroline");
  }

  @Test
  void joiningAServerDoesNotFireMessagesSentBeforeTheJoin() {
    owner.sendText(general.id(), "old").execute();
    Recorder guestEvents = new Recorder(guest);

    guest.joinServer(server.invite().get()).execute();
    owner.sendText(general.id(), "new").execute();

    guestEvents.await(MessageCreated.class, e -> e.message().body().equals("new"));
    assertThat(guestEvents.seen(MessageCreated.class)).extracting(e -> e.message().body()).containsExactly("new");
  }

  @Test
  void historyFromBeforeTheJoinLoadedByPaginationNeverFiresCreated() {
    owner.sendText(general.id(), "before 1").execute();
    owner.sendText(general.id(), "before 2").execute();
    Recorder guestEvents = new Recorder(guest);

    guest.joinServer(server.invite().get()).execute();
    List<String> history = new ArrayList<>();
    guest.messages(general.id(), null, 50).execute().messages().forEach(m -> history.add(m.body()));
    assertThat(history).containsSubsequence("before 2", "before 1");
    owner.sendText(general.id(), "after").execute();

    // "after" is the barrier: anything the join or the history load fired came before it.
    guestEvents.await(MessageCreated.class, e -> e.message().body().equals("after"));
    assertThat(guestEvents.seen(MessageCreated.class)).extracting(e -> e.message().body()).containsExactly("after");
  }

  @Test
  @FakeOnly("drops a response after applying the request")
  void ownSendsAreConfirmedOnceByTheirTransactionIdEvenWhenTheResponseWasLost() {
    Recorder ownerEvents = new Recorder(owner);
    Recorder guestEvents = new Recorder(guest);
    guest.joinServer(server.invite().get()).execute();
    ownerEvents.await(MemberJoined.class, e -> e.userId().equals(bob.userId()));

    // The first send's response is lost: the client retries it with the same transaction id.
    hs.faults().next(Endpoint.SEND_EVENT).applyThenDropResponse();
    Message sent = owner.sendText(general.id(), "mine").execute();
    owner.editMessage(general.id(), sent.id(), "mine, edited").execute();
    owner.react(general.id(), sent.id(), "👍").execute();
    guest.sendText(general.id(), "theirs").execute();
    owner.sendText(general.id(), "marker").execute();

    MessageCreated marker = ownerEvents.await(MessageCreated.class, e -> e.message().body().equals("marker"));
    assertThat(marker.ownSend()).isTrue();
    List<MessageCreated> created = ownerEvents.seen(MessageCreated.class);
    assertThat(created).extracting(e -> e.message().body()).containsExactly("mine", "theirs", "marker");
    MessageCreated mine = created.get(0);
    assertThat(mine.message().id()).isEqualTo(sent.id());
    assertThat(mine.ownSend()).isTrue();
    assertThat(mine.transactionId()).hasValueSatisfying(txn -> assertThat(txn).isNotBlank());
    assertThat(created.get(1).ownSend()).isFalse();
    assertThat(created.get(1).transactionId()).isEmpty();
    assertThat(marker.transactionId()).isNotEqualTo(mine.transactionId());
    assertThat(ownerEvents.seen(MessageEdited.class)).singleElement()
        .satisfies(e -> assertThat(e.ownSend()).isTrue());
    assertThat(ownerEvents.seen(ReactionAdded.class)).singleElement()
        .satisfies(e -> assertThat(e.ownSend()).isTrue());

    // Another user's copy of the same send carries no transaction id: it is not theirs.
    guestEvents.await(MessageCreated.class, e -> e.message().body().equals("marker"));
    assertThat(guestEvents.seen(MessageCreated.class)).filteredOn(e -> e.message().body().equals("mine"))
        .singleElement().satisfies(e -> assertThat(e.ownSend()).isFalse());
  }

  @Test
  void membersMessagesEditsReactionsAndDeletionsArriveTypedAndOnce() {
    Recorder ownerEvents = new Recorder(owner);
    Recorder guestEvents = new Recorder(guest);

    guest.joinServer(server.invite().get()).execute();
    MemberJoined joined = ownerEvents.await(MemberJoined.class, e -> e.userId().equals(bob.userId()));
    assertThat(joined.serverId()).isEqualTo(server.id());

    Message sent = owner.sendText(general.id(), "hello").execute();
    MessageCreated created = guestEvents.await(MessageCreated.class);
    assertThat(created.message().id()).isEqualTo(sent.id());
    assertThat(created.message().body()).isEqualTo("hello");
    assertThat(created.serverId()).contains(server.id());
    assertThat(created.roomId()).isEqualTo(general.id());
    // The sender's own message is confirmed once by its echo.
    assertThat(ownerEvents.await(MessageCreated.class).message().id()).isEqualTo(sent.id());

    // A forged edit by another user is ignored; the author's edit applies.
    bob.send(general.id(), "m.room.message", Map.of("msgtype", "m.text", "body", "* pwned",
        "m.new_content", Map.of("msgtype", "m.text", "body", "pwned"),
        "m.relates_to", Map.of("rel_type", "m.replace", "event_id", sent.id())));
    owner.editMessage(general.id(), sent.id(), "hello, world").execute();
    MessageEdited edited = guestEvents.await(MessageEdited.class);
    assertThat(edited.message().body()).isEqualTo("hello, world");
    assertThat(edited.message().edited()).isTrue();

    guest.react(general.id(), sent.id(), "👍").execute();
    ReactionAdded reaction = ownerEvents.await(ReactionAdded.class);
    assertThat(reaction.key()).isEqualTo("👍");
    assertThat(reaction.senderId()).isEqualTo(bob.userId());
    assertThat(reaction.messageId()).isEqualTo(sent.id());
    guest.unreact(general.id(), sent.id(), "👍").execute();
    assertThat(ownerEvents.await(ReactionRemoved.class).senderId()).isEqualTo(bob.userId());

    owner.deleteMessage(general.id(), sent.id()).execute();
    MessageDeleted deleted = guestEvents.await(MessageDeleted.class);
    assertThat(deleted.messageId()).isEqualTo(sent.id());
    assertThat(deleted.deletedBy()).isEqualTo(alice.userId());

    // A later message is the barrier: whatever "hello" caused has reached both sides by then, so
    // a second echo of it (or a second edit) would be in the lists below.
    owner.sendText(general.id(), "marker").execute();
    ownerEvents.await(MessageCreated.class, e -> e.message().body().equals("marker"));
    guestEvents.await(MessageCreated.class, e -> e.message().body().equals("marker"));
    assertThat(ownerEvents.seen(MessageCreated.class)).extracting(e -> e.message().body()).containsExactly("hello", "marker");
    assertThat(ownerEvents.seen(MessageEdited.class)).singleElement()
        .satisfies(e -> assertThat(e.message().body()).isEqualTo("hello, world"));
    assertThat(ownerEvents.seen(MessageDeleted.class)).singleElement()
        .satisfies(e -> assertThat(e.messageId()).isEqualTo(sent.id()));
    assertThat(guestEvents.seen(MessageCreated.class)).extracting(e -> e.message().body()).containsExactly("hello", "marker");
    assertThat(guestEvents.seen(MessageEdited.class)).hasSize(1);
    assertThat(guestEvents.seen(MessageDeleted.class)).hasSize(1);
    ownerEvents.assertSequencesIncrease();
    guestEvents.assertSequencesIncrease();
  }

  @Test
  void aNewChannelIsJoinedAutomaticallyAndAnnounced() {
    guest.joinServer(server.invite().get()).execute();
    Recorder guestEvents = new Recorder(guest);

    Channel design = owner.createChannel(server.id(), "design", ChannelType.VIDEO).execute();

    ChannelCreated created = guestEvents.await(ChannelCreated.class);
    assertThat(created.channel().id()).isEqualTo(design.id());
    assertThat(created.channel().type()).isEqualTo(ChannelType.VIDEO);
    assertThat(hs.room(design.id()).membership(bob.userId())).isEqualTo("join");
    Message hi = guest.sendText(design.id(), "first!").execute();
    assertThat(hs.room(design.id()).messages()).extracting(e -> e.eventId()).contains(hi.id());
  }

  @Test
  @FakeOnly("injects a fault")
  void aFailedAutoJoinOfANewChannelIsRetriedOnALaterBatch() {
    guest.joinServer(server.invite().get()).execute();
    Recorder guestEvents = new Recorder(guest);

    // The guest's first try to join the new channel fails.
    hs.faults().next(Endpoint.JOIN).error(403, "M_FORBIDDEN", "injected: not allowed yet");
    Channel design = owner.createChannel(server.id(), "design", ChannelType.TEXT).execute();
    // Seen by the guest in the batch with the new channel or after it: the failed join is behind us.
    owner.sendText(general.id(), "after the failed join").execute();
    guestEvents.await(MessageCreated.class, e -> e.message().body().equals("after the failed join"));
    assertThat(hs.faults().pending()).isEmpty();
    owner.sendText(general.id(), "a later batch").execute(); // so a batch after the failure surely comes

    ChannelCreated created = guestEvents.await(ChannelCreated.class);
    assertThat(created.channel().id()).isEqualTo(design.id());
    assertThat(hs.room(design.id()).membership(bob.userId())).isEqualTo("join");
    owner.sendText(design.id(), "welcome").execute();
    MessageCreated welcome = guestEvents.await(MessageCreated.class, e -> e.message().body().equals("welcome"));
    assertThat(welcome.roomId()).isEqualTo(design.id());
  }

  @Test
  void roleChangesTypingAndScopedListeners() {
    guest.joinServer(server.invite().get()).execute();
    Recorder guestEvents = new Recorder(guest);
    CompletableFuture<TypingChanged> inGeneral = new CompletableFuture<>();
    List<MeloEvent> inOtherServer = new CopyOnWriteArrayList<>();
    List<MeloEvent> inThisServer = new CopyOnWriteArrayList<>();
    guest.on(TypingChanged.class, EventScope.channel(general.id()), inGeneral::complete);
    guest.addListener(EventScope.server("!elsewhere:" + hs.serverName()), inOtherServer::add);
    guest.addListener(EventScope.server(server.id()), inThisServer::add);

    owner.changeRole(server.id(), bob.userId(), Role.MODERATOR).execute();
    RoleChanged role = guestEvents.await(RoleChanged.class, e -> e.userId().equals(bob.userId()));
    assertThat(role.oldRole()).isEqualTo(Role.GUEST);
    assertThat(role.newRole()).isEqualTo(Role.MODERATOR);
    assertThat(role.powerLevel()).isEqualTo(50);

    owner.setTyping(general.id(), true).execute();
    TypingChanged typing = guestEvents.await(TypingChanged.class, e -> e.userIds().contains(alice.userId()));
    assertThat(typing.roomId()).isEqualTo(general.id());
    assertThat(inGeneral).succeedsWithin(Duration.ofSeconds(10)).extracting(TypingChanged::roomId).isEqualTo(general.id());
    // Listeners see one event at a time, in order: once the recorder has a later event, every
    // listener is done with the typing event (and all before it).
    owner.sendText(general.id(), "barrier").execute();
    guestEvents.await(MessageCreated.class, e -> e.message().body().equals("barrier"));
    assertThat(inThisServer).filteredOn(TypingChanged.class::isInstance).isNotEmpty();
    assertThat(inThisServer).filteredOn(RoleChanged.class::isInstance).isNotEmpty();
    assertThat(inOtherServer).isEmpty();
  }

  @Test
  void channelAndServerChangesInvitesAndHistoryLoadsAreTyped() {
    guest.joinServer(server.invite().get()).execute();
    Recorder guestEvents = new Recorder(guest);
    Channel design = owner.createChannel(server.id(), "design", ChannelType.TEXT).execute();
    guestEvents.await(ChannelCreated.class);

    owner.setChannelTopic(design.id(), "pixels").execute();
    assertThat(guestEvents.await(ChannelUpdated.class).channel().topic()).contains("pixels");
    owner.reorderChannels(server.id(), List.of(design.id())).execute();
    assertThat(guestEvents.await(ChannelsReordered.class).channelIds()).containsExactly(design.id(), general.id());
    owner.deleteChannel(design.id()).execute();
    ChannelDeleted deleted = guestEvents.await(ChannelDeleted.class);
    assertThat(deleted.channelId()).isEqualTo(design.id());
    owner.sendText(general.id(), "after the deletion").execute();
    guestEvents.await(MessageCreated.class, e -> e.message().body().equals("after the deletion"));
    assertThat(guestEvents.seen(ChannelDeleted.class)).hasSize(1);
    owner.updateServer(server.id(), ServerUpdate.none().name("HQ 2").topic("all hands")).execute();
    ServerUpdated updated = guestEvents.await(ServerUpdated.class, e -> e.server().topic().isPresent());
    assertThat(updated.server().name()).isEqualTo("HQ 2");

    owner.sendText(general.id(), "live").execute();
    guestEvents.await(MessageCreated.class, e -> e.message().body().equals("live"));
    assertThat(guestEvents.seen(MessageCreated.class)).extracting(e -> e.message().body())
        .containsExactly("after the deletion", "live");

    TestUser carol = hs.register("carol");
    MeloClient outsider = fixture.login(carol);
    Recorder carolEvents = new Recorder(outsider);
    alice.invite(server.id(), carol.userId());
    InvitedToServer invited = carolEvents.await(InvitedToServer.class);
    assertThat(invited.serverId()).isEqualTo(server.id());
    assertThat(invited.inviterId()).isEqualTo(alice.userId());
  }
}
