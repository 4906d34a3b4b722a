package io.melo.core.internal;

import java.util.Objects;

/**
 * The custom event types of one namespace ({@code io.melo}, {@code io.haos}, ...), as DESIGN.md
 * fixes them. Not API.
 *
 * @param prefix the namespace, already validated by {@link io.melo.core.MeloConfig}
 */
public record Namespace(String prefix) {

  /** Checks the prefix is present. */
  public Namespace {
    Objects.requireNonNull(prefix, "prefix");
  }

  /** {@code <ns>.server}: state in the space, {@code {inviteCode, ownerId, createdAt}}. */
  public String server() {
    return prefix + ".server";
  }

  /** {@code <ns>.channel}: state in a channel, {@code {type, creatorId, createdAt}}. */
  public String channel() {
    return prefix + ".channel";
  }

  /** {@code <ns>.channel_order}: state in the space, {@code {channels: [{roomId, position}]}}. */
  public String channelOrder() {
    return prefix + ".channel_order";
  }

  /** {@code <ns>.server_deleted}: state in the space, {@code {deletedBy, deletedAt}}. */
  public String serverDeleted() {
    return prefix + ".server_deleted";
  }

  /** {@code <ns>.channel_deleted}: state in a channel, {@code {deletedBy, deletedAt}}. */
  public String channelDeleted() {
    return prefix + ".channel_deleted";
  }

  /** {@code <ns>.profile}: global account data, {@code {email, externalId}}. */
  public String profile() {
    return prefix + ".profile";
  }

  /** True for an event type of this namespace. */
  public boolean owns(String eventType) {
    return eventType.startsWith(prefix + ".");
  }
}
