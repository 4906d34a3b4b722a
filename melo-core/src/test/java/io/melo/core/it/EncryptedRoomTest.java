package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.melo.core.Channel;
import io.melo.core.Conversation;
import io.melo.core.MeloException;
import io.melo.core.Message;
import io.melo.core.MessagePage;
import io.melo.core.RuleViolationException;
import io.melo.core.Server;
import io.melo.core.event.UnknownEvent;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeOnly;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Melo has no end-to-end encryption: it never puts content in clear into a room whose state has
 * m.room.encryption (Element creates direct chats encrypted), flags such conversations, reads
 * their encrypted events without failing, and does not pick them for conversationWith.
 */
class EncryptedRoomTest extends AliceAndBobScene {

  private static final Map<String, Object> MEGOLM = Map.of("algorithm", "m.megolm.v1.aes-sha2");
  private static final String SECRET = "my card number is 4111 1111 1111 1111";

  private Conversation dm;

  @BeforeEach
  void openConversation() {
    dm = guest.conversationWith(alice.userId()).execute();
    alice.join(dm.id());
  }

  private long contentRequests() {
    return hs.requests().stream().filter(c -> c.endpoint() == Endpoint.SEND_EVENT
        || c.endpoint() == Endpoint.MEDIA_UPLOAD || c.endpoint() == Endpoint.MEDIA_UPLOAD_TO).count();
  }

  private static void assertEncryptedRefusal(Throwable thrown, String roomId) {
    assertThat(thrown).isInstanceOf(RuleViolationException.class).isInstanceOf(MeloException.class)
        .hasMessageContaining(roomId).hasMessageContaining("encrypted");
    assertThat(((RuleViolationException) thrown).rule()).isEqualTo(RuleViolationException.Rule.ROOM_ENCRYPTED);
    assertThat(((RuleViolationException) thrown).refusedByHomeserver()).isFalse();
  }

  @Test
  void aTextIsNeverSentInClearIntoAnEncryptedRoom() {
    // bob's other client (or alice's Element) enables encryption, as Element does for DMs.
    Recorder alices = new Recorder(owner);
    bob.setState(dm.id(), "m.room.encryption", "", MEGOLM);
    // Melo decides by the room state its sync has shown (as every Matrix client does): alice's
    // client has it once an event sent after the change has reached it.
    String after = bob.send(dm.id(), "m.room.encrypted", Map.of("algorithm", "m.megolm.v1.aes-sha2",
        "ciphertext", "AwgAEnACgAkLmt6qF84IK", "device_id", "BOBPHONE", "sender_key", "IlRMeOPX2e0", "session_id", "X3lU"));
    alices.await(UnknownEvent.class, e -> e.json().contains(after));

    Throwable thrown = catchThrowable(() -> owner.sendText(dm.id(), SECRET).execute());

    assertThat(hs.room(dm.id()).messages()).as("plaintext messages stored in the encrypted room")
        .noneMatch(e -> SECRET.equals(e.body()));
    assertThat(thrown).isInstanceOf(MeloException.class);
    assertEncryptedRefusal(thrown, dm.id());
  }

  @Test
  @FakeOnly("counts the send and upload requests the homeserver received")
  void everyWriteOfContentIsRefusedBeforeAnyRequestAndOnlyThere() {
    Message before = owner.sendText(dm.id(), "before encryption").execute(); // the same room works unencrypted
    Message theirs = guest.sendText(dm.id(), "bob's").execute();
    Recorder bobs = new Recorder(guest);
    bob.setState(dm.id(), "m.room.encryption", "", MEGOLM);
    String after = bob.send(dm.id(), "m.room.encrypted", Map.of("algorithm", "m.megolm.v1.aes-sha2",
        "ciphertext", "AwgAEnACgAkLmt6qF84IK", "device_id", "BOBPHONE", "sender_key", "IlRMeOPX2e0", "session_id", "X3lU"));
    bobs.await(UnknownEvent.class, e -> e.json().contains(after)); // bob's client has synced the change
    long requests = contentRequests();

    Map<String, Consumer<Void>> writes = new java.util.LinkedHashMap<>();
    writes.put("sendText", v -> guest.sendText(dm.id(), SECRET).execute());
    writes.put("reply", v -> guest.reply(dm.id(), before.id(), SECRET).execute());
    writes.put("sendToThread", v -> guest.sendToThread(dm.id(), before.id(), SECRET).execute());
    writes.put("sendAttachment", v -> guest.sendAttachment(dm.id(), new byte[] {1, 2}, "secret.png", "image/png")
        .execute());
    writes.put("editMessage", v -> guest.editMessage(dm.id(), theirs.id(), SECRET).execute());
    writes.put("react", v -> guest.react(dm.id(), before.id(), "👍").execute());
    writes.forEach((what, write) -> assertEncryptedRefusal(catchThrowable(() -> write.accept(null)), dm.id()));

    assertThat(contentRequests()).as("sends or uploads after the room turned encrypted").isEqualTo(requests);
    assertThat(hs.room(dm.id()).messages()).noneMatch(e -> SECRET.equals(e.body()));
    // Specific to the encrypted room: a channel of a server takes the same writes.
    Server server = owner.createServer("HQ").execute();
    Channel general = owner.channels(server.id()).execute().get(0);
    Message sent = owner.sendText(general.id(), "in clear where nobody was promised encryption").execute();
    owner.react(general.id(), sent.id(), "👍").execute();
    assertThat(owner.editMessage(general.id(), sent.id(), "edited").execute().body()).isEqualTo("edited");
  }

  @Test
  void encryptedEventsAreReadAsUnknownEventsAndLeftOutOfHistory() {
    Recorder alices = new Recorder(owner);
    Message clear = guest.sendText(dm.id(), "in clear, before").execute();
    bob.setState(dm.id(), "m.room.encryption", "", MEGOLM);
    String encrypted = bob.send(dm.id(), "m.room.encrypted", Map.of("algorithm", "m.megolm.v1.aes-sha2",
        "ciphertext", "AwgAEnACgAkLmt6qF84IK++J7UDH2Za1YVchHyprqTqsg", "device_id", "BOBPHONE",
        "sender_key", "IlRMeOPX2e0MurIyfWEucYBRVOEEUMrOHqn/8mLqMjA", "session_id", "X3lUlvLELLYxeTx4yOVu6UDpasGEVO0Jbu+QFnm0cKQ"));

    UnknownEvent live = alices.await(UnknownEvent.class, e -> e.type().equals("m.room.encrypted"));
    assertThat(live.roomId()).contains(dm.id());
    assertThat(live.json()).contains(encrypted);
    MessagePage page = owner.messages(dm.id(), null, 10).execute();
    assertThat(page.messages()).extracting(Message::id).contains(clear.id()).doesNotContain(encrypted);
  }

  @Test
  void conversationWithSkipsAnEncryptedConversationAndConversationsFlagIt() {
    Recorder bobs = new Recorder(guest);
    assertThat(dm.encrypted()).isFalse();
    assertThat(guest.conversationWith(alice.userId()).execute()).as("reused while not encrypted").isEqualTo(dm);
    bob.setState(dm.id(), "m.room.encryption", "", MEGOLM);
    // An encrypted event after the state change: once bob's client has it, its cache has the state too.
    String after = bob.send(dm.id(), "m.room.encrypted", Map.of("algorithm", "m.megolm.v1.aes-sha2",
        "ciphertext", "AwgAEnACgAkLmt6qF84IK", "device_id", "BOBPHONE", "sender_key", "IlRMeOPX2e0", "session_id", "X3lU"));
    bobs.await(UnknownEvent.class, e -> e.type().equals("m.room.encrypted") && e.json().contains(after));
    assertThat(guest.conversations().execute()).as("the only conversation with alice, flagged")
        .containsExactly(new Conversation(dm.id(), alice.userId(), true));

    Conversation fresh = guest.conversationWith(alice.userId()).execute();

    assertThat(fresh.id()).as("a new conversation instead of the encrypted one").isNotEqualTo(dm.id());
    assertThat(fresh.encrypted()).isFalse();
    assertThat(hs.room(fresh.id()).state("m.room.encryption", "")).isNull();
    assertThat(hs.room(fresh.id()).membership(alice.userId())).isEqualTo("invite");
    assertThat(guest.sendText(fresh.id(), "where Melo can write").execute().body()).isEqualTo("where Melo can write");
    assertThat(guest.conversationWith(alice.userId()).execute()).as("the new one is reused").isEqualTo(fresh);
    assertThat(guest.conversations().execute()).as("one per other user: the one Melo can write in")
        .containsExactly(new Conversation(fresh.id(), alice.userId(), false));
  }

  @Test
  void anInviteToAnEncryptedConversationIsNotJoined() {
    io.melo.testkit.TestUser carol = hs.register("carol");
    String encryptedDm = carol.createRoom(spec -> spec.invite(bob.userId()).direct()
        .initialState("m.room.encryption", "", MEGOLM));
    String clearDm = carol.createRoom(spec -> spec.invite(bob.userId()).direct());
    Conversation conversation = guest.conversationWith(carol.userId()).execute();

    assertThat(conversation.id()).as("the invite to the conversation that is not encrypted").isEqualTo(clearDm);
    assertThat(conversation.encrypted()).isFalse();
    assertThatThrownBy(() -> guest.sendText(encryptedDm, SECRET).execute()).isInstanceOf(MeloException.class);
    assertThat(hs.room(encryptedDm).membership(bob.userId())).isEqualTo("invite");
    assertThat(hs.room(clearDm).membership(bob.userId())).isEqualTo("join");
  }
}
