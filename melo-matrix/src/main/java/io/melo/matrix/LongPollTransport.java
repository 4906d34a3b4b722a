package io.melo.matrix;

import io.melo.matrix.internal.longpoll.LongPollEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The threads and connections that carry the {@code /sync} long polls of many {@link MatrixClient}s
 * without a thread per poll: one selector thread serves every waiting poll (plain HTTP/1.1 or TLS),
 * a small pool of worker threads resolves host names and hands over answers, and a small pool of
 * blocking threads runs the initial and catch-up syncs (whose answers are large and read as a
 * stream). Create one and hand it to every client's
 * {@link MatrixClient#asyncSyncSource(LongPollTransport)}, like an OkHttp {@code ConnectionPool}, or
 * use the process-wide {@link #shared()} one. Thread-safe.
 *
 * <p>The long polls use the DNS, connect timeout, trust manager, hostname verifier, certificate
 * pinner and TLS connection spec of the client's {@link okhttp3.OkHttpClient}, but not its
 * interceptors, event listener, call timeout, cookie jar, cache or client certificates, and not
 * HTTP/2 (the answer's read timeout is the poll's timeout plus the client's long-poll margin). A client
 * whose OkHttpClient goes through a proxy (or has a custom socket factory, or speaks only HTTP/2)
 * sends its long polls through OkHttp instead, with a thread each while they wait.
 */
public final class LongPollTransport implements AutoCloseable {

  private static final class SharedHolder {
    static final LongPollTransport SHARED = builder().threadName("melo-longpoll-shared").build(true);
  }

  private final LongPollEngine engine;
  private final Builder settings;
  private final boolean shared;

  private LongPollTransport(Builder settings, boolean shared) {
    this.settings = settings.copy();
    this.shared = shared;
    try {
      this.engine =
          new LongPollEngine(
              settings.maxIdleConnections,
              settings.idleTimeout.toMillis(),
              settings.workerThreads,
              settings.blockingThreads,
              settings.threadName,
              settings.daemon || shared);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open a selector for the long-poll transport", e);
    }
  }

  /**
   * {@return the process-wide transport, started on first use, with daemon threads and the default
   * settings} Its {@link #close()} does nothing: other clients of the process may be using it.
   */
  public static LongPollTransport shared() {
    return SharedHolder.SHARED;
  }

  /** {@return a new transport with the default settings; close it when its clients are done} */
  public static LongPollTransport create() {
    return builder().build();
  }

  /** {@return a builder for a transport with other settings} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connections open now: carrying a poll, idle, or being set up.
   *
   * @return the number of open connections
   */
  public int connectionCount() {
    return engine.connectionCount();
  }

  /**
   * Idle connections kept for the next polls now.
   *
   * @return the number of idle connections
   */
  public int idleConnectionCount() {
    return engine.idleConnectionCount();
  }

  /** {@return whether this transport was closed (never true for {@link #shared()})} */
  public boolean isClosed() {
    return engine.isClosed();
  }

  /**
   * Aborts every poll in flight (its sync source reports a network failure), closes every
   * connection and stops the threads; later polls fail at once. Does nothing on the
   * {@link #shared()} transport.
   */
  @Override
  public void close() {
    if (!shared) {
      engine.close();
    }
  }

  LongPollEngine engine() {
    return engine;
  }

  @Override
  public String toString() {
    return "LongPollTransport{"
        + (shared ? "shared, " : "")
        + "connections="
        + connectionCount()
        + ", idle="
        + idleConnectionCount()
        + ", workerThreads="
        + settings.workerThreads
        + ", blockingThreads="
        + settings.blockingThreads
        + (isClosed() ? ", closed" : "")
        + "}";
  }

  /** Settings of a {@link LongPollTransport}. Not thread-safe. */
  public static final class Builder {
    private int maxIdleConnections = 256;
    private Duration idleTimeout = Duration.ofMinutes(5);
    private int workerThreads = 2;
    private int blockingThreads = 4;
    private String threadName = "melo-longpoll";
    private boolean daemon = true;

    private Builder() {}

    private Builder copy() {
      Builder copy = new Builder();
      copy.maxIdleConnections = maxIdleConnections;
      copy.idleTimeout = idleTimeout;
      copy.workerThreads = workerThreads;
      copy.blockingThreads = blockingThreads;
      copy.threadName = threadName;
      copy.daemon = daemon;
      return copy;
    }

    /**
     * The most idle connections kept for reuse, over all hosts (0 or more; 0 closes each connection
     * after its answer). Keep it near the number of clients: when an event wakes every poll at once,
     * each next poll then finds a connection. Default: 256.
     *
     * @param maxIdleConnections the limit, 0 or more (negative is an {@link
     *     IllegalArgumentException})
     * @return this builder
     */
    public Builder maxIdleConnections(int maxIdleConnections) {
      if (maxIdleConnections < 0) {
        throw new IllegalArgumentException("maxIdleConnections must not be negative, was: " + maxIdleConnections);
      }
      this.maxIdleConnections = maxIdleConnections;
      return this;
    }

    /**
     * How long an unused connection is kept (positive). Default: 5 minutes.
     *
     * @param idleTimeout the timeout; not positive is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder idleTimeout(Duration idleTimeout) {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive, was: " + idleTimeout);
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /**
     * The most threads that resolve host names, run TLS certificate checks and hand answers to the
     * sync sources (at least 1); the answers' callbacks run on them unless the client's
     * {@link MatrixConfig#callbackExecutor()} moves them. Default: 2.
     *
     * @param workerThreads the limit; below 1 is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder workerThreads(int workerThreads) {
      if (workerThreads < 1) {
        throw new IllegalArgumentException("workerThreads must be at least 1, was: " + workerThreads);
      }
      this.workerThreads = workerThreads;
      return this;
    }

    /**
     * The most threads running initial and catch-up syncs at once (at least 1); more wait their
     * turn. Default: 4.
     *
     * @param blockingThreads the limit; below 1 is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder blockingThreads(int blockingThreads) {
      if (blockingThreads < 1) {
        throw new IllegalArgumentException("blockingThreads must be at least 1, was: " + blockingThreads);
      }
      this.blockingThreads = blockingThreads;
      return this;
    }

    /**
     * The prefix of the threads' names (not empty). Default: {@code melo-longpoll}.
     *
     * @param threadName the prefix; empty is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder threadName(String threadName) {
      Objects.requireNonNull(threadName, "threadName");
      if (threadName.isEmpty()) {
        throw new IllegalArgumentException("threadName must not be empty");
      }
      this.threadName = threadName;
      return this;
    }

    /**
     * Whether the threads are daemon threads, which do not keep the JVM alive. Default: true.
     *
     * @param daemon true for daemon threads
     * @return this builder
     */
    public Builder daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /**
     * Starts the transport's selector thread (the pools start threads on demand).
     *
     * @return the started transport; close it when its clients are done
     * @throws UncheckedIOException if the system cannot open a selector
     */
    public LongPollTransport build() {
      return build(false);
    }

    private LongPollTransport build(boolean shared) {
      return new LongPollTransport(this, shared);
    }
  }
}
