package io.melo.core;

import java.util.Objects;
import java.util.Optional;

/**
 * The user may not do this: a Melo rule forbids it (checked before any request is sent) or the
 * homeserver refused it for lack of power ({@code M_FORBIDDEN}). Its message names the action, the
 * user and what they lacked, for example {@code "renaming a channel needs MODERATOR; @bob:hs is
 * GUEST"}.
 */
public final class RuleViolationException extends MeloException {

  private static final long serialVersionUID = 1L;

  /** Which rule was broken. */
  public enum Rule {
    /** The action needs a higher role than the user holds. */
    ROLE_REQUIRED,
    /** Only the server's owner may do this. */
    OWNER_ONLY,
    /** Nobody may do this to themself (change their own role, kick themself). */
    NOT_ON_SELF,
    /** Only the message's author may do this. */
    AUTHOR_ONLY,
    /** The name is reserved ({@code general}). */
    NAME_RESERVED,
    /** The owner may not leave their own server; they delete it. */
    OWNER_CANNOT_LEAVE,
    /**
     * Only a user of the owner's homeserver may do this: the server's invite alias lives there,
     * and a homeserver lists and creates aliases of its own users only (regenerating an invite).
     */
    OWNERS_HOMESERVER_ONLY,
    /** The homeserver refused the request for lack of power ({@code M_FORBIDDEN}). */
    HOMESERVER_REFUSED,
    /**
     * The room is end-to-end encrypted (its state has {@code m.room.encryption}, as rooms and
     * direct chats Element creates do) and Melo cannot encrypt: nothing is sent there, since the
     * other members' clients expect only ciphertext and a message in clear would be stored and
     * served readable. Checked before any request, against the room's state as this client's sync
     * has shown it (as every Matrix client decides), or as the homeserver has it when the sync cache
     * is not current; encryption switched on by another client becomes known with the sync that
     * carries it. See {@link Conversation#encrypted()}.
     */
    ROOM_ENCRYPTED
  }

  /** Which rule was broken. */
  private final Rule rule;
  /** The user who tried. */
  private final String userId;
  /** The role the action needs, or null when the rule is not about roles. */
  private final Role requiredRole;
  /** The role the user holds, or null when unknown or not relevant. */
  private final Role actualRole;

  /**
   * Creates a violation.
   *
   * @param rule the rule broken
   * @param message what was refused and why; never contains a secret
   * @param userId the user who tried
   * @param requiredRole the role the action needs, or null when the rule is not about roles
   * @param actualRole the role the user holds, or null when unknown or not relevant
   * @param cause the homeserver's refusal, or null when Melo refused before sending
   */
  public RuleViolationException(
      Rule rule, String message, String userId, Role requiredRole, Role actualRole, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.rule = Objects.requireNonNull(rule, "rule");
    this.userId = Objects.requireNonNull(userId, "userId");
    this.requiredRole = requiredRole;
    this.actualRole = actualRole;
  }

  /**
   * {@return an exception saying the action needs {@code required} and the user holds only {@code
   * actual}: rule {@link Rule#ROLE_REQUIRED}, message {@code "<action> needs <required>; <userId>
   * is <actual>"}}
   *
   * @param action what the user tried, such as {@code "creating a channel"}
   * @param required the role the action needs
   * @param userId the user who tried
   * @param actual the role the user holds
   */
  public static RuleViolationException needsRole(
      String action, Role required, String userId, Role actual) {
    return new RuleViolationException(
        Rule.ROLE_REQUIRED,
        action + " needs " + required + "; " + userId + " is " + actual,
        userId,
        required,
        actual,
        null);
  }

  /** {@return the rule broken} */
  public Rule rule() {
    return rule;
  }

  /** {@return the user who tried} */
  public String userId() {
    return userId;
  }

  /** {@return the role the action needs, when the rule is about roles} */
  public Optional<Role> requiredRole() {
    return Optional.ofNullable(requiredRole);
  }

  /** {@return the role the user holds, when known and relevant} */
  public Optional<Role> actualRole() {
    return Optional.ofNullable(actualRole);
  }

  /**
   * {@return true when the homeserver refused (the request was sent); false when Melo refused
   * before sending}
   */
  public boolean refusedByHomeserver() {
    return rule == Rule.HOMESERVER_REFUSED;
  }
}
