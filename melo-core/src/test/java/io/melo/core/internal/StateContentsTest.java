package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.ChannelType;
import io.melo.core.PrivateProfile;
import io.melo.matrix.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateContentsTest {

  private static final Instant AT = Instant.parse("2026-12-01T02:50:29.123Z");

  @Test
  void serverContentHasTheDesignsShape() {
    StateContents.Server server = StateContents.Server.of("AAAAAAAAAAAAAAAAAAAAAA", "@owner:hs", AT);
    assertThat(server.toJson().toJson())
        .isEqualTo("{\"inviteCode\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"ownerId\":\"@owner:hs\",\"createdAt\":\"2026-12-01T02:50:29.123Z\"}");
    assertThat(StateContents.Server.from(server.toJson())).isEqualTo(new StateContents.Server(
        "AAAAAAAAAAAAAAAAAAAAAA", "@owner:hs", AT, server.toJson()));
  }

  @Test
  void regeneratingTheCodeKeepsOtherClientsFields() {
    JsonObject stored = JsonObject.parseObject(
        "{\"inviteCode\":\"old\",\"ownerId\":\"@owner:hs\",\"createdAt\":1700000000000,\"banner\":{\"url\":\"mxc://hs/b\"}}");
    StateContents.Server server = StateContents.Server.from(stored);
    assertThat(server.createdAt()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
    JsonObject written = server.withInviteCode("new").toJson();
    assertThat(written.getStringOrNull("inviteCode")).isEqualTo("new");
    assertThat(written.getObjectOrEmpty("banner").getStringOrNull("url")).isEqualTo("mxc://hs/b");
    assertThat(written.getStringOrNull("ownerId")).isEqualTo("@owner:hs");
  }

  @Test
  void malformedServerContentReadsAsAbsentFieldsNeverThrows() {
    StateContents.Server server = StateContents.Server.from(JsonObject.parseObject("{\"ownerId\":5,\"createdAt\":\"soon\"}"));
    assertThat(server.ownerId()).isNull();
    assertThat(server.hasOwner()).isFalse();
    assertThat(server.createdAt()).isNull();
    assertThat(server.toJson().toJson()).isEqualTo("{\"ownerId\":5,\"createdAt\":\"soon\"}");
  }

  @Test
  void channelContentKeepsUnknownTypesAndReadsThemAsText() {
    StateContents.Channel channel = StateContents.Channel.of(ChannelType.VIDEO, "@mod:hs", AT);
    assertThat(channel.toJson().toJson())
        .isEqualTo("{\"type\":\"VIDEO\",\"creatorId\":\"@mod:hs\",\"createdAt\":\"2026-12-01T02:50:29.123Z\"}");
    assertThat(StateContents.Channel.from(channel.toJson()).channelType()).isEqualTo(ChannelType.VIDEO);
    StateContents.Channel stage = StateContents.Channel.from(JsonObject.parseObject("{\"type\":\"STAGE\"}"));
    assertThat(stage.type()).isEqualTo("STAGE");
    assertThat(stage.channelType()).isEqualTo(ChannelType.TEXT);
    assertThat(StateContents.Channel.from(JsonObject.EMPTY).channelType()).isEqualTo(ChannelType.TEXT);
  }

  @Test
  void deletionMarkers() {
    StateContents.Deletion deletion = StateContents.Deletion.of("@owner:hs", AT);
    assertThat(deletion.toJson().toJson()).isEqualTo("{\"deletedBy\":\"@owner:hs\",\"deletedAt\":\"2026-12-01T02:50:29.123Z\"}");
    assertThat(StateContents.Deletion.from(deletion.toJson()).isDeletion()).isTrue();
    assertThat(StateContents.Deletion.from(JsonObject.EMPTY).isDeletion()).isFalse();
  }

  @Test
  void channelOrderSkipsMalformedEntriesAndKeepsOtherFields() {
    JsonObject stored = JsonObject.parseObject(
        "{\"channels\":[{\"roomId\":\"!a\",\"position\":1},{\"roomId\":\"!b\"},\"junk\",{\"roomId\":\"!c\",\"position\":0}],\"v\":2}");
    StateContents.ChannelOrder order = StateContents.ChannelOrder.from(stored);
    assertThat(order.channels()).containsExactly(new ChannelOrdering.Entry("!a", 1), new ChannelOrdering.Entry("!c", 0));
    JsonObject written = order.withChannels(List.of(new ChannelOrdering.Entry("!c", 0), new ChannelOrdering.Entry("!a", 1))).toJson();
    assertThat(written.toJson())
        .isEqualTo("{\"channels\":[{\"roomId\":\"!c\",\"position\":0},{\"roomId\":\"!a\",\"position\":1}],\"v\":2}");
  }

  @Test
  void profileUpdatesOnlyWhatIsGivenAndKeepsTheRest() {
    StateContents.Profile stored =
        StateContents.Profile.from(JsonObject.parseObject("{\"email\":\"a@x.org\",\"externalId\":\"u1\",\"clerkId\":\"c9\"}"));
    assertThat(stored.toPrivateProfile()).isEqualTo(new PrivateProfile(Optional.of("a@x.org"), Optional.of("u1")));
    JsonObject written = stored.updatedWith(new PrivateProfile(Optional.of("b@x.org"), Optional.empty())).toJson();
    assertThat(written.toJson()).isEqualTo("{\"email\":\"b@x.org\",\"externalId\":\"u1\",\"clerkId\":\"c9\"}");
  }
}
