package io.melo.matrix.sync;

import io.melo.matrix.event.StrippedStateEvent;
import io.melo.matrix.json.JsonObject;
import java.util.List;

/**
 * A room the user knocked on, with the stripped state the server shares before joining.
 *
 * @param roomId the room
 * @param knockState {@code knock_state.events}: name, avatar, join rules, the knock member event, ...
 * @param extra every other field, as received
 */
public record KnockedRoom(String roomId, List<StrippedStateEvent> knockState, JsonObject extra) {

  /**
   * Copies the list and replaces null parts with empty ones.
   *
   * @param roomId the room
   * @param knockState {@code knock_state.events}: name, avatar, join rules, the knock member event,
   *     ...
   * @param extra every other field, as received
   */
  public KnockedRoom {
    if (roomId == null) {
      throw new IllegalArgumentException("roomId must not be null");
    }
    knockState = Lists.copy(knockState);
    extra = extra == null ? JsonObject.EMPTY : extra;
  }
}
