package io.melo.core.internal;

import io.melo.matrix.event.CreateContent;
import io.melo.matrix.event.EventTypes;
import io.melo.matrix.event.PowerLevelsContent;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.sync.JoinedRoomMember;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One room's current state, indexed by type and state key. Each state event is kept as a small
 * {@link Entry} (id, sender, time, content): the domain reads nothing else of a state event, so its
 * {@code unsigned} data and the rest of the tree it was parsed from are not kept. A member event
 * whose content is only {@code membership}, {@code displayname} and {@code avatar_url} strings (the
 * usual case, and most of a room's state) keeps those three strings instead of a JSON tree; its
 * {@link Entry#content()} is rebuilt from them (same fields and values; key order is not kept, as
 * JSON objects are unordered). The sync cache holds one of these per joined room, so its size is
 * what a large account costs in memory. Not API.
 */
public final class RoomState {

  /** One state event as the domain keeps it: id, sender, time and content. */
  public static final class Entry {
    private final String eventId;
    private final String sender;
    private final long originServerTs;
    /** The content; null for a compact member, whose three fields are below. */
    private final JsonObject content;
    private final String membership;
    private final String displayname;
    private final String avatarUrl;

    /** An entry holding its content as given. */
    public Entry(String eventId, String sender, long originServerTs, JsonObject content) {
      this(eventId, sender, originServerTs, content, null, null, null);
    }

    private Entry(String eventId, String sender, long originServerTs, JsonObject content, String membership,
        String displayname, String avatarUrl) {
      this.eventId = eventId;
      this.sender = sender;
      this.originServerTs = originServerTs;
      this.content = content;
      this.membership = membership;
      this.displayname = displayname;
      this.avatarUrl = avatarUrl;
    }

    /**
     * An entry for a state event's content: a member content made only of string
     * {@code membership}, {@code displayname} and {@code avatar_url} is kept as those strings.
     */
    static Entry of(String eventId, String sender, long originServerTs, String type, JsonObject content) {
      if (EventTypes.MEMBER.equals(type) && content.size() <= 3) {
        String membership = content.getStringOrNull("membership");
        String displayname = content.getStringOrNull("displayname");
        String avatarUrl = content.getStringOrNull("avatar_url");
        int fields = (membership != null ? 1 : 0) + (displayname != null ? 1 : 0) + (avatarUrl != null ? 1 : 0);
        if (membership != null && fields == content.size()) {
          return new Entry(eventId, sender, originServerTs, null, membership, displayname, avatarUrl);
        }
      }
      return new Entry(eventId, sender, originServerTs, content);
    }

    /** The event id (to recognise the same event sent twice). */
    public String eventId() {
      return eventId;
    }

    /** Who sent the event. */
    public String sender() {
      return sender;
    }

    /** When it was sent, in epoch milliseconds. */
    public long originServerTs() {
      return originServerTs;
    }

    /** The event's content (rebuilt for a compact member entry). */
    public JsonObject content() {
      if (content != null) {
        return content;
      }
      JsonObject.Builder b = JsonObject.builder().put("membership", membership);
      if (displayname != null) {
        b.put("displayname", displayname);
      }
      if (avatarUrl != null) {
        b.put("avatar_url", avatarUrl);
      }
      return b.build();
    }

    /** The content's {@code membership} string, or null. */
    String membership() {
      return content == null ? membership : content.getStringOrNull("membership");
    }

    @Override
    public String toString() {
      return "Entry[" + eventId + " from " + sender + " at " + originServerTs + ": " + content().toJson() + "]";
    }
  }

  private final String roomId;
  private final Map<String, Map<String, Entry>> byType = new HashMap<>();
  /** The create event's {@code type} (such as {@code m.space}); null when none or not a string. */
  private String createType;

  /** The state of {@code roomId} from its state events (later events replace earlier ones). */
  public RoomState(String roomId, List<RoomEvent> events) {
    this.roomId = roomId;
    events.forEach(this::apply);
  }

  /** An empty state of {@code roomId}, filled by {@link #apply}. */
  public RoomState(String roomId) {
    this.roomId = roomId;
  }

  /** Applies one state event; a message event (no state key) is ignored. */
  public void apply(RoomEvent event) {
    apply(event, UnaryOperator.identity());
  }

  /**
   * Applies one state event, keeping its sender as {@code senders} maps it (a cache of many rooms
   * passes one shared copy of each sender: the few admins who send most state of many rooms).
   */
  void apply(RoomEvent event, UnaryOperator<String> senders) {
    String stateKey = event.stateKey();
    if (stateKey == null) {
      return;
    }
    String type = event.type();
    String sender = event.sender();
    // A member's own join, leave or profile change is sent by the member: one string, not two.
    sender = sender.equals(stateKey) ? stateKey : senders.apply(sender);
    put(type, stateKey, Entry.of(event.eventId(), sender, event.originServerTs(), type, event.content()));
  }

  /**
   * Applies one plain member event that came compactly (content: {@code membership} and the
   * optional {@code displayname} and {@code avatar_url}), as {@link #apply(RoomEvent, UnaryOperator)}
   * applies the same event as a {@link RoomEvent}: the same entry results.
   */
  void applyMember(JoinedRoomMember member, UnaryOperator<String> senders) {
    String stateKey = member.userId();
    String sender = member.sender();
    sender = sender.equals(stateKey) ? stateKey : senders.apply(sender);
    put(EventTypes.MEMBER, stateKey, new Entry(member.eventId(), sender, member.originServerTs(), null,
        member.membership(), member.displayname(), member.avatarUrl()));
  }

  /** Counts the changes of this state, so that a value derived from it knows when it is stale. */
  private int version;
  /** A value derived from this state at {@link #memoVersion} (the sorted members of a space), or null. */
  private Object memo;
  private int memoVersion;

  /** How many times this state has changed: a derived value is current while this stays the same. */
  int version() {
    return version;
  }

  /** The value last stored with {@link #memo(int, Object)}, when the state has not changed since; else null. */
  Object memo() {
    return memo != null && memoVersion == version ? memo : null;
  }

  /** Keeps {@code value}, derived from this state at {@code atVersion}, unless the state changed since. */
  void memo(int atVersion, Object value) {
    if (atVersion == version) {
      memo = value;
      memoVersion = atVersion;
    }
  }

  private void put(String type, String stateKey, Entry entry) {
    version++;
    memo = null;
    Map<String, Entry> keys = byType.get(type);
    if (keys == null) {
      keys = new LinkedHashMap<>(EventTypes.MEMBER.equals(type) ? 16 : 2);
      byType.put(type, keys);
    }
    keys.put(stateKey, entry);
    if (stateKey.isEmpty() && EventTypes.CREATE.equals(type)) {
      createType = CreateContent.from(entry.content()).type();
    }
  }

  /** Removes one state entry (used to roll the state back to before an event that created it). */
  public void remove(String type, String stateKey) {
    version++;
    memo = null;
    Map<String, Entry> keys = byType.get(type);
    if (keys != null) {
      keys.remove(stateKey);
      if (keys.isEmpty()) {
        byType.remove(type);
      }
    }
    if (stateKey.isEmpty() && EventTypes.CREATE.equals(type)) {
      createType = null;
    }
  }

  /** The room id. */
  public String roomId() {
    return roomId;
  }

  /** The entry of a type and state key, if present. */
  public Optional<Entry> event(String type, String stateKey) {
    return Optional.ofNullable(entry(type, stateKey));
  }

  /** The entry of a type and state key, or null when absent. */
  public Entry entry(String type, String stateKey) {
    Map<String, Entry> keys = byType.get(type);
    return keys == null ? null : keys.get(stateKey);
  }

  /** The content of a type and state key; empty object when absent. */
  public JsonObject content(String type, String stateKey) {
    Entry entry = entry(type, stateKey);
    return entry == null ? JsonObject.EMPTY : entry.content();
  }

  /** The content of a type with the empty state key; empty object when absent. */
  public JsonObject content(String type) {
    return content(type, "");
  }

  /** Every entry of a type, by state key, in the order they were first set (read-only view). */
  public Map<String, Entry> events(String type) {
    Map<String, Entry> keys = byType.get(type);
    return keys == null ? Map.of() : java.util.Collections.unmodifiableMap(keys);
  }

  /** True when the create event says this room is a space ({@code type: m.space}). */
  public boolean isSpace() {
    return CreateContent.SPACE.equals(createType);
  }

  /** The room's power levels. */
  public PowerLevelsContent powerLevels() {
    return PowerLevelsContent.from(content(EventTypes.POWER_LEVELS));
  }

  /** When the room was created (its create event), or the epoch when unknown. */
  public Instant createdAt() {
    Entry create = entry(EventTypes.CREATE, "");
    return create == null ? Instant.EPOCH : Instant.ofEpochMilli(create.originServerTs());
  }

  /** The room's creator (sender of its create event), if known. */
  public Optional<String> creator() {
    return event(EventTypes.CREATE, "").map(Entry::sender);
  }

  /** The membership of a user ({@code join}, {@code leave}, ...), if any. */
  public Optional<String> membership(String userId) {
    Entry member = entry(EventTypes.MEMBER, userId);
    return member == null ? Optional.empty() : Optional.ofNullable(member.membership());
  }

  /**
   * A copy of this state that later changes to this one do not reach (entries are immutable and
   * shared): lets a caller use a cached room outside the cache lock.
   */
  RoomState copy() {
    RoomState copy = new RoomState(roomId);
    byType.forEach((type, keys) -> copy.byType.put(type, new LinkedHashMap<>(keys)));
    copy.createType = createType;
    return copy;
  }
}
