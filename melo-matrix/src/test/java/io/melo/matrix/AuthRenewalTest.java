package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.auth.RefreshResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class AuthRenewalTest extends MockServerTest {

  private static final String UNKNOWN_TOKEN =
      "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\",\"soft_logout\":true}";
  private static final String ROOMS = "{\"joined_rooms\":[]}";

  @Test
  void withoutProviderTheRejectionIsReportedWithSoftLogout() {
    enqueue(401, UNKNOWN_TOKEN);
    assertThatThrownBy(() -> client.joinedRooms().execute())
        .isInstanceOfSatisfying(
            UnknownTokenException.class,
            e -> {
              assertThat(e.softLogout()).isTrue();
              assertThat(e.httpStatus()).isEqualTo(401);
              assertThat(e.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
            });
  }

  @Test
  void providerRenewsOnceAndTheRequestIsRepeatedWithTheNewToken() throws Exception {
    enqueue(401, UNKNOWN_TOKEN);
    ok(ROOMS);
    AtomicInteger asked = new AtomicInteger();
    try (MatrixClient renewing =
        MatrixClient.create(
            config,
            MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1"),
            (c, rejected) -> {
              asked.incrementAndGet();
              assertThat(rejected.softLogout()).isTrue();
              return MatrixCredentials.accessToken("new_token", ALICE, "DEVICE1");
            })) {
      assertThat(renewing.joinedRooms().execute()).isEmpty();
      assertThat(renewing.credentials().get().accessToken()).isEqualTo("new_token");
    }
    assertThat(asked).hasValue(1);
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer new_token");
  }

  @Test
  void anErrorTextQuotingAReplacedTokenIsScrubbedOfItToo() {
    String oldToken = "syt_old_token_canary_4711";
    enqueue(401, UNKNOWN_TOKEN);
    ok(ROOMS);
    enqueue(400, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"stale request by " + oldToken + "\"}");
    try (MatrixClient renewing =
        MatrixClient.create(
            config,
            MatrixCredentials.accessToken(oldToken, ALICE, "DEVICE1"),
            (c, rejected) -> MatrixCredentials.accessToken("new_token", ALICE, "DEVICE1"))) {
      assertThat(renewing.joinedRooms().execute()).isEmpty();
      assertThatThrownBy(() -> renewing.joinedRooms().execute())
          .isInstanceOf(MatrixErrorException.class)
          .hasMessageContaining("stale request by")
          .hasMessageNotContaining(oldToken);
    }
  }

  @Test
  void renewedTokenRejectedTooFailsWithAuthenticationException() {
    enqueue(401, UNKNOWN_TOKEN);
    enqueue(401, UNKNOWN_TOKEN);
    AtomicInteger asked = new AtomicInteger();
    try (MatrixClient renewing =
        MatrixClient.create(
            config,
            MatrixCredentials.accessToken(TOKEN),
            (c, rejected) -> {
              asked.incrementAndGet();
              return MatrixCredentials.accessToken("new_token");
            })) {
      assertThatThrownBy(() -> renewing.joinedRooms().execute())
          .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.softLogout()).isTrue());
    }
    assertThat(asked).hasValue(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void providerFailureBecomesTheCauseOfAnAuthenticationException() {
    enqueue(401, UNKNOWN_TOKEN);
    IllegalStateException broken = new IllegalStateException("refresh store unavailable");
    try (MatrixClient renewing =
        MatrixClient.create(config, MatrixCredentials.accessToken(TOKEN), (c, rejected) -> {
          throw broken;
        })) {
      assertThatThrownBy(() -> renewing.joinedRooms().execute())
          .isInstanceOf(AuthenticationException.class)
          .hasCause(broken);
    }
  }

  @Test
  void refreshTokenProviderExchangesTheTokenWithoutTheOldAccessToken() throws Exception {
    enqueue(401, UNKNOWN_TOKEN);
    ok("{\"access_token\":\"tok_fresh_9\",\"refresh_token\":\"rt_second_7\",\"expires_in_ms\":60000}");
    ok(ROOMS);
    List<RefreshResponse> refreshed = new ArrayList<>();
    try (MatrixClient renewing =
        MatrixClient.create(
            config,
            MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1"),
            (c, rejected) -> {
              RefreshResponse response = c.refresh("rt1").execute();
              refreshed.add(response);
              return MatrixCredentials.accessToken(response.accessToken(), ALICE, "DEVICE1");
            })) {
      renewing.joinedRooms().execute();
    }
    take();
    RecordedRequest refresh = expect("POST", "/_matrix/client/v3/refresh");
    assertThat(refresh.getHeaders().get("Authorization")).isNull();
    assertThat(body(refresh)).isEqualTo(json("{'refresh_token':'rt1'}"));
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer tok_fresh_9");
    assertThat(refreshed.get(0).refreshToken()).contains("rt_second_7");
    assertThat(refreshed.get(0).toString()).doesNotContain("tok_fresh_9").doesNotContain("rt_second_7");
  }

  @Test
  void manyConcurrentFailuresAskTheProviderOnce() throws Exception {
    int parallel = 8;
    CountDownLatch allRejected = new CountDownLatch(parallel);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (("Bearer " + TOKEN).equals(request.getHeaders().get("Authorization"))) {
              allRejected.countDown();
              return new MockResponse.Builder().code(401).body(UNKNOWN_TOKEN).build();
            }
            return new MockResponse.Builder().code(200).body(ROOMS).build();
          }
        });
    AtomicInteger asked = new AtomicInteger();
    try (MatrixClient renewing =
        MatrixClient.create(
            config,
            MatrixCredentials.accessToken(TOKEN),
            (c, rejected) -> {
              asked.incrementAndGet();
              try {
                // Hold the renewal until every request has been rejected with the old token.
                assertThat(allRejected.await(10, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return MatrixCredentials.accessToken("renewed");
            })) {
      List<CompletableFuture<List<String>>> futures = new ArrayList<>();
      for (int i = 0; i < parallel; i++) {
        futures.add(renewing.joinedRooms().future());
      }
      for (CompletableFuture<List<String>> future : futures) {
        assertThat(future.get(10, TimeUnit.SECONDS)).isEmpty();
      }
    }
    assertThat(asked).hasValue(1);
    assertThat(server.getRequestCount()).isEqualTo(2 * parallel);
  }

  @Test
  void unauthenticatedClientRefusesAuthenticatedCallsBeforeSending() {
    try (MatrixClient anonymous = MatrixClient.create(config)) {
      assertThatThrownBy(anonymous::joinedRooms)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("log in first");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void appServiceIdentityAddsUserIdAndKeepsTheTokenInTheHeader() throws Exception {
    ok(ROOMS);
    try (MatrixClient bot =
        MatrixClient.create(config, MatrixCredentials.appService("as_secret_token", "@bot_1:example.org"))) {
      bot.joinedRooms().execute();
      assertThat(bot.credentials().get().toString()).doesNotContain("as_secret_token");
    }
    RecordedRequest request = expect("GET", "/_matrix/client/v3/joined_rooms?user_id=%40bot_1%3Aexample.org");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer as_secret_token");
  }

  @Test
  void blockingCallersAlsoShareOneRenewal() throws Exception {
    int parallel = 6;
    CountDownLatch allRejected = new CountDownLatch(parallel);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (("Bearer " + TOKEN).equals(request.getHeaders().get("Authorization"))) {
              allRejected.countDown();
              return new MockResponse.Builder().code(401).body(UNKNOWN_TOKEN).build();
            }
            return new MockResponse.Builder().code(200).body(ROOMS).build();
          }
        });
    AtomicInteger asked = new AtomicInteger();
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(parallel);
    try (MatrixClient renewing =
        MatrixClient.create(
            config,
            MatrixCredentials.accessToken(TOKEN),
            (c, rejected) -> {
              asked.incrementAndGet();
              try {
                assertThat(allRejected.await(10, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return MatrixCredentials.accessToken("renewed");
            })) {
      List<java.util.concurrent.Future<List<String>>> results = new ArrayList<>();
      for (int i = 0; i < parallel; i++) {
        results.add(threads.submit(() -> renewing.joinedRooms().execute()));
      }
      for (java.util.concurrent.Future<List<String>> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEmpty();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(asked).hasValue(1);
  }

  @Test
  void sendRepeatedAfterRenewalKeepsItsTransactionIdAndNewSendsGetNewOnes() throws Exception {
    enqueue(401, UNKNOWN_TOKEN);
    ok("{\"event_id\":\"$e1\"}");
    ok("{\"event_id\":\"$e2\"}");
    try (MatrixClient renewing =
        MatrixClient.create(config, MatrixCredentials.accessToken(TOKEN, ALICE, "D"),
            (c, rejected) -> MatrixCredentials.accessToken("renewed", ALICE, "D"))) {
      io.melo.matrix.json.JsonObject content = io.melo.matrix.json.JsonObject.builder().put("body", "x").build();
      renewing.send("!r:example.org", "m.room.message", content).execute();
      renewing.send("!r:example.org", "m.room.message", content).execute();
    }
    String rejected = take().getTarget();
    String repeated = take().getTarget();
    String next = take().getTarget();
    assertThat(repeated).isEqualTo(rejected);
    assertThat(next).isNotEqualTo(repeated);
  }

  @Test
  void refreshTokenProviderRotatesTheRefreshTokenAndKeepsUserAndDevice() throws Exception {
    enqueue(401, UNKNOWN_TOKEN);
    ok("{\"access_token\":\"at2\",\"refresh_token\":\"rt2\"}");
    ok(ROOMS);
    enqueue(401, UNKNOWN_TOKEN);
    ok("{\"access_token\":\"at3\"}");
    ok(ROOMS);
    List<RefreshResponse> seen = new ArrayList<>();
    CredentialsProvider provider = CredentialsProvider.refreshToken("rt1", seen::add);
    assertThat(provider.toString()).doesNotContain("rt1");
    try (MatrixClient renewing =
        MatrixClient.create(config, MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1"), provider)) {
      renewing.joinedRooms().execute();
      renewing.joinedRooms().execute();
      assertThat(renewing.credentials().get().accessToken()).isEqualTo("at3");
      assertThat(renewing.credentials().get().userId()).contains(ALICE);
      assertThat(renewing.credentials().get().deviceId()).contains("DEVICE1");
    }
    take();
    assertThat(body(take())).isEqualTo(json("{'refresh_token':'rt1'}"));
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer at2");
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer at2");
    assertThat(body(take())).isEqualTo(json("{'refresh_token':'rt2'}"));
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer at3");
    assertThat(seen).hasSize(2);
  }

  @Test
  void aNetworkFailureWhileRenewingIsNotRememberedAndNotAnAuthenticationFailure() {
    enqueue(401, UNKNOWN_TOKEN);
    enqueue(401, UNKNOWN_TOKEN);
    ok(ROOMS);
    AtomicInteger asked = new AtomicInteger();
    try (MatrixClient renewing =
        MatrixClient.create(
            config,
            MatrixCredentials.accessToken(TOKEN),
            (c, rejected) -> {
              if (asked.incrementAndGet() == 1) {
                throw new MatrixNetworkException("refresh endpoint unreachable", false, null);
              }
              return MatrixCredentials.accessToken("renewed");
            })) {
      assertThatThrownBy(() -> renewing.joinedRooms().execute())
          .isExactlyInstanceOf(MatrixNetworkException.class)
          .hasMessageContaining("unreachable")
          .satisfies(e -> assertThat(((MatrixNetworkException) e).mayHaveApplied()).isFalse());
      assertThat(renewing.joinedRooms().execute()).isEmpty();
    }
    assertThat(asked).hasValue(2);
  }

  @Test
  void aDefinitiveRenewalFailureIsRememberedUntilNewCredentialsArrive() {
    enqueue(401, UNKNOWN_TOKEN);
    enqueue(401, UNKNOWN_TOKEN);
    ok(ROOMS);
    AtomicInteger asked = new AtomicInteger();
    try (MatrixClient renewing =
        MatrixClient.create(config, MatrixCredentials.accessToken(TOKEN), (c, rejected) -> {
          asked.incrementAndGet();
          throw new IllegalStateException("refresh token revoked");
        })) {
      assertThatThrownBy(() -> renewing.joinedRooms().execute()).isInstanceOf(AuthenticationException.class);
      assertThatThrownBy(() -> renewing.joinedRooms().execute()).isInstanceOf(AuthenticationException.class);
      renewing.credentials(MatrixCredentials.accessToken("logged_in_again"));
      assertThat(renewing.joinedRooms().execute()).isEmpty();
    }
    assertThat(asked).hasValue(1);
  }

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void aProviderWhoseOwnRequestIsRejectedFailsInsteadOfWaitingForItself() {
    enqueue(401, UNKNOWN_TOKEN);
    enqueue(401, UNKNOWN_TOKEN);
    try (MatrixClient renewing =
        MatrixClient.create(config, MatrixCredentials.accessToken(TOKEN), (c, rejected) -> {
          c.whoami().execute(); // still the rejected token
          return MatrixCredentials.accessToken("never");
        })) {
      assertThatThrownBy(() -> renewing.joinedRooms().execute())
          .isInstanceOf(AuthenticationException.class)
          .hasCauseInstanceOf(UnknownTokenException.class);
    }
  }
}
