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

  /** Validates and copies the fields. */
  public Reaction {
    Objects.requireNonNull(key, "key");
    senderIds = List.copyOf(senderIds);
  }

  /** How many users reacted with this key. */
  public int count() {
    return senderIds.size();
  }

  /** True when {@code userId} reacted with this key. */
  public boolean includes(String userId) {
    return senderIds.contains(userId);
  }
}
