package io.melo.bench.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.bench.SyncJsonGenerator;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonNumber;
import io.melo.matrix.sync.JoinedRoom;
import io.melo.matrix.sync.JoinedRoomCompactSink;
import io.melo.matrix.sync.JoinedRoomMember;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's answer parsed for a compact sink (as melo-core's ingest does) holds exactly what
 * the typed parse gives: the plain member state as members with the same fields, the rest equal.
 */
class CompactIngestParseTest {

  private static final Set<String> MEMBER_FIELDS = Set.of("membership", "displayname", "avatar_url");

  private static boolean plainMember(RoomEvent event) {
    return event.isType("m.room.member") && MEMBER_FIELDS.containsAll(event.content().keys())
        && event.content().getStringOrNull("membership") != null
        && event.content().keys().stream().allMatch(k -> event.content().getStringOrNull(k) != null)
        && event.raw().getOrNull("origin_server_ts") instanceof JsonNumber n && n.isIntegral();
  }

  @Test
  void generatedAnswersParseAlikeForACompactSink() {
    for (long seed : new long[] {42L, 7L}) {
      byte[] json = SyncJsonGenerator.generate(60, 20, 30, seed);
      SyncResponse typed = SyncResponseParser.parse(new Buffer().write(json));
      List<JoinedRoom> rooms = new ArrayList<>();
      List<List<JoinedRoomMember>> members = new ArrayList<>();
      SyncResponse rest = SyncResponseParser.parse(new Buffer().write(json), (JoinedRoomCompactSink) (room, m) -> {
        rooms.add(room);
        members.add(m);
      });
      assertThat(rest.rejected()).isEqualTo(typed.rejected());
      assertThat(rest.accountData()).isEqualTo(typed.accountData());
      assertThat(rest.presence()).isEqualTo(typed.presence());
      assertThat(rest.extra()).isEqualTo(typed.extra());
      List<JoinedRoom> expected = new ArrayList<>(typed.rooms().join().values());
      assertThat(rooms).hasSameSizeAs(expected);
      int compacted = 0;
      for (int r = 0; r < rooms.size(); r++) {
        JoinedRoom want = expected.get(r);
        List<RoomEvent> wantMembers = new ArrayList<>();
        List<RoomEvent> wantState = new ArrayList<>();
        boolean compacting = true;
        for (RoomEvent event : want.state()) {
          if (compacting && plainMember(event)) {
            wantMembers.add(event);
          } else {
            compacting &= !event.isType("m.room.member");
            wantState.add(event);
          }
        }
        assertThat(rooms.get(r)).isEqualTo(new JoinedRoom(want.roomId(), want.summary(), wantState, want.stateAfter(),
            want.timeline(), want.ephemeral(), want.accountData(), want.unreadNotifications(),
            want.unreadThreadNotifications(), want.extra()));
        assertThat(members.get(r)).containsExactlyElementsOf(wantMembers.stream().map(e -> new JoinedRoomMember(
            e.eventId(), e.sender(), e.originServerTs(), e.stateKey(), e.content().getStringOrNull("membership"),
            e.content().getStringOrNull("displayname"), e.content().getStringOrNull("avatar_url"))).toList());
        compacted += members.get(r).size();
      }
      assertThat(compacted).isEqualTo(60 * 25); // every member of the generated state is plain
    }
  }
}
