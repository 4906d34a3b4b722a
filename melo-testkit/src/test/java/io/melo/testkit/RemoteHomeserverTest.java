package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.testkit.model.Event;
import io.melo.testkit.model.MatrixError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link HomeserverExtension}'s real mode, pointed at a fake homeserver over HTTP only: users it
 * registers and their actions go through the client API, and {@link RoomView} reads the same
 * state the fake holds.
 */
class RemoteHomeserverTest {

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  @Test
  void registersFreshUsersOverHttpWithRandomSuffixesAndLearnsTheServerName() {
    RemoteHomeserver remote = RemoteHomeserver.of(hs.baseUrl());

    TestUser alice = remote.register("alice");
    TestUser again = remote.register("alice");

    assertThat(alice.userId()).startsWith("@alice-").endsWith(":" + hs.serverName());
    assertThat(again.userId()).isNotEqualTo(alice.userId());
    assertThat(remote.serverName()).isEqualTo(hs.serverName());
    assertThat(alice.toString()).doesNotContain(alice.accessToken()).doesNotContain(alice.password());
    assertThat(hs.requests()).extracting(RecordedCall::endpoint).contains(Endpoint.REGISTER);
  }

  @Test
  void actsOverHttpAndReadsRoomsAsAUserWhoIsInThem() {
    RemoteHomeserver remote = RemoteHomeserver.of(hs.baseUrl());
    List<TestUser> users = new CopyOnWriteArrayList<>();
    TestUser alice = remote.register("alice");
    TestUser bob = remote.register("bob");
    users.add(alice);
    users.add(bob);
    RemoteHomeserver.RoomReader reader = remote.new RoomReader(() -> users);

    String roomId = alice.createRoom(room -> room.name("lobby").preset("public_chat"));
    bob.join(roomId);
    String hello = bob.sendText(roomId, "hello");
    String redaction = alice.redact(roomId, hello);
    alice.setState(roomId, "m.room.topic", "", Map.of("topic", "news"));
    alice.setAccountData("org.example.setting", Map.of("on", true));
    bob.leave(roomId);

    RoomView over = new RoomView(reader, roomId);
    RoomView direct = hs.room(roomId);
    assertThat(over.membership(bob.userId())).isEqualTo("leave").isEqualTo(direct.membership(bob.userId()));
    assertThat(over.state("m.room.topic", "")).isEqualTo(direct.state("m.room.topic", ""));
    assertThat(over.state("m.room.name", "")).containsEntry("name", "lobby");
    assertThat(over.version()).isEqualTo(direct.version());
    assertThat(over.messages()).extracting(Event::eventId).containsExactly(hello);
    assertThat(over.messages().get(0).isRedacted()).isTrue();
    assertThat(over.messages().get(0).redactedBy().eventId()).isEqualTo(redaction);
    assertThat(over.messages().get(0).content()).doesNotContainKey("body");
    assertThat(over.timeline()).extracting(Event::eventId)
        .containsExactlyElementsOf(direct.timeline().stream().map(Event::eventId).toList());
    assertThat(alice.accountData("org.example.setting")).containsEntry("on", true);

    assertThatThrownBy(() -> bob.sendText(roomId, "gone")).isInstanceOfSatisfying(MatrixError.class,
        e -> assertThat(e.errcode()).isEqualTo("M_FORBIDDEN"));
    assertThatThrownBy(() -> alice.expireToken(true)).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("@FakeOnly");
  }

  @Test
  void retriesARateLimitedRequestAfterTheTimeTheServerAsked() {
    RemoteHomeserver remote = RemoteHomeserver.of(hs.baseUrl());
    TestUser alice = remote.register("alice");
    Fault limited = hs.faults().next(Endpoint.CREATE_ROOM).rateLimit(Duration.ofMillis(50));

    String roomId = alice.createRoom();

    assertThat(limited.fired()).isEqualTo(1);
    assertThat(hs.room(roomId).membership(alice.userId())).isEqualTo("join");
  }
}
