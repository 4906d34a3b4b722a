package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void startsOnAFreePortPrintsTheRealUrlAndServes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FakeHomeserver hs = Main.start(new String[] {"--port", "0", "--server-name", "example.test"},
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      String printed = bytes.toString(StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("\\Alistening on (http://127\\.0\\.0\\.1:(\\d+))\\R\\z").matcher(printed);
      assertThat(m.matches()).as("printed: %s", printed).isTrue();
      assertThat(Integer.parseInt(m.group(2))).isEqualTo(hs.port()).isPositive();
      assertThat(hs.serverName()).isEqualTo("example.test");
      TestHttp.Answer a = new TestHttp(m.group(1)).get("/_matrix/client/versions");
      assertThat(a.status()).isEqualTo(200);
      // standalone is lenient: clients probe optional endpoints
      assertThat(new TestHttp(m.group(1)).get("/_matrix/client/v1/auth_metadata").status()).isEqualTo(404);
    } finally {
      hs.close();
    }
  }

  @Test
  void allowRemoteBindsAllInterfaces() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FakeHomeserver hs = Main.start(new String[] {"--port", "0", "--allow-remote"},
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("listening on http://0.0.0.0:");
      TestHttp http = new TestHttp("http://127.0.0.1:" + hs.port());
      assertThat(http.get("/.well-known/matrix/client").json())
          .isEqualTo(java.util.Map.of("m.homeserver", java.util.Map.of("base_url", "http://127.0.0.1:" + hs.port())));
    } finally {
      hs.close();
    }
  }

  @Test
  void aTakenPortIsAClearError() {
    try (FakeHomeserver taken = FakeHomeserver.start()) {
      assertThatThrownBy(() -> Main.start(new String[] {"--port", String.valueOf(taken.port())}, System.out))
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageContaining("could not start the fake homeserver on 127.0.0.1:" + taken.port());
    }
  }

  @Test
  void refusesANonLoopbackHostWithoutAllowRemote() {
    assertThatThrownBy(() -> Main.start(new String[] {"--host", "8.8.8.8"}, System.out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--allow-remote");
  }

  @Test
  void refusesBadArguments() {
    assertThatThrownBy(() -> Main.start(new String[] {"--port", "eighty"}, System.out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port");
    assertThatThrownBy(() -> Main.start(new String[] {"--port", "70000"}, System.out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..65535");
    assertThatThrownBy(() -> Main.start(new String[] {"--port"}, System.out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> Main.start(new String[] {"--bogus"}, System.out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
    assertThatThrownBy(() -> Main.start(new String[] {"--server-name", "bad name!"}, System.out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serverName");
  }
}
