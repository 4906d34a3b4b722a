package io.melo.examples;

import io.melo.core.Channel;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.MeloException;
import io.melo.core.Message;
import io.melo.core.RuleViolationException;
import io.melo.core.Server;
import io.melo.core.event.MessageCreated;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;

/**
 * The README's quick start, compiled and tested (see {@code QuickStartTest}): log in, listen for
 * messages, create a server, send a message, share the invite.
 *
 * <p>Run it against a homeserver: {@code QuickStart https://matrix.example.org alice <password>}.
 */
public final class QuickStart {

  private QuickStart() {}

  /**
   * Logs in and runs {@link #run}.
   *
   * @param args {@code <homeserver-url> <user> <password>}
   */
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: QuickStart <homeserver-url> <user> <password>");
      System.exit(2);
    }
    // --- README: quick start
    MeloConfig config = MeloConfig.builder(args[0]).build();
    try (MeloClient melo = MeloClient.login(config, args[1], args[2]).execute()) {
      String invite = run(melo, System.out);
      System.out.println("Share this invite: " + invite);
    } catch (MeloException e) {
      System.err.println("Melo said no: " + e.getMessage());
      System.exit(1);
    }
    // --- README: end
  }

  /**
   * Listens for new messages, creates a server, says hello in its {@code general} channel and
   * returns the invite others join with.
   *
   * @param melo a logged-in client
   * @param out where messages are printed
   * @return the invite to share, {@code #io.melo.invite.<code>:<server>}
   */
  public static String run(MeloClient melo, PrintStream out) {
    // --- README: first steps
    // Live events arrive on Melo's event thread, in order.
    melo.on(MessageCreated.class, event -> out.println(
        event.message().senderId() + ": " + event.message().body()));

    // Every operation is a MeloCall: execute() blocks, future() and enqueue(...) do not.
    Server hq = melo.createServer("Melo HQ").execute();
    Channel general = melo.channels(hq.id()).execute().get(0); // "general" comes with every server
    Message hello = melo.sendText(general.id(), "Hello, Melo!").execute();
    out.println("sent " + hello.id() + " to #" + general.name());

    // The invite is a room alias: #io.melo.invite.<code>:<server name>.
    return hq.invite().orElseThrow().alias(melo.config().namespace());
    // --- README: end
  }

  /**
   * The same first message without blocking: calls compose as {@link CompletableFuture}s, and a
   * refused rule arrives as a {@link RuleViolationException} in the future.
   *
   * @param melo a logged-in client
   * @param channelId the channel or conversation
   * @param text the message
   * @return the message once the homeserver has it
   */
  public static CompletableFuture<Message> sendAsync(MeloClient melo, String channelId, String text) {
    // --- README: async
    return melo.sendText(channelId, text).future()
        .whenComplete((message, failure) -> {
          if (failure != null) {
            System.err.println("not sent: " + failure.getMessage());
          }
        });
    // --- README: end
  }
}
