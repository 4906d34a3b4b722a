package io.melo.matrix.internal.longpoll;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownServiceException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import okhttp3.CipherSuite;
import okhttp3.ConnectionSpec;
import okhttp3.TlsVersion;

/**
 * One HTTP/1.1 connection, plain or TLS, driven by the selector thread only: it resolves, connects,
 * shakes hands, carries one exchange at a time and then waits in the idle pool for the next.
 */
final class Connection {

  enum Phase {
    RESOLVING,
    CONNECTING,
    HANDSHAKING,
    ACTIVE,
    IDLE,
    CLOSED
  }

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  final Route route;
  private final LongPollEngine engine;
  Phase phase = Phase.RESOLVING;
  /** The exchange on this connection, or null when idle. */
  Exchange exchange;
  /** True once it carried an exchange: a failure before any answer then may be a stale connection. */
  boolean reused;

  private SocketChannel channel;
  private SelectionKey key;
  private List<InetAddress> addresses = List.of();
  private int nextAddress;
  private IOException lastConnectFailure;

  private SSLEngine ssl;
  private ByteBuffer netIn; // write mode: received ciphertext not yet unwrapped
  private ByteBuffer netOut; // read mode: ciphertext not yet written

  private ByteBuffer outPlain; // read mode: request bytes not yet written (or wrapped)
  private ResponseParser parser;
  private boolean extraBytes;

  /** When the current timeout fires (System.nanoTime), or 0 for none. */
  long deadline;
  /** The earliest time a timer entry for this connection is queued at, or 0 for none. */
  long timerAt;

  Connection(Route route, LongPollEngine engine) {
    this.route = route;
    this.engine = engine;
  }

  // ---- connecting ----

  /** Starts connecting to the resolved addresses, one after the other. */
  void connect(List<InetAddress> resolved) throws IOException {
    if (resolved == null || resolved.isEmpty()) {
      throw new java.net.UnknownHostException(route.host + ": no addresses");
    }
    this.addresses = resolved;
    this.nextAddress = 0;
    phase = Phase.CONNECTING;
    engine.arm(this, engine.connectTimeoutNanos(exchange));
    connectNext();
  }

  private void connectNext() throws IOException {
    while (nextAddress < addresses.size()) {
      InetAddress address = addresses.get(nextAddress++);
      SocketChannel candidate = SocketChannel.open();
      try {
        candidate.configureBlocking(false);
        candidate.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel = candidate;
        boolean connected = candidate.connect(new InetSocketAddress(address, route.port));
        key = candidate.register(engine.selector(), connected ? 0 : SelectionKey.OP_CONNECT, this);
        if (connected) {
          connected();
        }
        return;
      } catch (IOException e) {
        lastConnectFailure = e;
        closeQuietly(candidate);
        channel = null;
        key = null;
      }
    }
    IOException failure =
        lastConnectFailure != null ? lastConnectFailure : new ConnectException("failed to connect to " + route);
    throw failure;
  }

  private void finishConnect() throws IOException {
    try {
      channel.finishConnect();
    } catch (IOException e) {
      lastConnectFailure = e;
      key.cancel();
      closeQuietly(channel);
      channel = null;
      key = null;
      connectNext();
      return;
    }
    connected();
  }

  private void connected() throws IOException {
    if (route.tls) {
      startTls();
    } else {
      startExchange();
    }
  }

  // ---- TLS ----

  private void startTls() throws IOException {
    phase = Phase.HANDSHAKING;
    ssl = engine.sslContext(route.trustManager).createSSLEngine(route.host, route.port);
    ssl.setUseClientMode(true);
    applySpec(ssl, route.tlsSpec);
    SSLSession session = ssl.getSession();
    netIn = ByteBuffer.allocate(session.getPacketBufferSize());
    netOut = ByteBuffer.allocate(session.getPacketBufferSize());
    Buffers.flip(netOut);
    ssl.beginHandshake();
    handshake();
  }

  /** Applies the TLS versions and cipher suites of the client's connection spec, like OkHttp. */
  private static void applySpec(SSLEngine ssl, ConnectionSpec spec) throws UnknownServiceException {
    List<TlsVersion> versions = spec.tlsVersions();
    if (versions != null) {
      List<String> wanted = new ArrayList<>();
      for (TlsVersion version : versions) {
        wanted.add(version.javaName());
      }
      String[] enabled = intersect(ssl.getSupportedProtocols(), wanted, false);
      if (enabled.length == 0) {
        throw new UnknownServiceException("no TLS version of the connection spec is supported: " + wanted);
      }
      ssl.setEnabledProtocols(enabled);
    }
    List<CipherSuite> suites = spec.cipherSuites();
    if (suites != null) {
      List<String> wanted = new ArrayList<>();
      for (CipherSuite suite : suites) {
        wanted.add(suite.javaName());
      }
      String[] enabled = intersect(ssl.getEnabledCipherSuites(), wanted, true);
      if (enabled.length == 0) {
        throw new UnknownServiceException("no cipher suite of the connection spec is enabled: " + wanted);
      }
      ssl.setEnabledCipherSuites(enabled);
    }
  }

  /** The entries of {@code available} that are in {@code wanted}, in the order of {@code available}. */
  private static String[] intersect(String[] available, List<String> wanted, boolean cipherNames) {
    List<String> out = new ArrayList<>();
    for (String name : available) {
      for (String want : wanted) {
        if (cipherNames ? sameCipher(name, want) : name.equals(want)) {
          out.add(name);
          break;
        }
      }
    }
    return out.toArray(new String[0]);
  }

  /** Cipher suite names match ignoring the {@code TLS_}/{@code SSL_} prefix, as OkHttp does. */
  private static boolean sameCipher(String a, String b) {
    return a.equals(b)
        || (a.length() > 4 && b.length() > 4 && a.substring(4).equals(b.substring(4))
            && a.substring(0, 4).matches("TLS_|SSL_") && b.substring(0, 4).matches("TLS_|SSL_"));
  }

  /** Drives the handshake as far as it goes without waiting. */
  void handshake() throws IOException {
    while (true) {
      if (!flushNetOut()) {
        interest(SelectionKey.OP_WRITE);
        return;
      }
      SSLEngineResult.HandshakeStatus status = ssl.getHandshakeStatus();
      switch (status) {
        case NEED_WRAP:
          wrap(EMPTY);
          break;
        case NEED_TASK:
          runDelegatedTasks();
          return;
        case FINISHED:
        case NOT_HANDSHAKING:
          handshakeDone();
          return;
        case NEED_UNWRAP:
        default:
          if (!unwrapHandshake()) {
            interest(SelectionKey.OP_READ);
            return;
          }
          break;
      }
    }
  }

  /** One unwrap during the handshake; false when more bytes must arrive first. */
  private boolean unwrapHandshake() throws IOException {
    ByteBuffer scratch = engine.plainBuffer(ssl.getSession().getApplicationBufferSize());
    Buffers.flip(netIn);
    SSLEngineResult result;
    try {
      result = ssl.unwrap(netIn, scratch);
    } finally {
      netIn.compact();
    }
    switch (result.getStatus()) {
      case OK:
        return true;
      case BUFFER_OVERFLOW:
        engine.growPlainBuffer(ssl.getSession().getApplicationBufferSize());
        return true;
      case BUFFER_UNDERFLOW:
        growNetIn();
        int read = channel.read(netIn);
        if (read < 0) {
          throw new SSLHandshakeException("the server closed the connection during the TLS handshake");
        }
        return read > 0;
      case CLOSED:
      default:
        throw new SSLHandshakeException("the server closed TLS during the handshake");
    }
  }

  private void runDelegatedTasks() {
    interest(0);
    List<Runnable> tasks = new ArrayList<>();
    Runnable task;
    while ((task = ssl.getDelegatedTask()) != null) {
      tasks.add(task);
    }
    engine.offload(
        () -> {
          for (Runnable each : tasks) {
            each.run();
          }
        },
        this,
        () -> {
          if (phase == Phase.HANDSHAKING) {
            handshake();
          } else if (phase == Phase.ACTIVE || phase == Phase.IDLE) {
            readable();
          }
        });
  }

  private void handshakeDone() throws IOException {
    SSLSession session = ssl.getSession();
    if (!route.hostnameVerifier.verify(route.host, session)) {
      throw new SSLPeerUnverifiedException(
          "Hostname " + route.host + " not verified: the server's certificate does not name it");
    }
    Certificate[] peer = session.getPeerCertificates();
    route.certificatePinner.check(route.host, Arrays.asList(peer));
    startExchange();
  }

  private void growNetIn() {
    int needed = ssl.getSession().getPacketBufferSize();
    if (netIn.capacity() < needed || !netIn.hasRemaining()) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, netIn.capacity() * 2));
      Buffers.flip(netIn);
      bigger.put(netIn);
      netIn = bigger;
    }
  }

  /** Wraps {@code plain} (or a handshake message) into {@link #netOut}, which must be empty. */
  private void wrap(ByteBuffer plain) throws IOException {
    while (true) {
      Buffers.clear(netOut);
      SSLEngineResult result;
      try {
        result = ssl.wrap(plain, netOut);
      } finally {
        Buffers.flip(netOut);
      }
      switch (result.getStatus()) {
        case OK:
          return;
        case BUFFER_OVERFLOW:
          netOut = ByteBuffer.allocate(Math.max(ssl.getSession().getPacketBufferSize(), netOut.capacity() * 2));
          Buffers.flip(netOut);
          break;
        case CLOSED:
          throw new SSLException("TLS was closed");
        case BUFFER_UNDERFLOW:
        default:
          throw new SSLException("unexpected TLS wrap status " + result.getStatus());
      }
    }
  }

  /** Writes pending ciphertext; false if some is left (the caller then waits for OP_WRITE). */
  private boolean flushNetOut() throws IOException {
    while (netOut.hasRemaining()) {
      if (channel.write(netOut) == 0) {
        return false;
      }
    }
    return true;
  }

  // ---- exchanges ----

  /** Sends the request of {@link #exchange} on this connected connection. */
  void startExchange() throws IOException {
    phase = Phase.ACTIVE;
    parser = new ResponseParser(exchange.maxBodyBytes);
    extraBytes = false;
    outPlain = exchange.head.duplicate();
    engine.arm(this, exchange.readTimeoutNanos);
    writeRequest();
  }

  /** Writes what is pending: the rest of the request, or a TLS message; reads stay enabled. */
  private void writeRequest() throws IOException {
    boolean drained;
    if (ssl == null) {
      channel.write(outPlain);
      drained = !outPlain.hasRemaining();
    } else {
      drained = flushNetOut();
      while (drained && outPlain.hasRemaining()) {
        wrap(outPlain);
        drained = flushNetOut();
      }
    }
    interest(drained ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
  }

  /** The selector says the channel is ready for {@code ops}. */
  void ready(int ops) throws IOException {
    if ((ops & SelectionKey.OP_CONNECT) != 0 && phase == Phase.CONNECTING) {
      finishConnect();
      return;
    }
    if (phase == Phase.HANDSHAKING) {
      handshake();
      return;
    }
    if ((ops & SelectionKey.OP_WRITE) != 0 && (phase == Phase.ACTIVE || phase == Phase.IDLE)) {
      writeRequest();
    }
    if ((ops & SelectionKey.OP_READ) != 0 && (phase == Phase.ACTIVE || phase == Phase.IDLE)) {
      readable();
    }
  }

  /** Reads what arrived: the answer of the exchange, or (when idle) the server's goodbye. */
  void readable() throws IOException {
    while (phase == Phase.ACTIVE || phase == Phase.IDLE) {
      int read;
      if (ssl == null) {
        ByteBuffer buffer = engine.plainBuffer(0);
        read = channel.read(buffer);
        if (read > 0) {
          Buffers.flip(buffer);
          consume(buffer);
          Buffers.clear(buffer);
        }
      } else {
        read = channel.read(netIn);
        if (!unwrapData()) {
          return;
        }
      }
      if (read < 0) {
        endOfStream();
        return;
      }
      if (read == 0) {
        return;
      }
      if (phase == Phase.ACTIVE && exchange != null) {
        engine.arm(this, exchange.readTimeoutNanos);
      }
    }
  }

  /** Unwraps everything complete in {@link #netIn}; false when the connection was finished. */
  private boolean unwrapData() throws IOException {
    while (true) {
      ByteBuffer plain = engine.plainBuffer(ssl.getSession().getApplicationBufferSize());
      Buffers.flip(netIn);
      SSLEngineResult result;
      try {
        result = ssl.unwrap(netIn, plain);
      } finally {
        netIn.compact();
      }
      if (result.bytesProduced() > 0) {
        Buffers.flip(plain);
        consume(plain);
        Buffers.clear(plain);
        if (phase != Phase.ACTIVE && phase != Phase.IDLE) {
          return false;
        }
      }
      switch (result.getStatus()) {
        case OK:
          SSLEngineResult.HandshakeStatus hs = result.getHandshakeStatus();
          if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            Runnable task;
            while ((task = ssl.getDelegatedTask()) != null) {
              task.run(); // post-handshake messages (TLS 1.3 tickets): rare and quick
            }
          } else if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP && !netOut.hasRemaining()) {
            // A post-handshake answer (TLS 1.3 key update): sent now or when the channel drains.
            wrap(EMPTY);
            if (!flushNetOut()) {
              interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
          }
          if (netIn.position() == 0
              || (result.bytesConsumed() == 0 && result.bytesProduced() == 0)) {
            return true;
          }
          break;
        case BUFFER_OVERFLOW:
          engine.growPlainBuffer(ssl.getSession().getApplicationBufferSize());
          break;
        case BUFFER_UNDERFLOW:
          growNetIn();
          return true;
        case CLOSED:
        default:
          endOfStream();
          return false;
      }
    }
  }

  private void consume(ByteBuffer plain) throws IOException {
    if (phase == Phase.IDLE || parser == null || parser.done()) {
      // Bytes nobody asked for: this connection cannot be trusted with another request.
      extraBytes = true;
      if (phase == Phase.IDLE) {
        engine.discard(this);
      }
      return;
    }
    parser.feed(plain);
    if (parser.done()) {
      if (plain.hasRemaining()) {
        extraBytes = true;
        Buffers.position(plain, plain.limit());
      }
      // An answer that came before the whole request was written leaves the stream mid-request.
      boolean requestWritten = !outPlain.hasRemaining() && (netOut == null || !netOut.hasRemaining());
      engine.completed(this, parser, !extraBytes && requestWritten && parser.reusable());
    }
  }

  private void endOfStream() throws IOException {
    if (phase == Phase.IDLE) {
      engine.discard(this);
      return;
    }
    if (phase != Phase.ACTIVE || parser == null) {
      throw new EOFException("the server closed the connection");
    }
    parser.endOfStream();
    engine.completed(this, parser, false);
  }

  /** True when a failure of the current exchange may only mean the pooled connection went stale. */
  boolean staleFailure(IOException failure) {
    return reused
        && phase == Phase.ACTIVE
        && parser != null
        && parser.nothingRead()
        && !(failure instanceof SocketTimeoutException);
  }

  /** Moves the connection to the idle pool's phase after a completed exchange. */
  void idle() {
    phase = Phase.IDLE;
    exchange = null;
    parser = null;
    reused = true;
    interest(SelectionKey.OP_READ);
  }

  /** The timeout fired: the failure to report for the exchange. */
  IOException timeoutFailure() {
    if (phase == Phase.RESOLVING || phase == Phase.CONNECTING || phase == Phase.HANDSHAKING) {
      return new SocketTimeoutException("connect timed out (" + route + ")");
    }
    return new SocketTimeoutException("timeout: no answer from " + route + " in time");
  }

  /** Closes the socket (sending TLS close_notify if possible). */
  void close() {
    if (phase == Phase.CLOSED) {
      return;
    }
    Phase was = phase;
    phase = Phase.CLOSED;
    deadline = 0;
    if (key != null) {
      key.cancel();
    }
    if (channel != null) {
      if (ssl != null && (was == Phase.ACTIVE || was == Phase.IDLE)) {
        try {
          ssl.closeOutbound();
          if (!netOut.hasRemaining()) {
            wrap(EMPTY);
            channel.write(netOut);
          }
        } catch (IOException | RuntimeException e) {
          // Best effort: the socket closes anyway.
        }
      }
      closeQuietly(channel);
    }
  }

  private void interest(int ops) {
    if (key != null && key.isValid()) {
      key.interestOps(ops);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }

  @Override
  public String toString() {
    return "Connection{" + route + ", " + phase.name().toLowerCase(Locale.ROOT) + "}";
  }
}
