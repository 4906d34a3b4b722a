package io.melo.matrix;

import static io.melo.matrix.LongPollTransportTest.POLL;
import static io.melo.matrix.LongPollTransportTest.SYNC;
import static io.melo.matrix.LongPollTransportTest.await;
import static io.melo.matrix.LongPollTransportTest.catchFailure;
import static io.melo.matrix.LongPollTransportTest.fetch;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.matrix.sync.SyncResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.CertificatePinner;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long polls over TLS: the trust manager, hostname verifier and certificate pinner of the client's
 * OkHttpClient decide, exactly as for its blocking calls.
 */
class LongPollTlsTest {

  static final String TOKEN = "syt_tls_CANARY0token";
  static HeldCertificate localhost;
  static HeldCertificate otherHost;

  MockWebServer server;
  LongPollTransport longPolls;

  @BeforeAll
  static void certificates() {
    localhost = new HeldCertificate.Builder().commonName("localhost").addSubjectAlternativeName("localhost").build();
    otherHost = new HeldCertificate.Builder().commonName("example.org").addSubjectAlternativeName("example.org").build();
  }

  @BeforeEach
  void start() {
    server = new MockWebServer();
    longPolls = LongPollTransport.builder().threadName("tls-longpoll").build();
  }

  @AfterEach
  void stop() {
    longPolls.close();
    server.close();
  }

  void serve(HeldCertificate certificate) throws Exception {
    server.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory());
    server.start();
  }

  static OkHttpClient trusting(HeldCertificate certificate) {
    HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(certificate.certificate()).build();
    return new OkHttpClient.Builder().sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
  }

  MatrixClient client(OkHttpClient http) {
    MatrixConfig config = MatrixConfig.builder(server.url("/")).http(http).retryPolicy(RetryPolicy.NEVER).build();
    return MatrixClient.create(config, MatrixCredentials.accessToken(TOKEN, "@alice:example.org", "DEV"));
  }

  static MockResponse json(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void pollsOverTlsShareOneConnectionAndReadLargeChunkedAnswers() throws Exception {
    serve(localhost);
    StringBuilder big = new StringBuilder("{\"next_batch\":\"s3\",\"account_data\":{\"events\":[");
    for (int i = 0; i < 3000; i++) {
      big.append(i == 0 ? "" : ",").append("{\"type\":\"x.t").append(i).append("\",\"content\":{\"n\":").append(i).append("}}");
    }
    big.append("]}}");
    server.enqueue(json(SYNC));
    server.enqueue(
        new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .chunkedBody(new Buffer().writeUtf8(big.toString()), 5000).build());
    server.enqueue(json(big.toString()));
    try (MatrixClient client = client(trusting(localhost))) {
      assertThat(await(fetch(client.asyncSyncSource(longPolls), POLL)).nextBatch()).isEqualTo("s2");
      SyncResponse chunked = await(fetch(client.asyncSyncSource(longPolls), POLL));
      assertThat(chunked.accountData()).hasSize(3000);
      SyncResponse sized = await(fetch(client.asyncSyncSource(longPolls), POLL));
      assertThat(sized.accountData().get(2999).type()).isEqualTo("x.t2999");
    }
    RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getHandshake()).as("sent over TLS").isNotNull();
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex()).isEqualTo(first.getConnectionIndex());
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex()).isEqualTo(first.getConnectionIndex());
    assertThat(longPolls.connectionCount()).isEqualTo(1);
  }

  @Test
  void manyTlsHandshakesAtOnceShareTheWorkers() throws Exception {
    int clients = 20;
    HoldingDispatcher holding =
        new HoldingDispatcher(
            clients,
            request -> true,
            request -> json("{\"next_batch\":\"" + HoldingDispatcher.token(request) + "\"}"));
    server.setDispatcher(holding);
    serve(localhost);
    OkHttpClient http = trusting(localhost);
    MatrixConfig config = MatrixConfig.builder(server.url("/")).http(http).retryPolicy(RetryPolicy.NEVER).build();
    List<MatrixClient> many = new ArrayList<>();
    try {
      List<CompletableFuture<SyncResponse>> polls = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        MatrixClient client = MatrixClient.create(config, MatrixCredentials.accessToken("t" + i));
        many.add(client);
        polls.add(fetch(client.asyncSyncSource(longPolls), POLL));
      }
      assertThat(holding.awaitArrived()).isTrue();
      assertThat(longPolls.connectionCount()).isEqualTo(clients);
      holding.release.countDown();
      for (int i = 0; i < clients; i++) {
        assertThat(await(polls.get(i)).nextBatch()).isEqualTo("t" + i);
      }
    } finally {
      many.forEach(MatrixClient::close);
    }
  }

  @Test
  void aTlsConnectionCutMidBodyIsANetworkFailure() throws Exception {
    serve(localhost);
    StringBuilder big = new StringBuilder("{\"next_batch\":\"s3\",\"account_data\":{\"events\":[");
    for (int i = 0; i < 3000; i++) {
      big.append(i == 0 ? "" : ",").append("{\"type\":\"x.t").append(i).append("\",\"content\":{}}");
    }
    big.append("]}}");
    server.enqueue(
        new MockResponse.Builder()
            .body(big.toString())
            .onResponseBody(mockwebserver3.SocketEffect.ShutdownConnection.INSTANCE)
            .build());
    try (MatrixClient client = client(trusting(localhost))) {
      Throwable failure = catchFailure(() -> await(fetch(client.asyncSyncSource(longPolls), POLL)));
      assertThat(failure)
          .isInstanceOfSatisfying(MatrixNetworkException.class, e -> assertThat(e.mayHaveApplied()).isTrue());
    }
    assertThat(longPolls.connectionCount()).isZero();
  }

  @Test
  void anUntrustedCertificateIsRefusedBeforeAnythingIsSent() throws Exception {
    serve(localhost);
    try (MatrixClient client = client(new OkHttpClient())) {
      Throwable async = catchFailure(() -> await(fetch(client.asyncSyncSource(longPolls), POLL)));
      Throwable blocking = catchFailure(() -> client.syncSource().fetch(POLL));
      assertThat(async)
          .isExactlyInstanceOf(MatrixNetworkException.class)
          .isExactlyInstanceOf(blocking.getClass())
          .hasMessageContaining("before it was sent");
      assertThat(async.getCause()).isInstanceOf(SSLHandshakeException.class);
      assertThat(((MatrixNetworkException) async).mayHaveApplied()).isFalse();
      assertThat(async.getMessage()).doesNotContain(TOKEN);
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aCertificateForAnotherHostIsRefusedByTheHostnameVerifier() throws Exception {
    serve(otherHost);
    try (MatrixClient client = client(trusting(otherHost))) {
      Throwable async = catchFailure(() -> await(fetch(client.asyncSyncSource(longPolls), POLL)));
      Throwable blocking = catchFailure(() -> client.syncSource().fetch(POLL));
      assertThat(async).isExactlyInstanceOf(MatrixNetworkException.class).isExactlyInstanceOf(blocking.getClass());
      assertThat(async.getCause()).isInstanceOf(SSLPeerUnverifiedException.class).hasMessageContaining("localhost");
      assertThat(blocking.getCause()).isInstanceOf(SSLPeerUnverifiedException.class);
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theCertificatePinnerOfTheClientApplies() throws Exception {
    serve(localhost);
    server.enqueue(json(SYNC));
    OkHttpClient trusting = trusting(localhost);
    OkHttpClient wrongPin =
        trusting.newBuilder()
            .certificatePinner(
                new CertificatePinner.Builder()
                    .add("localhost", CertificatePinner.pin(otherHost.certificate()))
                    .build())
            .build();
    OkHttpClient rightPin =
        trusting.newBuilder()
            .certificatePinner(
                new CertificatePinner.Builder()
                    .add("localhost", CertificatePinner.pin(localhost.certificate()))
                    .build())
            .build();
    try (MatrixClient pinnedWrong = client(wrongPin);
        MatrixClient pinnedRight = client(rightPin)) {
      Throwable refused = catchFailure(() -> await(fetch(pinnedWrong.asyncSyncSource(longPolls), POLL)));
      assertThat(refused).isExactlyInstanceOf(MatrixNetworkException.class);
      assertThat(refused.getCause()).isInstanceOf(SSLPeerUnverifiedException.class).hasMessageContaining("pinning");
      assertThat(await(fetch(pinnedRight.asyncSyncSource(longPolls), POLL)).nextBatch()).isEqualTo("s2");
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
  }
}
