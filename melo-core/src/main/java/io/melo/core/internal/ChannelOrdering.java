package io.melo.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A server's channel order: the positions in the space's {@code <ns>.channel_order} state first,
 * then the channels it does not list, by creation time (then room id, so the order is total).
 * Entries for rooms that are not channels of the server are ignored; a room listed twice keeps
 * its first entry. Not API.
 */
public final class ChannelOrdering {

  private ChannelOrdering() {}

  /**
   * One entry of {@code <ns>.channel_order}.
   *
   * @param roomId the channel
   * @param position its position; lower comes first
   */
  public record Entry(String roomId, long position) {
    /** Checks the room id is present. */
    public Entry {
      Objects.requireNonNull(roomId, "roomId");
    }
  }

  /**
   * A channel of the server, as ordering needs it.
   *
   * @param roomId the channel
   * @param createdAt when it was created
   */
  public record Child(String roomId, Instant createdAt) {
    /** Checks the fields are present. */
    public Child {
      Objects.requireNonNull(roomId, "roomId");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  /** The room ids of {@code children} in display order under {@code order}. */
  public static List<String> order(List<Child> children, List<Entry> order) {
    Map<String, Long> positions = new HashMap<>();
    for (Entry entry : order) {
      positions.putIfAbsent(entry.roomId(), entry.position());
    }
    List<Child> listed = new ArrayList<>();
    List<Child> unlisted = new ArrayList<>();
    for (Child child : children) {
      (positions.containsKey(child.roomId()) ? listed : unlisted).add(child);
    }
    Comparator<Child> byCreation =
        Comparator.comparing(Child::createdAt).thenComparing(Child::roomId);
    listed.sort(
        Comparator.<Child>comparingLong(child -> positions.get(child.roomId())).thenComparing(byCreation));
    unlisted.sort(byCreation);
    List<String> result = new ArrayList<>(children.size());
    listed.forEach(child -> result.add(child.roomId()));
    unlisted.forEach(child -> result.add(child.roomId()));
    return result;
  }

  /**
   * The new {@code <ns>.channel_order} entries when the app asks for {@code requested} first:
   * the requested channels take positions 0, 1, ...; the channels it did not mention follow in
   * their current order.
   *
   * @param current the channels in their current display order
   * @param requested the channels the app wants first, in that order
   * @throws IllegalArgumentException naming the ids that are not channels of the server or are
   *     listed twice
   */
  public static List<Entry> reorder(List<String> current, List<String> requested) {
    Set<String> known = new LinkedHashSet<>(current);
    Set<String> seen = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    for (String id : requested) {
      Objects.requireNonNull(id, "channel id");
      if (!known.contains(id)) {
        unknown.add(id);
      } else if (!seen.add(id)) {
        duplicates.add(id);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("not channels of this server: " + unknown);
    }
    if (!duplicates.isEmpty()) {
      throw new IllegalArgumentException("channels listed more than once: " + duplicates);
    }
    List<String> result = new ArrayList<>(seen);
    for (String id : current) {
      if (!seen.contains(id)) {
        result.add(id);
      }
    }
    List<Entry> entries = new ArrayList<>(result.size());
    for (int i = 0; i < result.size(); i++) {
      entries.add(new Entry(result.get(i), i));
    }
    return entries;
  }
}
