package io.melo.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.testkit.Endpoint;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router router = new Router();

  @Test
  void decodesEachSegmentAfterSplittingSoEncodedAndRawIdsAreTheSame() {
    Router.Match encoded = router.route("PUT",
        "/_matrix/client/v3/rooms/%21abc%3Ahs.example/send/m.room.message/m1.2");
    Router.Match raw = router.route("PUT", "/_matrix/client/r0/rooms/!abc:hs.example/send/m.room.message/m1.2");
    assertThat(encoded.endpoint()).isEqualTo(Endpoint.SEND_EVENT);
    assertThat(raw.endpoint()).isEqualTo(Endpoint.SEND_EVENT);
    assertThat(encoded.params()).isEqualTo(raw.params())
        .containsEntry("roomId", "!abc:hs.example").containsEntry("txnId", "m1.2");
  }

  @Test
  void anEncodedSlashStaysInsideItsSegment() {
    Router.Match m = router.route("PUT", "/_matrix/client/v3/rooms/!a:hs/send/m.room.message/a%2Fb");
    assertThat(m.endpoint()).isEqualTo(Endpoint.SEND_EVENT);
    assertThat(m.params()).containsEntry("txnId", "a/b");
  }

  @Test
  void aliasWithEncodedHashResolves() {
    Router.Match m = router.route("GET", "/_matrix/client/r0/directory/room/%23lobby:hs");
    assertThat(m.endpoint()).isEqualTo(Endpoint.GET_ALIAS);
    assertThat(m.params()).containsEntry("roomAlias", "#lobby:hs");
  }

  @Test
  void stateWithEmptyKeyKeepsTrailingSlashAndAlsoWorksWithout() {
    Router.Match slash = router.route("PUT", "/_matrix/client/v3/rooms/!a:hs/state/m.room.name/");
    Router.Match bare = router.route("PUT", "/_matrix/client/v3/rooms/!a:hs/state/m.room.name");
    Router.Match keyed = router.route("GET", "/_matrix/client/v3/rooms/!a:hs/state/m.room.member/%40bob%3Ahs");
    assertThat(slash.endpoint()).isEqualTo(Endpoint.SET_STATE);
    assertThat(slash.params()).containsEntry("stateKey", "");
    assertThat(bare.endpoint()).isEqualTo(Endpoint.SET_STATE);
    assertThat(bare.params()).doesNotContainKey("stateKey");
    assertThat(keyed.endpoint()).isEqualTo(Endpoint.GET_STATE_EVENT);
    assertThat(keyed.params()).containsEntry("stateKey", "@bob:hs");
  }

  @Test
  void pushRulesWithAndWithoutTrailingSlash() {
    assertThat(router.route("GET", "/_matrix/client/v3/pushrules/").endpoint()).isEqualTo(Endpoint.PUSH_RULES);
    assertThat(router.route("GET", "/_matrix/client/v3/pushrules").endpoint()).isEqualTo(Endpoint.PUSH_RULES);
  }

  @Test
  void versionsAndWellKnownAreAbsolute() {
    assertThat(router.route("GET", "/_matrix/client/versions").endpoint()).isEqualTo(Endpoint.VERSIONS);
    assertThat(router.route("GET", "/.well-known/matrix/client").endpoint()).isEqualTo(Endpoint.WELL_KNOWN);
  }

  @Test
  void mediaOnLegacyAndAuthenticatedPaths() {
    assertThat(router.route("POST", "/_matrix/media/v3/upload").endpoint()).isEqualTo(Endpoint.MEDIA_UPLOAD);
    assertThat(router.route("GET", "/_matrix/media/r0/download/hs/abc").endpoint())
        .isEqualTo(Endpoint.MEDIA_DOWNLOAD);
    Router.Match v1 = router.route("GET", "/_matrix/client/v1/media/download/hs/abc/file.png");
    assertThat(v1.endpoint()).isEqualTo(Endpoint.MEDIA_DOWNLOAD);
    assertThat(v1.params()).containsEntry("fileName", "file.png").containsEntry("mediaId", "abc");
    assertThat(router.route("GET", "/_matrix/client/v1/media/config").endpoint()).isEqualTo(Endpoint.MEDIA_CONFIG);
    assertThat(router.route("POST", "/_matrix/client/v1/media/upload").endpoint()).isNull();
  }

  @Test
  void unknownPathIsNotKnownButWrongMethodIs() {
    Router.Match unknown = router.route("GET", "/_matrix/client/v3/nope");
    assertThat(unknown.endpoint()).isNull();
    assertThat(unknown.pathKnown()).isFalse();
    Router.Match wrongMethod = router.route("DELETE", "/_matrix/client/v3/createRoom");
    assertThat(wrongMethod.endpoint()).isNull();
    assertThat(wrongMethod.pathKnown()).isTrue();
    assertThat(router.route("GET", "/_matrix/client/v9/sync").endpoint()).isNull();
    assertThat(router.route("GET", "/_matrix/client/unstable/org.matrix.msc4143/rtc/transports").endpoint())
        .isNull();
  }

  @Test
  void emptyRequiredSegmentDoesNotMatch() {
    assertThat(router.route("POST", "/_matrix/client/v3/rooms//leave").endpoint()).isNull();
  }

  @Test
  void queryDecodingTreatsPlusAsSpaceAndKeepsEncodedPlus() {
    assertThat(Router.parseQuery("filter=%7B%22a%22%3A1%7D&x=a+b&y=a%2Bb&flag"))
        .containsEntry("filter", java.util.List.of("{\"a\":1}"))
        .containsEntry("x", java.util.List.of("a b"))
        .containsEntry("y", java.util.List.of("a+b"))
        .containsEntry("flag", java.util.List.of(""));
  }

  @Test
  void malformedEscapeIsRefused() {
    assertThatThrownBy(() -> router.route("GET", "/_matrix/client/v3/rooms/%zz/state"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Router.percentDecode("abc%4", false)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonAsciiSegmentsDecodeAsUtf8() {
    assertThat(Router.percentDecode("%C3%A9t%C3%A9", false)).isEqualTo("été");
    assertThat(Router.percentDecode("été", false)).isEqualTo("été");
  }
}
