package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.auth.UserInteractiveAuth;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class ErrorMappingTest extends MockServerTest {

  @Test
  void errcodesMapToTheirExceptionTypes() {
    enqueue(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"You are not invited\"}");
    enqueue(404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"Room alias not found\"}");
    enqueue(404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");
    enqueue(413, "{\"errcode\":\"M_TOO_LARGE\",\"error\":\"too big\"}");
    enqueue(400, "{\"errcode\":\"M_BRAND_NEW\",\"error\":\"future code\"}");
    assertThatThrownBy(() -> client.joinedRooms().execute()).isInstanceOf(ForbiddenException.class)
        .hasMessage("HTTP 403 M_FORBIDDEN: You are not invited");
    assertThatThrownBy(() -> client.joinedRooms().execute()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.joinedRooms().execute()).isInstanceOf(UnrecognizedException.class);
    assertThatThrownBy(() -> client.joinedRooms().execute()).isInstanceOf(TooLargeException.class);
    assertThatThrownBy(() -> client.joinedRooms().execute())
        .isExactlyInstanceOf(MatrixErrorException.class)
        .satisfies(e -> assertThat(((MatrixErrorException) e).errcode()).isEqualTo("M_BRAND_NEW"));
  }

  @Test
  void accountRestrictionsAreTypedAndALockIsNotTreatedAsAnExpiredToken() {
    enqueue(401, "{\"errcode\":\"M_USER_LOCKED\",\"error\":\"locked\",\"soft_logout\":true}");
    enqueue(403, "{\"errcode\":\"M_USER_SUSPENDED\",\"error\":\"suspended\"}");
    enqueue(403, "{\"errcode\":\"M_USER_DEACTIVATED\",\"error\":\"gone\"}");
    java.util.concurrent.atomic.AtomicInteger renewals = new java.util.concurrent.atomic.AtomicInteger();
    CredentialsProvider counting = (c, rejected) -> {
      renewals.incrementAndGet();
      return MatrixCredentials.accessToken("renewed-token");
    };
    try (MatrixClient renewing = MatrixClient.create(config, MatrixCredentials.accessToken(TOKEN), counting)) {
      assertThatThrownBy(() -> renewing.joinedRooms().execute())
          .isInstanceOfSatisfying(AccountRestrictedException.class, e -> {
            assertThat(e.restriction()).isEqualTo(AccountRestrictedException.Restriction.LOCKED);
            assertThat(e.softLogout()).isTrue();
            assertThat(e.httpStatus()).isEqualTo(401);
          });
      assertThatThrownBy(() -> renewing.joinedRooms().execute())
          .isInstanceOfSatisfying(AccountRestrictedException.class, e -> {
            assertThat(e.restriction()).isEqualTo(AccountRestrictedException.Restriction.SUSPENDED);
            assertThat(e.softLogout()).isFalse();
          });
      assertThatThrownBy(() -> renewing.joinedRooms().execute())
          .isInstanceOfSatisfying(AccountRestrictedException.class,
              e -> assertThat(e.restriction()).isEqualTo(AccountRestrictedException.Restriction.DEACTIVATED));
    }
    assertThat(renewals).hasValue(0); // a new token cannot unlock an account: no renewal, no repeat
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThatThrownBy(() -> new AccountRestrictedException(403, "M_FORBIDDEN", "", null, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("M_FORBIDDEN");
  }

  @Test
  void nonJsonErrorBodyKeepsTheStatus() {
    enqueue(418, "<html>teapot</html>");
    assertThatThrownBy(() -> client.joinedRooms().execute())
        .isExactlyInstanceOf(MatrixErrorException.class)
        .satisfies(
            e -> {
              MatrixErrorException error = (MatrixErrorException) e;
              assertThat(error.httpStatus()).isEqualTo(418);
              assertThat(error.errcode()).isEqualTo("M_UNKNOWN");
              assertThat(error.getMessage()).doesNotContain("teapot");
            });
  }

  @Test
  void successBodyThatIsNotJsonIsAProtocolError() {
    ok("definitely not json");
    assertThatThrownBy(() -> client.joinedRooms().execute())
        .isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("GET /_matrix/client/v3/joined_rooms");
  }

  @Test
  void wrongShapeIsAProtocolErrorNamingTheField() {
    ok("{\"joined_rooms\":\"!a:b\"}");
    ok("{}");
    assertThatThrownBy(() -> client.joinedRooms().execute()).isInstanceOf(MatrixProtocolException.class);
    assertThatThrownBy(() -> client.joinedRooms().execute())
        .isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("'joined_rooms'");
  }

  @Test
  void bodiesLargerThanTheCapAreRefused() {
    MatrixConfig small = config.toBuilder().maxResponseBytes(2048).build();
    StringBuilder big = new StringBuilder("{\"joined_rooms\":[");
    for (int i = 0; i < 200; i++) {
      big.append(i == 0 ? "" : ",").append("\"!room").append(i).append(":example.org\"");
    }
    big.append("]}");
    ok(big.toString()); // with Content-Length
    server.enqueue(new MockResponse.Builder().chunkedBody(new Buffer().writeUtf8(big.toString()), 100).build());
    try (MatrixClient capped = MatrixClient.create(small, MatrixCredentials.accessToken(TOKEN))) {
      assertThatThrownBy(() -> capped.joinedRooms().execute())
          .isInstanceOf(ResponseTooLargeException.class)
          .hasMessageContaining("larger than the limit of 2048 bytes")
          .satisfies(e -> assertThat(((ResponseTooLargeException) e).limit()).isEqualTo(2048));
      assertThatThrownBy(() -> capped.joinedRooms().execute())
          .isInstanceOf(MatrixProtocolException.class)
          .hasMessageContaining("larger than the limit");
    }
  }

  @Test
  void syncBodiesReadByMelosOwnReaderMapAsEveryOtherAnswer() {
    io.melo.matrix.sync.SyncRequest initial = io.melo.matrix.sync.SyncRequest.builder().build();
    io.melo.matrix.sync.SyncSource streamed = client.syncSource(room -> { });
    ok("{\"next_batch\":\"a\",\"rooms\":{\"join\":{");
    ok("{\"next_batch\":\"a\"} trailing");
    ok("{\"next_batch\":\"a\",\"x\":\"\\q\"}");
    ok("{\"rooms\":{}}");
    ok("{\"next_batch\":\"a\",\"rooms\":{\"join\":{");
    assertThatThrownBy(() -> client.sync(initial).execute()).isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("GET /_matrix/client/v3/sync").hasMessageContaining("empty or truncated");
    assertThatThrownBy(() -> client.sync(initial).execute()).isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("is not JSON");
    assertThatThrownBy(() -> client.sync(initial).execute()).isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("Invalid escape sequence");
    assertThatThrownBy(() -> client.sync(initial).execute()).isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("next_batch");
    assertThatThrownBy(() -> streamed.fetch(initial)).isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("empty or truncated");
    StringBuilder big = new StringBuilder("{\"next_batch\":\"a\",\"account_data\":{\"events\":[");
    for (int i = 0; i < 100; i++) {
      big.append(i == 0 ? "" : ",").append("{\"type\":\"m.tag\",\"content\":{\"n\":").append(i).append("}}");
    }
    ok(big.append("]}}").toString());
    MatrixConfig small = config.toBuilder().maxResponseBytes(2048).build();
    try (MatrixClient capped = MatrixClient.create(small, MatrixCredentials.accessToken(TOKEN))) {
      assertThatThrownBy(() -> capped.syncSource(room -> { }).fetch(initial))
          .isInstanceOf(ResponseTooLargeException.class);
    }
  }

  @Test
  void userInteractiveAuthIsTypedAndAnsweredWithDummy() throws Exception {
    enqueue(
        401,
        "{\"session\":\"xyz\",\"flows\":[{\"stages\":[\"m.login.registration_token\"]},"
            + "{\"stages\":[\"m.login.dummy\"]}],\"params\":{\"m.login.terms\":{\"version\":1}}}");
    ok("{\"user_id\":\"@bob:example.org\",\"access_token\":\"bob_token\",\"device_id\":\"BOBDEV\"}");
    try (MatrixClient anonymous = MatrixClient.create(config)) {
      RegisterRequest register = RegisterRequest.user("bob", "hunter2");
      UserInteractiveAuthException uia =
          (UserInteractiveAuthException)
              org.assertj.core.api.Assertions.catchThrowable(() -> anonymous.register(register).execute());
      assertThat(uia.session()).isEqualTo("xyz");
      assertThat(uia.flows()).hasSize(2);
      assertThat(uia.offers(java.util.List.of("m.login.dummy"))).isTrue();
      assertThat(uia.paramsJson()).isEqualTo("{\"m.login.terms\":{\"version\":1}}");
      anonymous.register(register.withAuth(UserInteractiveAuth.dummy(uia.session()))).execute();
      assertThat(anonymous.userId()).contains("@bob:example.org");
    }
    expect("POST", "/_matrix/client/v3/register?kind=user");
    assertThat(body(expect("POST", "/_matrix/client/v3/register?kind=user")))
        .isEqualTo(json("{'username':'bob','password':'hunter2','auth':{'type':'m.login.dummy','session':'xyz'}}"));
  }

  @Test
  void emptyOrTruncatedJsonIsAProtocolErrorButEmptyAnswersToVoidCallsAreFine() {
    ok("");
    ok("{\"joined_rooms\":[");
    ok("");
    ok("[]");
    assertThatThrownBy(() -> client.joinedRooms().execute())
        .isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("empty or truncated");
    assertThatThrownBy(() -> client.joinedRooms().execute()).isInstanceOf(MatrixProtocolException.class);
    client.logout().execute();
    assertThatThrownBy(() -> client.logout().execute()).isInstanceOf(MatrixProtocolException.class);
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void anAnswerRefusedAsMalformedChangesNothingInTheClient() {
    MatrixCredentials before = client.credentials().orElseThrow();
    String login = "{\"user_id\":\"@alice:example.org\",\"access_token\":\"new_tok\",\"device_id\":\"D2\"}";
    ok(login + " trailing");
    assertThatThrownBy(() -> client.login(io.melo.matrix.auth.LoginRequest.password("alice", "pw")).execute())
        .isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("POST /_matrix/client/v3/login");
    ok(login + " {}");
    assertThatThrownBy(() -> client.register(RegisterRequest.user("alice", "pw")).execute())
        .isInstanceOf(MatrixProtocolException.class);
    assertThat(client.credentials()).containsSame(before);

    ok("{\"versions\":[\"v1.11\"]} []");
    assertThatThrownBy(() -> client.versions().execute()).isInstanceOf(MatrixProtocolException.class);
    assertThat(client.knownVersions()).isEmpty();
  }
}
