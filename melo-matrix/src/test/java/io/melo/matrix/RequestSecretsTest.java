package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.auth.LoginRequest;
import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.auth.UserInteractiveAuth;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * Secrets a request carries in its body (password, login token, refresh token, registration token)
 * are not the access token, yet must stay as private: not in an exception built from the server's
 * answer, and not re-sent to whatever host a redirect names.
 */
class RequestSecretsTest extends MockServerTest {

  static final String PASSWORD = "CANARYpw1";
  static final String REFRESH = "CANARYrefresh1";
  static final String REG_TOKEN = "CANARYreg1";
  static final String LOGIN_TOKEN = "CANARYlogintoken1";

  @Test
  void serverEchoingABodySecretInItsErrorIsScrubbed() {
    enqueue(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"wrong password " + PASSWORD + " for alice\"}");
    assertThatThrownBy(() -> client.login(LoginRequest.password("alice", PASSWORD)).execute())
        .isInstanceOf(ForbiddenException.class)
        .hasMessage("HTTP 403 M_FORBIDDEN: wrong password <redacted> for alice");

    enqueue(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"token " + LOGIN_TOKEN + " expired\"}");
    assertThatThrownBy(() -> client.login(LoginRequest.token(LOGIN_TOKEN)).execute())
        .hasMessage("HTTP 403 M_FORBIDDEN: token <redacted> expired");

    enqueue(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"refresh token " + REFRESH + " not found\"}");
    assertThatThrownBy(() -> client.refresh(REFRESH).execute())
        .isInstanceOf(UnknownTokenException.class)
        .hasMessageNotContaining(REFRESH)
        .hasMessageContaining("refresh token <redacted> not found");

    enqueue(401, "{\"session\":\"s\",\"flows\":[{\"stages\":[\"m.login.registration_token\"]}],"
        + "\"errcode\":\"M_FORBIDDEN\",\"error\":\"" + REG_TOKEN + " is not valid; nor is " + PASSWORD + "\"}");
    RegisterRequest register =
        RegisterRequest.user("alice", PASSWORD).withAuth(UserInteractiveAuth.registrationToken(REG_TOKEN, "s"));
    assertThatThrownBy(() -> client.register(register).execute())
        .isInstanceOf(UserInteractiveAuthException.class)
        .hasMessage("HTTP 401 M_FORBIDDEN: <redacted> is not valid; nor is <redacted>");
  }

  @Test
  void aRedirectNeverCarriesARefreshTokenToAnotherHost() throws IOException, InterruptedException {
    try (MockWebServer elsewhere = new MockWebServer()) {
      elsewhere.start();
      elsewhere.enqueue(
          new MockResponse.Builder().code(200).body("{\"access_token\":\"stolen\"}").build());
      server.enqueue(
          new MockResponse.Builder()
              .code(307)
              .addHeader("Location", elsewhere.url("/_matrix/client/v3/refresh"))
              .build());

      assertThatThrownBy(() -> client.refresh(REFRESH).execute())
          .isInstanceOf(MatrixErrorException.class)
          .satisfies(e -> assertThat(((MatrixErrorException) e).httpStatus()).isEqualTo(307));
      assertThat(take().getBody().utf8()).contains(REFRESH);
      assertThat(elsewhere.getRequestCount()).as("requests that followed the redirect").isZero();
    }
  }
}
