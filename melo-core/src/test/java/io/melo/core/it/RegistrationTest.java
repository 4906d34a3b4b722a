package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.squareup.moshi.JsonReader;
import io.melo.core.AccountProvisioner;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.ProvisioningException;
import io.melo.core.Session;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.FakeOnly;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AccountProvisioner#register}: client registration with a password, completing the
 * {@code m.login.dummy} and {@code m.login.registration_token} stages.
 */
@FakeOnly("answers from a scripted MockWebServer")
class RegistrationTest {

  private static final String TOKEN = "CANARYregtoken9z";

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  private MeloConfig config() {
    return MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).build();
  }

  @Test
  void openRegistrationCreatesAnAccountWhoseSessionResumesAClient() {
    AccountProvisioner provisioner = AccountProvisioner.builder(config()).openRegistration().build();
    assertThat(provisioner.toString()).contains("openRegistration");

    Session session = provisioner.register("carol", "carol-password").execute();

    assertThat(session.userId()).isEqualTo("@carol:localhost");
    assertThat(session.refreshToken()).isPresent();
    try (MeloClient carol = MeloClient.resume(config(), session)) {
      assertThat(carol.createServer("registered").execute().ownerId()).isEqualTo("@carol:localhost");
    }
    // The password works for a login too.
    try (MeloClient again = MeloClient.login(config(), "carol", "carol-password").execute()) {
      assertThat(again.userId()).isEqualTo("@carol:localhost");
    }
    assertThatThrownBy(() -> provisioner.register("carol", "other").execute())
        .isInstanceOfSatisfying(ProvisioningException.class,
            e -> assertThat(e.reason()).isEqualTo(ProvisioningException.Reason.USER_IN_USE));
    assertThatThrownBy(() -> provisioner.register("Not Valid", "pw").execute())
        .isInstanceOfSatisfying(ProvisioningException.class,
            e -> assertThat(e.reason()).isEqualTo(ProvisioningException.Reason.INVALID_USERNAME));
  }

  @Test
  void registrationNeedsToBeConfigured() {
    assertThatThrownBy(() -> AccountProvisioner.builder(config()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("openRegistration");
    AccountProvisioner appOnly = AccountProvisioner.builder(config()).appServiceToken("as").build();
    assertThatThrownBy(() -> appOnly.register("dave", "pw"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("registrationToken");
  }

  @Test
  void aRegistrationTokenStageIsCompletedAndAWrongTokenIsCredentialsRejected() throws Exception {
    try (MockWebServer synapse = new MockWebServer()) {
      synapse.start();
      MeloConfig config = MeloConfig.builder(synapse.url("/")).eventExecutor(Runnable::run).build();
      AccountProvisioner provisioner = AccountProvisioner.builder(config).registrationToken(TOKEN).build();
      String flows = "\"flows\":[{\"stages\":[\"m.login.email.identity\"]},"
          + "{\"stages\":[\"m.login.registration_token\",\"m.login.dummy\"]}],\"params\":{}";
      answer(synapse, 401, "{" + flows + ",\"session\":\"s1\"}");
      answer(synapse, 401, "{" + flows + ",\"session\":\"s1\",\"completed\":[\"m.login.registration_token\"]}");
      answer(synapse, 200, "{\"user_id\":\"@erin:hs\",\"access_token\":\"CANARYat1\",\"device_id\":\"D1\","
          + "\"refresh_token\":\"CANARYrt1\"}");

      Session session = provisioner.register("erin", "erin-password").execute();

      assertThat(session.userId()).isEqualTo("@erin:hs");
      assertThat(session.deviceId()).hasValue("D1");
      assertThat(session.refreshToken()).hasValue("CANARYrt1");
      Map<String, Object> first = body(synapse);
      assertThat(first.get("refresh_token")).isEqualTo(true);
      assertThat(first).doesNotContainKey("auth");
      assertThat(auth(body(synapse)))
          .containsEntry("type", "m.login.registration_token").containsEntry("token", TOKEN)
          .containsEntry("session", "s1");
      assertThat(auth(body(synapse))).containsEntry("type", "m.login.dummy")
          .containsEntry("session", "s1");

      // A token the server does not take: the stage is not completed.
      answer(synapse, 401, "{" + flows + ",\"session\":\"s2\"}");
      answer(synapse, 401, "{" + flows + ",\"session\":\"s2\",\"errcode\":\"M_FORBIDDEN\",\"error\":\"Invalid token\"}");
      assertThatThrownBy(() -> provisioner.register("frank", "pw").execute())
          .isInstanceOfSatisfying(ProvisioningException.class,
              e -> assertThat(e.reason()).isEqualTo(ProvisioningException.Reason.CREDENTIALS_REJECTED))
          .hasMessageContaining("registration token")
          .message().doesNotContain(TOKEN);

      // Stages Melo cannot complete, and registration switched off.
      answer(synapse, 401, "{\"flows\":[{\"stages\":[\"m.login.recaptcha\"]}],\"session\":\"s3\"}");
      assertThatThrownBy(() -> provisioner.register("gina", "pw").execute())
          .isInstanceOfSatisfying(ProvisioningException.class,
              e -> assertThat(e.reason()).isEqualTo(ProvisioningException.Reason.NOT_ENABLED))
          .hasMessageContaining("m.login.recaptcha");
      answer(synapse, 403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"Registration has been disabled\"}");
      assertThatThrownBy(() -> provisioner.register("hank", "pw").execute())
          .isInstanceOfSatisfying(ProvisioningException.class,
              e -> assertThat(e.reason()).isEqualTo(ProvisioningException.Reason.NOT_ENABLED))
          .hasMessageContaining("Registration has been disabled");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> auth(Map<String, Object> body) {
    return (Map<String, Object>) body.get("auth");
  }

  private static void answer(MockWebServer server, int code, String json) {
    server.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(json).build());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(MockWebServer server) throws InterruptedException, IOException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the server").isNotNull();
    assertThat(request.getTarget()).startsWith("/_matrix/client/v3/register");
    return (Map<String, Object>) JsonReader.of(new Buffer().write(request.getBody())).readJsonValue();
  }
}
