package io.melo.testkit;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link FakeHomeserver} as a standalone process:
 * {@code java -jar melo-testkit-standalone.jar --port 8008}. Prints
 * {@code listening on http://127.0.0.1:8008} once ready and stops on Ctrl-C. Registration is open
 * ({@code m.login.dummy}), strict mode is off (any client may probe optional endpoints).
 *
 * <p>Options: {@code --port N} (default 8008; 0 picks a free port and prints it), {@code --host H}
 * (default 127.0.0.1; a non-loopback address needs {@code --allow-remote}), {@code --server-name S}
 * (default {@code localhost}), {@code --allow-remote} (binds 0.0.0.0 unless {@code --host} says
 * otherwise).
 */
public final class Main {
  static final String USAGE = "usage: java -jar melo-testkit-standalone.jar [--port N] [--host H]"
      + " [--server-name NAME] [--allow-remote]";

  private Main() {}

  /**
   * Starts the server, prints where it listens, and waits until the process is stopped.
   *
   * @param args {@code --port N} (default 8008), {@code --host H}, {@code --server-name S}, {@code
   *     --allow-remote}, {@code --help}; a bad argument prints the usage and exits with status 2
   * @throws InterruptedException if the main thread is interrupted while it waits
   */
  public static void main(String[] args) throws InterruptedException {
    FakeHomeserver hs;
    try {
      hs = start(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    } catch (java.io.UncheckedIOException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      hs.shutdown();
      stopped.countDown();
    }, "melo-testkit-shutdown"));
    stopped.await();
  }

  /**
   * Parses the arguments, starts the server and prints {@code listening on <url>} to {@code out}.
   *
   * @param args the command-line arguments, as for {@link #main(String[])}
   * @param out where the {@code listening on} line is printed
   * @return the started server
   * @throws IllegalArgumentException naming the bad argument
   */
  public static FakeHomeserver start(String[] args, PrintStream out) {
    int port = 8008;
    String host = null;
    String serverName = "localhost";
    boolean allowRemote = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--port":
          String p = value(args, ++i, a);
          try {
            port = Integer.parseInt(p);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, was: " + p);
          }
          if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0..65535, was: " + port);
          }
          break;
        case "--host":
          host = value(args, ++i, a);
          break;
        case "--server-name":
          serverName = value(args, ++i, a);
          break;
        case "--allow-remote":
          allowRemote = true;
          break;
        case "--help":
        case "-h":
          throw new IllegalArgumentException("help requested");
        default:
          throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    if (host == null) {
      host = allowRemote ? "0.0.0.0" : "127.0.0.1";
    } else if (!allowRemote && !isLoopback(host)) {
      throw new IllegalArgumentException("--host " + host + " is not a loopback address: add --allow-remote to"
          + " accept connections from other machines");
    }
    FakeHomeserver hs = FakeHomeserver.builder().host(host).port(port).serverName(serverName).strict(false)
        .start();
    out.println("listening on " + hs.baseUrl());
    out.flush();
    return hs;
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  private static boolean isLoopback(String host) {
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--host " + host + " is not a known host");
    }
  }
}
