package io.melo.matrix.sync;

import io.melo.matrix.json.JsonArray;
import io.melo.matrix.json.JsonObject;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A sync filter (the spec's {@code Filter}: {@code event_fields}, {@code event_format},
 * {@code presence}, {@code account_data}, {@code room} with {@code rooms}, {@code not_rooms},
 * {@code include_leave}, {@code state}, {@code timeline}, {@code ephemeral}, {@code account_data}).
 * Upload it once ({@code POST /user/{userId}/filter}) and sync with its id, or pass it inline in a
 * {@link SyncRequest}. Immutable; build with {@link #builder()}.
 */
public final class Filter {

  private final JsonObject json;

  private Filter(JsonObject json) {
    this.json = json;
  }

  /** {@return a builder for a filter with nothing set (the server's defaults)} */
  public static Builder builder() {
    return new Builder(JsonObject.EMPTY);
  }

  /**
   * {@return a filter from its JSON, such as one read back with {@code GET
   * /user/{userId}/filter/{id}}}
   *
   * @param json the filter object; not null. Fields Melo does not know are kept as they are
   */
  public static Filter fromJson(JsonObject json) {
    return new Filter(Objects.requireNonNull(json, "json"));
  }

  /** {@return a builder that starts from this filter} */
  public Builder toBuilder() {
    return new Builder(json);
  }

  /** {@return the filter as JSON, as the spec's {@code Filter} object} */
  public JsonObject toJson() {
    return json;
  }

  /** True when the other object is a filter with equal JSON. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Filter that && json.equals(that.json);
  }

  /** A hash of the JSON. */
  @Override
  public int hashCode() {
    return json.hashCode();
  }

  /** The filter's JSON. */
  @Override
  public String toString() {
    return "Filter" + json;
  }

  /** Builds a {@link Filter}. Each setter replaces one field; unset fields are left to the server. */
  public static final class Builder {
    private JsonObject json;

    private Builder(JsonObject json) {
      this.json = json;
    }

    private JsonObject section(String... path) {
      JsonObject current = json;
      for (String key : path) {
        current = current.getObjectOrEmpty(key);
      }
      return current;
    }

    private Builder set(String[] path, String key, Object value) {
      JsonObject leaf = section(path);
      JsonObject.Builder b = leaf.toBuilder();
      if (value instanceof Long l) {
        b.put(key, l.longValue());
      } else if (value instanceof Boolean bool) {
        b.put(key, bool.booleanValue());
      } else if (value instanceof String s) {
        b.put(key, s);
      } else if (value instanceof JsonArray a) {
        b.put(key, a);
      }
      JsonObject updated = b.build();
      for (int i = path.length - 1; i >= 0; i--) {
        updated = section(Arrays.copyOf(path, i)).with(path[i], updated);
      }
      json = updated;
      return this;
    }

    private static JsonArray strings(Collection<String> values, String name) {
      if (values == null) {
        throw new IllegalArgumentException(name + " must not be null");
      }
      for (String value : values) {
        if (value == null || value.isEmpty()) {
          throw new IllegalArgumentException(name + " must not contain null or empty entries");
        }
      }
      return JsonArray.ofStrings(values);
    }

    private static final String[] ROOM = {"room"};
    private static final String[] TIMELINE = {"room", "timeline"};
    private static final String[] STATE = {"room", "state"};
    private static final String[] EPHEMERAL = {"room", "ephemeral"};
    private static final String[] ROOM_ACCOUNT_DATA = {"room", "account_data"};
    private static final String[] PRESENCE = {"presence"};
    private static final String[] ACCOUNT_DATA = {"account_data"};
    private static final String[] TOP = {};

    /**
     * The most timeline events per room in one sync ({@code room.timeline.limit}).
     *
     * @param limit the limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder timelineLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("timelineLimit must be at least 1, was: " + limit);
      }
      return set(TIMELINE, "limit", (long) limit);
    }

    /**
     * Only these event types in timelines ({@code room.timeline.types}; {@code *} wildcards
     * allowed).
     *
     * @param types the event types; null or an empty entry is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder timelineTypes(Collection<String> types) {
      return set(TIMELINE, "types", strings(types, "timelineTypes"));
    }

    /**
     * No events of these types in timelines ({@code room.timeline.not_types}).
     *
     * @param types the event types; null or an empty entry is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder timelineNotTypes(Collection<String> types) {
      return set(TIMELINE, "not_types", strings(types, "timelineNotTypes"));
    }

    /**
     * Only these state event types ({@code room.state.types}).
     *
     * @param types the event types; null or an empty entry is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder stateTypes(Collection<String> types) {
      return set(STATE, "types", strings(types, "stateTypes"));
    }

    /**
     * No state events of these types ({@code room.state.not_types}).
     *
     * @param types the event types; null or an empty entry is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder stateNotTypes(Collection<String> types) {
      return set(STATE, "not_types", strings(types, "stateNotTypes"));
    }

    /**
     * Only these rooms ({@code room.rooms}).
     *
     * @param roomIds the room ids; null or an empty entry is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder rooms(Collection<String> roomIds) {
      return set(ROOM, "rooms", strings(roomIds, "rooms"));
    }

    /**
     * Not these rooms ({@code room.not_rooms}).
     *
     * @param roomIds the room ids; null or an empty entry is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder notRooms(Collection<String> roomIds) {
      return set(ROOM, "not_rooms", strings(roomIds, "notRooms"));
    }

    /**
     * Whether left rooms are included ({@code room.include_leave}; the server's default is false).
     *
     * @param include true to include the rooms the user left
     * @return this builder
     */
    public Builder includeLeave(boolean include) {
      return set(ROOM, "include_leave", include);
    }

    /**
     * Lazy-loads room members ({@code room.state.lazy_load_members}): the server sends only the
     * members needed to show the timeline. {@code /sync} supports it on {@code state} only.
     *
     * @param lazy true to lazy-load members
     * @return this builder
     */
    public Builder lazyLoadMembers(boolean lazy) {
      return set(STATE, "lazy_load_members", lazy);
    }

    /**
     * Per-thread unread counts ({@code room.timeline.unread_thread_notifications}).
     *
     * @param enabled true to have the counts split by thread
     * @return this builder
     */
    public Builder unreadThreadNotifications(boolean enabled) {
      return set(TIMELINE, "unread_thread_notifications", enabled);
    }

    /**
     * Only these ephemeral event types ({@code room.ephemeral.types}, e.g. {@code m.typing}, {@code
     * m.receipt}).
     *
     * @param types the event types; null or an empty entry is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder ephemeralTypes(Collection<String> types) {
      return set(EPHEMERAL, "types", strings(types, "ephemeralTypes"));
    }

    /**
     * Only these room account data types ({@code room.account_data.types}).
     *
     * @param types the account data types; null or an empty entry is an {@link
     *     IllegalArgumentException}
     * @return this builder
     */
    public Builder roomAccountDataTypes(Collection<String> types) {
      return set(ROOM_ACCOUNT_DATA, "types", strings(types, "roomAccountDataTypes"));
    }

    /**
     * Only these global account data types ({@code account_data.types}).
     *
     * @param types the account data types; null or an empty entry is an {@link
     *     IllegalArgumentException}
     * @return this builder
     */
    public Builder accountDataTypes(Collection<String> types) {
      return set(ACCOUNT_DATA, "types", strings(types, "accountDataTypes"));
    }

    /**
     * Only these presence event types ({@code presence.types}).
     *
     * @param types the presence event types; null or an empty entry is an {@link
     *     IllegalArgumentException}
     * @return this builder
     */
    public Builder presenceTypes(Collection<String> types) {
      return set(PRESENCE, "types", strings(types, "presenceTypes"));
    }

    /**
     * No presence events at all ({@code presence.not_types: ["*"]}).
     *
     * @return this builder
     */
    public Builder noPresence() {
      return set(PRESENCE, "not_types", JsonArray.ofStrings(List.of("*")));
    }

    /**
     * Only these event fields ({@code event_fields}, dotted paths such as {@code content.body}).
     *
     * @param fields the field paths; null or an empty entry is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder eventFields(Collection<String> fields) {
      return set(TOP, "event_fields", strings(fields, "eventFields"));
    }

    /** {@return the filter built so far} */
    public Filter build() {
      return new Filter(json);
    }
  }
}
