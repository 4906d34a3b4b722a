package io.melo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Message;
import io.melo.core.Server;
import io.melo.core.event.InvitedToConversation;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageDeleted;
import io.melo.core.event.MessageEdited;
import io.melo.core.event.ReactionAdded;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.TestUser;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Drives the console like a person at a terminal, with bob acting through his own Melo client. */
class ChatConsoleTest {

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  private final Terminal terminal = new Terminal();
  private MeloClient me;
  private MeloClient bob;
  private CompletableFuture<Void> console;

  @BeforeEach
  void start() throws InterruptedException {
    TestUser meUser = hs.register("me");
    TestUser bobUser = hs.register("bob");
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).build();
    me = MeloClient.login(config, meUser.userId(), meUser.password()).execute();
    bob = MeloClient.login(config, bobUser.userId(), bobUser.password()).execute();
    // What happens before a client's first sync reaches it as catch-up, not as live events.
    assertThat(Expectation.awaitConnected(me, Terminal.WAIT)).isTrue();
    assertThat(Expectation.awaitConnected(bob, Terminal.WAIT)).isTrue();
    ChatConsole chat = new ChatConsole(me, terminal.in, terminal.out());
    console = CompletableFuture.runAsync(() -> {
      try {
        chat.run();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    terminal.await("Type /help for the commands.");
  }

  @AfterEach
  void stop() throws Exception {
    terminal.endInput();
    console.get(10, TimeUnit.SECONDS);
    me.close();
    bob.close();
  }

  private Server bobsServer() {
    return bob.createServer("Lounge").execute();
  }

  private String invite(Server server) {
    return server.invite().orElseThrow().alias(bob.config().namespace());
  }

  private String general(MeloClient client, Server server) {
    return client.channels(server.id()).execute().get(0).id();
  }

  @Test
  void joinsWithAnInviteListsAndSwitchesChannels() {
    Server lounge = bobsServer();
    bob.createChannel(lounge.id(), "random", io.melo.core.ChannelType.TEXT).execute();
    bob.sendText(general(bob, lounge), "first!").execute();

    terminal.type("/join " + invite(lounge));
    terminal.await("joined Lounge");
    terminal.await("now in Lounge #general");
    terminal.type("/history");
    assertThat(terminal.await("first!")).isEqualTo("[1] #general bob: first!");

    terminal.type("/servers");
    terminal.await("servers:");
    assertThat(terminal.await("1. Lounge")).contains("<- here").contains("(owner bob)");

    terminal.type("/channels");
    terminal.await("channels of Lounge:");
    assertThat(terminal.await("1. #general")).contains("<- here");
    assertThat(terminal.await("2. #random")).doesNotContain("<- here");

    terminal.type("/switch random");
    terminal.await("now in #random");
    terminal.await("no messages here yet");

    terminal.type("/members");
    terminal.await("members of Lounge:");

    terminal.type("/invite");
    assertThat(terminal.await("invite to Lounge")).endsWith(invite(lounge));

    terminal.type("/quit");
    terminal.await("bye");
    assertThat(terminal.transcript()).noneMatch(line -> line.matches("\\[\\d+\\] !.*")); // rooms by name, not id
    assertThat(terminal.transcript()).filteredOn(line -> line.startsWith("[")).allMatch(line -> line.startsWith("[1] "));
  }

  @Test
  void badInputIsExplainedAndTheConsoleGoesOn() {
    terminal.type("hello?");
    terminal.await("! you are in no channel yet");
    terminal.type("/channels");
    terminal.await("! no server chosen");
    terminal.type("/edit 9 fixed");
    terminal.await("! no message [9] shown yet");
    terminal.type("/edit nine");
    terminal.await("! usage: /edit <n> <text>");
    terminal.type("/join nonsense");
    terminal.await("! invite must look like #io.melo.invite.<code>:<server>");
    terminal.type("/join #io.melo.invite.AAAAAAAAAAAAAAAAAAAAAA:localhost");
    terminal.await("! NotFoundException");
    terminal.type("/frobnicate");
    terminal.await("! unknown command /frobnicate");
    terminal.type("/help");
    terminal.await("/dm <@user|user>");
    terminal.type("/quit");
    terminal.await("bye");
  }

  @Test
  void createsAServerAndAChannel() {
    terminal.type("/newserver Den");
    assertThat(terminal.await("created Den")).contains("invite: #io.melo.invite.");
    terminal.await("now in Den #general");
    terminal.type("/newchannel plans");
    terminal.await("now in #plans");
    assertThat(me.channels(me.servers().execute().get(0).id()).execute())
        .extracting(io.melo.core.Channel::name)
        .contains("general", "plans");
  }

  @Test
  void chatsWithAnotherUserLiveBothWays() throws Exception {
    Server lounge = bobsServer();
    String general = general(bob, lounge);
    terminal.type("/join " + invite(lounge));
    terminal.await("now in Lounge #general");

    try (Expectation<MessageCreated> created = Expectation.of(bob, MessageCreated.class)) {
      terminal.type("hello bob");
      assertThat(terminal.await("hello bob")).isEqualTo("[1] #general you: hello bob");
      assertThat(created.await(e -> e.message().body().equals("hello bob"), Terminal.WAIT)).isPresent();
    }

    Message hi = bob.sendText(general, "hi there").execute();
    assertThat(terminal.await("hi there")).isEqualTo("[2] #general bob: hi there");

    bob.setTyping(general, true).execute();
    terminal.await("* bob is typing in #general ...");

    try (Expectation<ReactionAdded> reacted = Expectation.of(bob, ReactionAdded.class)) {
      terminal.type("/react 2 \uD83D\uDC4D");
      terminal.await("reacted \uD83D\uDC4D to [2]");
      assertThat(reacted.await(e -> e.messageId().equals(hi.id()) && e.key().equals("\uD83D\uDC4D"),
          Terminal.WAIT)).isPresent();
    }

    try (Expectation<MessageCreated> created = Expectation.of(bob, MessageCreated.class)) {
      terminal.type("/reply 2 nice to meet you");
      assertThat(terminal.await("nice to meet you")).isEqualTo("[3] #general you: (reply to [2]) nice to meet you");
      assertThat(created.await(e -> e.message().replyToId().equals(java.util.Optional.of(hi.id())),
          Terminal.WAIT)).isPresent();
    }

    try (Expectation<MessageEdited> edited = Expectation.of(bob, MessageEdited.class)) {
      terminal.type("/edit 1 hello again");
      terminal.await("edited [1]: hello again");
      assertThat(edited.await(e -> e.message().body().equals("hello again"), Terminal.WAIT)).isPresent();
    }

    bob.editMessage(general, hi.id(), "hi there, friend").execute();
    terminal.await("* bob edited [2]: hi there, friend");

    try (Expectation<MessageDeleted> deleted = Expectation.of(bob, MessageDeleted.class)) {
      terminal.type("/delete 1");
      terminal.await("deleted [1]");
      assertThat(deleted.await(e -> e.deletedBy().equals(me.userId()), Terminal.WAIT)).isPresent();
    }

    Message reply = bob.reply(general, hi.id(), "see you").execute();
    assertThat(terminal.await("see you")).isEqualTo("[4] #general bob: (reply to [2]) see you");
    bob.deleteMessage(general, reply.id()).execute();
    terminal.await("* bob deleted [4] in #general");
  }

  @Test
  void opensADirectConversation() throws Exception {
    try (Expectation<InvitedToConversation> invited = Expectation.of(bob, InvitedToConversation.class)) {
      terminal.type("/dm bob");
      terminal.await("now in your conversation with bob");
      assertThat(invited.await(e -> e.inviterId().equals(me.userId()), Terminal.WAIT)).isPresent();
    }
    String dm = bob.conversationWith(me.userId()).execute().id();
    bob.sendText(dm, "psst").execute();
    assertThat(terminal.await("psst")).isEqualTo("[1] @bob bob: psst");

    terminal.type("/dms");
    assertThat(terminal.await("with @bob:")).contains("<- here");
  }
}
