package io.melo.testkit;

import io.melo.testkit.model.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that gives an integration suite its homeserver: the in-process fake (a fresh
 * {@link FakeHomeserver} per test, exactly as {@link FakeHomeserverExtension}) unless the
 * environment variable {@value #VARIABLE} names a real one, which the same suite then runs against.
 *
 * <ul>
 *   <li>{@value #VARIABLE} unset or blank: the fake.
 *   <li>{@value #VARIABLE}{@code =http://localhost:8008}: that homeserver, which must allow open
 *       registration ({@code m.login.dummy}); each {@link #register(String)} creates a fresh account
 *       {@code <name>-<random>}, so reruns never collide, and ids and the server name come from the
 *       server.
 *   <li>{@value #VARIABLE}{@code =standalone}: the testkit's standalone server started once per JVM
 *       in its own process ({@code melo-testkit-standalone.jar}, found through the system property
 *       {@value #STANDALONE_JAR_PROPERTY}): a real HTTP-only homeserver, whose internals no test can
 *       touch.
 * </ul>
 *
 * <p>Tests that need the fake's internals ({@link #fake()}: faults, its clock, its recorded
 * requests) are annotated {@link FakeOnly} and are skipped against a real homeserver; {@link
 * #room(String)} reads a room on either.
 *
 * <pre>{@code
 * @RegisterExtension final HomeserverExtension hs = new HomeserverExtension();
 * TestUser alice = hs.register("alice");   // @alice:localhost on the fake, @alice-k2x9...:example.org on a real one
 * }</pre>
 */
public final class HomeserverExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {
  /** The environment variable naming the real homeserver (a base URL, or {@value #STANDALONE}). */
  public static final String VARIABLE = "MELO_IT_HOMESERVER";
  /** The value of {@value #VARIABLE} that starts the testkit's standalone server in another process. */
  public static final String STANDALONE = "standalone";
  /** The system property with the path of {@code melo-testkit-standalone.jar}, for {@value #STANDALONE}. */
  public static final String STANDALONE_JAR_PROPERTY = "melo.it.standaloneJar";

  private final FakeHomeserverExtension fake;
  private final String target;
  private final List<TestUser> users = new CopyOnWriteArrayList<>();
  private volatile RemoteHomeserver remote;

  /** An extension whose fake servers have the default options. */
  public HomeserverExtension() {
    this(FakeHomeserver.builder());
  }

  /**
   * An extension whose fake servers have these options (they do not apply to a real homeserver).
   *
   * @param fakeOptions the builder each test's fake server is started from
   */
  public HomeserverExtension(FakeHomeserver.Builder fakeOptions) {
    this.fake = new FakeHomeserverExtension(Objects.requireNonNull(fakeOptions, "fakeOptions"));
    this.target = target();
  }

  /**
   * {@return the real homeserver the suite runs against (the value of {@value #VARIABLE}), or null
   * for the fake}
   */
  public static String target() {
    String value = System.getenv(VARIABLE);
    return value == null || value.trim().isEmpty() ? null : value.trim();
  }

  /** {@return whether the suite runs against a real homeserver rather than the in-process fake} */
  public boolean isReal() {
    return target != null;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (isReal()) {
      remote = RemoteHomeserver.of(target);
    } else {
      fake.beforeAll(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    users.clear();
    if (isReal()) {
      remote = RemoteHomeserver.of(target);
    } else {
      fake.beforeEach(context);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    users.clear();
    if (!isReal()) {
      fake.afterEach(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!isReal()) {
      fake.afterAll(context);
    }
  }

  private RemoteHomeserver remote() {
    RemoteHomeserver r = remote;
    if (r == null) {
      throw new IllegalStateException("no homeserver yet: use it inside a test");
    }
    return r;
  }

  /** {@return the homeserver's base URL} */
  public String baseUrl() {
    return isReal() ? remote().baseUrl() : fake.baseUrl();
  }

  /** {@return the homeserver's name: the domain of its user ids} */
  public String serverName() {
    return isReal() ? remote().serverName() : fake.serverName();
  }

  /**
   * Registers a new account and logs it in: localpart {@code name} on the fake, {@code
   * <name>-<random>} on a real homeserver (read {@link TestUser#userId()}, never build ids).
   *
   * @param name the user's name, for example {@code alice} (lower case letters and digits)
   * @return the new user, logged in
   */
  public TestUser register(String name) {
    TestUser user = isReal() ? remote().register(name) : fake.register(name);
    users.add(user);
    return user;
  }

  /**
   * {@return a room as the homeserver holds it: on the fake read directly, on a real homeserver read
   * over HTTP by a user of this test who is in the room (or who left it last)}
   *
   * @param roomId the room's id
   */
  public RoomView room(String roomId) {
    if (isReal()) {
      RemoteHomeserver r = remote();
      return new RoomView(r.new RoomReader(() -> List.copyOf(users)), roomId);
    }
    return fake.room(roomId);
  }

  /**
   * {@return the fake homeserver of the running test}
   *
   * @throws IllegalStateException against a real homeserver (the test should be {@link FakeOnly})
   */
  public FakeHomeserver fake() {
    if (isReal()) {
      throw new IllegalStateException("this needs the fake homeserver's internals, but the suite runs against "
          + VARIABLE + "=" + target + ": mark the test @FakeOnly");
    }
    return fake.server();
  }

  /**
   * {@return the fake homeserver's fault injection}
   *
   * @throws IllegalStateException against a real homeserver
   */
  public Faults faults() {
    return fake().faults();
  }

  /**
   * {@return the requests the fake homeserver received}
   *
   * @throws IllegalStateException against a real homeserver
   */
  public List<RecordedCall> requests() {
    return fake().requests();
  }

  /**
   * {@return the fake homeserver's clock}
   *
   * @throws IllegalStateException against a real homeserver
   */
  public Clock clock() {
    return fake().clock();
  }

  @Override
  public String toString() {
    return "HomeserverExtension{" + (isReal() ? target : "fake") + "}";
  }
}
