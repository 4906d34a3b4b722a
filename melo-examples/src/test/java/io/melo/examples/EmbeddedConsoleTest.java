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
    terminal.await("bob: Welcome, me!"); // bob's answer to the live MemberJoined
    terminal.type("/history");
    terminal.await("bob: Welcome to Melo Lounge!"); // said before we joined

    terminal.type("hi bob");
    // bob answers from his own thread, so these lines may come in any order
    terminal.awaitAll("you: hi bob", "* bob reacted \uD83D\uDC40 to", "You said \"hi bob\"");
    String mine = terminal.transcript().stream().filter(l -> l.contains("you: hi bob")).findFirst().orElseThrow();
    String number = mine.substring(0, mine.indexOf(']') + 1);
    assertThat(terminal.transcript())
        .contains("* bob reacted \uD83D\uDC40 to " + number)
        .anyMatch(l -> l.endsWith("bob: (reply to " + number + ") You said \"hi bob\""));

    terminal.type("/dm bob");
    terminal.awaitAll("now in your conversation with bob", "@bob bob: Hi! This is our direct conversation.");

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
