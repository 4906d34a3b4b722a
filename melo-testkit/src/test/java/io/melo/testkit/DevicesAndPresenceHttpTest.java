package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.json.Json;
import io.melo.testkit.model.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Device names, presence timeouts, TURN and parse errors over HTTP; {@link SpecContract} checks every
 * request and answer against the spec's schemas.
 */
class DevicesAndPresenceHttpTest {
  private static final String C = "/_matrix/client/v3";

  @SuppressWarnings("unchecked")
  private static Map<String, Object> device(TestHttp http, String deviceId) {
    for (Object d : (List<Object>) http.get(C + "/devices").json().get("devices")) {
      if (deviceId.equals(((Map<String, Object>) d).get("device_id"))) {
        return (Map<String, Object>) d;
      }
    }
    throw new AssertionError("no device " + deviceId);
  }

  @Test
  void devicesGetTheirNameFromLoginAndKeepItUntilRenamed() {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestHttp anon = new TestHttp(hs.baseUrl());
      TestHttp.Answer uia = anon.post(C + "/register", "{\"username\":\"nio\",\"password\":\"pw-nio-123\"}");
      TestHttp.Answer reg = anon.post(C + "/register", Json.write(Map.of("username", "nio", "password", "pw-nio-123",
          "initial_device_display_name", "nio-a", "auth", Map.of("type", "m.login.dummy",
              "session", uia.json().get("session")))));
      String phone = (String) reg.json().get("device_id");
      TestHttp http = anon.withToken((String) reg.json().get("access_token"));
      assertThat(device(http, phone)).containsEntry("display_name", "nio-a");

      TestHttp.Answer login = anon.post(C + "/login", Json.write(Map.of("type", "m.login.password",
          "identifier", Map.of("type", "m.id.user", "user", "nio"), "password", "pw-nio-123",
          "initial_device_display_name", "laptop")));
      String laptop = (String) login.json().get("device_id");
      assertThat(device(http, laptop)).containsEntry("display_name", "laptop");
      // A login without a name: the key is there with null, as Synapse lists it (matrix-nio needs the key).
      TestHttp.Answer unnamed = anon.post(C + "/login", Json.write(Map.of("type", "m.login.password",
          "identifier", Map.of("type", "m.id.user", "user", "nio"), "password", "pw-nio-123")));
      String bare = (String) unnamed.json().get("device_id");
      assertThat(device(http, bare)).containsEntry("display_name", null).containsKey("last_seen_ts");
      assertThat(http.get(C + "/devices/" + bare).json()).containsEntry("display_name", null);
      // Logging in again on a known device: the spec ignores initial_device_display_name.
      anon.post(C + "/login", Json.write(Map.of("type", "m.login.password", "identifier",
          Map.of("type", "m.id.user", "user", "nio"), "password", "pw-nio-123", "device_id", laptop,
          "initial_device_display_name", "renamed by login")));
      assertThat(device(http, laptop)).containsEntry("display_name", "laptop");

      assertThat(http.put(C + "/devices/" + laptop, "{}").text()).isEqualTo("{}");
      assertThat(http.get(C + "/devices/" + laptop).json()).containsEntry("display_name", "laptop");
      assertThat(http.put(C + "/devices/" + laptop, "{\"display_name\":\"work laptop\"}").text()).isEqualTo("{}");
      assertThat(http.get(C + "/devices/" + laptop).json()).containsEntry("display_name", "work laptop");

      TestHttp.Answer nullName = http.unchecked().put(C + "/devices/" + laptop, "{\"display_name\":null}");
      assertThat(nullName.status()).isEqualTo(400);
      assertThat(nullName.errcode()).isEqualTo("M_BAD_JSON");
      assertThat(http.put(C + "/devices/NOSUCHDEVICE", "{}").errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(http.put(C + "/devices/NOSUCHDEVICE", "{\"display_name\":\"x\"}").errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(anon.put(C + "/devices/" + laptop, "{}").errcode()).isEqualTo("M_MISSING_TOKEN");
    }
  }

  @Test
  void presenceIdlesOnTheClockAndTypingIsActivity() {
    Clock clock = Clock.manual(1_700_000_000_000L);
    try (FakeHomeserver hs = FakeHomeserver.builder().clock(clock).presenceIdleTimeout(Duration.ofMinutes(2))
        .presenceOfflineTimeout(Duration.ofMinutes(10)).start()) {
      TestUser alice = hs.register("alice");
      TestUser bob = hs.register("bob");
      String room = alice.createRoom(r -> r.preset("public_chat"));
      bob.join(room);
      TestHttp aliceHttp = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
      TestHttp bobHttp = new TestHttp(hs.baseUrl()).withToken(bob.accessToken());
      String status = C + "/presence/" + alice.userId() + "/status";
      clock.advance(Duration.ofMinutes(2).plusMillis(1));
      assertThat(bobHttp.get(status).json()).containsEntry("presence", "unavailable")
          .containsEntry("currently_active", false).containsEntry("last_active_ago", 120_001L);
      assertThat(aliceHttp.put(C + "/rooms/" + room + "/typing/" + alice.userId(),
          "{\"typing\":true,\"timeout\":5000}").status()).isEqualTo(200);
      assertThat(bobHttp.get(status).json()).containsEntry("presence", "online")
          .containsEntry("currently_active", true).containsEntry("last_active_ago", 0L);
      clock.advance(Duration.ofMinutes(10).plusMillis(1));
      assertThat(bobHttp.get(status).json()).containsEntry("presence", "offline");
      assertThat(aliceHttp.get(C + "/sync?timeout=0").status()).isEqualTo(200);
      assertThat(bobHttp.get(status).json()).containsEntry("presence", "online");
    }
  }

  @Test
  void turnServerIsAnErrorUntilOneIsConfigured() {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestHttp http = new TestHttp(hs.baseUrl()).withToken(hs.register("alice").accessToken());
      TestHttp.Answer none = http.get(C + "/voip/turnServer");
      assertThat(none.status()).isEqualTo(404);
      assertThat(none.errcode()).isEqualTo("M_NOT_FOUND");
    }
    TurnServer turn = TurnServer.of(List.of("turn:127.0.0.1:3478?transport=udp"), "user", "s3cret",
        Duration.ofHours(1));
    assertThat(turn.toString()).doesNotContain("s3cret");
    try (FakeHomeserver hs = FakeHomeserver.builder().turnServer(turn).start()) {
      TestHttp http = new TestHttp(hs.baseUrl()).withToken(hs.register("alice").accessToken());
      assertThat(http.get(C + "/voip/turnServer").json()).isEqualTo(Map.of("username", "user", "password", "s3cret",
          "uris", List.of("turn:127.0.0.1:3478?transport=udp"), "ttl", 3600L));
    }
  }

  @Test
  void notJsonSaysWhereTheBodyBroke() {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestHttp http = new TestHttp(hs.baseUrl()).withToken(hs.register("alice").accessToken()).unchecked();
      TestHttp.Answer a = http.post(C + "/createRoom", "{\"name\": 'general'}");
      assertThat(a.status()).isEqualTo(400);
      assertThat(a.json()).containsEntry("errcode", "M_NOT_JSON")
          .containsEntry("error", "Content not JSON: invalid JSON syntax at $.name");
      assertThat(http.post(C + "/createRoom", "{\"name\": ").json())
          .containsEntry("error", "Content not JSON: the text ends before the JSON value is complete");
    }
  }
}
