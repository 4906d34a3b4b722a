package io.melo.testkit;

import io.melo.testkit.model.Event;
import io.melo.testkit.model.Homeserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A room as the fake homeserver holds it right now: current state and timeline, read without HTTP
 * and without any user's visibility rules. Each call reads the live state.
 */
public final class RoomView {
  private final Homeserver hs;
  private final String roomId;

  RoomView(Homeserver hs, String roomId) {
    this.hs = hs;
    this.roomId = roomId;
  }

  /** The room id. */
  public String roomId() {
    return roomId;
  }

  /** The room version, for example {@code 10}. */
  public String version() {
    return hs.roomVersion(roomId).id();
  }

  /** Every event of the room, oldest first (state and messages, as stored; redacted ones stripped). */
  public List<Event> timeline() {
    return hs.timeline(roomId);
  }

  /** The {@code m.room.message} events, oldest first. */
  public List<Event> messages() {
    List<Event> out = new ArrayList<>();
    for (Event e : timeline()) {
      if (e.type().equals("m.room.message") && !e.isState()) {
        out.add(e);
      }
    }
    return out;
  }

  /** The current state events. */
  public List<Event> state() {
    return hs.currentState(roomId);
  }

  /** The content of a current state event, or null if there is none. */
  public Map<String, Object> state(String type, String stateKey) {
    Event e = hs.stateEvent(roomId, type, stateKey);
    return e == null ? null : e.content();
  }

  /** The membership of a user ({@code join}, {@code invite}, {@code leave}, {@code ban}, {@code knock}), or null. */
  public String membership(String userId) {
    return hs.membership(roomId, userId);
  }

  /** The user ids whose membership is {@code join}. */
  public List<String> joinedMembers() {
    List<String> out = new ArrayList<>();
    for (Event e : state()) {
      if (e.type().equals("m.room.member") && "join".equals(e.content().get("membership"))) {
        out.add(e.stateKey());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "RoomView{" + roomId + "}";
  }
}
