package io.melo.matrix.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reader's shared common values and reused scratch arrays never change what is read. */
class SharedValuesTest {

  @Test
  void commonValuesReadAsTheSameStringsAndOtherKindsStayAsTheyAre() {
    String json = "{\"type\":\"m.room.member\",\"content\":{\"membership\":\"join\",\"msgtype\":\"\\u006d.text\","
        + "\"type\":5,\"format\":null,\"rel_type\":{\"a\":1},\"join_rule\":\"m.room.member2\"},\"presence\":\"online\"}";
    JsonObject o = JsonObject.parseObject(json);
    JsonObject content = o.getObjectOrEmpty("content");
    assertThat(o.getStringOrNull("type")).isEqualTo("m.room.member");
    assertThat(content.getStringOrNull("membership")).isEqualTo("join");
    assertThat(content.getStringOrNull("msgtype")).isEqualTo("m.text"); // escaped in the input
    assertThat(content.getLong("type")).hasValue(5);
    assertThat(content.getOrNull("format")).isEqualTo(JsonNull.INSTANCE);
    assertThat(content.getObjectOrEmpty("rel_type").getLong("a")).hasValue(1);
    assertThat(content.getStringOrNull("join_rule")).isEqualTo("m.room.member2"); // a prefix is no match
    assertThat(o.getStringOrNull("presence")).isEqualTo("online");
    assertThat(JsonObject.parseObject(o.toJson())).isEqualTo(o);
  }

  @Test
  void wideAndDeepObjectsReadOneAfterAnotherKeepTheirOwnFields() {
    StringBuilder wide = new StringBuilder("{");
    for (int i = 0; i < 40; i++) {
      wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    wide.append('}');
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      deep.append("{\"level\":").append(i).append(",\"next\":");
    }
    deep.append("{\"type\":\"m.room.message\"}");
    for (int i = 0; i < 20; i++) {
      deep.append('}');
    }
    JsonObject first = JsonObject.parseObject(wide.toString());
    JsonObject second = JsonObject.parseObject(deep.toString());
    JsonObject third = JsonObject.parseObject("{\"a\":{\"b\":2}}");

    assertThat(first.size()).isEqualTo(40);
    assertThat(first.getLong("k39")).hasValue(39);
    JsonObject at = second;
    for (int i = 0; i < 20; i++) {
      assertThat(at.keys()).containsExactly("level", "next");
      assertThat(at.getLong("level")).hasValue(i);
      at = at.getObjectOrEmpty("next");
    }
    assertThat(at.toJson()).isEqualTo("{\"type\":\"m.room.message\"}");
    assertThat(third.toJson()).isEqualTo("{\"a\":{\"b\":2}}");
    assertThat(first.toJson()).isEqualTo(wide.toString()); // unchanged by the reads that came after
  }

  @Test
  void aRepeatedKeyKeepsItsLastValueWhetherItIsACommonNameOrNot() {
    JsonObject common = JsonObject.parseObject("{\"body\":\"a\",\"msgtype\":\"m.text\",\"body\":\"b\"}");
    assertThat(common.size()).isEqualTo(2);
    assertThat(common.getStringOrNull("body")).isEqualTo("b");
    JsonObject mixed = JsonObject.parseObject("{\"x\":1,\"type\":\"a\",\"x\":2,\"type\":\"m.room.member\"}");
    assertThat(mixed.size()).isEqualTo(2);
    assertThat(mixed.getLong("x")).hasValue(2);
    assertThat(mixed.getStringOrNull("type")).isEqualTo("m.room.member");
    JsonObject distinct = JsonObject.parseObject("{\"type\":\"m.room.member\",\"body\":\"b\"}");
    assertThat(distinct).isEqualTo(JsonObject.parseObject("{\"body\":\"b\",\"type\":\"m.room.member\"}"));
    assertThat(distinct.keys()).containsExactly("type", "body");
  }
}
