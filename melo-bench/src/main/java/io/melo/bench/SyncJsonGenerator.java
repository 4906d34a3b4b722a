package io.melo.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Generates a realistic {@code /sync} answer, the same bytes for the same arguments: joined rooms,
 * each with a state section (members, name, topic, power levels, join rules) and a timeline of text
 * messages (some HTML, some replies), reactions, edits, images and membership changes, plus
 * ephemeral typing and receipts, account data, and unread counts.
 */
public final class SyncJsonGenerator {

  private static final String[] WORDS = ("the a to of and in is it you that he was for on are with as I his they be at one "
      + "have this from or had by hot word but what some we can out other were all there when up use your how said an "
      + "each she which do their time if will way about many then them write would like so these her long make thing "
      + "see him two has look more day could go come did number sound no most people my over know water than call "
      + "first who may down side been now find café 🎉 naïve résumé 日本語 emoji 👍").split(" ");

  private final SplittableRandom random;
  private final StringBuilder out = new StringBuilder(1 << 20);
  private long ts = 1_700_000_000_000L;

  private SyncJsonGenerator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * A sync answer as UTF-8 JSON.
   *
   * @param rooms the number of joined rooms
   * @param timelineEvents timeline events per room
   * @param stateEvents state events per room
   * @param seed the random seed: equal arguments give equal bytes
   */
  public static byte[] generate(int rooms, int timelineEvents, int stateEvents, long seed) {
    if (rooms < 0 || timelineEvents < 0 || stateEvents < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    return new SyncJsonGenerator(seed).sync(rooms, timelineEvents, stateEvents).getBytes(StandardCharsets.UTF_8);
  }

  private String sync(int rooms, int timelineEvents, int stateEvents) {
    out.append("{\"next_batch\":\"s").append(random.nextInt(1_000_000)).append("_4483_1934\",");
    out.append("\"account_data\":{\"events\":[{\"type\":\"m.direct\",\"content\":{\"@bob:example.org\":[\"!dm")
        .append(random.nextInt(1000)).append(":example.org\"]}},{\"type\":\"io.melo.profile\",\"content\":{\"email\":\"a@example.org\"}}]},");
    out.append("\"presence\":{\"events\":[{\"type\":\"m.presence\",\"sender\":\"@bob:example.org\",\"content\":{\"presence\":\"online\",\"last_active_ago\":")
        .append(random.nextInt(100000)).append(",\"currently_active\":true}}]},");
    out.append("\"device_one_time_keys_count\":{\"signed_curve25519\":50},");
    out.append("\"rooms\":{\"join\":{");
    for (int r = 0; r < rooms; r++) {
      if (r > 0) {
        out.append(',');
      }
      room(r, timelineEvents, stateEvents);
    }
    out.append("},\"invite\":{},\"leave\":{}}}");
    return out.toString();
  }

  private void room(int index, int timelineEvents, int stateEvents) {
    String roomId = "!room" + index + "x" + token(12) + ":example.org";
    out.append('"').append(roomId).append("\":{");
    out.append("\"summary\":{\"m.heroes\":[\"@u1:example.org\",\"@u2:example.org\"],\"m.joined_member_count\":")
        .append(2 + random.nextInt(500)).append(",\"m.invited_member_count\":0},");
    out.append("\"state\":{\"events\":[");
    for (int i = 0; i < stateEvents; i++) {
      if (i > 0) {
        out.append(',');
      }
      stateEvent(i);
    }
    out.append("]},\"timeline\":{\"events\":[");
    for (int i = 0; i < timelineEvents; i++) {
      if (i > 0) {
        out.append(',');
      }
      timelineEvent();
    }
    out.append("],\"limited\":").append(random.nextInt(4) == 0).append(",\"prev_batch\":\"t").append(random.nextInt(100000))
        .append("-").append(random.nextInt(100000)).append("\"},");
    out.append("\"ephemeral\":{\"events\":[{\"type\":\"m.typing\",\"content\":{\"user_ids\":[\"").append(user())
        .append("\"]}},{\"type\":\"m.receipt\",\"content\":{\"").append(eventId())
        .append("\":{\"m.read\":{\"").append(user()).append("\":{\"ts\":").append(ts).append(",\"thread_id\":\"main\"}}}}}]},");
    out.append("\"account_data\":{\"events\":[{\"type\":\"m.fully_read\",\"content\":{\"event_id\":\"").append(eventId()).append("\"}}]},");
    out.append("\"unread_notifications\":{\"highlight_count\":").append(random.nextInt(3))
        .append(",\"notification_count\":").append(random.nextInt(50)).append("}}");
  }

  private void stateEvent(int i) {
    switch (i) {
      case 0:
        header("m.room.create", "");
        out.append("\"content\":{\"room_version\":\"10\",\"type\":\"m.space\",\"creator\":\"@owner:example.org\"}");
        break;
      case 1:
        header("m.room.power_levels", "");
        out.append("\"content\":{\"users\":{\"@owner:example.org\":101,\"").append(user()).append("\":50},")
            .append("\"users_default\":0,\"events\":{\"m.room.name\":50,\"m.room.avatar\":50,\"m.space.child\":50,")
            .append("\"io.melo.server\":100,\"m.room.power_levels\":100},\"events_default\":0,\"state_default\":100,")
            .append("\"invite\":0,\"kick\":50,\"ban\":50,\"redact\":50}");
        break;
      case 2:
        header("m.room.name", "");
        out.append("\"content\":{\"name\":\"").append(words(3)).append("\"}");
        break;
      case 3:
        header("m.room.topic", "");
        out.append("\"content\":{\"topic\":\"").append(words(12)).append("\"}");
        break;
      case 4:
        header("m.room.join_rules", "");
        out.append("\"content\":{\"join_rule\":\"restricted\",\"allow\":[{\"type\":\"m.room_membership\",\"room_id\":\"!space")
            .append(token(8)).append(":example.org\"}]}");
        break;
      default:
        String member = "@user" + i + "x" + token(4) + ":example.org";
        header("m.room.member", member);
        out.append("\"content\":{\"membership\":\"join\",\"displayname\":\"").append(words(2))
            .append("\",\"avatar_url\":\"mxc://example.org/").append(token(24)).append("\"}");
    }
    out.append('}');
  }

  private void timelineEvent() {
    int kind = random.nextInt(20);
    if (kind < 12) {
      header("m.room.message", null);
      out.append("\"content\":{\"msgtype\":\"m.text\",\"body\":\"").append(words(3 + random.nextInt(30))).append('"');
      if (kind < 3) {
        out.append(",\"format\":\"org.matrix.custom.html\",\"formatted_body\":\"<p>").append(words(5)).append(" <b>")
            .append(words(2)).append("</b></p>\"");
      }
      if (kind == 3) {
        out.append(",\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"").append(eventId()).append("\"}}");
      }
      out.append('}');
    } else if (kind < 15) {
      header("m.reaction", null);
      out.append("\"content\":{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":\"").append(eventId())
          .append("\",\"key\":\"👍\"}}");
    } else if (kind < 17) {
      header("m.room.message", null);
      String text = words(4);
      out.append("\"content\":{\"msgtype\":\"m.text\",\"body\":\"* ").append(text)
          .append("\",\"m.new_content\":{\"msgtype\":\"m.text\",\"body\":\"").append(text)
          .append("\"},\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"").append(eventId()).append("\"}}");
    } else if (kind < 19) {
      header("m.room.message", null);
      out.append("\"content\":{\"msgtype\":\"m.image\",\"body\":\"photo.png\",\"url\":\"mxc://example.org/").append(token(24))
          .append("\",\"info\":{\"mimetype\":\"image/png\",\"size\":").append(random.nextInt(5_000_000))
          .append(",\"w\":").append(random.nextInt(4000)).append(",\"h\":").append(random.nextInt(4000)).append("}}");
    } else {
      String member = user();
      header("m.room.member", member);
      out.append("\"content\":{\"membership\":\"join\",\"displayname\":\"").append(words(2)).append("\"}");
    }
    out.append('}');
  }

  /** Writes the common fields and leaves the object open for "content". */
  private void header(String type, String stateKey) {
    ts += 1 + random.nextInt(60_000);
    out.append("{\"type\":\"").append(type).append("\",\"event_id\":\"").append(eventId())
        .append("\",\"sender\":\"").append(user()).append("\",\"origin_server_ts\":").append(ts).append(',');
    if (stateKey != null) {
      out.append("\"state_key\":\"").append(stateKey).append("\",");
    }
    out.append("\"unsigned\":{\"age\":").append(random.nextInt(1_000_000));
    if (random.nextInt(10) == 0) {
      out.append(",\"transaction_id\":\"m").append(ts).append('.').append(random.nextInt(100)).append('"');
    }
    out.append("},");
  }

  private String eventId() {
    return "$" + token(43);
  }

  private String user() {
    return "@user" + random.nextInt(200) + ":example.org";
  }

  private String words(int count) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return b.toString();
  }

  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

  private String token(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }
}
