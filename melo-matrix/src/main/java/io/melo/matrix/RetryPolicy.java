package io.melo.matrix;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to send a failed request again. Pure; never blocks or throws. Empty means give up and report
 * the failure.
 *
 * <p>The client only asks the policy about failures that are safe to repeat: a
 * {@link RateLimitedException} (the server refused the request, so it was not applied), a network
 * failure before the request was sent, and, for idempotent requests only (GET, PUT with a
 * transaction id or of a whole state or setting, joins, receipts and read markers), server errors
 * (HTTP 5xx) and network failures after sending. A DELETE is not among them: repeated after it was
 * applied it answers 404. A non-idempotent
 * request such as {@code createRoom} that may have reached the server is never repeated, whatever
 * the policy says.
 */
@FunctionalInterface
public interface RetryPolicy {

  /** Never retries. */
  RetryPolicy NEVER = (attempt, failure) -> Optional.empty();

  /**
   * {@return the delay before the next attempt, or empty to give up}
   *
   * @param attempt how many attempts have failed so far, starting at 1
   * @param failure the latest failure
   */
  Optional<Duration> delayAfter(int attempt, MatrixException failure);

  /**
   * The default: {@code backoff(1 s, 30 s, 5)}.
   *
   * @return a policy with at most 5 attempts
   */
  static RetryPolicy standard() {
    return backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 5);
  }

  /**
   * Exponential backoff with jitter, honouring the server's {@code retry_after_ms} or
   * {@code Retry-After}. Waits a random time between half and all of {@code first * 2^(attempt-1)}
   * (at most {@code cap}); a rate limit waits exactly what the server asked, and gives up when the
   * server asks for more than {@code cap}. Gives up after {@code maxAttempts} attempts in all.
   *
   * @param first the base delay after the first failure; positive
   * @param cap the longest delay, also the longest rate-limit wait accepted; at least {@code first}
   * @param maxAttempts attempts in all, including the first; at least 1
   * @return the policy
   */
  static RetryPolicy backoff(Duration first, Duration cap, int maxAttempts) {
    return backoff(first, cap, maxAttempts, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * Like {@link #backoff(Duration, Duration, int)} with a chosen source of jitter (for tests).
   *
   * @param random returns values in {@code [0, 1)}
   * @param first the base delay after the first failure; positive
   * @param cap the longest delay, also the longest rate-limit wait accepted; at least {@code first}
   * @param maxAttempts attempts in all, including the first; at least 1
   * @return the policy
   */
  static RetryPolicy backoff(Duration first, Duration cap, int maxAttempts, DoubleSupplier random) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(random, "random");
    if (first.isNegative() || first.isZero()) {
      throw new IllegalArgumentException("first must be positive, was: " + first);
    }
    if (cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("cap must be at least first (" + first + "), was: " + cap);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was: " + maxAttempts);
    }
    return new RetryPolicy() {
      @Override
      public Optional<Duration> delayAfter(int attempt, MatrixException failure) {
        if (attempt >= maxAttempts) {
          return Optional.empty();
        }
        if (failure instanceof MatrixErrorException) {
          Optional<Duration> asked = ((MatrixErrorException) failure).retryAfter();
          if (asked.isPresent()) {
            return asked.get().compareTo(cap) <= 0 ? asked : Optional.empty();
          }
        }
        long capMillis = cap.toMillis();
        long base = first.toMillis();
        for (int i = 1; i < attempt && base < capMillis; i++) {
          base *= 2;
        }
        base = Math.min(base, capMillis);
        double jitter = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return Optional.of(Duration.ofMillis(base / 2 + Math.round(jitter * (base - base / 2))));
      }

      @Override
      public String toString() {
        return "RetryPolicy.backoff(" + first + ", " + cap + ", " + maxAttempts + ")";
      }
    };
  }
}
