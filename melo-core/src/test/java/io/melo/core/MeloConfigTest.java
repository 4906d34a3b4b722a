package io.melo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Executor;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class MeloConfigTest {

  @Test
  void defaults() {
    MeloConfig config = MeloConfig.builder("https://matrix.example.org").build();
    assertThat(config.homeserver().toString()).isEqualTo("https://matrix.example.org/");
    assertThat(config.namespace()).isEqualTo("io.melo");
    assertThat(config.http()).isEmpty();
    assertThat(config.eventExecutor()).isNotNull();
    assertThat(config.callExecutor()).isNotNull();
    // Shared defaults: many clients do not mean many threads.
    assertThat(MeloConfig.builder("https://b.example").build().eventExecutor()).isSameAs(config.eventExecutor());
  }

  @Test
  void theDefaultEventExecutorRunsOnADaemonThread() throws Exception {
    MeloConfig config = MeloConfig.builder("https://matrix.example.org").build();
    java.util.concurrent.CompletableFuture<Thread> thread = new java.util.concurrent.CompletableFuture<>();
    config.eventExecutor().execute(() -> thread.complete(Thread.currentThread()));
    Thread used = thread.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(used.isDaemon()).isTrue();
    assertThat(used.getName()).startsWith("Melo events");
  }

  @Test
  void theDefaultEventExecutorIsAPoolSoOneBlockedListenerDoesNotHoldUpEveryClient() throws Exception {
    Executor events = MeloConfig.builder("https://matrix.example.org").build().eventExecutor();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<String> other = new java.util.concurrent.CompletableFuture<>();
    events.execute(() -> {
      blocked.countDown();
      try {
        release.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      assertThat(blocked.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      events.execute(() -> other.complete(Thread.currentThread().getName()));
      assertThat(other.get(5, java.util.concurrent.TimeUnit.SECONDS)).startsWith("Melo events");
    } finally {
      release.countDown();
    }
  }

  @Test
  void everySettingIsKeptAndToBuilderDerivesAVariant() {
    Executor events = Runnable::run;
    Executor calls = Runnable::run;
    OkHttpClient http = new OkHttpClient();
    MeloConfig config =
        MeloConfig.builder("http://127.0.0.1:8008")
            .namespace("io.haos")
            .eventExecutor(events)
            .callExecutor(calls)
            .http(http)
            .build();
    assertThat(config.namespace()).isEqualTo("io.haos");
    assertThat(config.eventExecutor()).isSameAs(events);
    assertThat(config.callExecutor()).isSameAs(calls);
    assertThat(config.http()).containsSame(http);
    MeloConfig variant = config.toBuilder().namespace("com.example.chat").build();
    assertThat(variant.namespace()).isEqualTo("com.example.chat");
    assertThat(variant.http()).containsSame(http);
    assertThat(variant.homeserver()).isEqualTo(config.homeserver());
  }

  @Test
  void badSettingsAreRefusedByName() {
    assertThatThrownBy(() -> MeloConfig.builder("https://hs").namespace("Melo!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("namespace must look like io.melo, was: Melo!");
    for (String bad : new String[] {"melo", "io.", ".io.melo", "io..melo", "IO.melo", "m.melo", "io.melo "}) {
      assertThatThrownBy(() -> MeloConfig.builder("https://hs").namespace(bad))
          .as(bad)
          .hasMessage("namespace must look like io.melo, was: " + bad);
    }
    assertThatThrownBy(() -> MeloConfig.builder("matrix.example.org"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("homeserver must be an http(s) URL, was: matrix.example.org");
    assertThatThrownBy(() -> MeloConfig.builder("https://hs").eventExecutor(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("eventExecutor");
  }

  @Test
  void credentialsOptionsAreKeptAndThePasswordNeverPrinted() {
    SessionListener listener = session -> {};
    io.melo.matrix.CredentialsProvider provider = (client, rejected) -> {
      throw new IllegalStateException("not asked here");
    };
    MeloConfig plain = MeloConfig.builder("https://hs").build();
    assertThat(plain.credentialsProvider()).isEmpty();
    assertThat(plain.sessionListener()).isEmpty();

    MeloConfig custom = MeloConfig.builder("https://hs").credentialsProvider(provider).onSessionChanged(listener).build();
    assertThat(custom.credentialsProvider()).containsSame(provider);
    assertThat(custom.sessionListener()).containsSame(listener);
    assertThat(custom.toBuilder().namespace("io.haos").build().credentialsProvider()).containsSame(provider);

    MeloConfig relogin = custom.toBuilder().reLoginWithPassword("CANARY-hunter2").build();
    assertThat(relogin.credentialsProvider()).isPresent().get().isNotSameAs(provider);
    assertThat(relogin.sessionListener()).containsSame(listener);
    assertThat(relogin.toString()).doesNotContain("CANARY").contains("reLoginWithPassword(<redacted>)");
    assertThat(relogin.toBuilder().build().toString()).doesNotContain("CANARY");

    assertThatThrownBy(() -> MeloConfig.builder("https://hs").reLoginWithPassword(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("password must not be empty");
    assertThatThrownBy(() -> MeloConfig.builder("https://hs").credentialsProvider(null))
        .isInstanceOf(NullPointerException.class).hasMessage("credentialsProvider");
    assertThatThrownBy(() -> MeloConfig.builder("https://hs").onSessionChanged(null))
        .isInstanceOf(NullPointerException.class).hasMessage("sessionListener");
  }
}
