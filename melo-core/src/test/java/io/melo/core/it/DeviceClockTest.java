package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Channel;
import io.melo.core.MeloClient;
import io.melo.core.Message;
import io.melo.core.Server;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.TestUser;
import io.melo.testkit.model.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Message times are the homeserver's, never the device's (review9 #5): against a homeserver whose
 * clock is an hour behind this device's, own sends and edits carry the server's {@code
 * origin_server_ts}, and the latest edit by server time wins.
 */
@FakeOnly("advances the fake homeserver's clock")
class DeviceClockTest {

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension(
      FakeHomeserver.builder().clock(Clock.manual(System.currentTimeMillis() - Duration.ofHours(1).toMillis())));

  private Fixture fixture;

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private long serverTs(String roomId, String eventId) {
    return hs.room(roomId).timeline().stream()
        .filter(e -> e.eventId().equals(eventId)).findFirst().orElseThrow().originServerTs();
  }

  @Test
  void theLatestEditWinsAndSentAtIsTheServersTimeWhateverTheDeviceClock() {
    fixture = new Fixture(hs);
    TestUser alice = hs.register("alice");
    MeloClient owner = fixture.login(alice);
    Server server = owner.createServer("HQ").execute();
    Channel general = owner.channels(server.id()).execute().get(0);

    Message sent = owner.sendText(general.id(), "v1").execute();
    Message edited = owner.editMessage(general.id(), sent.id(), "v2").execute();
    String editId = hs.room(general.id()).messages().stream()
        .filter(e -> "* v2".equals(e.body())).findFirst().orElseThrow().eventId();
    hs.clock().advance(Duration.ofSeconds(5));
    // The same author edits again later from another device (a raw client).
    alice.send(general.id(), "m.room.message", Map.of(
        "msgtype", "m.text", "body", "* v3",
        "m.new_content", Map.of("msgtype", "m.text", "body", "v3"),
        "m.relates_to", Map.of("rel_type", "m.replace", "event_id", sent.id())));

    Message read = owner.messages(general.id(), null, 20).execute().messages().stream()
        .filter(m -> m.id().equals(sent.id())).findFirst().orElseThrow();
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(read.body()).as("the latest edit").isEqualTo("v3");
    soft.assertThat(sent.sentAt()).as("sentAt of the sent message")
        .isEqualTo(Instant.ofEpochMilli(serverTs(general.id(), sent.id())));
    soft.assertThat(edited.editedAt()).as("editedAt of the edit")
        .contains(Instant.ofEpochMilli(serverTs(general.id(), editId)));
    soft.assertThat(read.sentAt()).as("sentAt as read").isEqualTo(sent.sentAt());
    soft.assertAll();
  }
}
