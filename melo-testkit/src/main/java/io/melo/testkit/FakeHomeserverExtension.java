package io.melo.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives each test a started {@link FakeHomeserver} and verifies it afterwards
 * (unfired faults, strict-mode findings and server errors fail the test).
 *
 * <pre>{@code
 * @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();   // fresh per test
 * @RegisterExtension static final FakeHomeserverExtension HS = new FakeHomeserverExtension(); // per class
 *
 * @ExtendWith(FakeHomeserverExtension.class)            // or inject it:
 * class MyTest { @Test void t(FakeHomeserver hs) { ... } }
 * }</pre>
 *
 * <p>A server lives per test, unless the extension sits in a {@code static} field or the class is
 * annotated {@link SharedHomeserver}: then one server serves the whole class (tests share its state;
 * faults and findings are still verified and cleared after each test).
 */
public final class FakeHomeserverExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback, ParameterResolver {
  private final FakeHomeserver.Builder options;
  private volatile FakeHomeserver classServer;
  private volatile FakeHomeserver testServer;

  /** An extension whose servers have the default options. */
  public FakeHomeserverExtension() {
    this(FakeHomeserver.builder());
  }

  /**
   * An extension whose servers have these options (each test starts a new server from them).
   *
   * @param options the builder each test's server is started from
   */
  public FakeHomeserverExtension(FakeHomeserver.Builder options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    if (testClass.isAnnotationPresent(SharedHomeserver.class) || inStaticField(testClass)) {
      classServer = options.start();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (classServer == null) {
      testServer = options.start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    FakeHomeserver test = testServer;
    if (test != null) {
      testServer = null;
      test.close();
    } else if (classServer != null) {
      try {
        classServer.verify();
      } finally {
        classServer.clearChecks();
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    FakeHomeserver shared = classServer;
    if (shared != null) {
      classServer = null;
      shared.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FakeHomeserver.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server();
  }

  /**
   * {@return the server of the running test}
   *
   * @throws IllegalStateException outside a test
   */
  public FakeHomeserver server() {
    FakeHomeserver s = testServer != null ? testServer : classServer;
    if (s == null) {
      throw new IllegalStateException("no FakeHomeserver is running: use it inside a test");
    }
    return s;
  }

  /** {@return the running server's base URL} */
  public String baseUrl() {
    return server().baseUrl();
  }

  /** {@return the running server's name} */
  public String serverName() {
    return server().serverName();
  }

  /** {@return the running server's fault injection} */
  public Faults faults() {
    return server().faults();
  }

  /**
   * Registers an account on the running server (see {@link FakeHomeserver#register(String)}).
   *
   * @param localpart the user's localpart, for example {@code alice}
   * @return the new user, logged in
   */
  public TestUser register(String localpart) {
    return server().register(localpart);
  }

  /**
   * Expires one access token, leaving the user's other sessions alone: see
   * {@link FakeHomeserver#expireAccessToken(String, boolean)}.
   *
   * @param accessToken the access token
   * @param softLogout true for an expiry (soft logout), false for a hard logout
   */
  public void expireAccessToken(String accessToken, boolean softLogout) {
    server().expireAccessToken(accessToken, softLogout);
  }

  /**
   * {@return a room of the running server as it holds it}
   *
   * @param roomId the room's id
   */
  public RoomView room(String roomId) {
    return server().room(roomId);
  }

  /** {@return the running server's clock} */
  public io.melo.testkit.model.Clock clock() {
    return server().clock();
  }

  /** {@return the requests the running server received} */
  public List<RecordedCall> requests() {
    return server().requests();
  }

  private boolean inStaticField(Class<?> testClass) {
    for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && FakeHomeserverExtension.class.isAssignableFrom(f.getType())) {
          try {
            f.setAccessible(true);
            if (f.get(null) == this) {
              return true;
            }
          } catch (ReflectiveOperationException | RuntimeException e) {
            // not readable: not ours to judge; fall back to per-test servers
          }
        }
      }
    }
    return false;
  }
}
