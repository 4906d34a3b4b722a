package io.melo.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the server an invite code points to. Melo's default looks the code's alias
 * {@code #<ns>.invite.<code>:<server>} up on the homeserver, which needs no extra service but
 * is not a gate (anyone who learns the space's room id can join it). An app with its own backend
 * can plug in a stricter scheme with {@link MeloConfig.Builder#inviteResolver(InviteResolver)}.
 *
 * <p>Runs on the thread of the joining call and may block; it must not call back into the same
 * client's blocking operations.
 */
@FunctionalInterface
public interface InviteResolver {

  /**
   * {@return the space the code points to, or empty when it points nowhere (the join then fails
   * with {@link NotFoundException})}
   *
   * @param invite the code to resolve
   * @throws MeloException when the lookup itself failed
   */
  Optional<Target> resolve(InviteCode invite);

  /**
   * Where an invite leads.
   *
   * @param spaceId the server's space room id
   * @param via servers to join through; may be empty for a space on this user's homeserver
   */
  record Target(String spaceId, List<String> via) {

    /**
     * Validates and copies the fields.
     *
     * @param spaceId the server's space room id
     * @param via servers to join through; may be empty for a space on this user's homeserver
     */
    public Target {
      Check.roomId(spaceId, "spaceId");
      via = List.copyOf(Objects.requireNonNull(via, "via"));
    }
  }
}
