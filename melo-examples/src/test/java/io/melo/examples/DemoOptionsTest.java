package io.melo.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void noArgumentsMeansEmbedded() {
    DemoOptions options = DemoOptions.parse();
    assertThat(options.embedded()).isTrue();
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aRealHomeserverTakesTwoLogins() {
    DemoOptions options = DemoOptions.parse("--homeserver", "https://matrix.example.org",
        "--user", "@alice:example.org", "--password", "s3cret-a",
        "--second-user", "@bob:example.org", "--second-password", "s3cret-b", "--timeout", "45");
    assertThat(options.embedded()).isFalse();
    assertThat(options.homeserver()).contains("https://matrix.example.org");
    assertThat(options.user()).contains("@alice:example.org");
    assertThat(options.secondPassword()).contains("s3cret-b");
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(options.toString()).doesNotContain("s3cret").contains("@alice:example.org");
  }

  @Test
  void orRegistersTwoUsers() {
    DemoOptions options = DemoOptions.parse("--homeserver", "http://127.0.0.1:8008", "--register");
    assertThat(options.register()).isTrue();
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void badCommandLinesNameTheProblem() {
    assertThatThrownBy(() -> DemoOptions.parse("--homeserver", "https://hs", "--user", "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--password");
    assertThatThrownBy(() -> DemoOptions.parse("--user", "a"))
        .hasMessageContaining("need --homeserver");
    assertThatThrownBy(() -> DemoOptions.parse("--homeserver"))
        .hasMessage("--homeserver needs a value");
    assertThatThrownBy(() -> DemoOptions.parse("--timeout", "soon"))
        .hasMessageContaining("whole number of seconds");
    assertThatThrownBy(() -> DemoOptions.parse("--homeserver", "https://hs", "--register", "--user", "a"))
        .hasMessageContaining("either --register");
    assertThatThrownBy(() -> DemoOptions.parse("--homeserver", "https://hs", "--user", "a", "--password", "p",
        "--second-user", "a", "--second-password", "q"))
        .hasMessageContaining("two different users");
    assertThatThrownBy(() -> DemoOptions.parse("--verbose"))
        .hasMessage("unknown argument: --verbose");
  }
}
