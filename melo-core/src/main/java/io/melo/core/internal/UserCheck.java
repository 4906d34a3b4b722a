package io.melo.core.internal;

import io.melo.core.MeloException;
import io.melo.core.UserMismatchException;
import io.melo.matrix.AuthenticationException;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixClock;
import io.melo.matrix.MatrixErrorException;
import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.UnknownTokenException;
import io.melo.matrix.auth.Whoami;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check that a session given to {@code MeloClient.resume}/{@code connect} belongs to the user
 * id the app named: {@code GET /account/whoami}, sent when the client starts, beside its first
 * sync (so it adds no round trip to it). Until the homeserver has answered, the sync loop's first
 * batch waits (streamed rooms of an initial sync included: nothing reaches the cache, the store
 * or a listener) and so does every call. When the homeserver names another user, the client fails
 * with a {@link UserMismatchException}: the batch waiting is dropped unsaved and the loop stops.
 *
 * <p>A network failure, a server error or a rate limit is retried with backoff (the calls made
 * meanwhile fail with that failure, as they would have on their own); a rejected token opens the
 * way (the sync and the calls then fail with the rejection themselves, and a session given later
 * with {@code resume(Session)} is checked by that call). Not API.
 */
final class UserCheck {

  private static final Logger LOG = LoggerFactory.getLogger(UserCheck.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** What one attempt found. */
  private record Outcome(boolean open, String otherUser, MatrixException failure) {}

  private final Owner client;
  /** Completes once the sync may go on (normally), or must drop what it has (exceptionally). */
  private final CompletableFuture<Void> decided = new CompletableFuture<>();
  /**
   * What a batch waits for: completes normally when the check passed, exceptionally once the loop
   * was stopped after a mismatch (so the loop, closed by then, does not save the batch).
   */
  private final CompletableFuture<Void> forBatches = new CompletableFuture<>();
  /** The attempt in flight or the last one: calls wait for it. */
  private volatile CompletableFuture<Outcome> attempt = new CompletableFuture<>();
  private volatile boolean passed;
  private int failures;

  /** What the check needs of its client. */
  interface Owner {
    /** The client's Matrix client (its session's token). */
    MatrixClient matrix();

    /** The user the app says the session is for. */
    String userId();

    /** Whether the client is closed. */
    boolean isClosed();

    /** The homeserver named {@code mismatch}'s user: fail the client, then call {@link #released()}. */
    void failForOtherUser(UserCheck check, UserMismatchException mismatch);
  }

  UserCheck(Owner client) {
    this.client = client;
  }

  /** Sends the first request. */
  void start() {
    send(attempt);
  }

  /** True once the homeserver confirmed the user (or the check was given up in favour of the sync's own failure). */
  boolean passed() {
    return passed;
  }

  /** What a batch of the sync loop waits for (see {@link #forBatches}). */
  CompletionStage<Void> beforeBatch() {
    return forBatches;
  }

  /**
   * Blocks a streamed initial sync until the check is decided.
   *
   * @throws IllegalStateException when the session belongs to another user: the answer is dropped
   */
  void awaitForSync() {
    if (passed) {
      return;
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          decided.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw new IllegalStateException("the session belongs to another user than the client's: the sync answer"
              + " is dropped", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Blocks a call until the current attempt has answered.
   *
   * @throws UserMismatchException when the session belongs to another user
   * @throws MeloException the attempt's failure (network, server error) while it could not tell
   */
  void beforeCall(CallContext ctx, String action) {
    if (passed) {
      return;
    }
    // This call's own view of the attempt: cancelling the call cancels it, not the attempt others wait for.
    CompletableFuture<Outcome> mine = attempt.thenApply(o -> o);
    Outcome outcome;
    try (AutoCloseable hook = ctx.onCancel(() -> mine.cancel(false))) {
      outcome = mine.get();
    } catch (java.util.concurrent.CancellationException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw CallContext.cancelledException(action);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the check of the session's user failed unexpectedly", e.getCause());
    } catch (Exception hookClose) {
      throw new IllegalStateException(hookClose);
    }
    if (outcome.otherUser != null) {
      throw mismatch(action, outcome.otherUser);
    }
    if (!outcome.open) {
      throw MatrixSteps.translate(action + ": checking whose session this is", client.userId(), outcome.failure,
          ctx.isCancelled());
    }
  }

  private UserMismatchException mismatch(String what, String other) {
    return new UserMismatchException(what + ": the homeserver says the session given for " + client.userId()
        + " belongs to " + other, client.userId(), other);
  }

  /** {@code resume(Session)} installed a session it checked: the way is open (this check is no longer used). */
  void superseded() {
    open(true);
  }

  /** The loop was stopped after a mismatch: a batch that waited ends without being saved. */
  void released() {
    forBatches.completeExceptionally(new IllegalStateException(
        "the session belongs to another user than the client's: the batch is dropped"));
  }

  private void open(boolean confirmed) {
    passed = true;
    decided.complete(null);
    forBatches.complete(null);
    attempt.complete(new Outcome(true, null, null)); // a call cancelled meanwhile left it; harmless
    if (!confirmed) {
      LOG.debug("The user of {}'s session was not confirmed; the sync and calls report why", client.userId());
    }
  }

  private void send(CompletableFuture<Outcome> into) {
    try {
      MeloExecutors.checks().execute(() -> check(into));
    } catch (java.util.concurrent.RejectedExecutionException never) {
      check(into); // the shared pool is never shut down; run here rather than lose the check
    }
  }

  private void check(CompletableFuture<Outcome> into) {
    Whoami who;
    try {
      who = client.matrix().whoami().execute();
    } catch (MatrixException failure) {
      failed(into, failure);
      return;
    } catch (RuntimeException closed) {
      // The Matrix client was closed (the client is closing): nothing waits any more.
      failed(into, new MatrixNetworkException("the client is closed", false, closed));
      return;
    }
    if (client.userId().equals(who.userId())) {
      into.complete(new Outcome(true, null, null));
      open(true);
      return;
    }
    UserMismatchException mismatch = mismatch("starting the client", who.userId());
    LOG.warn("The session given for {} belongs to {}: the client fails", client.userId(), who.userId());
    into.complete(new Outcome(false, who.userId(), null));
    decided.completeExceptionally(mismatch);
    client.failForOtherUser(this, mismatch);
  }

  private void failed(CompletableFuture<Outcome> into, MatrixException failure) {
    if (client.isClosed()) {
      into.complete(new Outcome(false, null, failure));
      released(); // the loop is closing: a batch waiting is not saved
      decided.completeExceptionally(failure);
      return;
    }
    if (failure instanceof UnknownTokenException || failure instanceof AuthenticationException
        || !isTransient(failure)) {
      // The token was rejected (and not renewed), or the homeserver refused the check itself: the
      // sync and the calls meet the same answer and report it; nothing of another user can flow.
      LOG.info("Checking the session of {} failed ({}); the sync reports it", client.userId(), failure.getMessage());
      into.complete(new Outcome(true, null, failure));
      open(false);
      return;
    }
    failures++;
    Duration delay = Duration.ofSeconds(1L << Math.min(failures - 1, 5));
    if (delay.compareTo(MAX_BACKOFF) > 0) {
      delay = MAX_BACKOFF;
    }
    LOG.info("Checking the session of {} failed for now ({}); trying again in {} s", client.userId(),
        failure.getMessage(), delay.getSeconds());
    CompletableFuture<Outcome> next = new CompletableFuture<>();
    attempt = next;
    into.complete(new Outcome(false, null, failure));
    MatrixClock clock = client.matrix().config().clock();
    clock.schedule(delay, () -> send(next));
  }

  private static boolean isTransient(MatrixException failure) {
    if (failure instanceof MatrixNetworkException) {
      return true;
    }
    return failure instanceof MatrixErrorException error && (error.httpStatus() >= 500 || error.httpStatus() == 429);
  }
}
