package io.melo.core.event;

import io.melo.core.MeloClient;
import io.melo.core.MeloException;
import java.util.Objects;
import java.util.Optional;

/**
 * The client's connection to the homeserver changed.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param state the new state
 * @param failure why, when the state is RECONNECTING or FAILED
 */
public record ConnectionStateChanged(
    MeloClient client,
    long sequence,
    ConnectionState state,
    Optional<MeloException> failure)
    implements MeloEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param state the new state
   * @param failure why, when the state is RECONNECTING or FAILED
   */
  public ConnectionStateChanged {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(failure, "failure");
  }
}
