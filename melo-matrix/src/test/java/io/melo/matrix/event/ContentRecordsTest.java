package io.melo.matrix.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentRecordsTest {

  static JsonObject json(String text) {
    return JsonObject.parseObject(text);
  }

  @Test
  void powerLevelsReadModifyWriteKeepsUnknownFieldsAndExactIntegers() {
    JsonObject original = json("{\"users\":{\"@owner:hs\":101,\"@mod:hs\":50},\"users_default\":0,"
        + "\"events\":{\"m.room.name\":50,\"io.melo.server\":100},\"events_default\":0,\"state_default\":100,"
        + "\"invite\":0,\"kick\":50,\"ban\":50,\"redact\":50,\"notifications\":{\"room\":50,\"org.example\":3},"
        + "\"org.other.client\":{\"keep\":[1,2]},\"historical\":100}");
    PowerLevelsContent pl = PowerLevelsContent.from(original);
    JsonObject written = pl.withUser("@bob:hs", 50).toJson();

    assertThat(written.getObjectOrEmpty("org.other.client")).isEqualTo(json("{\"keep\":[1,2]}"));
    assertThat(written.getLong("historical")).hasValue(100);
    assertThat(written.getObjectOrEmpty("users")).isEqualTo(json("{\"@owner:hs\":101,\"@mod:hs\":50,\"@bob:hs\":50}"));
    assertThat(written.without("users")).isEqualTo(original.without("users"));
    assertThat(written.toJson()).contains("\"@owner:hs\":101").doesNotContain("101.0").doesNotContain("50.0");

    PowerLevelsContent changed = pl.withUser("@mod:hs", 0).withoutUser("@owner:hs").withEvent("m.room.topic", 50)
        .withStateDefault(50).withModeration(0, 25, 25, 25);
    assertThat(changed.userLevel("@mod:hs")).isZero();
    assertThat(changed.userLevel("@owner:hs")).isZero();
    assertThat(changed.eventLevel("m.room.topic", true)).isEqualTo(50);
    assertThat(changed.kickLevel()).isEqualTo(25);
    assertThat(changed.toJson().getObjectOrEmpty("org.other.client").isEmpty()).isFalse();
    assertThat(pl.userLevel("@owner:hs")).isEqualTo(101); // the original is unchanged
  }

  @Test
  void powerLevelsDefaultsAndLegacyStringLevels() {
    PowerLevelsContent empty = PowerLevelsContent.from(JsonObject.EMPTY);
    assertThat(empty.userLevel("@x:hs")).isZero();
    assertThat(empty.eventLevel("m.room.name", true)).isEqualTo(50);
    assertThat(empty.eventLevel("m.room.message", false)).isZero();
    assertThat(empty.banLevel()).isEqualTo(50);
    assertThat(empty.inviteLevel()).isZero();
    assertThat(empty.notificationLevel("room")).isEqualTo(50);

    JsonObject legacy = json("{\"users\":{\"@a:hs\":\"100\",\"@weird:hs\":\"high\"},\"ban\":\"60\"}");
    PowerLevelsContent pl = PowerLevelsContent.from(legacy);
    assertThat(pl.userLevel("@a:hs")).isEqualTo(100);
    assertThat(pl.banLevel()).isEqualTo(60);
    // a level that is no integer at all survives untouched
    assertThat(pl.toJson().getObjectOrEmpty("users").getString("@weird:hs")).contains("high");
    assertThat(pl.withUser("@weird:hs", 10).toJson().getObjectOrEmpty("users").getLong("@weird:hs")).hasValue(10);
  }

  @Test
  void messageFactoriesEditsRepliesAndThreads() {
    assertThat(MessageContent.text("hi").toJson()).isEqualTo(json("{\"msgtype\":\"m.text\",\"body\":\"hi\"}"));
    MessageContent image = MessageContent.media(MsgType.IMAGE, "cat.png", "mxc://hs/abc", MediaInfo.of("image/png", 1234));
    assertThat(image.toJson()).isEqualTo(json("{\"msgtype\":\"m.image\",\"body\":\"cat.png\",\"url\":\"mxc://hs/abc\","
        + "\"info\":{\"mimetype\":\"image/png\",\"size\":1234}}"));
    assertThatThrownBy(() -> MessageContent.media(MsgType.TEXT, "x", "mxc://hs/a", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image, file, audio or video");
    assertThatThrownBy(() -> MessageContent.media(MsgType.FILE, "x", "https://evil", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mxc://");

    MessageContent edit = MessageContent.html("new", "<b>new</b>").asEditOf("$orig");
    assertThat(edit.toJson()).isEqualTo(json("{\"msgtype\":\"m.text\",\"body\":\"* new\",\"format\":\"org.matrix.custom.html\","
        + "\"formatted_body\":\"* <b>new</b>\",\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$orig\"},"
        + "\"m.new_content\":{\"msgtype\":\"m.text\",\"body\":\"new\",\"format\":\"org.matrix.custom.html\",\"formatted_body\":\"<b>new</b>\"}}"));
    MessageContent parsedEdit = MessageContent.from(edit.toJson());
    assertThat(parsedEdit.isEdit()).isTrue();
    assertThat(parsedEdit.newContent().body()).isEqualTo("new");
    assertThat(parsedEdit).isEqualTo(edit);

    MessageContent reply = MessageContent.text("yes").withRelatesTo(RelatesTo.reply("$q"));
    assertThat(reply.toJson().getObjectOrEmpty("m.relates_to")).isEqualTo(json("{\"m.in_reply_to\":{\"event_id\":\"$q\"}}"));
    MessageContent thread = MessageContent.text("t").withRelatesTo(RelatesTo.thread("$root", "$latest"));
    assertThat(thread.toJson().getObjectOrEmpty("m.relates_to")).isEqualTo(json("{\"rel_type\":\"m.thread\",\"event_id\":\"$root\","
        + "\"m.in_reply_to\":{\"event_id\":\"$latest\"},\"is_falling_back\":true}"));
    RelatesTo back = MessageContent.from(thread.toJson()).relatesTo();
    assertThat(back.isThread()).isTrue();
    assertThat(back.inReplyTo()).isEqualTo("$latest");
    assertThat(back.isFallingBack()).isTrue();
  }

  @Test
  void unknownValuesNeverThrowAndSurviveARoundTrip() {
    JsonObject odd = json("{\"msgtype\":\"org.example.poll\",\"body\":5,\"url\":null,\"info\":\"nope\",\"x\":{\"y\":1.50}}");
    MessageContent message = MessageContent.from(odd);
    assertThat(message.type()).isEqualTo(MsgType.UNKNOWN);
    assertThat(message.body()).isNull();
    assertThat(message.info()).isNull();
    assertThat(message.toJson()).isEqualTo(odd);
    assertThat(message.toJson().toJson()).contains("1.50");

    MemberContent member = MemberContent.from(json("{\"membership\":\"org.example.lurk\",\"displayname\":\"A\"}"));
    assertThat(member.membership()).isEqualTo(Membership.UNKNOWN);
    assertThat(member.membershipValue()).isEqualTo("org.example.lurk");
    assertThat(member.toJson()).isEqualTo(json("{\"membership\":\"org.example.lurk\",\"displayname\":\"A\"}"));
    assertThat(MemberContent.from(JsonObject.EMPTY).membershipValue()).isNull();

    JoinRulesContent rules = JoinRulesContent.from(json("{\"join_rule\":\"org.example.secret\",\"allow\":[1]}"));
    assertThat(rules.joinRule()).isEqualTo(JoinRule.UNKNOWN);
    assertThat(rules.joinRuleValue()).isEqualTo("org.example.secret");
    assertThat(rules.allow()).isEmpty();
    assertThat(rules.toJson()).isEqualTo(json("{\"join_rule\":\"org.example.secret\",\"allow\":[1]}"));
    assertThat(JoinRule.of("knock_restricted")).isEqualTo(JoinRule.KNOCK_RESTRICTED);

    assertThat(GuestAccessContent.from(json("{\"guest_access\":\"maybe\"}")).guestAccess()).isEqualTo(GuestAccess.UNKNOWN);
    assertThat(HistoryVisibilityContent.from(json("{\"history_visibility\":7}")).toJson()).isEqualTo(json("{\"history_visibility\":7}"));
    assertThat(SpaceChildContent.from(json("{\"via\":[\"a\",3]}")).toJson()).isEqualTo(json("{\"via\":[\"a\",3]}"));
    assertThat(SpaceChildContent.from(json("{\"via\":[\"a\",3]}")).isRemoved()).isTrue();
  }

  @Test
  void factoriesForMeloState() {
    assertThat(JoinRulesContent.restricted("!space:hs").toJson()).isEqualTo(json(
        "{\"join_rule\":\"restricted\",\"allow\":[{\"type\":\"m.room_membership\",\"room_id\":\"!space:hs\"}]}"));
    assertThat(SpaceChildContent.of(List.of("hs")).toJson()).isEqualTo(json("{\"via\":[\"hs\"]}"));
    assertThat(SpaceChildContent.removed().toJson()).isEqualTo(JsonObject.EMPTY);
    assertThat(SpaceChildContent.from(JsonObject.EMPTY).isRemoved()).isTrue();
    assertThat(SpaceParentContent.of(List.of("hs"), true).toJson()).isEqualTo(json("{\"via\":[\"hs\"],\"canonical\":true}"));
    assertThat(ReactionContent.of("$e", "👍").toJson()).isEqualTo(json(
        "{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":\"$e\",\"key\":\"👍\"}}"));
    assertThat(MemberContent.of(Membership.BAN).withReason("spam").toJson()).isEqualTo(json("{\"membership\":\"ban\",\"reason\":\"spam\"}"));
    assertThat(GuestAccessContent.of(GuestAccess.FORBIDDEN).toJson()).isEqualTo(json("{\"guest_access\":\"forbidden\"}"));
    assertThat(CreateContent.from(json("{\"type\":\"m.space\"}")).isSpace()).isTrue();
    assertThat(CreateContent.from(JsonObject.EMPTY).effectiveRoomVersion()).isEqualTo("1");
    assertThatThrownBy(() -> MemberContent.of(Membership.UNKNOWN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SpaceChildContent.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RelatesTo.annotation("$e", "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roomEventHelpersAndErrors() {
    JsonObject v11Redaction = json("{\"event_id\":\"$r\",\"type\":\"m.room.redaction\",\"sender\":\"@a:hs\","
        + "\"origin_server_ts\":5,\"content\":{\"redacts\":\"$gone\"},\"unsigned\":{\"transaction_id\":\"t1\",\"age\":9}}");
    RoomEvent event = RoomEvent.from(v11Redaction, "!ctx:hs");
    assertThat(event.redacts()).contains("$gone");
    assertThat(event.transactionId()).contains("t1");
    assertThat(event.age()).hasValue(9);
    assertThat(event.roomId()).isEqualTo("!ctx:hs");
    assertThat(event.isState()).isFalse();
    assertThat(event.isRedacted()).isFalse();

    assertThatThrownBy(() -> RoomEvent.from(json("{\"type\":\"m.room.message\"}")))
        .isInstanceOf(MatrixProtocolException.class).hasMessageContaining("\"event_id\"");
    assertThatThrownBy(() -> RoomEvent.from(json("{\"event_id\":\"$x\",\"type\":\"t\",\"sender\":\"@a:hs\","
        + "\"origin_server_ts\":1,\"content\":{},\"state_key\":5}")))
        .isInstanceOf(MatrixProtocolException.class).hasMessageContaining("$x").hasMessageContaining("state_key");
    assertThatThrownBy(() -> StrippedStateEvent.from(json("{\"type\":\"m.room.name\"}")))
        .isInstanceOf(MatrixProtocolException.class);
    assertThatThrownBy(() -> BasicEvent.from(json("{\"content\":{}}"))).isInstanceOf(MatrixProtocolException.class);
    assertThat(BasicEvent.of("m.direct", JsonObject.EMPTY).toJson()).isEqualTo(json("{\"type\":\"m.direct\",\"content\":{}}"));
  }
}
