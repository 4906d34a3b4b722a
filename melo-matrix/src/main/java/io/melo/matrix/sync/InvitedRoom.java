package io.melo.matrix.sync;

import io.melo.matrix.event.StrippedStateEvent;
import io.melo.matrix.json.JsonObject;
import java.util.List;

/**
 * A room the user is invited to, with the stripped state the server shares before joining.
 *
 * @param roomId the room
 * @param inviteState {@code invite_state.events}: name, avatar, join rules, the invite member event, ...
 * @param extra every other field, as received
 */
public record InvitedRoom(String roomId, List<StrippedStateEvent> inviteState, JsonObject extra) {

  /**
   * Copies the list and replaces null parts with empty ones.
   *
   * @param roomId the room
   * @param inviteState {@code invite_state.events}: name, avatar, join rules, the invite member
   *     event, ...
   * @param extra every other field, as received
   */
  public InvitedRoom {
    if (roomId == null) {
      throw new IllegalArgumentException("roomId must not be null");
    }
    inviteState = Lists.copy(inviteState);
    extra = extra == null ? JsonObject.EMPTY : extra;
  }
}
