package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.LoginOptions;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Session;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.RecordedCall;
import io.melo.testkit.TestUser;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LoginOptions}: the device a login uses and the name a new device gets. */
class LoginOptionsTest {

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  private MeloConfig config() {
    return MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).build();
  }

  /** The user's device list as the homeserver answers it (JSON text). */
  private String devices(Session session) throws Exception {
    try (Response r = new OkHttpClient().newCall(new Request.Builder()
        .url(hs.baseUrl() + "/_matrix/client/v3/devices")
        .header("Authorization", "Bearer " + session.accessToken()).build()).execute()) {
      return r.body().string();
    }
  }

  @Test
  void aNewDeviceGetsTheDisplayNameAndAKnownDeviceIsLoggedInAgain() throws Exception {
    TestUser alice = hs.register("alice");
    Session named;
    try (MeloClient client = MeloClient.login(config(), alice.userId(), alice.password(),
        LoginOptions.defaults().withDeviceDisplayName("Melo on Alice's laptop")).execute()) {
      named = client.session();
    }
    assertThat(named.deviceId()).isPresent().isNotEqualTo(java.util.Optional.of(alice.deviceId()));
    assertThat(devices(named)).contains("\"device_id\":\"" + named.deviceId().get() + "\"",
        "Melo on Alice's laptop");
    RecordedCall login = hs.requests().stream().filter(c -> c.endpoint() == Endpoint.LOGIN).findFirst().orElseThrow();
    assertThat(login.body()).contains("\"initial_device_display_name\":\"Melo on Alice's laptop\"")
        .doesNotContain(alice.password());

    try (MeloClient again = MeloClient.login(config(), alice.userId(), alice.password(),
        LoginOptions.defaults().withDeviceId(named.deviceId().get())).execute()) {
      assertThat(again.session().deviceId()).isEqualTo(named.deviceId());
      assertThat(again.session().accessToken()).isNotEqualTo(named.accessToken());
      // Still one device of that id, with its name: the login reused it.
      String list = devices(again.session());
      assertThat(list.split("\"device_id\":\"" + named.deviceId().get() + "\"", -1)).hasSize(2);
      assertThat(list).contains("Melo on Alice's laptop");
    }
  }

  @Test
  void blankOptionsAreRefusedByName() {
    assertThatThrownBy(() -> LoginOptions.defaults().withDeviceId(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceId");
    assertThatThrownBy(() -> LoginOptions.defaults().withDeviceDisplayName(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceDisplayName");
    assertThat(LoginOptions.defaults().deviceId()).isEmpty();
  }
}
