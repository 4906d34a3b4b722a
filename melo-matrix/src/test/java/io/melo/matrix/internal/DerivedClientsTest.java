package io.melo.matrix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class DerivedClientsTest {

  @Test
  void variantsAreSharedPerBaseClientAndKeepItsPools() {
    OkHttpClient base = new OkHttpClient.Builder().build();
    DerivedClients derived = DerivedClients.of(base);
    assertThat(DerivedClients.of(base)).isSameAs(derived);
    assertThat(DerivedClients.of(new OkHttpClient())).isNotSameAs(derived);

    assertThat(derived.standard().followSslRedirects()).isFalse();
    assertThat(derived.standard().dispatcher()).isSameAs(base.dispatcher());
    assertThat(derived.nonRetrying().followSslRedirects()).isFalse();
    assertThat(derived.nonRetrying().retryOnConnectionFailure()).isFalse();
    assertThat(derived.nonRetrying().connectionPool()).isSameAs(base.connectionPool());
    assertThat(derived.nonRetrying().dispatcher()).isSameAs(base.dispatcher());

    OkHttpClient poll = derived.longPoll(Duration.ofSeconds(45));
    assertThat(poll.readTimeoutMillis()).isEqualTo(45_000);
    assertThat(poll.followSslRedirects()).isFalse();
    assertThat(poll.connectionPool()).isSameAs(base.connectionPool());
    assertThat(poll.dispatcher()).isNotSameAs(base.dispatcher()).isSameAs(derived.longPollDispatcher());
    assertThat(poll.dispatcher().getMaxRequestsPerHost()).isEqualTo(Integer.MAX_VALUE);
    assertThat(derived.longPoll(Duration.ofSeconds(45))).isSameAs(poll);
  }

  @Test
  void theTimeoutCacheIsBounded() {
    DerivedClients derived = DerivedClients.of(new OkHttpClient());
    for (int i = 0; i < DerivedClients.MAX_CACHED_TIMEOUTS + 10; i++) {
      assertThat(derived.longPoll(Duration.ofMillis(1000 + i)).readTimeoutMillis()).isEqualTo(1000 + i);
    }
    OkHttpClient late = derived.longPoll(Duration.ofMillis(999_999));
    assertThat(derived.longPoll(Duration.ofMillis(999_999))).isNotSameAs(late);
    assertThat(late.dispatcher()).isSameAs(derived.longPollDispatcher());
  }
}
