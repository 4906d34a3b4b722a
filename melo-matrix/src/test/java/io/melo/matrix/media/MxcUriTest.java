package io.melo.matrix.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MxcUriTest {

  @Test
  void validUrisParse() {
    assertThat(MxcUri.parse("mxc://example.org/AbC_12-x")).isEqualTo(new MxcUri("example.org", "AbC_12-x"));
    assertThat(MxcUri.parse("mxc://matrix.example.org:8448/id").serverName()).isEqualTo("matrix.example.org:8448");
    assertThat(MxcUri.parse("mxc://127.0.0.1/id").serverName()).isEqualTo("127.0.0.1");
    assertThat(MxcUri.parse("mxc://[::1]:8008/id").serverName()).isEqualTo("[::1]:8008");
    assertThat(MxcUri.parse("mxc://example.org/id").toString()).isEqualTo("mxc://example.org/id");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mxc://example.org/../../_matrix/client/v3/rooms",
        "mxc://example.org/a/b",
        "mxc://example.org/id?x=1",
        "mxc://example.org/id#frag",
        "mxc://example.org/%2e%2e",
        "mxc://example.org/",
        "mxc://example.org",
        "mxc:///id",
        "mxc://evil.org@example.org/id",
        "mxc://exa mple.org/id",
        "mxc://example.org:99999/id",
        "mxc://example.org:/id",
        "mxc://[::1/id",
        "mxc://..example.org/id",
        "mxc://example.org/ïd",
        "https://example.org/id",
        "MXC://example.org/id",
        ""
      })
  void hostileOrMalformedUrisAreRefused(String uri) {
    assertThatThrownBy(() -> MxcUri.parse(uri)).isInstanceOf(IllegalArgumentException.class);
    assertThat(MxcUri.parseOrNull(uri)).isNull();
  }

  @Test
  void theRefusalNamesThePart() {
    assertThatThrownBy(() -> MxcUri.parse("mxc://example.org/a/b")).hasMessageContaining("media id");
    assertThatThrownBy(() -> MxcUri.parse("mxc://ex ample.org/a")).hasMessageContaining("server name");
    assertThatThrownBy(() -> new MxcUri("example.org", "../x")).hasMessageContaining("[A-Za-z0-9_-]+");
  }
}
