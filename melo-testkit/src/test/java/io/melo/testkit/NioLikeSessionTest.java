package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What matrix-nio 0.20 sends (reference/client-interop.md): r0 paths, {@code ?access_token=},
 * unencoded {@code ! : @ $} and only {@code #} as {@code %23}, single-shot dummy registration, and
 * strict answers (exactly {@code {}} for many endpoints).
 */
class NioLikeSessionTest {
  private final FakeHomeserver hs = FakeHomeserver.start();
  private final TestHttp anon = new TestHttp(hs.baseUrl());

  @AfterEach
  void stop() {
    hs.close();
  }

  private TestHttp.Answer call(String method, String path, String token, String json) {
    String sep = path.contains("?") ? "&" : "?";
    return anon.send(method, path + sep + "access_token=" + token, json);
  }

  @SuppressWarnings("unchecked")
  @Test
  void nioSession() {
    TestHttp.Answer reg = anon.post("/_matrix/client/r0/register",
        "{\"username\":\"bob\",\"password\":\"pw-bob-1\",\"auth\":{\"type\":\"m.login.dummy\"}}");
    assertThat(reg.status()).isEqualTo(200);
    assertThat(reg.json()).containsKeys("user_id", "device_id", "access_token");

    TestHttp.Answer login = anon.post("/_matrix/client/r0/login", "{\"type\":\"m.login.password\","
        + "\"identifier\":{\"type\":\"m.id.user\",\"user\":\"bob\"},\"password\":\"pw-bob-1\",\"device_id\":\"NIO\"}");
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json()).containsEntry("device_id", "NIO").containsKeys("user_id", "access_token");
    String bob = (String) login.json().get("access_token");
    assertThat(reg.json().get("device_id")).isNotEqualTo("NIO");

    TestUser alice = hs.register("alice");
    String roomId = alice.createRoom(r -> r.preset("public_chat").alias("lobby"));

    // First sync: full_state, no timeout (answers at once).
    TestHttp.Answer first = call("GET", "/_matrix/client/r0/sync?full_state=true", bob, null);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json()).containsKey("next_batch");

    // Alias resolution without any token, '#' as %23.
    TestHttp.Answer alias = anon.get("/_matrix/client/r0/directory/room/%23lobby:localhost");
    assertThat(alias.json()).containsEntry("room_id", roomId);
    assertThat((List<Object>) alias.json().get("servers")).contains("localhost");

    assertThat(call("POST", "/_matrix/client/r0/join/%23lobby:localhost", bob, "{}").json())
        .containsEntry("room_id", roomId);
    TestHttp.Answer sent = call("PUT", "/_matrix/client/r0/rooms/" + roomId + "/send/m.room.message/nio1", bob,
        "{\"msgtype\":\"m.text\",\"body\":\"hi from nio\"}");
    String eventId = (String) sent.json().get("event_id");
    assertThat(eventId).startsWith("$");

    // Exactly {} where nio insists.
    assertThat(call("PUT", "/_matrix/client/r0/rooms/" + roomId + "/typing/@bob:localhost", bob,
        "{\"typing\":true,\"timeout\":30000}").text()).isEqualTo("{}");
    assertThat(call("POST", "/_matrix/client/r0/rooms/" + roomId + "/receipt/m.read/" + eventId, bob, "{}").text())
        .isEqualTo("{}");
    assertThat(call("POST", "/_matrix/client/r0/rooms/" + roomId + "/read_markers", bob,
        "{\"m.fully_read\":\"" + eventId + "\",\"m.read\":\"" + eventId + "\"}").text()).isEqualTo("{}");
    assertThat(call("PUT", "/_matrix/client/r0/profile/@bob:localhost/displayname", bob,
        "{\"displayname\":\"Bob\"}").text()).isEqualTo("{}");
    assertThat(call("PUT", "/_matrix/client/r0/presence/@bob:localhost/status", bob,
        "{\"presence\":\"online\"}").text()).isEqualTo("{}");

    // /messages has start; a redaction carries top-level redacts.
    TestHttp.Answer messages = call("GET", "/_matrix/client/r0/rooms/" + roomId + "/messages?dir=b&limit=10", bob, null);
    assertThat(messages.json()).containsKeys("start", "chunk");
    // nio's room_messages(room, start="") sends an empty from: read as absent, as Synapse does.
    assertThat(call("GET", "/_matrix/client/r0/rooms/" + roomId + "/messages?from=&limit=10&dir=b", bob, null)
        .json()).containsKeys("start", "chunk");
    assertThat(messages.text()).contains("hi from nio");
    TestHttp.Answer redaction = call("PUT", "/_matrix/client/r0/rooms/" + roomId + "/redact/" + eventId + "/r1", bob,
        "{\"reason\":\"oops\"}");
    assertThat(redaction.status()).isEqualTo(200);
    TestHttp.Answer after = call("GET", "/_matrix/client/r0/rooms/" + roomId + "/messages?dir=b&limit=1", bob, null);
    Map<String, Object> redactionEvent = (Map<String, Object>) ((List<Object>) after.json().get("chunk")).get(0);
    assertThat(redactionEvent).containsEntry("type", "m.room.redaction").containsEntry("redacts", eventId);

    // invite / kick / ban / leave answer {}.
    TestUser carol = hs.register("carol");
    String aliceToken = alice.accessToken();
    // melo-spec matches /invite to the 3pid variant (same path in two documents): check the body
    // against the user-id operation directly and send it unchecked.
    String invite = "{\"user_id\":\"" + carol.userId() + "\"}";
    SpecContract.SPEC.operationById("inviteUser").assertValidRequest(invite);
    assertThat(new TestHttp(hs.baseUrl()).unchecked().send("POST", "/_matrix/client/r0/rooms/" + roomId
        + "/invite?access_token=" + aliceToken, invite).text()).isEqualTo("{}");
    assertThat(call("POST", "/_matrix/client/r0/rooms/" + roomId + "/kick", aliceToken,
        "{\"user_id\":\"" + carol.userId() + "\"}").text()).isEqualTo("{}");
    assertThat(call("POST", "/_matrix/client/r0/rooms/" + roomId + "/ban", aliceToken,
        "{\"user_id\":\"" + carol.userId() + "\",\"reason\":\"spam\"}").text()).isEqualTo("{}");
    assertThat(call("POST", "/_matrix/client/r0/rooms/" + roomId + "/leave", bob, "{}").text()).isEqualTo("{}");
    assertThat(hs.room(roomId).membership(carol.userId())).isEqualTo("ban");
    assertThat(hs.room(roomId).membership("@bob:localhost")).isEqualTo("leave");

    // Errors carry errcode and error.
    TestHttp.Answer bad = call("GET", "/_matrix/client/r0/rooms/!nope:localhost/messages?dir=b", bob, null);
    assertThat(bad.status()).isBetween(400, 499);
    assertThat(bad.json()).containsKeys("errcode", "error");

    assertThat(call("POST", "/_matrix/client/r0/logout", bob, "{}").text()).isEqualTo("{}");
  }
}
