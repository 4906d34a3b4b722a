package io.melo.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a channel's or conversation's history, newest message first.
 *
 * @param messages the messages of this page, newest first
 * @param nextCursor the cursor of the next (older) page, or empty at the start of the room
 */
public record MessagePage(List<Message> messages, Optional<String> nextCursor) {

  /**
   * Copies the list.
   *
   * @param messages the messages of this page, newest first
   * @param nextCursor the cursor of the next (older) page, or empty at the start of the room
   */
  public MessagePage {
    messages = List.copyOf(messages);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
