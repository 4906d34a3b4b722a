package io.melo.examples;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The command line of {@link Demo}: where it runs and as whom. Without {@code --homeserver} it
 * starts an embedded FakeHomeserver and registers alice and bob there.
 *
 * <p>Holds passwords, so {@link #toString()} leaves them out.
 */
public final class DemoOptions {

  /** The usage text printed with {@code --help} and after a bad argument. */
  public static final String USAGE = String.join("\n",
      "usage: Demo [options]",
      "  (no options)                 run on an embedded FakeHomeserver with two new users",
      "  --homeserver URL             run against a real homeserver instead, with either:",
      "    --user ID --password P       the first user (plays alice) ...",
      "    --second-user ID --second-password P   ... and the second user (plays bob), or:",
      "    --register                   register two new users (needs open registration",
      "                                 with the m.login.dummy stage)",
      "  --timeout SECONDS            how long each step waits for the other side's live event",
      "                               (default 10 embedded, 30 on a real homeserver)",
      "  --help                       print this text");

  private final String homeserver;
  private final String user;
  private final String password;
  private final String secondUser;
  private final String secondPassword;
  private final boolean register;
  private final Duration timeout;
  private final boolean help;

  private DemoOptions(
      String homeserver,
      String user,
      String password,
      String secondUser,
      String secondPassword,
      boolean register,
      Duration timeout,
      boolean help) {
    this.homeserver = homeserver;
    this.user = user;
    this.password = password;
    this.secondUser = secondUser;
    this.secondPassword = secondPassword;
    this.register = register;
    this.timeout = timeout;
    this.help = help;
  }

  /**
   * Reads the command line.
   *
   * @param args the command line
   * @return the options
   * @throws IllegalArgumentException naming the bad or missing argument
   */
  public static DemoOptions parse(String... args) {
    Objects.requireNonNull(args, "args");
    String homeserver = null;
    String user = null;
    String password = null;
    String secondUser = null;
    String secondPassword = null;
    boolean register = false;
    Duration timeout = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--homeserver":
          homeserver = value(args, ++i, arg);
          break;
        case "--user":
          user = value(args, ++i, arg);
          break;
        case "--password":
          password = value(args, ++i, arg);
          break;
        case "--second-user":
          secondUser = value(args, ++i, arg);
          break;
        case "--second-password":
          secondPassword = value(args, ++i, arg);
          break;
        case "--register":
          register = true;
          break;
        case "--timeout":
          timeout = seconds(value(args, ++i, arg), arg);
          break;
        case "--help":
        case "-h":
          help = true;
          break;
        default:
          throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    boolean anyLogin = user != null || password != null || secondUser != null || secondPassword != null;
    if (homeserver == null && (anyLogin || register)) {
      throw new IllegalArgumentException(
          "--user, --password, --second-user, --second-password and --register need --homeserver");
    }
    if (homeserver != null && !help) {
      if (register && anyLogin) {
        throw new IllegalArgumentException("use either --register or the four login options, not both");
      }
      if (!register) {
        requirePresent(user, "--user");
        requirePresent(password, "--password");
        requirePresent(secondUser, "--second-user");
        requirePresent(secondPassword, "--second-password");
        if (user.equals(secondUser)) {
          throw new IllegalArgumentException("--user and --second-user must be two different users");
        }
      }
    }
    if (timeout == null) {
      timeout = Duration.ofSeconds(homeserver == null ? 10 : 30);
    }
    return new DemoOptions(homeserver, user, password, secondUser, secondPassword, register, timeout, help);
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  private static Duration seconds(String text, String name) {
    try {
      long seconds = Long.parseLong(text);
      if (seconds < 1 || seconds > 3600) {
        throw new IllegalArgumentException(name + " must be 1..3600 seconds, was: " + text);
      }
      return Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number of seconds, was: " + text);
    }
  }

  private static void requirePresent(String value, String name) {
    if (value == null) {
      throw new IllegalArgumentException("--homeserver needs " + name
          + " (or --register to create two users)");
    }
  }

  /**
   * Whether to run on an embedded FakeHomeserver.
   *
   * @return true without {@code --homeserver}
   */
  public boolean embedded() {
    return homeserver == null;
  }

  /**
   * The real homeserver's URL.
   *
   * @return the {@code --homeserver} URL, when given
   */
  public Optional<String> homeserver() {
    return Optional.ofNullable(homeserver);
  }

  /**
   * The first user.
   *
   * @return the {@code --user} id or localpart, when given
   */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /**
   * The first user's password.
   *
   * @return the {@code --password}, when given
   */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /**
   * The second user.
   *
   * @return the {@code --second-user} id or localpart, when given
   */
  public Optional<String> secondUser() {
    return Optional.ofNullable(secondUser);
  }

  /**
   * The second user's password.
   *
   * @return the {@code --second-password}, when given
   */
  public Optional<String> secondPassword() {
    return Optional.ofNullable(secondPassword);
  }

  /**
   * Whether to register two new users on the real homeserver.
   *
   * @return true with {@code --register}
   */
  public boolean register() {
    return register;
  }

  /**
   * How long each step waits for the other side's live event.
   *
   * @return {@code --timeout}, or its default
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Whether to print the usage and stop.
   *
   * @return true with {@code --help}
   */
  public boolean help() {
    return help;
  }

  /** The options without the passwords. */
  @Override
  public String toString() {
    return embedded()
        ? "DemoOptions(embedded, timeout " + timeout.getSeconds() + "s)"
        : "DemoOptions(" + homeserver + ", " + (register ? "register" : user + " and " + secondUser)
            + ", timeout " + timeout.getSeconds() + "s)";
  }
}
