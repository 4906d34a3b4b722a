package io.melo.matrix.internal;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import io.melo.matrix.discovery.Capabilities;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.event.StrippedStateEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonValue;
import io.melo.matrix.room.CreateRoomRequest;
import io.melo.matrix.room.EventContext;
import io.melo.matrix.room.EventPage;
import io.melo.matrix.room.Hierarchy;
import io.melo.matrix.room.HierarchyRoom;
import io.melo.matrix.room.Messages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** JSON codecs for the endpoints that carry events or raw JSON content. */
public final class EventCodecs {

  private EventCodecs() {}

  /** Reads a JSON object as a tree; fails on other kinds. */
  public static JsonObject object(JsonReader reader) throws IOException {
    JsonValue value = JsonValue.read(reader);
    if (value instanceof JsonObject) {
      return (JsonObject) value;
    }
    throw new JsonDataException("expected a JSON object but was " + JsonObject.kind(value));
  }

  /** A list of room events. */
  public static List<RoomEvent> events(JsonReader reader) throws IOException {
    return Json.list(reader, RoomEvent::read);
  }

  /** Reads {@code GET /capabilities}. */
  public static Capabilities capabilities(JsonReader reader) throws IOException {
    JsonObject body = object(reader);
    JsonObject capabilities =
        body.getObject("capabilities")
            .orElseThrow(() -> new JsonDataException("capabilities response lacks required field 'capabilities'"));
    return new Capabilities(capabilities);
  }

  /** Writes a {@code POST /createRoom} body. */
  public static void createRoom(JsonWriter w, CreateRoomRequest r) throws IOException {
    if (r.visibility() != null) {
      w.name("visibility").value(r.visibility().wireName());
    }
    Json.field(w, "room_alias_name", r.roomAliasName());
    Json.field(w, "name", r.name());
    Json.field(w, "topic", r.topic());
    if (!r.invite().isEmpty()) {
      Json.field(w, "invite", r.invite());
    }
    Json.field(w, "room_version", r.roomVersion());
    if (r.creationContent() != null) {
      w.name("creation_content");
      r.creationContent().write(w);
    }
    if (!r.initialState().isEmpty()) {
      w.name("initial_state").beginArray();
      for (CreateRoomRequest.InitialState state : r.initialState()) {
        w.beginObject();
        w.name("type").value(state.type());
        w.name("state_key").value(state.stateKey());
        w.name("content");
        state.content().write(w);
        w.endObject();
      }
      w.endArray();
    }
    Json.field(w, "preset", r.preset());
    Json.field(w, "is_direct", r.isDirect());
    if (r.powerLevelContentOverride() != null) {
      w.name("power_level_content_override");
      r.powerLevelContentOverride().write(w);
    }
  }

  /** Reads {@code GET /rooms/{roomId}/messages}. */
  public static Messages messages(JsonReader reader) throws IOException {
    Object[] f = new Object[4];
    Json.readObject(
        reader,
        (name, r) -> {
          switch (name) {
            case "chunk":
              f[0] = events(r);
              break;
            case "start":
              f[1] = Json.stringOrNull(r);
              break;
            case "end":
              f[2] = Json.stringOrNull(r);
              break;
            case "state":
              f[3] = events(r);
              break;
            default:
              r.skipValue();
          }
        });
    return new Messages(
        eventList(Json.require(f[0], "chunk", "messages response")),
        (String) Json.require(f[1], "start", "messages response"),
        (String) f[2],
        eventList(f[3]));
  }

  @SuppressWarnings("unchecked")
  private static List<RoomEvent> eventList(Object value) {
    return value == null ? List.of() : (List<RoomEvent>) value;
  }

  /** Reads {@code GET /rooms/{roomId}/context/{eventId}}. */
  public static EventContext context(JsonReader reader) throws IOException {
    Object[] f = new Object[6];
    Json.readObject(
        reader,
        (name, r) -> {
          switch (name) {
            case "event":
              f[0] = RoomEvent.read(r);
              break;
            case "events_before":
              f[1] = events(r);
              break;
            case "events_after":
              f[2] = events(r);
              break;
            case "start":
              f[3] = Json.stringOrNull(r);
              break;
            case "end":
              f[4] = Json.stringOrNull(r);
              break;
            case "state":
              f[5] = events(r);
              break;
            default:
              r.skipValue();
          }
        });
    return new EventContext(
        (RoomEvent) Json.require(f[0], "event", "context response"),
        eventList(f[1]),
        eventList(f[2]),
        (String) f[3],
        (String) f[4],
        eventList(f[5]));
  }

  /** Reads a relations or threads page. */
  public static EventPage eventPage(JsonReader reader) throws IOException {
    Object[] f = new Object[3];
    Json.readObject(
        reader,
        (name, r) -> {
          switch (name) {
            case "chunk":
              f[0] = events(r);
              break;
            case "next_batch":
              f[1] = Json.stringOrNull(r);
              break;
            case "prev_batch":
              f[2] = Json.stringOrNull(r);
              break;
            default:
              r.skipValue();
          }
        });
    return new EventPage(
        eventList(Json.require(f[0], "chunk", "event page")), (String) f[1], (String) f[2]);
  }

  /** Reads {@code GET /v1/rooms/{roomId}/hierarchy}. */
  public static Hierarchy hierarchy(JsonReader reader) throws IOException {
    JsonObject body = object(reader);
    List<HierarchyRoom> rooms = new ArrayList<>();
    JsonValue roomsValue = body.getOrNull("rooms");
    if (!(roomsValue instanceof io.melo.matrix.json.JsonArray)) {
      throw new JsonDataException("hierarchy response lacks required array 'rooms'");
    }
    for (JsonValue value : ((io.melo.matrix.json.JsonArray) roomsValue).values()) {
      if (!(value instanceof JsonObject)) {
        throw new JsonDataException("hierarchy room is a " + JsonObject.kind(value) + ", not an object");
      }
      rooms.add(hierarchyRoom((JsonObject) value));
    }
    return new Hierarchy(rooms, body.getStringOrNull("next_batch"));
  }

  private static HierarchyRoom hierarchyRoom(JsonObject room) {
    String roomId = room.getStringOrNull("room_id");
    if (roomId == null) {
      throw new JsonDataException("hierarchy room lacks required field 'room_id'");
    }
    List<StrippedStateEvent> children = new ArrayList<>();
    for (JsonValue child : room.getArrayOrEmpty("children_state").values()) {
      if (child instanceof JsonObject) {
        children.add(StrippedStateEvent.from((JsonObject) child));
      } else {
        throw new JsonDataException("children_state entry of " + roomId + " is not an object");
      }
    }
    return new HierarchyRoom(
        roomId,
        room.getStringOrNull("name"),
        room.getStringOrNull("topic"),
        room.getStringOrNull("canonical_alias"),
        room.getStringOrNull("avatar_url"),
        room.getLong("num_joined_members", 0),
        room.getBoolean("world_readable", false),
        room.getBoolean("guest_can_join", false),
        room.getStringOrNull("join_rule"),
        room.getStringOrNull("room_type"),
        children,
        room);
  }
}
