package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /_matrix/client/v1/room_summary/{roomIdOrAlias}}: who may preview what, per the spec. */
class RoomSummaryTest {
  private static final String V1 = "/_matrix/client/v1";

  @Test
  void summariesAreShownToThoseWhoMayPreviewTheRoom() {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestUser alice = hs.register("alice");
      TestUser bob = hs.register("bob");
      TestUser eve = hs.register("eve");
      String lobby = alice.createRoom(r -> r.preset("public_chat").name("Lobby").topic("hi").alias("lobby"));
      String secret = alice.createRoom(r -> r.preset("private_chat").name("Secret"));
      alice.invite(secret, bob);
      alice.setState(secret, "m.room.encryption", "", Map.of("algorithm", "m.megolm.v1.aes-sha2"));
      String members = alice.createRoom(r -> r.preset("private_chat"));
      alice.setState(members, "m.room.join_rules", "", Map.of("join_rule", "restricted", "allow",
          List.of(Map.of("type", "m.room_membership", "room_id", lobby))));
      TestHttp anon = new TestHttp(hs.baseUrl());
      TestHttp bobHttp = anon.withToken(bob.accessToken());
      TestHttp eveHttp = anon.withToken(eve.accessToken());

      Map<String, Object> pub = anon.get(V1 + "/room_summary/%23lobby:localhost").json();
      assertThat(pub).containsEntry("room_id", lobby).containsEntry("name", "Lobby").containsEntry("topic", "hi")
          .containsEntry("join_rule", "public").containsEntry("num_joined_members", 1L)
          .containsEntry("room_version", "10").containsEntry("canonical_alias", "#lobby:localhost")
          .doesNotContainKeys("membership", "encryption");
      assertThat(eveHttp.get(V1 + "/room_summary/" + lobby).json()).doesNotContainKey("membership");

      // A private room: its invitee sees it (with membership and encryption), nobody else does.
      assertThat(bobHttp.get(V1 + "/room_summary/" + secret).json()).containsEntry("membership", "invite")
          .containsEntry("encryption", "m.megolm.v1.aes-sha2").containsEntry("join_rule", "invite");
      assertThat(eveHttp.get(V1 + "/room_summary/" + secret).errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(anon.get(V1 + "/room_summary/" + secret).errcode()).isEqualTo("M_NOT_FOUND");

      // A restricted room: previewable by members of an allowed room, with the allowed rooms.
      assertThat(eveHttp.get(V1 + "/room_summary/" + members).errcode()).isEqualTo("M_NOT_FOUND");
      eve.join(lobby);
      assertThat(eveHttp.get(V1 + "/room_summary/" + members).json()).containsEntry("join_rule", "restricted")
          .containsEntry("allowed_room_ids", List.of(lobby));

      assertThat(anon.get(V1 + "/room_summary/!missing:localhost").errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(anon.withToken("bogus").get(V1 + "/room_summary/" + lobby).errcode()).isEqualTo("M_UNKNOWN_TOKEN");
    }
  }
}
