package io.melo.core.it;

import io.melo.core.MeloClient;
import io.melo.testkit.HomeserverExtension;
import io.melo.testkit.TestUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scene most integration tests start from: a fresh fake homeserver (or the real one
 * {@code MELO_IT_HOMESERVER} names, see {@link HomeserverExtension}) with Alice and Bob
 * registered and logged in as Melo clients ({@link #owner} and {@link #guest}, in that order),
 * closed after each test. A subclass's own {@code @BeforeEach} runs after this one, so it can
 * create the server, channels and memberships it needs from here.
 */
abstract class AliceAndBobScene {

  @RegisterExtension final HomeserverExtension hs = new HomeserverExtension();

  Fixture fixture;
  TestUser alice;
  TestUser bob;
  /** Alice's client; she creates the servers. */
  MeloClient owner;
  /** Bob's client. */
  MeloClient guest;

  @BeforeEach
  final void registerAliceAndBob() {
    fixture = new Fixture(hs);
    alice = hs.register("alice");
    bob = hs.register("bob");
    owner = fixture.login(alice);
    guest = fixture.login(bob);
  }

  @AfterEach
  final void closeClients() {
    fixture.close();
  }
}
