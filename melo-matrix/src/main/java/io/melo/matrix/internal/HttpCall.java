package io.melo.matrix.internal;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import io.melo.matrix.AuthenticationException;
import io.melo.matrix.MatrixCall;
import io.melo.matrix.MatrixCallback;
import io.melo.matrix.MatrixClock;
import io.melo.matrix.MatrixCredentials;
import io.melo.matrix.MatrixErrorException;
import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.RateLimitedException;
import io.melo.matrix.UnknownTokenException;
import io.melo.matrix.internal.longpoll.Exchange;
import io.melo.matrix.internal.longpoll.LongPollEngine;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MatrixCall} of melo-matrix: runs one {@link ApiRequest} with retries, credential
 * renewal, a size cap on the answer and cancellation, blocking or in the background. With a
 * {@link LongPollEngine}, the background attempts of a long poll go through it (no thread waits)
 * instead of OkHttp; everything else about the call stays the same.
 */
final class HttpCall<T> implements MatrixCall<T> {

  private static final Logger log = LoggerFactory.getLogger("io.melo.matrix.http");
  private static final long MAX_ERROR_BODY = 64 * 1024;

  private final HttpTransport transport;
  private final ApiRequest<T> request;
  private final LongPollEngine longPolls;
  /**
   * Where the long-poll engine reads, parses and delivers this call's answers, and where the
   * callback then runs directly; null: the engine's workers, then the configured callback executor.
   */
  private final Executor answers;
  private final AtomicBoolean executed = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile boolean canceled;
  private volatile boolean async;
  private volatile boolean anySent;
  private volatile Call current;
  private volatile Exchange currentExchange;
  private volatile MatrixClock.Timer timer;
  private volatile CountDownLatch sleeping;
  private volatile MatrixCallback<? super T> callback;
  // Only touched by the one thread that runs the current attempt.
  private int failures;
  private boolean renewed;
  /** Whether this call renewed (or tried to renew) credentials about to expire before sending. */
  private boolean renewedBeforeExpiry;

  HttpCall(HttpTransport transport, ApiRequest<T> request) {
    this(transport, request, null);
  }

  /**
   * A call whose background attempts of a long poll go through {@code longPolls} (null: through
   * OkHttp, like every other call).
   */
  HttpCall(HttpTransport transport, ApiRequest<T> request, LongPollEngine longPolls) {
    this(transport, request, longPolls, null);
  }

  /**
   * A long-poll call whose answers the engine hands to {@code answers} (null: to its own workers):
   * the answer is parsed there and the callback runs there directly, not through the configured
   * callback executor, so the answer crosses one thread fewer. Outcomes that do not come from the
   * engine (a cancel, a refused renewal) run the callback on the thread that produced them.
   */
  HttpCall(HttpTransport transport, ApiRequest<T> request, LongPollEngine longPolls, Executor answers) {
    this.transport = transport;
    this.request = request;
    this.longPolls = longPolls;
    this.answers = answers;
  }

  @Override
  public T execute() {
    start(null);
    try {
      return runBlocking();
    } finally {
      transport.finished(this);
    }
  }

  @Override
  public void enqueue(MatrixCallback<? super T> callback) {
    Objects.requireNonNull(callback, "callback");
    start(callback);
    attemptAsync();
  }

  @Override
  public CompletableFuture<T> future() {
    return CallFutures.of(this);
  }

  @Override
  public void cancel() {
    canceled = true;
    Call call = current;
    if (call != null) {
      call.cancel();
    }
    Exchange exchange = currentExchange;
    if (exchange != null) {
      exchange.cancel();
    }
    MatrixClock.Timer pending = timer;
    if (pending != null) {
      pending.cancel();
    }
    CountDownLatch latch = sleeping;
    if (latch != null) {
      latch.countDown();
    }
    if (async && executed.get()) {
      finish(null, cancelled());
    }
  }

  @Override
  public boolean isExecuted() {
    return executed.get();
  }

  @Override
  public MatrixCall<T> copy() {
    return new HttpCall<>(transport, request, longPolls, answers);
  }

  @Override
  public String toString() {
    return "MatrixCall{" + request + "}";
  }

  /** Marks the call as run (once only), with the callback of an async run, and registers it. */
  private void start(MatrixCallback<? super T> asyncCallback) {
    if (!executed.compareAndSet(false, true)) {
      throw new IllegalStateException("this call already ran: " + request + "; use copy()");
    }
    if (asyncCallback != null) {
      this.callback = asyncCallback;
      this.async = true;
    }
    transport.started(this);
  }

  // ---- blocking ----

  private T runBlocking() {
    while (true) {
      if (canceled) {
        throw cancelled();
      }
      MatrixCredentials credentials = renewIfExpiringBlocking(transport.auth.current());
      Call call = newCall(credentials);
      Result<T> result;
      long start = System.nanoTime();
      try (Response response = call.execute()) {
        result = handle(response, credentials, start);
      } catch (IOException e) {
        result = Result.failure(networkFailure(e));
      }
      Step step = next(result, credentials);
      if (step.failure != null) {
        throw step.failure;
      }
      if (step.done) {
        return result.value;
      }
      if (step.delay != null) {
        sleep(step.delay);
      }
    }
  }

  /**
   * The credentials to send with: renewed first when they expire soon (once per call; requests
   * sent meanwhile share the renewal). A failed renewal leaves them as they are: the server
   * decides, and its rejection renews (or fails) as usual.
   */
  private MatrixCredentials renewIfExpiringBlocking(MatrixCredentials credentials) {
    if (!needsRenewalBeforeSending(credentials)) {
      return credentials;
    }
    try {
      return transport.auth.renew(transport.owner(), credentials, AuthState.expiring(credentials));
    } catch (MatrixException e) {
      log.info("Renewing credentials before their expiry failed ({}); sending with them", e.getClass().getSimpleName());
      return transport.auth.current();
    }
  }

  private boolean needsRenewalBeforeSending(MatrixCredentials credentials) {
    if (!request.authenticated || renewedBeforeExpiry || renewed) {
      return false;
    }
    if (!transport.auth.expiresSoon(credentials, transport.config.clock().now())) {
      return false;
    }
    renewedBeforeExpiry = true;
    return true;
  }

  private void sleep(Duration delay) {
    CountDownLatch latch = new CountDownLatch(1);
    sleeping = latch;
    timer = transport.config.clock().schedule(delay, latch::countDown);
    if (canceled) {
      latch.countDown();
    }
    try {
      latch.await();
    } catch (InterruptedException e) {
      timer.cancel();
      Thread.currentThread().interrupt();
      canceled = true;
    } finally {
      sleeping = null;
      timer = null;
    }
  }

  // ---- async ----

  private void attemptAsync() {
    if (canceled) {
      finish(null, cancelled());
      return;
    }
    MatrixCredentials credentials = transport.auth.current();
    if (needsRenewalBeforeSending(credentials)) {
      CompletableFuture<MatrixCredentials> renewal;
      try {
        renewal = longPolls == null
            ? transport.auth.renewal(transport.owner(), credentials, AuthState.expiring(credentials))
            : renewOffTheWorkers(credentials, AuthState.expiring(credentials));
      } catch (RuntimeException e) {
        renewal = new CompletableFuture<>();
        renewal.completeExceptionally(e);
      }
      renewal.whenComplete((fresh, thrown) -> {
        if (thrown != null) {
          log.info("Renewing credentials before their expiry failed ({}); sending with them",
              thrown.getClass().getSimpleName());
        }
        attemptAsync(); // with the renewed credentials, or the old ones until the server rejects them
      });
      return;
    }
    long start = System.nanoTime();
    try {
      if (sendWithoutThread(credentials, start)) {
        return;
      }
      Call call = newCall(credentials);
      call.enqueue(
          new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
              attemptFailed(e, credentials);
            }

            @Override
            public void onResponse(Call c, Response response) {
              attemptAnswered(response, credentials, start);
            }
          });
    } catch (RuntimeException e) {
      // This may run on a timer thread: the callback must still hear about it.
      finish(null, e instanceof MatrixException ? (MatrixException) e : unexpected(e));
    }
  }

  /**
   * Sends a long poll through the {@link LongPollEngine} when there is one and it can reproduce the
   * OkHttp client's settings (no proxy, see {@link LongPollEngine#canCarry}); false otherwise.
   */
  private boolean sendWithoutThread(MatrixCredentials credentials, long start) {
    if (longPolls == null || request.longPoll == null || request.longPoll.isZero()) {
      return false;
    }
    OkHttpClient client = transport.clientFor(request);
    Request http = transport.toHttp(request, credentials);
    if (!LongPollEngine.canCarry(client, http.url())) {
      return false;
    }
    anySent = true;
    if (log.isDebugEnabled()) {
      log.debug("{} {} (non-blocking)", request.method, request.logPath);
    }
    currentExchange =
        longPolls.send(
            http,
            client,
            client.readTimeoutMillis(),
            transport.config.maxResponseBytes(),
            answers,
            new Exchange.Listener() {
              @Override
              public void onResponse(Response response) {
                attemptAnswered(response, credentials, start);
              }

              @Override
              public void onFailure(IOException failure) {
                attemptFailed(failure, credentials);
              }
            });
    if (canceled) {
      currentExchange.cancel();
    }
    return true;
  }

  private void attemptFailed(IOException e, MatrixCredentials credentials) {
    afterAttempt(Result.failure(networkFailure(e)), credentials);
  }

  private void attemptAnswered(Response response, MatrixCredentials credentials, long start) {
    Result<T> result;
    try (response) {
      result = handle(response, credentials, start);
    }
    afterAttempt(result, credentials);
  }

  private void afterAttempt(Result<T> result, MatrixCredentials credentials) {
    Step step;
    try {
      step = next(result, credentials);
    } catch (RuntimeException e) {
      step = Step.fail(e instanceof MatrixException ? (MatrixException) e : unexpected(e));
    }
    if (step.failure != null) {
      finish(null, step.failure);
    } else if (step.done) {
      finish(result.value, null);
    } else if (step.renewal != null) {
      UnknownTokenException rejected = step.rejected;
      step.renewal.whenComplete(
          (renewedCredentials, thrown) -> {
            if (thrown != null) {
              finish(null, AuthState.failure(thrown, rejected));
            } else {
              attemptAsync();
            }
          });
    } else if (step.delay == null) {
      attemptAsync();
    } else {
      timer = transport.config.clock().schedule(step.delay, this::attemptAsync);
      if (canceled) {
        timer.cancel();
        finish(null, cancelled());
      }
    }
  }

  private void finish(T value, MatrixException failure) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    transport.finished(this);
    MatrixCallback<? super T> target = callback;
    Runnable deliver =
        () -> {
          try {
            if (failure == null) {
              target.onSuccess(value);
            } else {
              target.onFailure(failure);
            }
          } catch (RuntimeException e) {
            log.error("A MatrixCallback for {} threw", request, e);
          }
        };
    if (answers != null) {
      deliver.run(); // on the caller's answer executor already (see the constructor)
      return;
    }
    try {
      transport.config.callbackExecutor().execute(deliver);
    } catch (RejectedExecutionException e) {
      log.error("The callback executor refused the outcome of {}", request, e);
    }
  }

  // ---- shared ----

  private Call newCall(MatrixCredentials credentials) {
    Call call = transport.clientFor(request).newCall(transport.toHttp(request, credentials));
    current = call;
    anySent = true;
    if (canceled) {
      call.cancel();
    }
    if (log.isDebugEnabled()) {
      log.debug("{} {}", request.method, request.logPath);
    }
    return call;
  }

  /** Decides what follows an attempt: done, fail, retry now (renewed credentials) or after a delay. */
  private Step next(Result<T> result, MatrixCredentials credentials) {
    if (result.failure == null) {
      return Step.DONE;
    }
    if (canceled) {
      return Step.fail(cancelled());
    }
    MatrixException failure = result.failure;
    if (failure instanceof UnknownTokenException && request.authenticated && credentials != null) {
      UnknownTokenException rejected = (UnknownTokenException) failure;
      if (!transport.auth.canRenew()) {
        return Step.fail(failure);
      }
      if (renewed) {
        return Step.fail(
            new AuthenticationException(
                rejected, "the server rejected the renewed credentials too", rejected));
      }
      renewed = true;
      if (async) {
        return Step.renewal(
            longPolls == null
                ? transport.auth.renewal(transport.owner(), credentials, rejected)
                : renewOffTheWorkers(credentials, rejected),
            rejected);
      }
      transport.auth.renew(transport.owner(), credentials, rejected);
      return Step.NOW;
    }
    if (!request.retried || !safeToRetry(failure)) {
      return Step.fail(failure);
    }
    failures++;
    Optional<Duration> delay;
    try {
      delay = transport.config.retryPolicy().delayAfter(failures, failure);
    } catch (RuntimeException e) {
      log.error("RetryPolicy threw for {}; giving up", request, e);
      delay = Optional.empty();
    }
    if (delay == null || !delay.isPresent()) {
      return Step.fail(failure);
    }
    log.warn(
        "Retrying {} in {} ms (attempt {} failed: {})",
        request,
        delay.get().toMillis(),
        failures,
        failure.getMessage());
    return Step.after(delay.get());
  }

  /**
   * Runs the renewal on the long-poll engine's blocking pool: the provider may block for a network
   * round trip, and the engine's few worker threads deliver every client's answers meanwhile.
   */
  private CompletableFuture<MatrixCredentials> renewOffTheWorkers(
      MatrixCredentials credentials, UnknownTokenException rejected) {
    CompletableFuture<MatrixCredentials> renewed = new CompletableFuture<>();
    longPolls.executeBlocking(
        () -> {
          try {
            transport.auth.renewal(transport.owner(), credentials, rejected)
                .whenComplete(
                    (fresh, thrown) -> {
                      if (thrown != null) {
                        renewed.completeExceptionally(thrown);
                      } else {
                        renewed.complete(fresh);
                      }
                    });
          } catch (RuntimeException e) {
            renewed.completeExceptionally(e);
          }
        },
        () -> renewed.completeExceptionally(
            new MatrixNetworkException("the LongPollTransport was closed", false, null)));
    return renewed;
  }

  private boolean safeToRetry(MatrixException failure) {
    if (failure instanceof RateLimitedException) {
      return true; // refused, so not applied
    }
    if (failure instanceof MatrixNetworkException) {
      return request.idempotent || !((MatrixNetworkException) failure).mayHaveApplied();
    }
    if (failure instanceof MatrixErrorException) {
      return request.idempotent && ((MatrixErrorException) failure).httpStatus() >= 500;
    }
    return false;
  }

  private Result<T> handle(Response response, MatrixCredentials credentials, long startNanos) {
    int code = response.code();
    if (log.isDebugEnabled()) {
      log.debug(
          "{} {} -> {} ({} ms)",
          request.method,
          request.logPath,
          code,
          (System.nanoTime() - startNanos) / 1_000_000);
    }
    ResponseBody body = response.body();
    if (code >= 200 && code < 300) {
      try {
        return Result.success(request.reader.read(capped(body, transport.config.maxResponseBytes()), response));
      } catch (TooLargeIOException e) {
        return Result.failure(
            new io.melo.matrix.ResponseTooLargeException(
                "answer to " + request + " is larger than the limit of "
                    + transport.config.maxResponseBytes() + " bytes (MatrixConfig.maxResponseBytes)",
                transport.config.maxResponseBytes()));
      } catch (JsonEncodingException e) {
        return Result.failure(
            new MatrixProtocolException("answer to " + request + " is not JSON: " + e.getMessage(), e));
      } catch (JsonDataException e) {
        return Result.failure(
            new MatrixProtocolException(
                "answer to " + request + " has the wrong shape: " + e.getMessage(), e));
      } catch (java.io.EOFException e) {
        return Result.failure(
            new MatrixProtocolException("answer to " + request + " is empty or truncated JSON", e));
      } catch (IOException e) {
        return Result.failure(networkFailure(e));
      } catch (MatrixException e) {
        return Result.failure(e);
      } catch (RuntimeException e) {
        return Result.failure(
            new MatrixProtocolException(
                "answer to " + request + " could not be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                e));
      }
    }
    Buffer errorBody = new Buffer();
    try {
      BufferedSource source = body.source();
      source.request(MAX_ERROR_BODY);
      source.getBuffer().copyTo(errorBody, 0, Math.min(MAX_ERROR_BODY, source.getBuffer().size()));
    } catch (IOException e) {
      // Keep what arrived; the status code still tells what happened.
    }
    MatrixErrorException error =
        ErrorMapper.map(
            code,
            errorBody,
            response.header("Retry-After"),
            transport.config.clock().now(),
            secrets(credentials));
    return Result.failure(error);
  }

  /**
   * What to scrub from the server's error text: the body's own secrets, the attempt's access token,
   * and the client's current and recently replaced tokens (an answer may quote an older one).
   */
  private java.util.List<String> secrets(MatrixCredentials credentials) {
    java.util.List<String> all = new java.util.ArrayList<>(request.secrets);
    if (credentials != null) {
      all.add(credentials.accessToken());
    }
    all.addAll(transport.knownAccessTokens());
    return all;
  }

  private static BufferedSource capped(ResponseBody body, long max) throws IOException {
    if (body.contentLength() > max) {
      throw new TooLargeIOException();
    }
    Source source =
        new ForwardingSource(body.source()) {
          private long total;

          @Override
          public long read(Buffer sink, long byteCount) throws IOException {
            long read = super.read(sink, byteCount);
            if (read > 0) {
              total += read;
              if (total > max) {
                throw new TooLargeIOException();
              }
            }
            return read;
          }
        };
    return Okio.buffer(source);
  }

  private MatrixException networkFailure(IOException e) {
    if (canceled) {
      return cancelled();
    }
    boolean mayHaveApplied = !notSent(e);
    String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return new MatrixNetworkException(
        request + " failed"
            + (mayHaveApplied ? " (the server may have applied it)" : " before it was sent")
            + ": " + detail,
        mayHaveApplied,
        e);
  }

  /** True when {@code e} proves the request never left: no connection could be made. */
  private static boolean notSent(IOException e) {
    if (e instanceof ConnectException
        || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException
        || e instanceof PortUnreachableException
        || e instanceof SSLHandshakeException) {
      return true;
    }
    return e instanceof SocketTimeoutException
        && e.getMessage() != null
        && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
  }

  private MatrixNetworkException cancelled() {
    return new MatrixNetworkException(request + " was cancelled", anySent, null);
  }

  private MatrixProtocolException unexpected(RuntimeException e) {
    return new MatrixProtocolException(
        request + " failed unexpectedly: " + e.getClass().getName(), e);
  }

  /** Thrown inside the capped source when the body passes the limit. */
  private static final class TooLargeIOException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeIOException() {
      super("response body too large");
    }
  }

  private static final class Result<T> {
    final T value;
    final MatrixException failure;

    private Result(T value, MatrixException failure) {
      this.value = value;
      this.failure = failure;
    }

    static <T> Result<T> success(T value) {
      return new Result<>(value, null);
    }

    static <T> Result<T> failure(MatrixException failure) {
      return new Result<>(null, failure);
    }
  }

  private static final class Step {
    static final Step DONE = new Step(true, null, null);
    static final Step NOW = new Step(false, null, null);

    final boolean done;
    final Duration delay;
    final MatrixException failure;
    CompletableFuture<MatrixCredentials> renewal;
    UnknownTokenException rejected;

    private Step(boolean done, Duration delay, MatrixException failure) {
      this.done = done;
      this.delay = delay;
      this.failure = failure;
    }

    static Step renewal(CompletableFuture<MatrixCredentials> renewal, UnknownTokenException rejected) {
      Step step = new Step(false, null, null);
      step.renewal = renewal;
      step.rejected = rejected;
      return step;
    }

    static Step fail(MatrixException failure) {
      return new Step(true, null, failure);
    }

    static Step after(Duration delay) {
      return new Step(false, delay, null);
    }
  }
}
