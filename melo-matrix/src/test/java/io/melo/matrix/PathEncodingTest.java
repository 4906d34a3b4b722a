package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.internal.PathEncoder;
import org.junit.jupiter.api.Test;

class PathEncodingTest extends MockServerTest {

  @Test
  void everyHostileCharacterIsEncodedInsideOneSegment() {
    assertThat(PathEncoder.segment("x", "!room:example.org", false)).isEqualTo("!room%3Aexample.org");
    assertThat(PathEncoder.segment("x", "a/b?c#d%e f", false)).isEqualTo("a%2Fb%3Fc%23d%25e%20f");
    assertThat(PathEncoder.segment("x", "$ev+ent@x", false)).isEqualTo("%24ev%2Bent%40x");
    assertThat(PathEncoder.segment("x", "..a", false)).isEqualTo("..a");
    assertThat(PathEncoder.segment("x", "ü€😀", false)).isEqualTo("%C3%BC%E2%82%AC%F0%9F%98%80");
    assertThat(PathEncoder.segment("x", "%2e%2e", false)).isEqualTo("%252e%252e");
  }

  @Test
  void dotSegmentsAndEmptyValuesAreRefusedBeforeSending() {
    assertThatThrownBy(() -> client.stateEvent("!r:example.org", "..", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eventType must not be '..'");
    assertThatThrownBy(() -> client.stateEvent("!r:example.org", "m.room.name", "."))
        .hasMessageContaining("stateKey must not be '.'");
    assertThatThrownBy(() -> client.joinedMembers("")).hasMessageContaining("roomId must not be empty");
    assertThatThrownBy(() -> client.joinedMembers(null)).isInstanceOf(NullPointerException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void hostileIdsStayInTheirSegmentOnTheWire() throws Exception {
    ok("{\"k\":1}");
    client.stateEvent("!a/../b?x#y:example.org", "m.room.member", "@evil/..%2F:example.org ü").execute();
    expectAuthed(
        "GET",
        "/_matrix/client/v3/rooms/%21a%2F..%2Fb%3Fx%23y%3Aexample.org/state/m.room.member/"
            .replace("%21", "!")
            + "%40evil%2F..%252F%3Aexample.org%20%C3%BC");
  }

  @Test
  void emptyStateKeyKeepsTheTrailingSlash() throws Exception {
    ok("{\"name\":\"Lobby\"}");
    client.stateEvent("!r:example.org", "m.room.name", "").execute();
    expectAuthed("GET", "/_matrix/client/v3/rooms/!r%3Aexample.org/state/m.room.name/");
  }

  @Test
  void homeserverPathPrefixIsKept() throws Exception {
    ok("{\"joined_rooms\":[]}");
    MatrixConfig prefixed = MatrixConfig.builder(server.url("/matrix/")).clock(clock).build();
    try (MatrixClient behindProxy = MatrixClient.create(prefixed, MatrixCredentials.accessToken(TOKEN))) {
      behindProxy.joinedRooms().execute();
    }
    expectAuthed("GET", "/matrix/_matrix/client/v3/joined_rooms");
  }

  @Test
  void wellKnownIsAtTheHostRootEvenWithAPathPrefix() throws Exception {
    ok("{\"m.homeserver\":{\"base_url\":\"https://matrix.example.org\"}}");
    MatrixConfig prefixed = MatrixConfig.builder(server.url("/matrix/")).clock(clock).build();
    try (MatrixClient discovery = MatrixClient.create(prefixed)) {
      discovery.wellKnown().execute();
    }
    expect("GET", "/.well-known/matrix/client");
  }
}
