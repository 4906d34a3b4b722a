package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.auth.LoginResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CredentialsProvider#password}: logging in again after the token was rejected. */
class PasswordRenewalTest extends MockServerTest {

  private static final String PASSWORD = "CANARYpw-hunter2";
  private static final String ROOMS = "{\"joined_rooms\":[]}";
  private static final String LOGIN =
      "{\"user_id\":\"@alice:example.org\",\"access_token\":\"at2\",\"device_id\":\"%s\",\"refresh_token\":\"rt2\"}";

  private static String unknownToken(boolean soft) {
    return "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\",\"soft_logout\":" + soft + "}";
  }

  @Test
  void aSoftLogoutLogsInAgainOnTheSameDeviceAndReportsTheNewTokens() throws Exception {
    enqueue(401, unknownToken(true));
    ok(String.format(LOGIN, "DEVICE1"));
    ok(ROOMS);
    List<LoginResponse> logins = new ArrayList<>();
    CredentialsProvider provider = CredentialsProvider.password(PASSWORD, logins::add);
    try (MatrixClient renewing =
        MatrixClient.create(config, MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1"), provider)) {
      assertThat(renewing.joinedRooms().execute()).isEmpty();
      assertThat(renewing.credentials().get().accessToken()).isEqualTo("at2");
      assertThat(renewing.credentials().get().deviceId()).contains("DEVICE1");
      // The login's refresh token comes with the credentials, and never shows.
      assertThat(renewing.credentials().get().refreshToken()).contains("rt2");
      assertThat(renewing.credentials().get().toString()).contains("refreshToken=<redacted>").doesNotContain("rt2", "at2");
    }
    take();
    Object login = body(take());
    assertThat(login).isEqualTo(json("{'type':'m.login.password','identifier':{'type':'m.id.user','user':'"
        + ALICE + "'},'password':'" + PASSWORD + "','device_id':'DEVICE1','refresh_token':true}"));
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer at2");
    assertThat(logins).singleElement().satisfies(r -> assertThat(r.refreshToken()).contains("rt2"));
    assertThat(provider.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void aHardLogoutLogsInAsANewDevice() throws Exception {
    enqueue(401, unknownToken(false));
    ok(String.format(LOGIN, "NEWDEVICE"));
    ok(ROOMS);
    try (MatrixClient renewing = MatrixClient.create(
        config, MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1"), CredentialsProvider.password(PASSWORD, r -> {}))) {
      renewing.joinedRooms().execute();
      assertThat(renewing.credentials().get().deviceId()).contains("NEWDEVICE");
    }
    take();
    @SuppressWarnings("unchecked")
    Map<String, Object> login = (Map<String, Object>) body(take());
    assertThat(login).doesNotContainKey("device_id").containsEntry("password", PASSWORD);
  }

  @Test
  void aWrongPasswordFailsTheRequestsWithAnAuthenticationExceptionWithoutThePassword() {
    enqueue(401, unknownToken(true));
    enqueue(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"Invalid username or password\"}");
    try (MatrixClient renewing = MatrixClient.create(
        config, MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1"), CredentialsProvider.password(PASSWORD, r -> {}))) {
      assertThatThrownBy(() -> renewing.joinedRooms().execute())
          .isInstanceOf(AuthenticationException.class)
          .hasCauseInstanceOf(ForbiddenException.class)
          .satisfies(e -> assertThat(e.toString()).doesNotContain(PASSWORD))
          .satisfies(e -> assertThat(e.getCause().toString()).doesNotContain(PASSWORD));
    }
  }

  @Test
  void aRefreshTokenIsCheckedLikeATokenAndAnAppServiceHasNone() {
    MatrixCredentials plain = MatrixCredentials.accessToken("at", ALICE, "D");
    assertThat(plain.refreshToken()).isEmpty();
    assertThat(plain.withRefreshToken(null).refreshToken()).isEmpty();
    assertThatThrownBy(() -> plain.withRefreshToken("has space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refreshToken")
        .hasMessageNotContaining("has space");
    assertThatThrownBy(() -> MatrixCredentials.appService("as", ALICE).withRefreshToken("rt"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void credentialsWithoutAUserCannotLogInAgain() {
    enqueue(401, unknownToken(true));
    try (MatrixClient renewing = MatrixClient.create(
        config, MatrixCredentials.accessToken(TOKEN), CredentialsProvider.password(PASSWORD, r -> {}))) {
      assertThatThrownBy(() -> renewing.joinedRooms().execute())
          .isInstanceOf(AuthenticationException.class)
          .hasRootCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("cannot log in again: the rejected credentials do not say which user they belong to");
    }
  }
}
