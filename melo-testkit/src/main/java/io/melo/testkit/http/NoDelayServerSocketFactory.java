package io.melo.testkit.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;

/**
 * Makes server sockets whose accepted connections have {@code TCP_NODELAY} set: without it, Nagle's
 * algorithm and delayed ACKs cost about 40 ms per small request on loopback. Internal: not API.
 */
public final class NoDelayServerSocketFactory extends ServerSocketFactory {

  /** How many peer addresses are kept: connections older than this many later ones lose theirs. */
  static final int MAX_PEERS = 4096;

  private final AtomicInteger acceptedWithNoDelay = new AtomicInteger();
  private final java.util.concurrent.ConcurrentHashMap<Integer, String> peers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger accepted = new AtomicInteger();

  /**
   * {@return the peer address (for example {@code 127.0.0.1}) of the connection with this index, as
   * mockwebserver3 numbers them in {@code RecordedRequest.getConnectionIndex()}: it counts accepted
   * sockets from 0 on its single accept thread, as this factory's server socket does} Null when
   * unknown (an index older than the last {@value #MAX_PEERS} connections).
   *
   * @param connectionIndex the index mockwebserver3 gave the connection
   */
  public String peerAddress(int connectionIndex) {
    return peers.get(connectionIndex);
  }

  /** {@return how many accepted sockets had {@code TCP_NODELAY} on after setting it (for tests)} */
  public int acceptedWithNoDelay() {
    return acceptedWithNoDelay.get();
  }

  /** A server socket that sets {@code TCP_NODELAY} on every socket it accepts. */
  final class NoDelayServerSocket extends ServerSocket {
    NoDelayServerSocket() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      if (isClosed()) {
        throw new java.net.SocketException("Socket is closed");
      }
      Socket socket = new Socket();
      implAccept(socket);
      int index = accepted.getAndIncrement();
      InetAddress peer = socket.getInetAddress();
      if (peer != null) {
        peers.put(index, peer.getHostAddress());
      }
      peers.remove(index - MAX_PEERS);
      socket.setTcpNoDelay(true);
      if (socket.getTcpNoDelay()) {
        acceptedWithNoDelay.incrementAndGet();
      }
      return socket;
    }
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
    peers.clear();
    accepted.set(0);
    return new NoDelayServerSocket();
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    ServerSocket s = createServerSocket();
    s.bind(new java.net.InetSocketAddress(port));
    return s;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    ServerSocket s = createServerSocket();
    s.bind(new java.net.InetSocketAddress(port), backlog);
    return s;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
    ServerSocket s = createServerSocket();
    s.bind(new java.net.InetSocketAddress(bindAddress, port), backlog);
    return s;
  }
}
