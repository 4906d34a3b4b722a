package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A well-known base_url is shown (messages, logs, DiscoveryException) without user info or query. */
class DiscoveryRedactTest {

  @Test
  void aValidBaseUrlLosesItsUserInfoQueryAndFragment() {
    assertThat(Discovery.redact("https://user:s3cret@matrix.example.org/base?token=t0k#frag"))
        .isEqualTo("https://matrix.example.org/base")
        .doesNotContain("s3cret", "t0k", "user");
  }

  @Test
  void anInvalidBaseUrlLosesThemToo() {
    assertThat(Discovery.redact("matrix://user:s3cret@host name/x?token=t0k")).isEqualTo("matrix://host name/x");
    assertThat(Discovery.redact("matrix dot example")).isEqualTo("matrix dot example");
    assertThat(Discovery.redact(null)).isNull();
  }
}
