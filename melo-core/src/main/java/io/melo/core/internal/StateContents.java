package io.melo.core.internal;

import io.melo.core.ChannelType;
import io.melo.core.PrivateProfile;
import io.melo.matrix.json.JsonArray;
import io.melo.matrix.json.JsonNumber;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonString;
import io.melo.matrix.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The content shapes of Melo's own state and account data ({@code <ns>.server},
 * {@code <ns>.channel}, {@code <ns>.server_deleted} / {@code <ns>.channel_deleted},
 * {@code <ns>.channel_order}, {@code <ns>.profile}), read from and written to melo-matrix's JSON
 * tree. Reading never throws: a missing or wrong-kind field reads as absent. Each value keeps the
 * object it was read from, and writing starts from it, so fields written by another client
 * survive a read-modify-write. Not API.
 */
public final class StateContents {

  private StateContents() {}

  /** A {@code createdAt}-style field: ISO-8601 text, or a number of epoch milliseconds. */
  static Instant instant(JsonObject json, String key) {
    JsonValue value = json.getOrNull(key);
    if (value instanceof JsonString s) {
      return Timestamps.parse(s.value()).orElse(null);
    }
    if (value instanceof JsonNumber n) {
      OptionalLong millis = n.longValue();
      return millis.isPresent() ? Timestamps.fromMillis(millis.getAsLong()) : null;
    }
    return null;
  }

  static JsonObject put(JsonObject json, String key, String value) {
    return value == null ? json : json.with(key, value);
  }

  static JsonObject put(JsonObject json, String key, Instant value) {
    return value == null ? json : json.with(key, Timestamps.format(value));
  }

  /**
   * {@code <ns>.server} in the space: {@code {inviteCode, ownerId, createdAt}}.
   *
   * @param inviteCode the current invite code, or null
   * @param ownerId the owner, or null when missing (a server without owner is not usable)
   * @param createdAt when the server was created, or null
   * @param source the object this was read from ({@link JsonObject#EMPTY} for a new one)
   */
  public record Server(String inviteCode, String ownerId, Instant createdAt, JsonObject source) {

    /** Checks the source is present. */
    public Server {
      Objects.requireNonNull(source, "source");
    }

    /** A new server's content. */
    public static Server of(String inviteCode, String ownerId, Instant createdAt) {
      return new Server(inviteCode, ownerId, createdAt, JsonObject.EMPTY);
    }

    /** Reads the content; never throws. */
    public static Server from(JsonObject json) {
      return new Server(json.getStringOrNull("inviteCode"), json.getStringOrNull("ownerId"), instant(json, "createdAt"), json);
    }

    /** The same content with a new invite code; every other field kept. */
    public Server withInviteCode(String code) {
      return new Server(Objects.requireNonNull(code, "code"), ownerId, createdAt, source);
    }

    /** True when the owner is a user id: without it, Melo cannot apply its rules. */
    public boolean hasOwner() {
      return ownerId != null && ownerId.startsWith("@");
    }

    /** The content as JSON, starting from {@link #source()}. */
    public JsonObject toJson() {
      return put(put(put(source, "inviteCode", inviteCode), "ownerId", ownerId), "createdAt", createdAt);
    }
  }

  /**
   * {@code <ns>.channel} in a channel: {@code {type, creatorId, createdAt}}.
   *
   * @param type the channel type as stored ({@code TEXT}, {@code AUDIO}, {@code VIDEO} or unknown), or null
   * @param creatorId who created the channel, or null
   * @param createdAt when, or null
   * @param source the object this was read from
   */
  public record Channel(String type, String creatorId, Instant createdAt, JsonObject source) {

    /** Checks the source is present. */
    public Channel {
      Objects.requireNonNull(source, "source");
    }

    /** A new channel's content. */
    public static Channel of(ChannelType type, String creatorId, Instant createdAt) {
      return new Channel(type.name(), creatorId, createdAt, JsonObject.EMPTY);
    }

    /** Reads the content; never throws. */
    public static Channel from(JsonObject json) {
      return new Channel(json.getStringOrNull("type"), json.getStringOrNull("creatorId"), instant(json, "createdAt"), json);
    }

    /** The type; a missing or unknown one reads as TEXT, the type every client can show. */
    public ChannelType channelType() {
      return type == null ? ChannelType.TEXT : ChannelType.fromWireName(type).orElse(ChannelType.TEXT);
    }

    /** The content as JSON, starting from {@link #source()}. */
    public JsonObject toJson() {
      return put(put(put(source, "type", type), "creatorId", creatorId), "createdAt", createdAt);
    }
  }

  /**
   * {@code <ns>.server_deleted} or {@code <ns>.channel_deleted}: {@code {deletedBy, deletedAt}}.
   *
   * @param deletedBy who deleted it, or null
   * @param deletedAt when, or null
   * @param source the object this was read from
   */
  public record Deletion(String deletedBy, Instant deletedAt, JsonObject source) {

    /** Checks the source is present. */
    public Deletion {
      Objects.requireNonNull(source, "source");
    }

    /** A new deletion marker. */
    public static Deletion of(String deletedBy, Instant deletedAt) {
      return new Deletion(deletedBy, deletedAt, JsonObject.EMPTY);
    }

    /**
     * Reads the content; never throws. An empty object (how state is "removed" in Matrix) is not
     * a deletion: see {@link #isDeletion()}.
     */
    public static Deletion from(JsonObject json) {
      return new Deletion(json.getStringOrNull("deletedBy"), instant(json, "deletedAt"), json);
    }

    /** True unless the content is empty: any non-empty marker hides the server or channel. */
    public boolean isDeletion() {
      return !source.isEmpty() || deletedBy != null;
    }

    /** The content as JSON, starting from {@link #source()}. */
    public JsonObject toJson() {
      return put(put(source, "deletedBy", deletedBy), "deletedAt", deletedAt);
    }
  }

  /**
   * {@code <ns>.channel_order} in the space: {@code {channels: [{roomId, position}]}}.
   *
   * @param channels the readable entries, in stored order (malformed entries are skipped)
   * @param source the object this was read from
   */
  public record ChannelOrder(List<ChannelOrdering.Entry> channels, JsonObject source) {

    /** Copies the list. */
    public ChannelOrder {
      channels = List.copyOf(channels);
      Objects.requireNonNull(source, "source");
    }

    /** Reads the content; never throws. */
    public static ChannelOrder from(JsonObject json) {
      List<ChannelOrdering.Entry> entries = new ArrayList<>();
      for (JsonObject entry : json.getArrayOrEmpty("channels").objects()) {
        String roomId = entry.getStringOrNull("roomId");
        OptionalLong position = entry.getLong("position");
        if (roomId != null && position.isPresent()) {
          entries.add(new ChannelOrdering.Entry(roomId, position.getAsLong()));
        }
      }
      return new ChannelOrder(entries, json);
    }

    /** The same content with new entries; other top-level fields kept. */
    public ChannelOrder withChannels(List<ChannelOrdering.Entry> newChannels) {
      return new ChannelOrder(newChannels, source);
    }

    /** The content as JSON, starting from {@link #source()}, with {@code channels} replaced. */
    public JsonObject toJson() {
      List<JsonValue> array = new ArrayList<>(channels.size());
      for (ChannelOrdering.Entry entry : channels) {
        array.add(JsonObject.builder().put("roomId", entry.roomId()).put("position", entry.position()).build());
      }
      return source.with("channels", JsonArray.of(array));
    }
  }

  /**
   * {@code <ns>.profile} account data: {@code {email, externalId}}.
   *
   * @param email the e-mail address, or null
   * @param externalId the app's own id of the user, or null
   * @param source the object this was read from
   */
  public record Profile(String email, String externalId, JsonObject source) {

    /** Checks the source is present. */
    public Profile {
      Objects.requireNonNull(source, "source");
    }

    /** Reads the content; never throws. */
    public static Profile from(JsonObject json) {
      return new Profile(json.getStringOrNull("email"), json.getStringOrNull("externalId"), json);
    }

    /** The public value. */
    public PrivateProfile toPrivateProfile() {
      return new PrivateProfile(Optional.ofNullable(email), Optional.ofNullable(externalId));
    }

    /**
     * This content updated from {@code update}: its present fields replace these, its absent
     * fields keep what is stored; every other field kept.
     */
    public Profile updatedWith(PrivateProfile update) {
      return new Profile(update.email().orElse(email), update.externalId().orElse(externalId), source);
    }

    /** The content as JSON, starting from {@link #source()}. */
    public JsonObject toJson() {
      return put(put(source, "email", email), "externalId", externalId);
    }
  }
}
