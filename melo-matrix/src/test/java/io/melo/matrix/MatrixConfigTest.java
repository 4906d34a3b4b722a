package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MatrixConfigTest {

  @Test
  void plainHttpIsRefusedForRemoteHostsUnlessAllowed() {
    assertThatThrownBy(() -> MatrixConfig.builder("http://matrix.example.org").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plain http://")
        .hasMessageContaining("matrix.example.org");
    assertThat(MatrixConfig.builder("http://matrix.example.org").allowInsecureHttp(true).build().homeserver().host())
        .isEqualTo("matrix.example.org");
    assertThat(MatrixConfig.builder("https://matrix.example.org").build().allowInsecureHttp()).isFalse();
  }

  @Test
  void loopbackHostsMayUsePlainHttp() {
    MatrixConfig.builder("http://localhost:8008").build();
    MatrixConfig.builder("http://127.0.0.1:8008").build();
    MatrixConfig.builder("http://[::1]:8008").build();
    assertThatThrownBy(() -> MatrixConfig.builder("http://127.0.0.1.evil.example").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void invalidSettingsAreNamed() {
    assertThatThrownBy(() -> MatrixConfig.builder("not a url")).hasMessageContaining("not a url");
    assertThatThrownBy(() -> MatrixConfig.builder("https://h.example").maxResponseBytes(10).build())
        .hasMessageContaining("maxResponseBytes");
    assertThatThrownBy(() -> MatrixConfig.builder("https://h.example").longPollMargin(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("longPollMargin");
    assertThatThrownBy(() -> MatrixConfig.builder("https://h.example/?access_token=x").build())
        .hasMessageContaining("no query");
  }

  @Test
  void defaultsAreDocumentedValuesAndSharedHttpClient() {
    MatrixConfig a = MatrixConfig.builder("https://a.example").build();
    MatrixConfig b = MatrixConfig.builder("https://b.example").build();
    assertThat(a.http()).isSameAs(b.http());
    assertThat(a.maxResponseBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(a.longPollMargin()).isEqualTo(Duration.ofSeconds(30));
    assertThat(a.clock()).isSameAs(MatrixClock.SYSTEM);
    assertThat(a.toBuilder().build()).isEqualTo(a);
  }
}
