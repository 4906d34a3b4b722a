package io.melo.testkit.model;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The transaction ids seen, for idempotent sends and redactions: scope (device, endpoint, room, path
 * part, txn id) to the event id the first request created. Kept as Synapse keeps them, for {@link
 * #RETENTION_MS} (24 hours, its {@code event_txn_id_device_id} clean-up), and at most {@link
 * #MAX_ENTRIES} at once (oldest forgotten first), so a long standalone run does not grow without end.
 * A retry after that is a new request. Accessed only under the homeserver's lock.
 */
final class Transactions {
  /** How long a transaction id is remembered. */
  static final long RETENTION_MS = 24L * 60 * 60 * 1000;
  /** The most transaction ids remembered at once. */
  static final int MAX_ENTRIES = 100_000;

  private record Seen(String eventId, long at) {}

  private final Clock clock;
  /** In insertion order, which is clock order. */
  private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

  Transactions(Clock clock) {
    this.clock = clock;
  }

  /** The event id the scope created within the retention time, or null. */
  String get(String scope) {
    Seen s = seen.get(scope);
    return s == null || s.at() <= clock.nowMillis() - RETENTION_MS ? null : s.eventId();
  }

  /** Remembers the event id for the scope, forgetting expired and surplus entries. */
  void put(String scope, String eventId) {
    long now = clock.nowMillis();
    seen.remove(scope); // re-inserted at the end: the order stays the clock order
    seen.put(scope, new Seen(eventId, now));
    long cutoff = now - RETENTION_MS;
    Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Seen> oldest = it.next();
      if (oldest.getValue().at() > cutoff && seen.size() <= MAX_ENTRIES) {
        break;
      }
      it.remove();
    }
  }

  /** How many transaction ids are remembered. */
  int size() {
    return seen.size();
  }
}
