package io.melo.testkit.model;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asynchronous uploads (spec v1.7): {@code POST /_matrix/media/v1/create} reserves an {@code mxc://}
 * URI for its creator, {@code PUT /_matrix/media/v3/upload/{serverName}/{mediaId}} fills it once.
 * A reservation expires unused after {@link #EXPIRY_MS} (the spec's recommended 24 hours); a user may
 * hold at most {@link #MAX_PENDING_PER_USER} at once (429 {@code M_LIMIT_EXCEEDED} beyond). Accessed
 * only under the homeserver's lock.
 */
final class PendingUploads {
  static final long EXPIRY_MS = 24L * 60 * 60 * 1000;
  static final int MAX_PENDING_PER_USER = 50;

  private final Homeserver hs;
  /** media id -> the reservation. */
  private final Map<String, Pending> pending = new HashMap<>();

  record Pending(String mediaId, String creator, long expiresAt) {}

  PendingUploads(Homeserver hs) {
    this.hs = hs;
  }

  /** Reserves a media id for the user: {@code {content_uri, unused_expires_at}}. */
  Map<String, Object> create(String userId) {
    long now = hs.clock.nowMillis();
    dropExpired(now);
    int mine = 0;
    for (Pending p : pending.values()) {
      if (p.creator().equals(userId)) {
        mine++;
      }
    }
    if (mine >= MAX_PENDING_PER_USER) {
      throw new MatrixError(429, "M_LIMIT_EXCEEDED", "Too many pending uploads: upload or let some expire first",
          Map.of("retry_after_ms", 60_000L));
    }
    String id;
    do {
      id = Ids.random(24);
    } while (hs.media.containsKey(id) || pending.containsKey(id));
    Pending p = new Pending(id, userId, now + EXPIRY_MS);
    pending.put(id, p);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("content_uri", "mxc://" + hs.serverName + "/" + id);
    out.put("unused_expires_at", p.expiresAt());
    return out;
  }

  /**
   * Fills a reserved id.
   *
   * @throws MatrixError 409 M_CANNOT_OVERWRITE_MEDIA if it already has content, 403 M_FORBIDDEN for
   *     another user's reservation, 404 M_NOT_FOUND for an id never reserved (or expired)
   */
  void upload(String userId, String mediaId, byte[] bytes, String contentType, String filename) {
    if (hs.media.containsKey(mediaId)) {
      throw new MatrixError(409, "M_CANNOT_OVERWRITE_MEDIA", "Media " + mediaId + " already has content");
    }
    dropExpired(hs.clock.nowMillis());
    Pending p = pending.get(mediaId);
    if (p == null) {
      throw MatrixError.notFound("No pending upload " + mediaId + " (never created, or expired)");
    }
    if (!p.creator().equals(userId)) {
      throw MatrixError.forbidden("Only the user who created " + mediaId + " may upload its content");
    }
    pending.remove(mediaId);
    hs.storeMedia(new Media(hs.serverName, mediaId, bytes.clone(),
        contentType == null ? "application/octet-stream" : contentType, filename, userId));
    hs.signal(); // downloads waiting for this media wake up
  }

  /** Whether the id is reserved, not yet uploaded and not expired. */
  boolean isPending(String mediaId) {
    Pending p = pending.get(mediaId);
    return p != null && p.expiresAt() > hs.clock.nowMillis();
  }

  private void dropExpired(long now) {
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAt() <= now) {
        it.remove();
      }
    }
  }
}
