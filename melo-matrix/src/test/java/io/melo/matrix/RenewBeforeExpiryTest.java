package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Credentials that expire soon are renewed before a request is sent, once for all requests. */
class RenewBeforeExpiryTest extends MockServerTest {

  private MatrixCredentials expiringIn(Duration lifetime) {
    return MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1").withExpiresAt(clock.now().plus(lifetime));
  }

  private List<String> authorizations(int n) throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
      assertThat(r).isNotNull();
      out.add(r.getHeaders().get("Authorization"));
    }
    return out;
  }

  @Test
  void credentialsFarFromExpiryAreUsedAsTheyAre() throws Exception {
    AtomicInteger renewals = new AtomicInteger();
    CredentialsProvider counting = (c, rejected) -> {
      renewals.incrementAndGet();
      return MatrixCredentials.accessToken("syt_new");
    };
    enqueue(200, "{\"joined_rooms\":[]}");
    try (MatrixClient c = MatrixClient.create(config, expiringIn(Duration.ofMinutes(5)), counting)) {
      c.joinedRooms().execute();
    }
    assertThat(renewals).hasValue(0);
    assertThat(authorizations(1)).containsExactly("Bearer " + TOKEN);
  }

  @Test
  void concurrentRequestsShortlyBeforeExpiryShareOneRenewalAndNeverSendTheOldToken() throws Exception {
    AtomicInteger renewals = new AtomicInteger();
    CountDownLatch inProvider = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<UnknownTokenException> told = new ArrayList<>();
    CredentialsProvider slow = (c, rejected) -> {
      renewals.incrementAndGet();
      told.add(rejected);
      inProvider.countDown();
      try {
        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return MatrixCredentials.accessToken("syt_new", ALICE, "DEVICE1").withExpiresAt(clock.now().plusSeconds(300));
    };
    for (int i = 0; i < 3; i++) {
      enqueue(200, "{\"joined_rooms\":[]}");
    }
    try (MatrixClient c = MatrixClient.create(config, expiringIn(Duration.ofSeconds(20)), slow)) {
      CompletableFuture<?> first = CompletableFuture.runAsync(() -> c.joinedRooms().execute());
      assertThat(inProvider.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<?> second = CompletableFuture.runAsync(() -> c.joinedRooms().execute());
      CompletableFuture<List<String>> third = c.joinedRooms().future();
      assertThat(server.getRequestCount()).isZero(); // all wait for the renewal, none sends the old token
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      second.get(10, TimeUnit.SECONDS);
      third.get(10, TimeUnit.SECONDS);
      assertThat(c.credentials()).get().extracting(MatrixCredentials::accessToken).isEqualTo("syt_new");
    }
    assertThat(renewals).hasValue(1);
    assertThat(told).singleElement().satisfies(e -> assertThat(e.softLogout()).isTrue());
    assertThat(authorizations(3)).containsOnly("Bearer syt_new");
  }

  @Test
  void aFailedRenewalBeforeExpiryLetsTheRequestGoWithTheOldToken() throws Exception {
    AtomicInteger renewals = new AtomicInteger();
    CredentialsProvider failing = (c, rejected) -> {
      renewals.incrementAndGet();
      throw new MatrixNetworkException("offline", false, null);
    };
    enqueue(200, "{\"joined_rooms\":[]}");
    try (MatrixClient c = MatrixClient.create(config, expiringIn(Duration.ofSeconds(10)), failing)) {
      assertThat(c.joinedRooms().execute()).isEmpty();
    }
    assertThat(renewals).hasValue(1);
    assertThat(authorizations(1)).containsExactly("Bearer " + TOKEN);
  }
}
