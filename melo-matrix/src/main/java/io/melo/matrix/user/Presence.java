package io.melo.matrix.user;

/**
 * A user's presence ({@code GET /presence/{userId}/status}).
 *
 * @param presence {@link #ONLINE}, {@link #OFFLINE}, {@link #UNAVAILABLE}, or an unknown value as sent
 * @param lastActiveAgoMs milliseconds since the user was last active, or null
 * @param statusMsg the status message, or null
 * @param currentlyActive whether the user is active now, or null
 */
public record Presence(String presence, Long lastActiveAgoMs, String statusMsg, Boolean currentlyActive) {

  /** {@code online}. */
  public static final String ONLINE = "online";
  /** {@code offline}. */
  public static final String OFFLINE = "offline";
  /** {@code unavailable}. */
  public static final String UNAVAILABLE = "unavailable";
}
