package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.model.Report;
import org.junit.jupiter.api.Test;

/** Reports of events, rooms and users are checked and kept for tests; answers per the spec's schemas. */
class ReportsTest {
  private static final String C = "/_matrix/client/v3";

  @Test
  void reportsAreKeptAndRefusedWhereTheSpecSays() {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestUser alice = hs.register("alice");
      TestUser bob = hs.register("bob");
      TestUser eve = hs.register("eve");
      String room = alice.createRoom(r -> r.preset("public_chat"));
      bob.join(room);
      String msg = alice.sendText(room, "something bad");
      TestHttp bobHttp = new TestHttp(hs.baseUrl()).withToken(bob.accessToken());
      TestHttp eveHttp = new TestHttp(hs.baseUrl()).withToken(eve.accessToken());

      assertThat(bobHttp.post(C + "/rooms/" + room + "/report/" + msg, "{\"reason\":\"rude\"}").text()).isEqualTo("{}");
      assertThat(bobHttp.post(C + "/rooms/" + room + "/report/" + msg, "{}").status()).isEqualTo(200);
      // Reporting an event needs membership (spec v1.8); a room or user report does not.
      assertThat(eveHttp.post(C + "/rooms/" + room + "/report/" + msg, "{}").errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(eveHttp.post(C + "/rooms/" + room + "/report", "{\"reason\":\"\"}").status()).isEqualTo(200);
      assertThat(eveHttp.post(C + "/users/" + alice.userId() + "/report", "{\"reason\":\"spam\"}").status())
          .isEqualTo(200);
      assertThat(eveHttp.post(C + "/rooms/!nope:localhost/report", "{\"reason\":\"x\"}").errcode())
          .isEqualTo("M_NOT_FOUND");
      TestHttp.Answer noReason = eveHttp.unchecked().post(C + "/users/" + alice.userId() + "/report", "{}");
      assertThat(noReason.status()).isEqualTo(400);
      assertThat(noReason.errcode()).isEqualTo("M_MISSING_PARAM");
      alice.redact(room, msg);
      assertThat(bobHttp.post(C + "/rooms/" + room + "/report/" + msg, "{}").errcode()).isEqualTo("M_NOT_FOUND");

      assertThat(hs.reports()).extracting(Report::reporter, Report::roomId, Report::eventId, Report::userId,
          Report::reason).containsExactly(
              org.assertj.core.groups.Tuple.tuple(bob.userId(), room, msg, null, "rude"),
              org.assertj.core.groups.Tuple.tuple(bob.userId(), room, msg, null, null),
              org.assertj.core.groups.Tuple.tuple(eve.userId(), room, null, null, ""),
              org.assertj.core.groups.Tuple.tuple(eve.userId(), null, null, alice.userId(), "spam"));
    }
  }
}
