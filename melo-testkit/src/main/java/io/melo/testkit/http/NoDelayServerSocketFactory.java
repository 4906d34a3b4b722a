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

  private final AtomicInteger acceptedWithNoDelay = new AtomicInteger();

  /** How many accepted sockets had {@code TCP_NODELAY} on after setting it (for tests). */
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
      socket.setTcpNoDelay(true);
      if (socket.getTcpNoDelay()) {
        acceptedWithNoDelay.incrementAndGet();
      }
      return socket;
    }
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
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
