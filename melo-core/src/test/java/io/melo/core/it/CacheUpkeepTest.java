package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Channel;
import io.melo.core.Conversation;
import io.melo.core.Member;
import io.melo.core.MemberPage;
import io.melo.core.MeloClient;
import io.melo.core.Message;
import io.melo.core.Server;
import io.melo.core.event.InvitedToConversation;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MemberLeft;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.ProfileChanged;
import io.melo.testkit.Endpoint;
import io.melo.testkit.Stall;
import io.melo.testkit.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cache keeps serving reads as it should after writes the sync never shows one by one, while
 * member lists change under paging, and while peers' profiles change in conversations and servers.
 */
class CacheUpkeepTest extends ThreeUsersScene {

  /**
   * Alice kicks bob while her sync is held; bob comes back and the space gets busy, so her next
   * batch is gappy: it shows bob joined and never the kick. The kick has returned, so a few batches
   * later the space is read from the cache again instead of from the homeserver for good.
   */
  @Test
  void aKickTheSyncNeverShowsDoesNotKeepTheServerReadFromTheHomeserver() throws Exception {
    MeloClient owner = fixture.login(alice);
    Recorder events = new Recorder(owner);
    Server hq = owner.createServer("HQ").execute();
    Channel general = owner.channels(hq.id()).execute().get(0);
    bob.join(hq.id());
    events.await(MemberJoined.class, e -> e.userId().equals(bob.userId()));

    Stall held = hs.faults().next(Endpoint.SYNC).stall();
    alice.sendText(general.id(), "wake");
    assertThat(held.awaitArrival(Duration.ofSeconds(10))).isTrue();
    owner.kick(hq.id(), bob.userId(), "out").execute();
    bob.join(hq.id());
    List<String> newcomers = new ArrayList<>();
    for (int i = 0; i < 12; i++) { // more than the timeline of one batch holds (10 events)
      TestUser newcomer = hs.register("user" + i);
      newcomer.join(hq.id());
      newcomers.add(newcomer.userId());
    }
    held.release();
    for (int i = 0; i < 4; i++) { // each marker comes in a batch of its own, after the gappy one
      String body = "marker " + i;
      alice.sendText(general.id(), body);
      events.await(MessageCreated.class, e -> e.message().body().equals(body));
    }

    long mark = lastSequence();
    List<Member> members = owner.members(hq.id()).execute();
    assertThat(members).extracting(Member::userId).contains(alice.userId(), bob.userId())
        .containsAll(newcomers).hasSize(14);
    assertThat(homeserverReadsSince(mark)).as("the kick settled: the server comes from the cache").isEmpty();
  }

  /** Pages of a server's members follow its changes: the sorted list kept with the cache is renewed. */
  @Test
  void memberPagesFollowChangesOfTheServer() throws Exception {
    MeloClient owner = fixture.login(alice);
    Recorder events = new Recorder(owner);
    Server hq = owner.createServer("HQ").execute();
    for (int i = 0; i < 9; i++) {
      hs.register("member" + i).join(hq.id());
    }
    events.await(MemberJoined.class, e -> e.userId().startsWith("@member8:"));
    List<Member> all = owner.members(hq.id()).execute();
    assertThat(all).hasSize(10);

    long mark = lastSequence();
    List<Member> paged = new ArrayList<>();
    MemberPage page = owner.members(hq.id(), null, 3).execute();
    paged.addAll(page.members());
    // a member joins between two pages (sorting after the first page): the later pages come from
    // the renewed list, in order
    TestUser zed = hs.register("zed");
    zed.join(hq.id());
    events.await(MemberJoined.class, e -> e.userId().equals(zed.userId()));
    while (page.nextCursor().isPresent()) {
      page = owner.members(hq.id(), page.nextCursor().get(), 3).execute();
      paged.addAll(page.members());
    }
    List<Member> now = owner.members(hq.id()).execute();
    assertThat(now).extracting(Member::userId).contains(zed.userId()).hasSize(11);
    assertThat(paged).as("first page, then the rest of the current list after it").isEqualTo(now);
    assertThat(homeserverReadsSince(mark)).isEmpty();
    assertThat(owner.members(hq.id(), null, 100).execute().members()).isEqualTo(now);
  }

  /**
   * A conversation peer who is also in a shared server has a name change reported once (by the
   * server); once she has left every shared server, her change is reported from the conversation.
   */
  @Test
  void aPeersProfileChangeIsReportedOnceWhetherOrNotTheyShareAServer() throws Exception {
    MeloClient owner = fixture.login(alice);
    MeloClient carols = fixture.login(carol);
    Recorder carolEvents = new Recorder(carols);
    Recorder events = new Recorder(owner);
    Server hq = owner.createServer("HQ").execute();
    Channel general = owner.channels(hq.id()).execute().get(0);
    carols.joinServer(hq.id()).execute();
    events.await(MemberJoined.class, e -> e.userId().equals(carol.userId()));
    Conversation dm = owner.conversationWith(carol.userId()).execute();
    carolEvents.await(InvitedToConversation.class);
    carols.conversationWith(alice.userId()).execute();

    carols.setDisplayName("Caroline").execute();
    Message first = carols.sendText(dm.id(), "first").execute();
    events.await(MessageCreated.class, e -> e.message().id().equals(first.id()));
    carols.sendText(general.id(), "in the server").execute();
    events.await(MessageCreated.class, e -> e.message().body().equals("in the server"));

    carols.leaveServer(hq.id()).execute();
    events.await(MemberLeft.class, e -> e.userId().equals(carol.userId()));
    carols.setDisplayName("Caro").execute();
    Message second = carols.sendText(dm.id(), "second").execute();
    events.await(MessageCreated.class, e -> e.message().id().equals(second.id()));

    assertThat(events.seen(ProfileChanged.class))
        .extracting(p -> p.userId() + " " + p.profile().displayName().orElse("-"))
        .containsExactly(carol.userId() + " Caroline", carol.userId() + " Caro");
  }
}
