package io.melo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.squareup.moshi.JsonReader;
import io.melo.core.internal.SharedSecretRegistration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Synapse's shared-secret registration through {@link AccountProvisioner}, against MockWebServer
 * answering as Synapse does (the fake homeserver has no admin API).
 */
class AccountProvisionerTest {

  private static final String SECRET = "CANARYsecret";
  private static final String PASSWORD = "CANARYpassword";
  private static final String NONCE = "abc";
  /** Independently computed: Python's hmac.new(b"CANARYsecret", b"abc\0alice\0CANARYpassword\0notadmin", sha1). */
  private static final String MAC = "3dc20114c713f6ca78678538a0f1938b91c7adb2";

  private final MockWebServer synapse = new MockWebServer();
  private AccountProvisioner provisioner;

  @BeforeEach
  void start() throws IOException {
    synapse.start();
    MeloConfig config = MeloConfig.builder(synapse.url("/")).eventExecutor(Runnable::run).build();
    provisioner = AccountProvisioner.builder(config).sharedSecret(SECRET).build();
  }

  @AfterEach
  void stop() {
    synapse.close();
  }

  private void answer(int code, String json) {
    synapse.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(json).build());
  }

  private void nonce() {
    answer(200, "{\"nonce\":\"" + NONCE + "\"}");
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = synapse.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the server").isNotNull();
    return request;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(RecordedRequest request) throws IOException {
    return (Map<String, Object>) JsonReader.of(new Buffer().writeUtf8(request.getBody().utf8())).readJsonValue();
  }

  @Test
  void theMacMatchesIndependentlyComputedVectors() {
    // Synapse's own test vector (key "shared"), and non-ASCII parts hashed as UTF-8.
    assertThat(SharedSecretRegistration.mac("shared", "thisisanonce", "bob", "abc123", true))
        .isEqualTo("0ce91864d425e19443978f3d8f7c4fc41b258616");
    assertThat(SharedSecretRegistration.mac("shared", "thisisanonce", "bob", "abc123", false))
        .isEqualTo("ee61e79779079d60c2e53814bc11dcf8a8bb7753");
    assertThat(SharedSecretRegistration.mac("s\u00e9cret", "n0nce", "z\u00f6e", "p\u00e4ss w\u00f6rd", false))
        .isEqualTo("03e193f02af759ddcbf7cc33ec30f99bcdfd5d7d");
  }

  @Test
  void registersWithANonceAndTheMacAndReturnsASession() throws Exception {
    nonce();
    answer(200, "{\"access_token\":\"CANARYaccess\",\"user_id\":\"@alice:example.org\","
        + "\"home_server\":\"example.org\",\"device_id\":\"DEV1\"}");

    Session session = provisioner.registerWithSharedSecret("alice", PASSWORD, false).execute();

    assertThat(session.userId()).isEqualTo("@alice:example.org");
    assertThat(session.deviceId()).contains("DEV1");
    assertThat(session.accessToken()).isEqualTo("CANARYaccess");
    assertThat(session.refreshToken()).isEmpty();
    RecordedRequest get = taken();
    assertThat(get.getMethod()).isEqualTo("GET");
    assertThat(get.getTarget()).isEqualTo("/_synapse/admin/v1/register");
    RecordedRequest post = taken();
    assertThat(post.getMethod()).isEqualTo("POST");
    assertThat(post.getTarget()).isEqualTo("/_synapse/admin/v1/register");
    assertThat(post.getHeaders().get("Authorization")).isNull();
    assertThat(json(post)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "nonce", NONCE, "username", "alice", "password", PASSWORD, "admin", false, "mac", MAC));
  }

  @Test
  void anAdminWithADisplayNameIsAskedFor() throws Exception {
    nonce();
    answer(200, "{\"access_token\":\"t\",\"user_id\":\"@root:example.org\",\"device_id\":\"D\"}");
    provisioner.registerWithSharedSecret("root", PASSWORD, true, "The Root").execute();
    taken();
    Map<String, Object> body = json(taken());
    assertThat(body).containsEntry("admin", true).containsEntry("displayname", "The Root")
        .containsEntry("mac", SharedSecretRegistration.mac(SECRET, NONCE, "root", PASSWORD, true));
  }

  @Test
  void aWrongSharedSecretIsRejectedWithoutRevealingIt() {
    nonce();
    answer(403, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"HMAC incorrect\"}");
    assertThatThrownBy(() -> provisioner.registerWithSharedSecret("alice", PASSWORD, false).execute())
        .isInstanceOfSatisfying(ProvisioningException.class, e -> {
          assertThat(e.reason()).isEqualTo(ProvisioningException.Reason.CREDENTIALS_REJECTED);
          assertThat(e.httpStatus()).isEqualTo(403);
          assertThat(e.errcode()).isEqualTo("M_UNKNOWN");
          assertThat(e).hasMessageContaining("HMAC incorrect");
          assertNoSecret(e);
        });
  }

  @Test
  void aTakenNameIsUserInUse() {
    nonce();
    answer(400, "{\"errcode\":\"M_USER_IN_USE\",\"error\":\"User ID already taken.\"}");
    assertThatThrownBy(() -> provisioner.registerWithSharedSecret("alice", PASSWORD, false).execute())
        .isInstanceOfSatisfying(ProvisioningException.class, e -> {
          assertThat(e.reason()).isEqualTo(ProvisioningException.Reason.USER_IN_USE);
          assertThat(e.errcode()).isEqualTo("M_USER_IN_USE");
          assertNoSecret(e);
        });
  }

  @Test
  void anInvalidNameIsInvalidUsername() {
    nonce();
    answer(400, "{\"errcode\":\"M_INVALID_USERNAME\",\"error\":\"User ID can only contain characters a-z, 0-9, or '=_-./+'\"}");
    assertThatThrownBy(() -> provisioner.registerWithSharedSecret("Alice!", PASSWORD, false).execute())
        .isInstanceOfSatisfying(ProvisioningException.class,
            e -> assertThat(e.reason()).isEqualTo(ProvisioningException.Reason.INVALID_USERNAME));
  }

  @Test
  void aServerWithoutSharedSecretRegistrationSaysNotEnabledBeforeAnySecretIsSent() throws Exception {
    answer(400, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Shared secret registration is not enabled\"}");
    assertThatThrownBy(() -> provisioner.registerWithSharedSecret("alice", PASSWORD, false).execute())
        .isInstanceOfSatisfying(ProvisioningException.class,
            e -> assertThat(e.reason()).isEqualTo(ProvisioningException.Reason.NOT_ENABLED));
    taken();
    assertThat(synapse.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aServerWithoutTheAdminApiSaysNotEnabled() {
    synapse.enqueue(new MockResponse.Builder().code(404).body("<html>Not Found</html>").build());
    assertThatThrownBy(() -> provisioner.registerWithSharedSecret("alice", PASSWORD, false).execute())
        .isInstanceOfSatisfying(ProvisioningException.class, e -> {
          assertThat(e.reason()).isEqualTo(ProvisioningException.Reason.NOT_ENABLED);
          assertThat(e.errcode()).isEmpty();
        });
  }

  @Test
  void aRedirectIsNotFollowedWithThePassword() throws Exception {
    nonce();
    synapse.enqueue(new MockResponse.Builder().code(307).addHeader("Location", "/elsewhere").build());
    assertThatThrownBy(() -> provisioner.registerWithSharedSecret("alice", PASSWORD, false).execute())
        .isInstanceOf(MeloProtocolException.class)
        .hasMessageContaining("redirect (HTTP 307)")
        .hasMessageContaining("/elsewhere");
    taken();
    taken();
    assertThat(synapse.getRequestCount()).isEqualTo(2);
  }

  @Test
  void anAnswerWithoutTheTokenIsAProtocolError() {
    nonce();
    answer(200, "{\"user_id\":\"@alice:example.org\",\"device_id\":\"D\"}");
    assertThatThrownBy(() -> provisioner.registerWithSharedSecret("alice", PASSWORD, false).execute())
        .isInstanceOf(MeloProtocolException.class)
        .hasMessageContaining("no access_token");
  }

  @Test
  void aNonceAnswerThatIsNotJsonIsAProtocolError() {
    synapse.enqueue(new MockResponse.Builder().code(200).body("nonce=abc").build());
    assertThatThrownBy(() -> provisioner.registerWithSharedSecret("alice", PASSWORD, false).execute())
        .isInstanceOf(MeloProtocolException.class);
  }

  @Test
  void settingsAreCheckedAndSecretsNeverPrinted() {
    MeloConfig config = MeloConfig.builder(synapse.url("/")).build();
    assertThat(provisioner.toString()).contains("sharedSecret=<redacted>").doesNotContain(SECRET);
    AccountProvisioner both = AccountProvisioner.builder(config).sharedSecret(SECRET).appServiceToken("CANARYas").build();
    assertThat(both.toString()).doesNotContain("CANARY");
    assertThatThrownBy(() -> AccountProvisioner.builder(config).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> provisioner.appServiceUser("bot"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no as_token");
    assertThatThrownBy(() -> AccountProvisioner.builder(config).appServiceToken("t").build()
        .registerWithSharedSecret("alice", PASSWORD, false))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no shared secret");
    assertThatThrownBy(() -> provisioner.registerWithSharedSecret("", PASSWORD, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("username must not be empty");
    // The password and MAC would travel in clear: refused like any Melo request.
    MeloConfig clear = MeloConfig.builder("http://matrix.example.org").build();
    assertThatThrownBy(() -> AccountProvisioner.builder(clear).sharedSecret(SECRET).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(SECRET);
  }

  private static void assertNoSecret(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString() + failure).doesNotContain(SECRET, PASSWORD, MAC, "CANARY");
  }
}
