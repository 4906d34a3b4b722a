package io.melo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The console's --embedded mode: its own FakeHomeserver and a scripted bob who answers. */
class EmbeddedConsoleTest {

  @Test
  void theScriptedPeerWelcomesAnswersAndReacts() throws Exception {
    Terminal terminal = new Terminal();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> ChatConsole.run(
        new String[] {"--embedded", "--peer-delay-ms", "0"}, terminal.in, terminal.out(),
        new PrintStream(err, true, StandardCharsets.UTF_8)));

    String join = terminal.await("/join #io.melo.invite.").strip();
    terminal.type(join);
    terminal.await("joined Melo Lounge");
    terminal.await("Welcome to Melo Lounge!");
    terminal.await("bob: Welcome, me!");

    terminal.type("hi bob");
    String mine = terminal.await("you: hi bob");
    String number = mine.substring(0, mine.indexOf(']') + 1);
    terminal.await("* bob reacted \uD83D\uDC40 to " + number);
    terminal.await("bob: (reply to " + number + ") You said \"hi bob\"");

    terminal.type("/dm bob");
    terminal.await("now in your conversation with bob");
    terminal.await("@bob bob: Hi! This is our direct conversation.");

    terminal.type("/quit");
    terminal.await("bye");
    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aBadCommandLineExitsWithTwoAndSaysWhy() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Terminal terminal = new Terminal();
    int status = ChatConsole.run(new String[] {"--homeserver", "http://127.0.0.1:1"}, terminal.in,
        terminal.out(), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: --homeserver needs --user", "usage:");

    err.reset();
    status = ChatConsole.run(new String[] {"--embedded", "--homeserver", "x"}, terminal.in, terminal.out(),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("either --embedded or --homeserver");
  }
}
