package io.melo.testkit.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Test helper: a homeserver on a manual clock and users in the domain's words. */
final class Scene {
  final Clock clock = Clock.manual(1_700_000_000_000L);
  final Homeserver hs;
  private final AtomicInteger txn = new AtomicInteger();

  Scene() {
    this(HomeserverConfig.builder().serverName("test.local"));
  }

  Scene(HomeserverConfig.Builder builder) {
    hs = new Homeserver(builder.clock(clock).build());
  }

  User user(String localpart) {
    Credentials c = hs.registerUser(localpart, "pw-" + localpart);
    return new User(c);
  }

  void advance(long millis) {
    clock.advance(Duration.ofMillis(millis));
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  final class User {
    final Credentials credentials;
    final Requester req;

    User(Credentials credentials) {
      this.credentials = credentials;
      this.req = new Requester(credentials.userId(), credentials.deviceId(), null);
    }

    String id() {
      return credentials.userId();
    }

    String createRoom(Object... kv) {
      return (String) hs.createRoom(req, map(kv)).get("room_id");
    }

    String send(String roomId, String body) {
      return hs.sendEvent(req, roomId, "m.room.message", "t" + txn.incrementAndGet(),
          map("msgtype", "m.text", "body", body));
    }

    String sendEvent(String roomId, String type, Map<String, Object> content) {
      return hs.sendEvent(req, roomId, type, "t" + txn.incrementAndGet(), content);
    }

    String state(String roomId, String type, String key, Map<String, Object> content) {
      return hs.sendState(req, roomId, type, key, content);
    }

    void join(String roomIdOrAlias) {
      hs.join(req, roomIdOrAlias, null);
    }

    void invite(String roomId, User other) {
      hs.invite(req, roomId, other.id(), null);
    }

    Map<String, Object> sync(String since) {
      return hs.sync(req, new SyncRequest(since, null, false, 0, null));
    }

    Map<String, Object> sync(String since, String filter) {
      return hs.sync(req, new SyncRequest(since, filter, false, 0, null));
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Object o, String... path) {
    Object cur = o;
    for (String p : path) {
      cur = ((Map<String, Object>) cur).get(p);
    }
    return (Map<String, Object>) cur;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object o, String... path) {
    Object cur = o;
    for (int i = 0; i < path.length - 1; i++) {
      cur = ((Map<String, Object>) cur).get(path[i]);
    }
    return (List<Map<String, Object>>) ((Map<String, Object>) cur).get(path[path.length - 1]);
  }

  /** The timeline events of a joined room in a sync response. */
  static List<Map<String, Object>> timeline(Map<String, Object> sync, String roomId) {
    return list(sync, "rooms", "join", roomId, "timeline", "events");
  }
}
