package io.melo.core.internal;

import io.melo.core.Channel;
import io.melo.core.Role;
import io.melo.core.RuleViolationException;
import io.melo.core.RuleViolationException.Rule;
import java.util.Locale;
import java.util.Objects;

/**
 * The rules Melo carries over from the app it replaces (DESIGN.md, "Rules carried over"), checked
 * before any request so the user gets a clear {@link RuleViolationException}. The homeserver's
 * power levels stay the final word. Not API.
 */
public final class Rules {

  private Rules() {}

  /** The action needs {@code required}; {@code userId} holds {@code powerLevel}. */
  public static void requireRole(String action, Role required, String userId, long powerLevel) {
    Role actual = Role.fromPowerLevel(powerLevel);
    if (!actual.isAtLeast(required)) {
      throw RuleViolationException.needsRole(action, required, userId, actual);
    }
  }

  /** Creating, renaming, reordering or deleting channels needs MODERATOR or higher. */
  public static void requireChannelManager(String action, String userId, long powerLevel) {
    requireRole(action, Role.MODERATOR, userId, powerLevel);
  }

  /** Updating or deleting the server and regenerating its invite code need ADMIN. */
  public static void requireAdmin(String action, String userId, long powerLevel) {
    requireRole(action, Role.ADMIN, userId, powerLevel);
  }

  /** Only the owner changes roles or removes members. */
  public static void requireOwner(String action, String userId, String ownerId) {
    if (!userId.equals(ownerId)) {
      throw new RuleViolationException(
          Rule.OWNER_ONLY,
          action + " is only for the server's owner " + ownerId + "; " + userId + " is not",
          userId,
          null,
          null,
          null);
    }
  }

  /**
   * The invite alias lives on the owner's homeserver, which lists ({@code GET /rooms/{id}/aliases})
   * and creates aliases for its own users only: an ADMIN on another homeserver could neither delete
   * the old alias nor create the new one, and would leave the invite half changed.
   */
  public static void requireOwnersHomeserver(String action, String userId, String ownerId) {
    String mine = serverOf(userId);
    String owners = serverOf(ownerId);
    if (!mine.equals(owners)) {
      throw new RuleViolationException(
          Rule.OWNERS_HOMESERVER_ONLY,
          action + " is only for users of the owner's homeserver " + owners + ", where its alias lives; "
              + userId + " is on " + mine,
          userId,
          null,
          null,
          null);
    }
  }

  private static String serverOf(String userId) {
    int colon = userId.indexOf(':');
    return colon < 0 ? userId : userId.substring(colon + 1);
  }

  /** Nobody changes their own role or kicks themself. */
  public static void requireNotSelf(String action, String userId, String targetId) {
    if (userId.equals(targetId)) {
      throw new RuleViolationException(
          Rule.NOT_ON_SELF, action + ": " + userId + " cannot do this to themself", userId, null, null, null);
    }
  }

  /** A role change: the owner only, never on themself. */
  public static void requireCanChangeRole(String userId, String ownerId, String targetId) {
    requireOwner("changing a member's role", userId, ownerId);
    requireNotSelf("changing a member's role", userId, targetId);
  }

  /** A kick or ban: the owner only, never on themself. */
  public static void requireCanRemoveMember(String action, String userId, String ownerId, String targetId) {
    requireOwner(action, userId, ownerId);
    requireNotSelf(action, userId, targetId);
  }

  /**
   * Strips what a user sees as blank from both ends of a name: Unicode white space, space
   * separators such as the no-break space U+00A0 (which {@link String#trim()} and even
   * {@code String.strip()} keep) and invisible format characters such as the zero-width space, so
   * {@code "general\u00A0"} is the name {@code "general"}.
   *
   * @param text the text as given
   * @return the text without such characters at either end; empty when it holds nothing else
   */
  public static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && blank(text.charAt(start))) {
      start++;
    }
    while (end > start && blank(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  private static boolean blank(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT;
  }

  /**
   * A name for a new or renamed channel: not blank, and not {@code general} (in any case), which
   * every server already has.
   *
   * @param name the name the app asked for
   * @param userId the acting user, for the exception
   * @return the name, stripped of surrounding white space (see {@link #strip})
   */
  public static String requireChannelName(String name, String userId) {
    Objects.requireNonNull(name, "name");
    String stripped = strip(name);
    if (stripped.isEmpty()) {
      throw new IllegalArgumentException("channel name must not be blank");
    }
    if (stripped.toLowerCase(Locale.ROOT).equals(Channel.GENERAL)) {
      throw new RuleViolationException(
          Rule.NAME_RESERVED,
          "the channel name \"" + Channel.GENERAL + "\" is reserved for the channel every server starts with",
          userId,
          null,
          null,
          null);
    }
    return stripped;
  }

  /** The {@code general} channel is neither renamed nor deleted, as in the app Melo replaces. */
  public static void requireNotGeneral(String action, Channel channel, String userId) {
    if (channel.isGeneral()) {
      throw new RuleViolationException(
          Rule.NAME_RESERVED,
          action + ": the \"" + Channel.GENERAL + "\" channel stays as long as its server",
          userId,
          null,
          null,
          null);
    }
  }

  /** A message is edited only by its author. */
  public static void requireCanEdit(String userId, String authorId) {
    if (!userId.equals(authorId)) {
      throw new RuleViolationException(
          Rule.AUTHOR_ONLY,
          "editing a message is only for its author " + authorId + "; " + userId + " is not",
          userId,
          null,
          null,
          null);
    }
  }

  /**
   * A message is deleted by its author, or by a MODERATOR or higher. {@code powerLevel} is the
   * user's level in the message's room; in a conversation, pass the author check only.
   */
  public static void requireCanDelete(String userId, String authorId, long powerLevel) {
    if (!userId.equals(authorId)) {
      requireRole("deleting another user's message", Role.MODERATOR, userId, powerLevel);
    }
  }

  /**
   * The owner cannot leave their own server; they delete it. Once it is deleted ({@code
   * serverDeleted}), there is nothing left to protect and the owner may leave too.
   */
  public static void requireCanLeave(String userId, String ownerId, boolean serverDeleted) {
    if (userId.equals(ownerId) && !serverDeleted) {
      throw new RuleViolationException(
          Rule.OWNER_CANNOT_LEAVE,
          "the owner " + userId + " cannot leave their own server; delete it instead",
          userId,
          null,
          null,
          null);
    }
  }
}
