package io.melo.testkit;

import io.melo.testkit.model.Event;
import io.melo.testkit.model.Homeserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A room as the homeserver holds it right now: current state and timeline. On the fake it is read
 * without HTTP and without any user's visibility rules; on a real homeserver ({@link
 * HomeserverExtension} in real mode) it is read over the client API by a test user who is in the
 * room (or, if none is any more, by the one who left it last, who sees the state as it was when they
 * left). Each call reads the live state.
 */
public final class RoomView {
  private final Homeserver hs;
  private final RemoteHomeserver.RoomReader remote;
  private final String roomId;

  RoomView(Homeserver hs, String roomId) {
    this.hs = hs;
    this.remote = null;
    this.roomId = roomId;
  }

  RoomView(RemoteHomeserver.RoomReader remote, String roomId) {
    this.hs = null;
    this.remote = remote;
    this.roomId = roomId;
  }

  /** {@return the room id} */
  public String roomId() {
    return roomId;
  }

  /** {@return the room version, for example {@code 10}} */
  public String version() {
    if (remote != null) {
      Map<String, Object> create = state("m.room.create", "");
      Object v = create == null ? null : create.get("room_version");
      return v instanceof String ? (String) v : "1";
    }
    return hs.roomVersion(roomId).id();
  }

  /**
   * {@return every event of the room, oldest first (state and messages, as stored; redacted ones
   * stripped)}
   */
  public List<Event> timeline() {
    return remote != null ? remote.timeline(roomId) : hs.timeline(roomId);
  }

  /** {@return the {@code m.room.message} events, oldest first} */
  public List<Event> messages() {
    List<Event> out = new ArrayList<>();
    for (Event e : timeline()) {
      if (e.type().equals("m.room.message") && !e.isState()) {
        out.add(e);
      }
    }
    return out;
  }

  /** {@return the current state events} */
  public List<Event> state() {
    return remote != null ? remote.state(roomId) : hs.currentState(roomId);
  }

  /**
   * {@return the content of a current state event, or null if there is none}
   *
   * @param type the state event type
   * @param stateKey the state key ({@code ""} for most room state)
   */
  public Map<String, Object> state(String type, String stateKey) {
    Event e = remote != null ? find(type, stateKey) : hs.stateEvent(roomId, type, stateKey);
    return e == null ? null : e.content();
  }

  /**
   * {@return the membership of a user ({@code join}, {@code invite}, {@code leave}, {@code ban},
   * {@code knock}), or null}
   *
   * @param userId the full user id
   */
  public String membership(String userId) {
    if (remote != null) {
      Map<String, Object> member = state("m.room.member", userId);
      Object m = member == null ? null : member.get("membership");
      return m instanceof String ? (String) m : null;
    }
    return hs.membership(roomId, userId);
  }

  private Event find(String type, String stateKey) {
    for (Event e : state()) {
      if (e.type().equals(type) && stateKey.equals(e.stateKey())) {
        return e;
      }
    }
    return null;
  }

  /** {@return the user ids whose membership is {@code join}} */
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
