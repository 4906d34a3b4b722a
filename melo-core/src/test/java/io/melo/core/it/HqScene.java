package io.melo.core.it;

import io.melo.core.Channel;
import io.melo.core.Server;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link AliceAndBobScene} with Alice's server "HQ" made and Bob joined to it by its invite code:
 * the start of most tests of server, channel and message operations. A subclass's own
 * {@code @BeforeEach} runs after this one.
 */
abstract class HqScene extends AliceAndBobScene {

  /** Alice's server. */
  Server server;
  /** Its {@code general} channel. */
  Channel general;

  @BeforeEach
  final void createHqWithBob() {
    server = owner.createServer("HQ").execute();
    general = owner.channels(server.id()).execute().get(0);
    guest.joinServer(server.invite().get()).execute();
  }
}
