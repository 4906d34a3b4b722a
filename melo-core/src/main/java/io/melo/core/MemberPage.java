package io.melo.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a server's members: the owner first, then by power level (highest first), then by
 * user id.
 *
 * @param members the members of this page
 * @param nextCursor the cursor of the next page, or empty on the last page
 */
public record MemberPage(List<Member> members, Optional<String> nextCursor) {

  /**
   * Copies the list.
   *
   * @param members the members of this page
   * @param nextCursor the cursor of the next page, or empty on the last page
   */
  public MemberPage {
    members = List.copyOf(members);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
