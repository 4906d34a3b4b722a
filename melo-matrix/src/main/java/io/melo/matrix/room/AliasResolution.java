package io.melo.matrix.room;

import java.util.List;

/**
 * The answer of {@code GET /directory/room/{roomAlias}}.
 *
 * @param roomId the room the alias points to
 * @param servers servers that know the room, to pass as {@code via} when joining
 */
public record AliasResolution(String roomId, List<String> servers) {

  /**
   * Copies the list.
   *
   * @param roomId the room the alias points to
   * @param servers servers that know the room, to pass as {@code via} when joining
   */
  public AliasResolution {
    servers = List.copyOf(servers);
  }
}
