package io.melo.matrix.internal;

import io.melo.matrix.MatrixCall;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixConfig;
import io.melo.matrix.MatrixCredentials;
import io.melo.matrix.CredentialsProvider;
import io.melo.matrix.UnknownTokenException;
import io.melo.matrix.internal.longpoll.LongPollEngine;
import io.melo.matrix.sync.AsyncSyncSource;
import io.melo.matrix.sync.SyncRequest;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncSource;
import java.util.function.Function;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okhttp3.MediaType;
import java.io.IOException;

/**
 * Everything the calls of one {@link MatrixClient} share: configuration, credentials, the derived
 * OkHttp clients and the calls in flight (so {@code close()} can cancel them).
 */
public final class HttpTransport {

  final MatrixConfig config;
  final AuthState auth;
  final DerivedClients clients;
  private final TransactionIds txnIds = new TransactionIds();
  private final Set<HttpCall<?>> inFlight = ConcurrentHashMap.newKeySet();
  private volatile MatrixClient owner;
  private volatile boolean closed;

  /**
   * Creates the transport.
   *
   * @param credentials the initial credentials, or null for an anonymous client
   * @param provider renews rejected credentials, or null
   */
  public HttpTransport(MatrixConfig config, MatrixCredentials credentials, CredentialsProvider provider) {
    this.config = config;
    this.auth = new AuthState(credentials, provider);
    this.clients = DerivedClients.of(config.http());
  }

  /** Sets the client handed to the credentials provider. */
  public void owner(MatrixClient owner) {
    this.owner = owner;
  }

  MatrixClient owner() {
    return owner;
  }

  /** The configuration. */
  public MatrixConfig config() {
    return config;
  }

  /** The current credentials. */
  public Optional<MatrixCredentials> credentials() {
    return Optional.ofNullable(auth.current());
  }

  /** The current access token and the last few it replaced: what error texts are scrubbed of. */
  java.util.List<String> knownAccessTokens() {
    return auth.knownAccessTokens();
  }

  /** Replaces the credentials (after a login or refresh by the app). */
  public void credentials(MatrixCredentials credentials) {
    auth.set(credentials);
  }

  /** A fresh transaction id, unique for this device across restarts. */
  public String nextTransactionId() {
    return txnIds.next();
  }

  /** The homeserver's base URL. */
  public HttpUrl base() {
    return config.homeserver();
  }

  /**
   * Wraps a request in a call.
   *
   * @throws IllegalStateException if the client is closed, or the request needs credentials and
   *     the client has none
   */
  public <T> MatrixCall<T> call(ApiRequest<T> request) {
    checkCallable(request);
    return new HttpCall<>(this, request);
  }

  /**
   * An {@link AsyncSyncSource} whose long polls go through {@code engine} and whose syncs with
   * timeout zero run {@code blockingSource} on the engine's blocking pool.
   *
   * @param requests builds the {@code /sync} request (without retries) for a sync request
   */
  public AsyncSyncSource asyncSyncSource(
      LongPollEngine engine,
      Function<SyncRequest, ApiRequest<SyncResponse>> requests,
      SyncSource blockingSource) {
    return new LongPollSyncSource(this, engine, requests, blockingSource);
  }

  /**
   * A call whose background long-poll attempts go through {@code engine}, their answers parsed and
   * delivered on {@code answers} (null: the engine's workers, then the callback executor).
   */
  <T> HttpCall<T> longPollCall(ApiRequest<T> request, LongPollEngine engine, java.util.concurrent.Executor answers) {
    checkCallable(request);
    return new HttpCall<>(this, request, engine, answers);
  }

  private void checkCallable(ApiRequest<?> request) {
    if (closed) {
      throw new IllegalStateException("this MatrixClient is closed");
    }
    if (request.authenticated && !request.authOptional && auth.current() == null) {
      throw new IllegalStateException(
          request + " needs an access token but this MatrixClient has no credentials; log in first");
    }
  }

  /** Cancels every call in flight and refuses new ones. */
  public void close() {
    closed = true;
    for (HttpCall<?> call : inFlight) {
      call.cancel();
    }
  }

  boolean isClosed() {
    return closed;
  }

  void started(HttpCall<?> call) {
    inFlight.add(call);
    if (closed) {
      call.cancel();
    }
  }

  void finished(HttpCall<?> call) {
    inFlight.remove(call);
  }

  OkHttpClient clientFor(ApiRequest<?> request) {
    if (request.longPoll != null) {
      return clients.longPoll(request.longPoll.plus(config.longPollMargin()));
    }
    return request.idempotent ? clients.standard() : clients.nonRetrying();
  }

  /** The OkHttp request for one attempt with {@code credentials} (null when unauthenticated). */
  Request toHttp(ApiRequest<?> request, MatrixCredentials credentials) {
    HttpUrl url = request.url;
    Request.Builder builder = new Request.Builder();
    if (request.authenticated && credentials != null) {
      builder.header("Authorization", "Bearer " + credentials.accessToken());
      if (credentials.isAppService() && request.masquerade) {
        url = url.newBuilder().addQueryParameter("user_id", credentials.userId().get()).build();
      }
    }
    RequestBody body = request.body;
    if (body != null && (!request.idempotent || !request.secrets.isEmpty())) {
      body = new OneShotBody(body);
    }
    builder.url(url).method(request.method, body);
    return builder.build();
  }


  /**
   * A body OkHttp will not re-send on its own after it started writing it: neither after a failed
   * connection nor to the target of a redirect (which may be another host; it would get a body
   * with a password or refresh token). It can still be written again by melo's own retry (which
   * only does so when that is safe).
   */
  private static final class OneShotBody extends RequestBody {
    private final RequestBody delegate;

    OneShotBody(RequestBody delegate) {
      this.delegate = delegate;
    }

    @Override
    public MediaType contentType() {
      return delegate.contentType();
    }

    @Override
    public long contentLength() throws IOException {
      return delegate.contentLength();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      delegate.writeTo(sink);
    }

    @Override
    public boolean isOneShot() {
      return true;
    }
  }
}
