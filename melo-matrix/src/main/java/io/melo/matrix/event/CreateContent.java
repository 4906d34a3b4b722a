package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;
import java.util.List;

/**
 * The content of {@code m.room.create}.
 *
 * @param creator the creator (room versions before 11; later versions use the event's sender)
 * @param roomVersion the room version; null means version 1, see {@link #effectiveRoomVersion()}
 * @param type the room type, such as {@code m.space}; null for an ordinary room
 * @param predecessor the room this one replaces after an upgrade
 * @param federate {@code m.federate}, or null (default true)
 * @param additionalCreators {@code additional_creators} (room version 12), empty when absent
 * @param extra every other field, kept as received
 */
public record CreateContent(String creator, String roomVersion, String type, Predecessor predecessor, Boolean federate,
    List<String> additionalCreators, JsonObject extra) {

  /** {@code m.space}: the room type of a space. */
  public static final String SPACE = "m.space";

  /**
   * Copies the list and replaces a null {@code extra} with an empty object.
   *
   * @param creator the creator (room versions before 11; later versions use the event's sender)
   * @param roomVersion the room version; null means version 1, see {@link #effectiveRoomVersion()}
   * @param type the room type, such as {@code m.space}; null for an ordinary room
   * @param predecessor the room this one replaces after an upgrade
   * @param federate {@code m.federate}, or null (default true)
   * @param additionalCreators {@code additional_creators} (room version 12), empty when absent
   * @param extra every other field, kept as received
   */
  public CreateContent {
    additionalCreators = ContentReader.copy(additionalCreators);
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * The room an upgraded room replaces.
   *
   * @param roomId the old room
   * @param eventId the old room's last event (optional since room version 12); null when absent
   * @param extra every other field
   */
  public record Predecessor(String roomId, String eventId, JsonObject extra) {
    /**
     * Replaces a null {@code extra} with an empty object.
     *
     * @param roomId the old room
     * @param eventId the old room's last event (optional since room version 12); null when absent
     * @param extra every other field
     */
    public Predecessor {
      extra = ContentReader.orEmpty(extra);
    }

    /** {@return this predecessor as JSON} */
    public JsonObject toJson() {
      return ContentReader.withExtra(JsonObject.builder().putOrRemove("room_id", roomId).putOrRemove("event_id", eventId), extra);
    }
  }

  /**
   * Reads a create content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; a known field that is absent or of another kind reads as null, and one of
   *     another kind stays in {@code extra}
   */
  public static CreateContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    String creator = r.string("creator");
    String roomVersion = r.string("room_version");
    String type = r.string("type");
    Predecessor predecessor = null;
    JsonObject p = json.getObject("predecessor").orElse(null);
    if (p != null && p.getStringOrNull("room_id") != null) {
      ContentReader pr = new ContentReader(p);
      predecessor = new Predecessor(pr.string("room_id"), pr.string("event_id"), pr.extra());
      r.consume("predecessor");
    }
    Boolean federate = r.bool("m.federate");
    List<String> additional = r.strings("additional_creators");
    return new CreateContent(creator, roomVersion, type, predecessor, federate, additional, r.extra());
  }

  /** {@return the room version, {@code "1"} when the content names none (as the spec says)} */
  public String effectiveRoomVersion() {
    return roomVersion == null ? "1" : roomVersion;
  }

  /** {@return true for a space} */
  public boolean isSpace() {
    return SPACE.equals(type);
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    JsonObject.Builder b = JsonObject.builder()
        .putOrRemove("creator", creator)
        .putOrRemove("room_version", roomVersion)
        .putOrRemove("type", type)
        .putOrRemove("predecessor", predecessor == null ? null : predecessor.toJson())
        .putOrRemove("m.federate", federate);
    if (!additionalCreators.isEmpty()) {
      b.putStrings("additional_creators", additionalCreators);
    }
    return ContentReader.withExtra(b, extra);
  }
}
