package io.melo.matrix.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.melo.matrix.json.JsonArray;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every event example of the Matrix spec parses, keeps its fields and round-trips its content. */
class SpecExampleEventsTest {

  /** Content round trips for every type with a typed record. */
  static final Map<String, Function<JsonObject, JsonObject>> TYPED = Map.ofEntries(
      Map.entry(EventTypes.MESSAGE, c -> MessageContent.from(c).toJson()),
      Map.entry(EventTypes.MEMBER, c -> MemberContent.from(c).toJson()),
      Map.entry(EventTypes.POWER_LEVELS, c -> PowerLevelsContent.from(c).toJson()),
      Map.entry(EventTypes.CREATE, c -> CreateContent.from(c).toJson()),
      Map.entry(EventTypes.NAME, c -> NameContent.from(c).toJson()),
      Map.entry(EventTypes.TOPIC, c -> TopicContent.from(c).toJson()),
      Map.entry(EventTypes.AVATAR, c -> AvatarContent.from(c).toJson()),
      Map.entry(EventTypes.JOIN_RULES, c -> JoinRulesContent.from(c).toJson()),
      Map.entry(EventTypes.GUEST_ACCESS, c -> GuestAccessContent.from(c).toJson()),
      Map.entry(EventTypes.HISTORY_VISIBILITY, c -> HistoryVisibilityContent.from(c).toJson()),
      Map.entry(EventTypes.CANONICAL_ALIAS, c -> CanonicalAliasContent.from(c).toJson()),
      Map.entry(EventTypes.SPACE_CHILD, c -> SpaceChildContent.from(c).toJson()),
      Map.entry(EventTypes.SPACE_PARENT, c -> SpaceParentContent.from(c).toJson()),
      Map.entry(EventTypes.REDACTION, c -> RedactionContent.from(c).toJson()),
      Map.entry(EventTypes.REACTION, c -> ReactionContent.from(c).toJson()),
      Map.entry(EventTypes.TOMBSTONE, c -> TombstoneContent.from(c).toJson()),
      Map.entry(EventTypes.ENCRYPTED, c -> EncryptedContent.from(c).toJson()));

  @BeforeAll
  static void specPresent() {
    assumeTrue(SpecExamples.specDir() != null, "shared/spec not found; set -Dmelo.spec.dir");
  }

  @TestFactory
  Stream<DynamicTest> everyEventExampleParsesAndRoundTrips() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : SpecExamples.names()) {
      JsonValue loaded = SpecExamples.load(name);
      if (!(loaded instanceof JsonObject event)) {
        continue; // the stripped-state arrays, tested below
      }
      tests.add(DynamicTest.dynamicTest(name, () -> checkExample(name, event)));
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(80);
    return tests.stream();
  }

  private static void checkExample(String name, JsonObject event) {
    String type = event.getStringOrNull("type");
    assertThat(type).as(name).isNotNull();
    JsonObject content = event.getObjectOrEmpty("content");
    if (event.containsKey("event_id")) {
      RoomEvent parsed = RoomEvent.from(event);
      assertThat(parsed.eventId()).isEqualTo(event.getStringOrNull("event_id"));
      assertThat(parsed.type()).isEqualTo(type);
      assertThat(parsed.sender()).isEqualTo(event.getStringOrNull("sender"));
      assertThat(parsed.originServerTs()).isEqualTo(event.getLong("origin_server_ts").getAsLong());
      assertThat(parsed.stateKey()).isEqualTo(event.getStringOrNull("state_key"));
      assertThat(parsed.roomId()).isEqualTo(event.getStringOrNull("room_id"));
      assertThat(parsed.content()).isEqualTo(content);
      assertThat(parsed.toJson().toJson()).isEqualTo(event.toJson());
    } else {
      BasicEvent parsed = BasicEvent.from(event);
      assertThat(parsed.type()).isEqualTo(type);
      assertThat(parsed.content()).isEqualTo(content);
    }
    Function<JsonObject, JsonObject> roundTrip = TYPED.get(type);
    if (roundTrip != null) {
      assertThat(roundTrip.apply(content)).as(name + " content round trip").isEqualTo(content);
    }
  }

  @Test
  void everyTypedEventTypeHasAnExample() {
    List<String> typesSeen = new ArrayList<>();
    for (String name : SpecExamples.names()) {
      SpecExamples.load(name).asObject().flatMap(o -> o.getString("type")).ifPresent(typesSeen::add);
    }
    assertThat(typesSeen).containsAll(TYPED.keySet());
    assertThat(typesSeen.stream().filter(EventTypes.MESSAGE::equals).count()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void strippedStateExamples() {
    for (String name : List.of("invite_room_state.json", "knock_room_state.json")) {
      JsonArray array = SpecExamples.load(name).asArray().orElseThrow();
      assertThat(array.size()).isGreaterThan(0);
      for (JsonObject raw : array.objects()) {
        StrippedStateEvent e = StrippedStateEvent.from(raw);
        assertThat(e.type()).isEqualTo(raw.getStringOrNull("type"));
        assertThat(e.stateKey()).isEqualTo(raw.getStringOrNull("state_key"));
        assertThat(e.sender()).isEqualTo("@bob:example.org");
      }
    }
    StrippedStateEvent name = StrippedStateEvent.from(SpecExamples.load("invite_room_state.json").asArray().orElseThrow().objects().get(0));
    assertThat(NameContent.from(name.content()).name()).isEqualTo("Example Room");
  }

  private static JsonObject content(String example) {
    return SpecExamples.load(example).asObject().orElseThrow().getObjectOrEmpty("content");
  }

  @Test
  void keyFieldsOfMessageExamples() {
    MessageContent text = MessageContent.from(content("m.room.message$m.text.json"));
    assertThat(text.type()).isEqualTo(MsgType.TEXT);
    assertThat(text.body()).isEqualTo("This is an example text message");
    assertThat(text.format()).isEqualTo(MessageContent.HTML_FORMAT);
    assertThat(text.formattedBody()).isEqualTo("<b>This is an example text message</b>");

    MessageContent image = MessageContent.from(content("m.room.message$m.image.json"));
    assertThat(image.type()).isEqualTo(MsgType.IMAGE);
    assertThat(image.url()).isEqualTo("mxc://example.org/JWEIFJgwEIhweiWJE");
    assertThat(image.info().mimetype()).isEqualTo("image/jpeg");
    assertThat(image.info().size()).isEqualTo(31037L);
    assertThat(image.info().width()).isEqualTo(394L);
    assertThat(image.info().height()).isEqualTo(398L);
    assertThat(image.info().extra().getBoolean("is_animated")).contains(false);

    for (String media : List.of("m.file", "m.video", "m.audio")) {
      MessageContent m = MessageContent.from(content("m.room.message$" + media + ".json"));
      assertThat(m.type().value()).isEqualTo(media);
      assertThat(m.url()).startsWith("mxc://");
      assertThat(m.info()).isNotNull();
    }
    assertThat(MessageContent.from(content("m.room.message$m.notice.json")).type()).isEqualTo(MsgType.NOTICE);
    assertThat(MessageContent.from(content("m.room.message$m.emote.json")).type()).isEqualTo(MsgType.EMOTE);
    MessageContent unknown = MessageContent.from(content("m.room.message$m.server_notice.json"));
    assertThat(unknown.type()).isEqualTo(MsgType.UNKNOWN);
    assertThat(unknown.msgtype()).isEqualTo("m.server_notice");
  }

  @Test
  void keyFieldsOfStateExamples() {
    MemberContent member = MemberContent.from(content("m.room.member.json"));
    assertThat(member.membership()).isEqualTo(Membership.JOIN);
    assertThat(member.displayname()).isEqualTo("Alice Margatroid");
    assertThat(member.avatarUrl()).isEqualTo("mxc://example.org/SEsfnsuifSDFSSEF");
    assertThat(member.reason()).isEqualTo("Looking for support");
    MemberContent thirdParty = MemberContent.from(content("m.room.member$third_party_invite.json"));
    assertThat(thirdParty.membership()).isEqualTo(Membership.INVITE);
    assertThat(thirdParty.extra().containsKey("third_party_invite")).isTrue();

    PowerLevelsContent pl = PowerLevelsContent.from(content("m.room.power_levels.json"));
    assertThat(pl.userLevel("@example:localhost")).isEqualTo(100);
    assertThat(pl.userLevel("@other:localhost")).isZero();
    assertThat(pl.eventLevel("m.room.name", true)).isEqualTo(100);
    assertThat(pl.eventLevel("m.room.topic", true)).isEqualTo(50);
    assertThat(pl.eventLevel("m.room.message", false)).isZero();
    assertThat(pl.banLevel()).isEqualTo(50);
    assertThat(pl.notificationLevel("room")).isEqualTo(20);

    CreateContent create = CreateContent.from(content("m.room.create.json"));
    assertThat(create.roomVersion()).isEqualTo("11");
    assertThat(create.federate()).isTrue();
    assertThat(create.predecessor().roomId()).isEqualTo("!oldroom:example.org");
    assertThat(create.predecessor().eventId()).isEqualTo("$something:example.org");
    assertThat(create.isSpace()).isFalse();

    JoinRulesContent restricted = JoinRulesContent.from(content("m.room.join_rules$restricted.json"));
    assertThat(restricted.joinRule()).isEqualTo(JoinRule.RESTRICTED);
    assertThat(restricted.allow()).extracting(JoinRulesContent.AllowCondition::roomId)
        .containsExactly("!other:example.org", "!elsewhere:example.org");

    SpaceChildContent child = SpaceChildContent.from(content("m.space.child.json"));
    assertThat(child.via()).containsExactly("example.org", "other.example.org");
    assertThat(child.order()).isEqualTo("lexicographically_compare_me");
    assertThat(child.suggested()).isTrue();
    assertThat(child.isRemoved()).isFalse();
    SpaceParentContent parent = SpaceParentContent.from(content("m.space.parent.json"));
    assertThat(parent.isCanonical()).isTrue();
    assertThat(parent.via()).hasSize(2);

    assertThat(TopicContent.from(content("m.room.topic.json")).topic()).isEqualTo("An interesting room topic");
    assertThat(AvatarContent.from(content("m.room.avatar.json")).info().size()).isEqualTo(31037L);
    TombstoneContent tombstone = TombstoneContent.from(content("m.room.tombstone.json"));
    assertThat(tombstone.replacementRoom()).isEqualTo("!newroom:example.org");
    assertThat(GuestAccessContent.from(content("m.room.guest_access.json")).guestAccess()).isNotEqualTo(GuestAccess.UNKNOWN);
    assertThat(HistoryVisibilityContent.from(content("m.room.history_visibility.json")).historyVisibility())
        .isNotEqualTo(HistoryVisibility.UNKNOWN);
    assertThat(CanonicalAliasContent.from(content("m.room.canonical_alias.json")).alias()).startsWith("#");
  }

  @Test
  void keyFieldsOfRelationExamples() {
    RoomEvent redaction = RoomEvent.from(SpecExamples.load("m.room.redaction.json").asObject().orElseThrow());
    assertThat(redaction.redacts()).contains("$fukweghifu23:localhost");
    assertThat(RedactionContent.from(redaction.content()).reason()).isEqualTo("Spamming");

    ReactionContent reaction = ReactionContent.from(content("m.reaction.json"));
    assertThat(reaction.isValid()).isTrue();
    assertThat(reaction.eventId()).isEqualTo("$some_event_id");
    assertThat(reaction.key()).isEqualTo("👍");

    EncryptedContent encrypted = EncryptedContent.from(content("m.room.encrypted$megolm.json"));
    assertThat(encrypted.algorithm()).isEqualTo("m.megolm.v1.aes-sha2");
    assertThat(encrypted.raw().getString("session_id")).isPresent();
  }
}
