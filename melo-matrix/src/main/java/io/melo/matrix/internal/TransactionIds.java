package io.melo.matrix.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Transaction ids that are unique for a device forever: a random 96-bit prefix chosen when the
 * generator is created (so ids never repeat after a restart or a token refresh, which the server
 * scopes by device) and a counter. A retry or copy of a send keeps the id it was given.
 */
public final class TransactionIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String prefix;
  private final AtomicLong counter = new AtomicLong();

  /** A generator with a fresh random prefix. */
  public TransactionIds() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    this.prefix = "melo" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + ".";
  }

  /** The next id, like {@code meloq2Xy..._3}: only {@code [A-Za-z0-9._-]}. */
  public String next() {
    return prefix + counter.incrementAndGet();
  }
}
