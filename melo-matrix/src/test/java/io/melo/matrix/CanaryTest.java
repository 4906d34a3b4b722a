package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.matrix.auth.LoginRequest;
import io.melo.matrix.auth.LoginResponse;
import io.melo.matrix.auth.RefreshResponse;
import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.auth.RegisterResponse;
import io.melo.matrix.auth.UserInteractiveAuth;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.room.CreateRoomRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

/**
 * Runs many failing flows with canary secrets and proves that no canary reaches a log line (any
 * level, including stack traces), an exception message, a cause chain or a toString().
 */
class CanaryTest extends MockServerTest {

  static final String ACCESS = "CANARYaccess7f3";
  static final String PASSWORD = "CANARYpassword9q";
  static final String REFRESH = "CANARYrefresh2k";
  static final String AS_TOKEN = "CANARYastoken5z";
  static final String REG_TOKEN = "CANARYregtoken8m";
  static final String NEW_ACCESS = "CANARYrenewed4x";
  static final String[] CANARIES = {ACCESS, PASSWORD, REFRESH, AS_TOKEN, REG_TOKEN, NEW_ACCESS, "CANARY"};

  private final List<String> texts = new ArrayList<>();

  private void fail(Supplier<MatrixCall<?>> call) {
    try {
      call.get().execute();
      texts.add("(no failure)");
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      texts.add(trace.toString());
      for (Throwable t = e; t != null; t = t.getCause()) {
        texts.add(String.valueOf(t.getMessage()));
        texts.add(t.toString());
      }
    }
  }

  private void succeed(Supplier<MatrixCall<?>> call) {
    texts.add(String.valueOf(call.get().execute()));
  }

  private void error(int code, String errcode, String error) {
    enqueue(code, "{\"errcode\":\"" + errcode + "\",\"error\":\"" + error + "\"}");
  }

  @Test
  void noSecretEverReachesLogsExceptionsOrToString() throws Exception {
    CapturingLogs.clear();
    MatrixConfig cfg =
        config.toBuilder()
            .retryPolicy(RetryPolicy.backoff(Duration.ofMillis(10), Duration.ofSeconds(1), 3, () -> 0.5))
            .build();

    try (MatrixClient anonymous = MatrixClient.create(cfg)) {
      // login: wrong password, server error, rate limit, dropped connection, garbage, then success
      LoginRequest login = LoginRequest.password("alice", PASSWORD).withRefreshToken(true);
      texts.add(login.toString());
      error(403, "M_FORBIDDEN", "Invalid username or password");
      fail(() -> anonymous.login(login));
      error(500, "M_UNKNOWN", "Internal error");
      fail(() -> anonymous.login(login));
      enqueue(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":5}");
      enqueue(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":5}");
      enqueue(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":5}");
      fail(() -> anonymous.login(login));
      server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
      fail(() -> anonymous.login(login));
      ok("{\"user_id\":\"@alice:example.org\",\"access_token\":42}");
      fail(() -> anonymous.login(login));
      ok("not json " + "x");
      fail(() -> anonymous.login(login));
      ok("{\"user_id\":\"@alice:example.org\",\"access_token\":\"" + ACCESS + "\",\"device_id\":\"D\","
          + "\"refresh_token\":\"" + REFRESH + "\"}");
      LoginResponse response = anonymous.login(login).execute();
      texts.add(response.toString());
      texts.add(anonymous.credentials().get().toString());

      // registration with a password and a registration token
      RegisterRequest register =
          RegisterRequest.user("alice", PASSWORD).withAuth(UserInteractiveAuth.registrationToken(REG_TOKEN, "s"));
      texts.add(register.toString());
      texts.add(register.auth().toString());
      texts.add(UserInteractiveAuth.password("alice", PASSWORD, "s").toString());
      enqueue(401, "{\"session\":\"s\",\"flows\":[{\"stages\":[\"m.login.registration_token\"]}],"
          + "\"errcode\":\"M_FORBIDDEN\",\"error\":\"Invalid token\"}");
      fail(() -> anonymous.register(register));
      ok("{\"user_id\":\"@alice:example.org\",\"access_token\":\"" + ACCESS + "\",\"device_id\":\"D\"}");
      RegisterResponse registered = anonymous.register(register).execute();
      texts.add(registered.toString());

      // refresh token exchange failing
      error(401, "M_UNKNOWN_TOKEN", "Refresh token not found");
      fail(() -> anonymous.refresh(REFRESH));
      ok("{\"access_token\":\"" + NEW_ACCESS + "\",\"refresh_token\":\"" + REFRESH + "\"}");
      RefreshResponse refreshed = anonymous.refresh(REFRESH).execute();
      texts.add(refreshed.toString());
    }

    // an access token the server rejects, echoes back, and a renewal that fails in two ways
    MatrixCredentials credentials = MatrixCredentials.accessToken(ACCESS, ALICE, "D");
    texts.add(credentials.toString());
    try (MatrixClient user = MatrixClient.create(cfg, credentials)) {
      error(401, "M_UNKNOWN_TOKEN", "Unknown token " + ACCESS);
      fail(user::joinedRooms);
      error(403, "M_FORBIDDEN", "token " + ACCESS + " may not do this");
      fail(() -> user.createRoom(CreateRoomRequest.builder().name("x").build()));
      for (int i = 0; i < 3; i++) {
        enqueue(502, "<html>proxy " + i + "</html>");
      }
      fail(user::joinedRooms);
      while (server.takeRequest(0, TimeUnit.SECONDS) != null) {
        // drain, so the canceller below waits for the slow request itself
      }
      server.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).build());
      MatrixCall<?> slow = user.joinedRooms();
      texts.add(slow.toString());
      Thread canceller = new Thread(() -> {
        try {
          server.takeRequest(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        slow.cancel();
      });
      canceller.start();
      fail(() -> slow);
      canceller.join();
    }
    try (MatrixClient renewing =
        MatrixClient.create(cfg, credentials, (c, rejected) -> MatrixCredentials.accessToken(NEW_ACCESS))) {
      error(401, "M_UNKNOWN_TOKEN", "expired");
      error(401, "M_UNKNOWN_TOKEN", "expired " + NEW_ACCESS);
      fail(renewing::joinedRooms);
    }
    try (MatrixClient renewing =
        MatrixClient.create(cfg, credentials, (c, rejected) -> MatrixCredentials.accessToken(c.refresh(REFRESH).execute().accessToken()))) {
      error(401, "M_UNKNOWN_TOKEN", "expired");
      error(400, "M_UNKNOWN_TOKEN", "bad refresh token");
      fail(renewing::joinedRooms);
    }

    // application service identity
    MatrixCredentials as = MatrixCredentials.appService(AS_TOKEN, "@bot:example.org");
    texts.add(as.toString());
    try (MatrixClient bot = MatrixClient.create(cfg, as)) {
      error(403, "M_FORBIDDEN", "Application service has not registered this user");
      fail(() -> bot.send("!r:example.org", "m.room.message", JsonObject.builder().put("body", "x").build()));
      error(401, "M_UNKNOWN_TOKEN", "Invalid application service token.");
      fail(() -> bot.register(RegisterRequest.appService("bot_2")));
    }

    List<String> logs = CapturingLogs.lines();
    assertThat(logs).as("the capturing binding saw the debug and retry lines").isNotEmpty()
        .anyMatch(line -> line.startsWith("DEBUG") && line.contains("/_matrix/client/v3/login"))
        .anyMatch(line -> line.startsWith("WARN") && line.contains("Retrying"));
    assertThat(texts).hasSizeGreaterThan(40);
    for (String canary : CANARIES) {
      assertThat(logs).as("log lines").noneMatch(line -> line.contains(canary));
      assertThat(texts).as("exception texts and toString()").noneMatch(text -> text.contains(canary));
    }
    assertThat(texts).anyMatch(text -> text.contains("<redacted>"));
  }
}
