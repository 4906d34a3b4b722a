package io.melo.core.it;

import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.RecordedCall;
import io.melo.testkit.TestUser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fresh fake homeserver with Alice, Bob and Carol registered (not logged in: each test logs in
 * the clients it needs through {@link #fixture}, which closes them), and a way to see which reads
 * went to the homeserver instead of a client's cache.
 */
abstract class ThreeUsersScene {

  /** The requests a read makes when it asks the homeserver instead of the cache. */
  static final Set<Endpoint> HOMESERVER_READS =
      Set.of(Endpoint.GET_STATE, Endpoint.GET_STATE_EVENT, Endpoint.JOINED_ROOMS, Endpoint.GET_ACCOUNT_DATA);

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  Fixture fixture;
  TestUser alice;
  TestUser bob;
  TestUser carol;

  @BeforeEach
  final void registerThreeUsers() {
    fixture = new Fixture(hs);
    alice = hs.register("alice");
    bob = hs.register("bob");
    carol = hs.register("carol");
  }

  @AfterEach
  final void closeClients() {
    fixture.close();
  }

  /** The sequence number of the last request the homeserver received; 0 before any. */
  long lastSequence() {
    List<RecordedCall> calls = hs.requests();
    return calls.isEmpty() ? 0 : calls.get(calls.size() - 1).sequence();
  }

  /** The requests since {@code mark} that read rooms or account data from the homeserver. */
  List<String> homeserverReadsSince(long mark) {
    return hs.requests().stream()
        .filter(c -> c.sequence() > mark && HOMESERVER_READS.contains(c.endpoint()))
        .map(c -> c.method() + " " + c.path())
        .toList();
  }
}
