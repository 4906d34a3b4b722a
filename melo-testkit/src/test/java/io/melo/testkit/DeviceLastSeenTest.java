package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.model.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The device list tells where and when each device was last used (matrix-nio's device schema needs
 * {@code last_seen_ip}, null allowed): the peer address of its latest authenticated request and the
 * clock time of it.
 */
class DeviceLastSeenTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> device(TestHttp.Answer devices, String deviceId) {
    for (Object d : (List<Object>) devices.json().get("devices")) {
      Map<String, Object> m = (Map<String, Object>) d;
      if (deviceId.equals(m.get("device_id"))) {
        return m;
      }
    }
    throw new AssertionError("no device " + deviceId + " in " + devices.text());
  }

  @Test
  void devicesRecordThePeerAddressAndTimeOfTheirLatestRequest() {
    Clock clock = Clock.manual(1_700_000_000_000L);
    try (FakeHomeserver hs = FakeHomeserver.builder().clock(clock).start()) {
      TestUser alice = hs.register("alice", "pw-alice-9");
      TestHttp.Answer login = new TestHttp(hs.baseUrl()).post("/_matrix/client/v3/login",
          "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"alice\"},"
              + "\"password\":\"pw-alice-9\"}");
      String laptopDevice = (String) login.json().get("device_id");
      TestHttp phone = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
      TestHttp other = new TestHttp(hs.baseUrl()).withToken((String) login.json().get("access_token"));

      clock.advance(Duration.ofMinutes(5));
      TestHttp.Answer first = phone.get("/_matrix/client/v3/devices");
      assertThat(device(first, alice.deviceId()))
          .containsEntry("last_seen_ip", "127.0.0.1")
          .containsEntry("last_seen_ts", 1_700_000_300_000L);
      // The laptop made no request over HTTP yet: no address is invented for it (null, as Synapse lists it).
      assertThat(device(first, laptopDevice)).containsEntry("last_seen_ip", null);

      clock.advance(Duration.ofMinutes(1));
      assertThat(other.get("/_matrix/client/v3/account/whoami").status()).isEqualTo(200);
      TestHttp.Answer second = phone.get("/_matrix/client/v3/devices");
      assertThat(device(second, laptopDevice))
          .containsEntry("last_seen_ip", "127.0.0.1")
          .containsEntry("last_seen_ts", 1_700_000_360_000L);
      assertThat(other.get("/_matrix/client/v3/devices/" + alice.deviceId()).json())
          .containsEntry("last_seen_ts", 1_700_000_360_000L);
    }
  }
}
