package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /versions} advertises exactly the versions whose additions the fake serves (see StaticEndpoints). */
class VersionsTest {
  @Test
  void advertisesUpToV114AndTheOneUnstableFeatureItServes() {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestHttp.Answer a = new TestHttp(hs.baseUrl()).get("/_matrix/client/versions");
      assertThat(a.json().get("versions")).isEqualTo(List.of("r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5",
          "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11", "v1.12", "v1.13", "v1.14"));
      assertThat(a.json().get("unstable_features")).isEqualTo(Map.of("org.matrix.msc4222", true));
    }
  }

  @Test
  void theAdditionsOfTheAdvertisedVersionsAnswer() {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestUser alice = hs.register("alice");
      TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
      String room = alice.createRoom();
      String event = alice.sendText(room, "hi");
      // v1.2 hierarchy, v1.4 threads, v1.6 timestamp_to_event, v1.7 create, v1.10 recurse, v1.11 media config.
      assertThat(http.get("/_matrix/client/v1/rooms/" + room + "/hierarchy").status()).isEqualTo(200);
      assertThat(http.get("/_matrix/client/v1/rooms/" + room + "/threads").status()).isEqualTo(200);
      assertThat(http.get("/_matrix/client/v1/rooms/" + room + "/timestamp_to_event?ts=0&dir=f").status())
          .isEqualTo(200);
      assertThat(http.post("/_matrix/media/v1/create", "{}").status()).isEqualTo(200);
      assertThat(http.get("/_matrix/client/v1/rooms/" + room + "/relations/" + event + "?recurse=true").status())
          .isEqualTo(200);
      assertThat(http.get("/_matrix/client/v1/media/config").status()).isEqualTo(200);
      assertThat(http.post("/_matrix/client/v3/rooms/" + room + "/receipt/m.read.private/" + event, "{}").status())
          .isEqualTo(200);
    }
  }
}
