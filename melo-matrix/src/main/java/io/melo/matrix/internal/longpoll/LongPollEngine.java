package io.melo.matrix.internal.longpoll;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttp;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-blocking HTTP/1.1 client for long polls: one selector thread serves every connection, a
 * bounded pool of worker threads runs DNS lookups, TLS delegated tasks and the delivery of answers
 * (unless an exchange names its own executor), and a second bounded pool runs the blocking work handed
 * to {@link #executeBlocking}. Connections are kept alive per route in an idle pool with a size limit
 * and an idle timeout. The selector thread only moves bytes: it never runs a listener, which parses
 * the answer (up to the size cap, many megabytes) and would stall every other connection meanwhile.
 *
 * <p>Answers are read into memory up to the cap given with each request; a longer body is not read
 * further: the answer then says how long it is (declared or seen) and carries only the part that
 * fit, so the caller can refuse it. No {@code Accept-Encoding} other than identity is sent.
 */
public final class LongPollEngine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger("io.melo.matrix.longpoll");
  private static final String USER_AGENT = "okhttp/" + OkHttp.VERSION;

  private final int maxIdleConnections;
  private final long idleTimeoutNanos;
  private final Selector selector;
  private final Thread selectorThread;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor blocking;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Map<X509TrustManager, SSLContext> sslContexts = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile boolean terminated;

  // Selector thread only.
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final Map<Route, ArrayDeque<Connection>> idle = new HashMap<>();
  private final LinkedHashSet<Connection> idleOrder = new LinkedHashSet<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private ByteBuffer plain = ByteBuffer.allocate(32 * 1024);
  private volatile int openCount;
  private volatile int idleCount;

  /**
   * Starts the selector thread.
   *
   * @param maxIdleConnections the most idle connections kept
   * @param idleTimeoutMillis how long an idle connection is kept
   * @param workerThreads the most threads for DNS, TLS tasks and delivering answers
   * @param blockingThreads the most threads for {@link #executeBlocking} work
   * @param threadName the prefix of the threads' names
   * @param daemon whether the threads are daemon threads
   * @throws IOException if no selector can be opened
   */
  public LongPollEngine(
      int maxIdleConnections,
      long idleTimeoutMillis,
      int workerThreads,
      int blockingThreads,
      String threadName,
      boolean daemon)
      throws IOException {
    this.maxIdleConnections = maxIdleConnections;
    this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
    this.workers = pool(workerThreads, threadName + "-worker", daemon);
    this.blocking = pool(blockingThreads, threadName + "-blocking", daemon);
    this.selector = Selector.open();
    this.selectorThread = new Thread(this::loop, threadName + "-selector");
    this.selectorThread.setDaemon(daemon);
    this.selectorThread.start();
  }

  private static ThreadPoolExecutor pool(int threads, String name, boolean daemon) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
              thread.setDaemon(daemon);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Whether this engine can carry a GET to {@code url} with the settings of {@code http}: not when
   * it goes through a proxy, uses a custom socket factory, speaks only HTTP/2, or has TLS settings
   * this engine cannot reproduce (no trust manager, no TLS connection spec, cleartext not allowed).
   */
  public static boolean canCarry(OkHttpClient http, HttpUrl url) {
    Proxy proxy = http.proxy();
    if (proxy != null) {
      if (proxy.type() != Proxy.Type.DIRECT) {
        return false;
      }
    } else {
      try {
        List<Proxy> proxies = http.proxySelector().select(url.uri());
        if (proxies != null) {
          for (Proxy each : proxies) {
            if (each.type() != Proxy.Type.DIRECT) {
              return false;
            }
          }
        }
      } catch (RuntimeException e) {
        return false;
      }
    }
    if (http.socketFactory() != SocketFactory.getDefault() || !http.protocols().contains(Protocol.HTTP_1_1)) {
      return false; // a socket factory of its own, or HTTP/2 only (prior knowledge)
    }
    if (url.isHttps()) {
      return http.x509TrustManager() != null && Route.tlsSpec(http.connectionSpecs()) != null;
    }
    return http.connectionSpecs().contains(ConnectionSpec.CLEARTEXT);
  }

  /**
   * Sends a GET and returns at once; the listener gets the outcome on a worker thread.
   *
   * @param request the request (its method must be GET; its headers are sent as they are)
   * @param http the client whose DNS, connect timeout and TLS settings apply
   * @param readTimeoutMillis how long to wait for the next bytes of the answer
   * @param maxBodyBytes the most body bytes read into memory
   * @param listener gets the outcome
   * @return the exchange, to cancel it
   */
  public Exchange send(
      Request request, OkHttpClient http, long readTimeoutMillis, long maxBodyBytes, Exchange.Listener listener) {
    return send(request, http, readTimeoutMillis, maxBodyBytes, null, listener);
  }

  /**
   * Sends a GET and returns at once; the listener gets the outcome on {@code executor} (the caller's
   * own worker, saving a hand-over from this engine's workers), or on a worker of this engine when
   * {@code executor} is null or refuses the work.
   *
   * @param request the request (its method must be GET; its headers are sent as they are)
   * @param http the client whose DNS, connect timeout and TLS settings apply
   * @param readTimeoutMillis how long to wait for the next bytes of the answer
   * @param maxBodyBytes the most body bytes read into memory
   * @param executor where the listener runs; null for this engine's workers
   * @param listener gets the outcome
   * @return the exchange, to cancel it
   */
  public Exchange send(
      Request request,
      OkHttpClient http,
      long readTimeoutMillis,
      long maxBodyBytes,
      Executor executor,
      Exchange.Listener listener) {
    if (!"GET".equals(request.method())) {
      throw new IllegalArgumentException("only GET is supported, not " + request.method());
    }
    HttpUrl url = request.url();
    Route route = new Route(url, http);
    String target = url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery());
    Headers.Builder extra = request.headers().newBuilder();
    if (request.header("User-Agent") == null) {
      extra.set("User-Agent", USER_AGENT);
    }
    extra.set("Accept-Encoding", "identity");
    Exchange exchange =
        new Exchange(
            this,
            request,
            http,
            route,
            ResponseParser.requestHead(target, route.hostHeader(), extra.build()),
            TimeUnit.MILLISECONDS.toNanos(Math.max(1, readTimeoutMillis)),
            maxBodyBytes,
            executor,
            listener);
    post(() -> start(exchange));
    return exchange;
  }

  /**
   * Runs blocking work on the bounded blocking pool; when the engine is closed before it ran (or
   * refuses it), {@code onRejected} runs instead, on the calling thread.
   */
  public void executeBlocking(Runnable work, Runnable onRejected) {
    Job job = new Job(work, onRejected);
    try {
      blocking.execute(job);
    } catch (RejectedExecutionException e) {
      onRejected.run();
    }
  }

  /** Connections open now (active, idle or being set up). */
  public int connectionCount() {
    return openCount;
  }

  /** Idle connections kept for reuse now. */
  public int idleConnectionCount() {
    return idleCount;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Fails every exchange in flight, closes every connection and stops the threads (blocking work
   * that has not started is rejected; running work is interrupted). Waits briefly for the selector
   * thread unless called on it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    selector.wakeup();
    for (Runnable notRun : blocking.shutdownNow()) {
      if (notRun instanceof Job) {
        ((Job) notRun).reject();
      }
    }
    if (Thread.currentThread() != selectorThread) {
      try {
        selectorThread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    workers.shutdown();
  }

  // ---- called from any thread ----

  void cancel(Exchange exchange) {
    post(
        () -> {
          Connection connection = exchange.connection;
          if (connection != null) {
            fail(connection, new InterruptedIOException("Canceled"), false);
          } else {
            deliver(exchange, null, new InterruptedIOException("Canceled"));
          }
        });
  }

  private void post(Runnable task) {
    tasks.add(task);
    if (terminated) {
      // The selector thread has stopped (or is making its last pass over the queue): run what is
      // queued here. Every task checks `closed` first and fails what it carries. Adding before
      // reading `terminated` means a task is either seen by that last pass or run here.
      runTasks();
      return;
    }
    selector.wakeup();
  }

  /** Runs {@code work} on a worker, then {@code then} on the selector thread for {@code connection}. */
  void offload(Runnable work, Connection connection, IoTask then) {
    Runnable job =
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            log.debug("A TLS task failed", e);
          }
          post(() -> run(connection, then));
        };
    try {
      workers.execute(job);
    } catch (RejectedExecutionException e) {
      post(() -> run(connection, then));
    }
  }

  // ---- selector thread ----

  /** Work on one connection that may fail with an I/O error. */
  @FunctionalInterface
  interface IoTask {
    void run() throws IOException;
  }

  Selector selector() {
    return selector;
  }

  SSLContext sslContext(X509TrustManager trustManager) throws IOException {
    SSLContext context = sslContexts.get(trustManager);
    if (context != null) {
      return context;
    }
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager}, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("no TLS context: " + e.getMessage(), e);
    }
    SSLContext raced = sslContexts.putIfAbsent(trustManager, context);
    return raced != null ? raced : context;
  }

  /** The selector thread's buffer for plaintext, cleared, with at least {@code minCapacity}. */
  ByteBuffer plainBuffer(int minCapacity) {
    if (plain.capacity() < minCapacity) {
      plain = ByteBuffer.allocate(minCapacity);
    }
    Buffers.clear(plain);
    return plain;
  }

  void growPlainBuffer(int minCapacity) {
    plain = ByteBuffer.allocate(Math.max(minCapacity, plain.capacity() * 2));
  }

  long connectTimeoutNanos(Exchange exchange) {
    int millis = exchange.http.connectTimeoutMillis();
    return millis == 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** Sets the connection's timeout to {@code nanos} from now (0 = none). */
  void arm(Connection connection, long nanos) {
    if (nanos <= 0) {
      connection.deadline = 0;
      return;
    }
    long at = System.nanoTime() + nanos;
    connection.deadline = at == 0 ? 1 : at;
    if (connection.timerAt == 0 || at - connection.timerAt < 0) {
      connection.timerAt = at;
      timers.add(new Timer(at, connection));
    }
  }

  private void loop() {
    try {
      while (!closed) {
        runTasks();
        if (closed) {
          break;
        }
        long wait = fireTimers();
        if (closed) {
          break;
        }
        int ready = wait < 0 ? selector.select() : selector.select(Math.max(1, wait));
        runTasks(); // cancels first: an answer that arrived meanwhile is then not delivered
        if (ready > 0) {
          Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
          while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            Connection connection = (Connection) key.attachment();
            if (!key.isValid()) {
              continue;
            }
            run(connection, () -> connection.ready(key.readyOps()));
          }
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      log.error("The long-poll selector thread failed; closing the transport", e);
      closed = true;
    } finally {
      shutdown();
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("A long-poll task failed", e);
      }
    }
  }

  /** Fires due timers; returns the milliseconds until the next one, or -1 for none. */
  private long fireTimers() {
    while (!timers.isEmpty()) {
      Timer timer = timers.peek();
      long now = System.nanoTime();
      if (timer.at - now > 0) {
        return TimeUnit.NANOSECONDS.toMillis(timer.at - now) + 1;
      }
      timers.poll();
      Connection connection = timer.connection;
      if (connection.timerAt != timer.at) {
        continue; // superseded by an earlier timer entry
      }
      connection.timerAt = 0;
      if (connection.phase == Connection.Phase.CLOSED || connection.deadline == 0) {
        continue;
      }
      if (connection.deadline - now > 0) {
        connection.timerAt = connection.deadline;
        timers.add(new Timer(connection.deadline, connection));
        continue;
      }
      connection.deadline = 0;
      if (connection.phase == Connection.Phase.IDLE) {
        discard(connection);
      } else {
        fail(connection, connection.timeoutFailure(), false);
      }
    }
    return -1;
  }

  /** Runs {@code task} for {@code connection}; an I/O failure fails its exchange and closes it. */
  private void run(Connection connection, IoTask task) {
    if (connection.phase == Connection.Phase.CLOSED) {
      return;
    }
    try {
      task.run();
    } catch (IOException e) {
      fail(connection, e, true);
    } catch (RuntimeException e) {
      // A broken peer can make SSLEngine or a verifier throw unchecked exceptions.
      fail(connection, new IOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e), true);
    }
  }

  private void start(Exchange exchange) {
    if (closed) {
      deliver(exchange, null, closedFailure());
      return;
    }
    if (exchange.cancelled) {
      deliver(exchange, null, new InterruptedIOException("Canceled"));
      return;
    }
    Connection pooled = takeIdle(exchange.route);
    if (pooled != null) {
      pooled.exchange = exchange;
      exchange.connection = pooled;
      run(pooled, pooled::startExchange);
      return;
    }
    connectNew(exchange);
  }

  private void connectNew(Exchange exchange) {
    Connection connection = new Connection(exchange.route, this);
    connection.exchange = exchange;
    exchange.connection = connection;
    open.add(connection);
    openCount = open.size();
    Route route = exchange.route;
    Runnable lookup =
        () -> {
          List<InetAddress> addresses;
          try {
            addresses = route.dns.lookup(route.host);
          } catch (IOException | RuntimeException e) {
            IOException failure =
                e instanceof IOException ? (IOException) e : new java.net.UnknownHostException(route.host + ": " + e);
            post(() -> run(connection, () -> { throw failure; }));
            return;
          }
          post(
              () -> {
                if (closed) {
                  fail(connection, closedFailure(), false);
                } else {
                  run(connection, () -> connection.connect(addresses));
                }
              });
        };
    try {
      workers.execute(lookup);
    } catch (RejectedExecutionException e) {
      fail(connection, closedFailure(), false);
    }
  }

  private Connection takeIdle(Route route) {
    ArrayDeque<Connection> pooled = idle.get(route);
    if (pooled == null) {
      return null;
    }
    Connection connection = pooled.pollFirst();
    if (pooled.isEmpty()) {
      idle.remove(route);
    }
    if (connection != null) {
      idleOrder.remove(connection);
      idleCount = idleOrder.size();
    }
    return connection;
  }

  /** The exchange on {@code connection} got its whole answer. */
  void completed(Connection connection, ResponseParser parser, boolean reusable) {
    Exchange exchange = connection.exchange;
    connection.exchange = null;
    connection.deadline = 0;
    if (exchange != null) {
      exchange.connection = null;
    }
    if (reusable && !closed && maxIdleConnections > 0) {
      connection.idle();
      ArrayDeque<Connection> pooled = idle.computeIfAbsent(connection.route, r -> new ArrayDeque<>());
      pooled.addFirst(connection);
      idleOrder.add(connection);
      while (idleOrder.size() > maxIdleConnections) {
        discard(idleOrder.iterator().next());
      }
      idleCount = idleOrder.size();
      arm(connection, idleTimeoutNanos);
    } else {
      close(connection);
    }
    if (exchange != null) {
      deliver(exchange, response(exchange, parser), null);
    }
  }

  /** Closes an idle connection (timed out, evicted, or closed by the server). */
  void discard(Connection connection) {
    ArrayDeque<Connection> pooled = idle.get(connection.route);
    if (pooled != null) {
      pooled.remove(connection);
      if (pooled.isEmpty()) {
        idle.remove(connection.route);
      }
    }
    idleOrder.remove(connection);
    idleCount = idleOrder.size();
    close(connection);
  }

  /**
   * Fails the exchange on {@code connection} and closes it. A failure before any answer on a
   * reused connection (the server closed it while it was idle) moves the exchange to a new
   * connection once, as OkHttp does for idempotent requests.
   */
  private void fail(Connection connection, IOException failure, boolean mayRetry) {
    Exchange exchange = connection.exchange;
    if (exchange == null && connection.phase == Connection.Phase.CLOSED) {
      return; // already failed and closed (by a timeout, a cancel or the shutdown)
    }
    boolean stale = mayRetry && exchange != null && connection.staleFailure(failure);
    if (connection.phase == Connection.Phase.IDLE) {
      discard(connection);
    } else {
      close(connection);
    }
    connection.exchange = null;
    if (exchange == null) {
      return;
    }
    exchange.connection = null;
    if (stale && !exchange.retriedStale && !exchange.cancelled && !closed) {
      exchange.retriedStale = true;
      log.debug("A pooled connection to {} was stale; using a new one", connection.route);
      connectNew(exchange);
      return;
    }
    deliver(exchange, null, failure);
  }

  private void close(Connection connection) {
    connection.close();
    if (open.remove(connection)) {
      openCount = open.size();
    }
  }

  private void deliver(Exchange exchange, Response response, IOException failure) {
    if (!exchange.claim()) {
      return;
    }
    Runnable delivery =
        () -> {
          try {
            if (failure == null) {
              exchange.listener.onResponse(response);
            } else {
              exchange.listener.onFailure(failure);
            }
          } catch (RuntimeException e) {
            log.error("A long-poll listener threw", e);
          }
        };
    if (exchange.executor != null) {
      try {
        exchange.executor.execute(delivery);
        return;
      } catch (RejectedExecutionException e) {
        log.debug("The executor of {} refused its outcome; a worker of the engine delivers it", exchange);
      }
    }
    try {
      workers.execute(delivery);
    } catch (RejectedExecutionException e) {
      delivery.run();
    }
  }

  private static Response response(Exchange exchange, ResponseParser parser) {
    Headers headers = parser.headers();
    String type = headers.get("Content-Type");
    MediaType mediaType = type == null ? null : MediaType.parse(type);
    return new Response.Builder()
        .request(exchange.request)
        .protocol(Protocol.HTTP_1_1)
        .code(parser.code())
        .message(parser.message())
        .headers(headers)
        .body(ResponseBody.create(parser.body(), mediaType, parser.bodyLength()))
        .sentRequestAtMillis(exchange.sentAtMillis)
        .receivedResponseAtMillis(System.currentTimeMillis())
        .build();
  }

  private static IOException closedFailure() {
    return new InterruptedIOException("the LongPollTransport was closed");
  }

  private void shutdown() {
    closed = true;
    runTasks(); // fails the exchanges that were waiting to start
    for (Connection connection : new ArrayList<>(open)) {
      Exchange exchange = connection.exchange;
      connection.exchange = null;
      close(connection);
      if (exchange != null) {
        deliver(exchange, null, closedFailure());
      }
    }
    idle.clear();
    idleOrder.clear();
    idleCount = 0;
    timers.clear();
    terminated = true;
    runTasks();
    try {
      selector.close();
    } catch (IOException e) {
      // Nothing to do.
    }
    workers.shutdown();
  }

  /** A timeout entry; a connection may have stale entries, recognised by {@code at}. */
  private static final class Timer implements Comparable<Timer> {
    final long at;
    final Connection connection;

    Timer(long at, Connection connection) {
      this.at = at;
      this.connection = connection;
    }

    @Override
    public int compareTo(Timer other) {
      return Long.compare(at - other.at, 0);
    }
  }

  /** Blocking work that can be told it will never run. */
  private static final class Job implements Runnable {
    private final Runnable work;
    private final Runnable onRejected;

    Job(Runnable work, Runnable onRejected) {
      this.work = work;
      this.onRejected = onRejected;
    }

    @Override
    public void run() {
      work.run();
    }

    void reject() {
      onRejected.run();
    }
  }

  /** The executor behind {@link #executeBlocking}, for tests. */
  ExecutorService blockingPool() {
    return blocking;
  }
}
