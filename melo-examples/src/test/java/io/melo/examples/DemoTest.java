package io.melo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.FakeHomeserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the demo's main logic in this JVM and reads its transcript. */
class DemoTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** The transcript without the event latencies ("  (12 ms)"), which vary. */
  private List<String> transcript() {
    return out.toString(StandardCharsets.UTF_8).lines()
        .map(line -> line.replaceFirst("  \\(\\d+ ms\\)$", ""))
        .toList();
  }

  @Test
  void theEmbeddedDemoShowsEveryStepLiveOnTheOtherSide() {
    int status = run();

    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(status).isEqualTo(Demo.EXIT_OK);
    assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("    ")))
        .hasSize(11)
        .allMatch(l -> l.matches("    (alice|bob) sees: .*  \\(\\d+ ms\\)"));
    List<String> lines = transcript();
    assertThat(lines).filteredOn(l -> l.startsWith("[")).hasSize(14).allMatch(l -> l.contains(" ... ok"));
    // Live events both ways: what bob does, alice's listeners see, and the other way round.
    assertThat(lines).containsSubsequence(
        "[4/14] bob joins by invite code ... ok: bob is in #general, #design",
        "    alice sees: MemberJoined bob in Melo HQ");
    assertThat(lines).contains(
        "    bob sees: MessageCreated in #general from alice: \"Hello bob, welcome to Melo HQ!\"",
        "    alice sees: MessageCreated in #general from bob (reply to \"Hello bob, welcome to Melo HQ!\"):"
            + " \"Thanks alice, happy to be here!\"",
        "    bob sees: ChannelCreated #random (TEXT) in Melo HQ",
        "    alice sees: TypingChanged in #design: bob is typing",
        "    bob sees: InvitedToConversation from alice",
        "    alice sees: MessageCreated in the DM from bob: \"Hi alice, this is just between us.\"",
        "    bob sees: ServerDeleted Melo HQ by alice");
    assertThat(lines).anyMatch(l -> l.startsWith("    bob sees: MessageEdited in #general by alice"));
    assertThat(lines).anyMatch(l -> l.startsWith("    alice sees: ReactionAdded \uD83D\uDC4D by bob"));
    assertThat(lines).anyMatch(l -> l.startsWith("    alice sees: MessageDeleted in #general"));
    assertThat(lines).last().isEqualTo("Demo complete: 14 steps, 11 live events seen by the other side.");
  }

  @Test
  void registersTwoUsersOnAHomeserverWithOpenRegistration() {
    try (FakeHomeserver hs = FakeHomeserver.builder().strict(false).start()) {
      int status = run("--homeserver", hs.baseUrl(), "--register", "--timeout", "10");

      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
      assertThat(status).isEqualTo(Demo.EXIT_OK);
      assertThat(transcript()).anyMatch(l -> l.matches("registered @alice-[a-z0-9]{8}:localhost and @bob-[a-z0-9]{8}:localhost"));
      assertThat(transcript()).last().asString().startsWith("Demo complete");
    }
  }

  @Test
  void aWrongPasswordFailsWithAClearMessage() {
    try (FakeHomeserver hs = FakeHomeserver.builder().strict(false).start()) {
      hs.register("alice", "right-password");
      hs.register("bob", "bobs-password");
      int status = run("--homeserver", hs.baseUrl(), "--user", "alice", "--password", "wrong-password",
          "--second-user", "bob", "--second-password", "bobs-password");

      assertThat(status).isEqualTo(Demo.EXIT_FAILED);
      String error = err.toString(StandardCharsets.UTF_8);
      assertThat(error).startsWith("demo failed: ").doesNotContain("wrong-password");
    }
  }

  @Test
  void aBadCommandLineExitsWithTwo() {
    assertThat(run("--homeserver", "https://hs.example.org")).isEqualTo(Demo.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: --homeserver needs --user", "usage: Demo");
  }
}
