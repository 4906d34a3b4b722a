package io.melo.core.internal;

import io.melo.core.MeloClient;
import io.melo.core.event.MeloEvent;
import io.melo.core.testing.TestClient;
import io.melo.matrix.event.RoomEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SyncProcessor.Host} for unit tests: records what the processor publishes and which
 * channels it tries to join, and answers joins, event fetches and the restart reload from maps the
 * test fills.
 */
final class FakeSyncHost implements SyncProcessor.Host {

  final List<MeloEvent> published = new ArrayList<>();
  final List<String> joinAttempts = new ArrayList<>();
  /** Events {@link #fetchEvent} returns, by event id. */
  final Map<String, RoomEvent> fetchable = new HashMap<>();
  /** State a join of the channel returns, by channel id; a channel missing here fails to join. */
  final Map<String, List<RoomEvent>> joinable = new HashMap<>();
  /** What {@link #loadJoinedRooms()} returns after a restart. */
  final Map<String, RoomState> loaded = new HashMap<>();

  private final String userId;
  private final MeloClient client;

  FakeSyncHost(String userId) {
    this.userId = userId;
    this.client = TestClient.of(userId);
  }

  /** One client event as the homeserver sends it; {@code stateKey} null for a message event. */
  static String event(String id, String type, String sender, String stateKey, String content) {
    return "{\"event_id\":\"" + id + "\",\"type\":\"" + type + "\",\"sender\":\"" + sender
        + "\",\"origin_server_ts\":1700000000000"
        + (stateKey == null ? "" : ",\"state_key\":\"" + stateKey + "\"")
        + ",\"content\":" + content + "}";
  }

  @Override
  public MeloClient client() {
    return client;
  }

  @Override
  public String userId() {
    return userId;
  }

  @Override
  public Namespace namespace() {
    return new Namespace("io.melo");
  }

  @Override
  public Optional<RoomState> joinChannel(String channelId, List<String> via) {
    joinAttempts.add(channelId);
    return Optional.ofNullable(joinable.get(channelId)).map(events -> new RoomState(channelId, events));
  }

  @Override
  public void publish(MeloEvent event) {
    published.add(event);
  }

  @Override
  public void awaitDelivered() {}

  @Override
  public Optional<RoomEvent> fetchEvent(String roomId, String eventId) {
    return Optional.ofNullable(fetchable.get(eventId));
  }

  @Override
  public Map<String, RoomState> loadJoinedRooms() {
    return loaded;
  }
}
