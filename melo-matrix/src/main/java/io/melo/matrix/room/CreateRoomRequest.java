package io.melo.matrix.room;

import io.melo.matrix.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The body of {@code POST /createRoom}, with every option of the specification. Unset options are
 * left out so the server's defaults apply. Build with {@link #builder()}.
 *
 * @param visibility directory visibility, or null
 * @param roomAliasName the localpart of an alias to create, or null
 * @param name the room name, or null
 * @param topic the topic, or null
 * @param invite users to invite
 * @param roomVersion the room version, or null for the server's default
 * @param creationContent extra {@code m.room.create} content (such as {@code type: m.space}), or null
 * @param initialState state events to send after the preset's
 * @param preset {@link #PRIVATE_CHAT}, {@link #PUBLIC_CHAT}, {@link #TRUSTED_PRIVATE_CHAT} or null
 * @param isDirect whether this is a direct chat, or null
 * @param powerLevelContentOverride power levels applied key by key over the defaults, or null
 */
public record CreateRoomRequest(
    Visibility visibility,
    String roomAliasName,
    String name,
    String topic,
    List<String> invite,
    String roomVersion,
    JsonObject creationContent,
    List<InitialState> initialState,
    String preset,
    Boolean isDirect,
    JsonObject powerLevelContentOverride) {

  /** {@code private_chat}. */
  public static final String PRIVATE_CHAT = "private_chat";
  /** {@code public_chat}. */
  public static final String PUBLIC_CHAT = "public_chat";
  /** {@code trusted_private_chat}. */
  public static final String TRUSTED_PRIVATE_CHAT = "trusted_private_chat";

  /**
   * Copies the lists.
   *
   * @param visibility directory visibility, or null
   * @param roomAliasName the localpart of an alias to create, or null
   * @param name the room name, or null
   * @param topic the topic, or null
   * @param invite users to invite
   * @param roomVersion the room version, or null for the server's default
   * @param creationContent extra {@code m.room.create} content (such as {@code type: m.space}), or
   *     null
   * @param initialState state events to send after the preset's
   * @param preset {@link #PRIVATE_CHAT}, {@link #PUBLIC_CHAT}, {@link #TRUSTED_PRIVATE_CHAT} or
   *     null
   * @param isDirect whether this is a direct chat, or null
   * @param powerLevelContentOverride power levels applied key by key over the defaults, or null
   */
  public CreateRoomRequest {
    invite = invite == null ? List.of() : List.copyOf(invite);
    initialState = initialState == null ? List.of() : List.copyOf(initialState);
  }

  /** {@return a request with no options set} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One state event of {@code initial_state}.
   *
   * @param type the event type
   * @param stateKey the state key (empty for most room state)
   * @param content the content
   */
  public record InitialState(String type, String stateKey, JsonObject content) {
    /**
     * Checks that no part is null.
     *
     * @param type the event type
     * @param stateKey the state key (empty for most room state)
     * @param content the content
     */
    public InitialState {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(stateKey, "stateKey");
      Objects.requireNonNull(content, "content");
    }
  }

  /** Collects options for a {@link CreateRoomRequest}. */
  public static final class Builder {
    private Visibility visibility;
    private String roomAliasName;
    private String name;
    private String topic;
    private final List<String> invite = new ArrayList<>();
    private String roomVersion;
    private JsonObject creationContent;
    private final List<InitialState> initialState = new ArrayList<>();
    private String preset;
    private Boolean isDirect;
    private JsonObject powerLevelContentOverride;

    private Builder() {}

    /**
     * Directory visibility. Default: unset (private).
     *
     * @param visibility {@code PUBLIC} to list the room in the directory, or null for unset
     * @return this builder
     */
    public Builder visibility(Visibility visibility) {
      this.visibility = visibility;
      return this;
    }

    /**
     * The localpart of an alias to create ({@code room_alias_name}). Default: none.
     *
     * @param roomAliasName the localpart, without {@code #} and server name; null for none
     * @return this builder
     */
    public Builder roomAliasName(String roomAliasName) {
      this.roomAliasName = roomAliasName;
      return this;
    }

    /**
     * The room name. Default: none.
     *
     * @param name the name, or null for none
     * @return this builder
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * The topic. Default: none.
     *
     * @param topic the topic, or null for none
     * @return this builder
     */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /**
     * Adds a user to invite.
     *
     * @param userId the user's id; not null
     * @return this builder
     */
    public Builder invite(String userId) {
      this.invite.add(Objects.requireNonNull(userId, "userId"));
      return this;
    }

    /**
     * The room version. Default: the server's.
     *
     * @param roomVersion the version, such as {@code 11}, or null for the server's default
     * @return this builder
     */
    public Builder roomVersion(String roomVersion) {
      this.roomVersion = roomVersion;
      return this;
    }

    /**
     * Extra {@code m.room.create} content. Default: none.
     *
     * @param creationContent the extra fields, or null for none
     * @return this builder
     */
    public Builder creationContent(JsonObject creationContent) {
      this.creationContent = creationContent;
      return this;
    }

    /**
     * Adds an initial state event.
     *
     * @param type the event type; not null
     * @param stateKey the state key, empty for most room state; not null
     * @param content the event content; not null
     * @return this builder
     */
    public Builder initialState(String type, String stateKey, JsonObject content) {
      this.initialState.add(new InitialState(type, stateKey, content));
      return this;
    }

    /**
     * The preset. Default: derived by the server from the visibility.
     *
     * @param preset {@link CreateRoomRequest#PRIVATE_CHAT}, {@link CreateRoomRequest#PUBLIC_CHAT},
     *     {@link CreateRoomRequest#TRUSTED_PRIVATE_CHAT}, or null
     * @return this builder
     */
    public Builder preset(String preset) {
      this.preset = preset;
      return this;
    }

    /**
     * Whether this is a direct chat. Default: unset (false).
     *
     * @param isDirect true for a direct chat
     * @return this builder
     */
    public Builder isDirect(boolean isDirect) {
      this.isDirect = isDirect;
      return this;
    }

    /**
     * Power levels applied key by key over the server's defaults. Default: none.
     *
     * @param override the power-level keys to override, or null for none
     * @return this builder
     */
    public Builder powerLevelContentOverride(JsonObject override) {
      this.powerLevelContentOverride = override;
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     */
    public CreateRoomRequest build() {
      return new CreateRoomRequest(visibility, roomAliasName, name, topic, invite, roomVersion,
          creationContent, initialState, preset, isDirect, powerLevelContentOverride);
    }
  }
}
