package io.melo.core;

import java.util.List;
import java.util.Objects;

/**
 * One reaction key on a message and who reacted with it, in the order they reacted. Each user
 * counts once per key.
 *
 * @param key the reaction, usually an emoji
 * @param senderIds the users who reacted with it
 */
public record Reaction(String key, List<String> senderIds) {

  /**
   * Validates and copies the fields.
   *
   * @param key the reaction, usually an emoji
   * @param senderIds the users who reacted with it
   */
  public Reaction {
    Objects.requireNonNull(key, "key");
    senderIds = List.copyOf(senderIds);
  }

  /** {@return how many users reacted with this key} */
  public int count() {
    return senderIds.size();
  }

  /**
   * {@return true when {@code userId} reacted with this key}
   *
   * @param userId the user's id
   */
  public boolean includes(String userId) {
    return senderIds.contains(userId);
  }
}
