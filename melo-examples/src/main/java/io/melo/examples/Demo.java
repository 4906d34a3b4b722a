package io.melo.examples;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.Conversation;
import io.melo.core.InviteCode;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.MeloException;
import io.melo.core.Message;
import io.melo.core.Server;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.InvitedToConversation;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageDeleted;
import io.melo.core.event.MessageEdited;
import io.melo.core.event.ReactionAdded;
import io.melo.core.event.ServerDeleted;
import io.melo.core.event.TypingChanged;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixConfig;
import io.melo.matrix.UserInteractiveAuthException;
import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.auth.UserInteractiveAuth;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.TestUser;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Melo in one run: two users, alice and bob, build a server and talk in it, and every step shows
 * up as a live event on the other side. The README's first command runs it.
 *
 * <p>By default it starts an embedded FakeHomeserver (from melo-testkit) and registers alice and
 * bob there. With {@code --homeserver URL} it runs the same steps against a real homeserver, as
 * two existing users ({@code --user/--password} and {@code --second-user/--second-password}) or as
 * two users it registers ({@code --register}). See {@link DemoOptions#USAGE}.
 *
 * <p>Each step is done by one user through melo-core's blocking calls; then the demo waits, with a
 * bounded timeout, until the other user's listener has received the live event that step causes,
 * and prints it with the time from the step's start to the event's arrival. A step that fails, or whose event does not arrive in time, ends the run with a
 * clear message and exit status 1 (2 for a bad command line).
 */
public final class Demo {

  /** Exit status of a run where every step worked and every event arrived. */
  public static final int EXIT_OK = 0;
  /** Exit status of a run where a step failed or an event did not arrive in time. */
  public static final int EXIT_FAILED = 1;
  /** Exit status of a bad command line. */
  public static final int EXIT_USAGE = 2;

  private static final int STEPS = 14;

  private final MeloClient alice;
  private final MeloClient bob;
  private final Duration timeout;
  private final PrintStream out;
  private final EventText text = new EventText();
  private int step;
  private long stepStarted;
  private int eventsSeen;

  private Demo(MeloClient alice, MeloClient bob, Duration timeout, PrintStream out) {
    this.alice = alice;
    this.bob = bob;
    this.timeout = timeout;
    this.out = out;
  }

  /**
   * Runs the demo and exits the JVM with its status.
   *
   * @param args the command line, see {@link DemoOptions#USAGE}
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the demo with the given command line, printing the transcript to {@code out} and
   * failures to {@code err}.
   *
   * @param args the command line, see {@link DemoOptions#USAGE}
   * @param out where the transcript goes
   * @param err where failures and a bad command line are reported
   * @return {@link #EXIT_OK}, {@link #EXIT_FAILED} or {@link #EXIT_USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(DemoOptions.USAGE);
      return EXIT_USAGE;
    }
    if (options.help()) {
      out.println(DemoOptions.USAGE);
      return EXIT_OK;
    }
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      MeloClient[] users = options.embedded() ? embedded(options, out, resources) : real(options, out, resources);
      // Until a client's first sync is done, changes reach it as catch-up, not as live events.
      for (MeloClient user : users) {
        if (!Expectation.awaitConnected(user, options.timeout())) {
          throw new StepFailedException(user.userId() + " did not finish its first sync within "
              + options.timeout().getSeconds() + " s (connection " + user.connectionState() + ")");
        }
      }
      out.println("both clients are connected: their first sync is done");
      out.println();
      Demo demo = new Demo(users[0], users[1], options.timeout(), out);
      demo.play();
      out.println();
      out.println("Demo complete: " + STEPS + " steps, " + demo.eventsSeen
          + " live events seen by the other side.");
      return EXIT_OK;
    } catch (StepFailedException e) {
      out.println("FAILED");
      err.println("demo failed: " + e.getMessage());
      return EXIT_FAILED;
    } catch (MeloException | IllegalArgumentException e) {
      err.println("demo failed: " + describe(e));
      return EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("demo interrupted");
      return EXIT_FAILED;
    } finally {
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).close();
        } catch (Exception e) {
          err.println("warning: closing " + resources.get(i) + " failed: " + describe(e));
        }
      }
    }
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Starts the embedded fake, registers alice and bob on it and logs both in. */
  private static MeloClient[] embedded(DemoOptions options, PrintStream out, List<AutoCloseable> resources) {
    // Not strict: the demo is a user's first look, not a test; the testkit's own tests are strict.
    FakeHomeserver hs = FakeHomeserver.builder().strict(false).start();
    resources.add(hs::shutdown);
    out.println("Melo demo on an embedded FakeHomeserver at " + hs.baseUrl()
        + " (server name " + hs.serverName() + ")");
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).build();
    return login(config, alice.userId(), alice.password(), bob.userId(), bob.password(), out, resources);
  }

  /** Logs two users of a real homeserver in, registering them first with {@code --register}. */
  private static MeloClient[] real(DemoOptions options, PrintStream out, List<AutoCloseable> resources) {
    String url = options.homeserver().orElseThrow();
    MeloConfig config = MeloConfig.builder(url).build();
    out.println("Melo demo against the homeserver at " + url);
    if (!options.register()) {
      return login(config, options.user().orElseThrow(), options.password().orElseThrow(),
          options.secondUser().orElseThrow(), options.secondPassword().orElseThrow(), out, resources);
    }
    String suffix = randomToken(6).toLowerCase(Locale.ROOT).replace('_', '0').replace('-', '1');
    String alicePassword = randomToken(18);
    String bobPassword = randomToken(18);
    String aliceId = register(url, "alice-" + suffix, alicePassword);
    String bobId = register(url, "bob-" + suffix, bobPassword);
    out.println("registered " + aliceId + " and " + bobId);
    return login(config, aliceId, alicePassword, bobId, bobPassword, out, resources);
  }

  private static MeloClient[] login(MeloConfig config, String aliceUser, String alicePassword,
      String bobUser, String bobPassword, PrintStream out, List<AutoCloseable> resources) {
    MeloClient alice = MeloClient.login(config, aliceUser, alicePassword).execute();
    resources.add(alice);
    MeloClient bob = MeloClient.login(config, bobUser, bobPassword).execute();
    resources.add(bob);
    out.println("alice is " + alice.userId() + ", bob is " + bob.userId() + "; both logged in");
    return new MeloClient[] {alice, bob};
  }

  /**
   * Registers a user with the {@code m.login.dummy} stage of user-interactive authentication, as
   * homeservers with open registration offer it.
   */
  private static String register(String url, String localpart, String password) {
    try (MatrixClient matrix = MatrixClient.create(MatrixConfig.builder(url).build())) {
      RegisterRequest request = RegisterRequest.user(localpart, password).withInhibitLogin(true);
      try {
        return matrix.register(request).execute().userId();
      } catch (UserInteractiveAuthException uia) {
        if (!uia.offers(List.of("m.login.dummy"))) {
          throw new IllegalArgumentException("the homeserver does not offer open registration"
              + " (m.login.dummy); its flows are " + uia.flows()
              + ". Create two users and pass --user/--password/--second-user/--second-password.");
        }
        return matrix.register(request.withAuth(UserInteractiveAuth.dummy(uia.session()))).execute().userId();
      }
    } catch (io.melo.matrix.MatrixException e) {
      throw new IllegalArgumentException("registering " + localpart + " failed: " + e.getMessage(), e);
    }
  }

  private static String randomToken(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  // ------------------------------------------------------------------ the steps

  private void play() throws InterruptedException {
    Server hq = step("alice creates the server \"Melo HQ\"",
        () -> alice.createServer("Melo HQ").execute(),
        server -> "owner " + EventText.user(server.ownerId()));
    text.nameRoom(hq.id(), hq.name());
    Channel general = alice.channels(hq.id()).execute().stream()
        .filter(Channel::isGeneral)
        .findFirst()
        .orElseThrow(() -> new StepFailedException("the new server has no #general channel"));
    text.nameRoom(general.id(), "#general");

    Channel design = step("alice adds the text channel #design",
        () -> alice.createChannel(hq.id(), "design", ChannelType.TEXT).execute(),
        channel -> channelNames(alice, hq));
    text.nameRoom(design.id(), "#design");

    String shared = step("alice shares the server's invite",
        () -> hq.invite()
            .orElseThrow(() -> new StepFailedException("the new server has no invite code"))
            .alias(alice.config().namespace()),
        alias -> alias);

    try (Expectation<MemberJoined> joined = Expectation.of(alice, MemberJoined.class)) {
      step("bob joins by invite code",
          () -> bob.joinServer(InviteCode.parse(shared, bob.config().namespace())).execute(),
          server -> "bob is in " + channelNames(bob, server));
      sees("alice", joined, e -> e.userId().equals(bob.userId()) && e.serverId().equals(hq.id()),
          "bob joining Melo HQ");
    }

    Message hello;
    try (Expectation<MessageCreated> created = Expectation.of(bob, MessageCreated.class)) {
      hello = step("alice says hello in #general",
          () -> alice.sendText(general.id(), "Hello bob, welcome to Melo HQ!").execute(),
          message -> EventText.quoteText(message.body()));
      sees("bob", created, e -> e.message().id().equals(hello.id()), "alice's hello");
    }

    Message reply;
    try (Expectation<MessageCreated> created = Expectation.of(alice, MessageCreated.class)) {
      reply = step("bob replies to alice",
          () -> bob.reply(general.id(), hello.id(), "Thanks alice, happy to be here!").execute(),
          message -> EventText.quoteText(message.body()));
      sees("alice", created,
          e -> e.message().id().equals(reply.id()) && e.message().replyToId().equals(java.util.Optional.of(hello.id())),
          "bob's reply to her hello");
    }

    try (Expectation<MessageEdited> edited = Expectation.of(bob, MessageEdited.class)) {
      String newText = "Hello bob, welcome! Say hi in #design.";
      step("alice edits her hello",
          () -> alice.editMessage(general.id(), hello.id(), newText).execute(),
          message -> EventText.quoteText(message.body()));
      sees("bob", edited, e -> e.message().id().equals(hello.id()) && e.message().body().equals(newText),
          "alice's edit");
    }

    try (Expectation<ReactionAdded> reacted = Expectation.of(alice, ReactionAdded.class)) {
      step("bob reacts \uD83D\uDC4D to alice's hello",
          () -> bob.react(general.id(), hello.id(), "\uD83D\uDC4D").execute(),
          none -> "sent");
      sees("alice", reacted,
          e -> e.messageId().equals(hello.id()) && e.senderId().equals(bob.userId()) && e.key().equals("\uD83D\uDC4D"),
          "bob's reaction");
    }

    Channel random;
    try (Expectation<ChannelCreated> created = Expectation.of(bob, ChannelCreated.class)) {
      random = step("alice creates #random while bob is online",
          () -> alice.createChannel(hq.id(), "random", ChannelType.TEXT).execute(),
          channel -> channelNames(alice, hq));
      text.nameRoom(random.id(), "#random");
      sees("bob", created, e -> e.channel().id().equals(random.id()), "the new channel");
    }

    try (Expectation<TypingChanged> typing = Expectation.of(alice, TypingChanged.class)) {
      step("bob starts typing in #design",
          () -> bob.setTyping(design.id(), true).execute(),
          none -> "sent");
      sees("alice", typing, e -> e.roomId().equals(design.id()) && e.userIds().contains(bob.userId()),
          "bob typing");
    }

    Conversation dm;
    try (Expectation<InvitedToConversation> invited = Expectation.of(bob, InvitedToConversation.class)) {
      dm = step("alice opens a direct conversation with bob",
          () -> alice.conversationWith(bob.userId()).execute(),
          conversation -> "a direct room with " + EventText.user(conversation.otherUserId()));
      text.nameRoom(dm.id(), "the DM");
      sees("bob", invited, e -> e.roomId().equals(dm.id()) && e.inviterId().equals(alice.userId()),
          "the invitation to the conversation");
    }

    try (Expectation<MessageCreated> created = Expectation.of(alice, MessageCreated.class)) {
      Message answer = step("bob answers in the direct conversation",
          () -> {
            Conversation bobsSide = bob.conversationWith(alice.userId()).execute();
            return bob.sendText(bobsSide.id(), "Hi alice, this is just between us.").execute();
          },
          message -> EventText.quoteText(message.body()));
      sees("alice", created, e -> e.message().id().equals(answer.id()) && e.roomId().equals(dm.id()),
          "bob's direct message");
    }

    try (Expectation<MessageDeleted> deleted = Expectation.of(alice, MessageDeleted.class)) {
      step("bob deletes his reply",
          () -> bob.deleteMessage(general.id(), reply.id()).execute(),
          none -> "deleted");
      sees("alice", deleted, e -> e.messageId().equals(reply.id()), "bob deleting his reply");
    }

    try (Expectation<ServerDeleted> deleted = Expectation.of(bob, ServerDeleted.class)) {
      step("alice deletes Melo HQ",
          () -> alice.deleteServer(hq.id()).execute(),
          none -> "deleted");
      sees("bob", deleted, e -> e.serverId().equals(hq.id()), "the server's deletion");
    }
  }

  private String channelNames(MeloClient client, Server server) {
    List<Channel> channels = client.channels(server.id()).execute();
    channels.forEach(c -> text.nameRoom(c.id(), "#" + c.name()));
    return channels.stream().map(c -> "#" + c.name()).collect(Collectors.joining(", "));
  }

  /** Prints the step's line, runs it, and prints "ok" with what it produced. */
  private <T> T step(String title, Supplier<T> action, Function<? super T, String> result) {
    step++;
    out.print("[" + step + "/" + STEPS + "] " + title + " ... ");
    out.flush();
    stepStarted = System.nanoTime();
    T value;
    try {
      value = action.get();
    } catch (MeloException | IllegalArgumentException e) {
      throw new StepFailedException("step " + step + " (" + title + "): " + describe(e), e);
    }
    out.println("ok: " + result.apply(value));
    return value;
  }

  /** Waits until {@code who} has received the event and prints it, or fails the step. */
  private <E extends MeloEvent> E sees(String who, Expectation<E> expectation, Predicate<? super E> match,
      String what) throws InterruptedException {
    Expectation.Arrival<E> arrival = expectation.awaitArrival(match, timeout)
        .orElseThrow(() -> new StepFailedException("step " + step + ": " + who + " did not receive "
            + expectation.type().getSimpleName() + " for " + what + " within " + timeout.getSeconds() + " s"));
    eventsSeen++;
    long millis = TimeUnit.NANOSECONDS.toMillis(arrival.nanoTime() - stepStarted);
    out.println("    " + who + " sees: " + text.describe(arrival.event()) + "  (" + millis + " ms)");
    return arrival.event();
  }

  /** A step that failed or whose live event did not arrive in time. */
  static final class StepFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StepFailedException(String message) {
      super(Objects.requireNonNull(message, "message"));
    }

    StepFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
