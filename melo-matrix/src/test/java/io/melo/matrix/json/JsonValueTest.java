package io.melo.matrix.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.MatrixProtocolException;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class JsonValueTest {

  @Test
  void roundTripKeepsEveryNumberLiteralAndKeyOrder() {
    String json = "{\"z\":100,\"a\":1.5,\"c\":1e3,\"big\":12345678901234567890,\"neg\":-7,\"negzero\":-0,"
        + "\"frac\":0.10,\"arr\":[true,false,null,{}],\"s\":\"é\\n\\\"q\\\"\",\"o\":{\"k\":[]}}";
    JsonValue value = JsonValue.parse(json);
    assertThat(value.toJson()).isEqualTo(json);
    assertThat(JsonValue.read(new Buffer().writeUtf8(json)).toJson()).isEqualTo(json);
  }

  @Test
  void integersStayIntegers() {
    JsonObject pl = JsonObject.parseObject("{\"users\":{\"@a:hs\":100},\"ban\":50.0}");
    assertThat(pl.getObjectOrEmpty("users").getLong("@a:hs")).hasValue(100);
    assertThat(pl.toJson()).isEqualTo("{\"users\":{\"@a:hs\":100},\"ban\":50.0}");
    assertThat(pl.getLong("ban")).hasValue(50);
    assertThat(JsonObject.builder().put("level", 100L).build().toJson()).isEqualTo("{\"level\":100}");
    JsonNumber big = (JsonNumber) JsonValue.parse("12345678901234567890");
    assertThat(big.longValue()).isEmpty();
    assertThat(big.isIntegral()).isFalse();
    assertThat(((JsonNumber) JsonValue.parse("9007199254740993")).longValue()).hasValue(9007199254740993L);
  }

  @Test
  void typedGettersNeverThrowOnWrongKinds() {
    JsonObject o = JsonObject.parseObject("{\"s\":\"x\",\"n\":3,\"f\":2.5,\"b\":true,\"o\":{},\"a\":[\"p\",1],\"nul\":null}");
    assertThat(o.getString("n")).isEmpty();
    assertThat(o.getString("missing", "def")).isEqualTo("def");
    assertThat(o.getLong("s")).isEmpty();
    assertThat(o.getLong("f")).isEmpty();
    assertThat(o.getLong("s", -1)).isEqualTo(-1);
    assertThat(o.getBoolean("s")).isEmpty();
    assertThat(o.getBoolean("b", false)).isTrue();
    assertThat(o.getObject("a")).isEmpty();
    assertThat(o.getObjectOrEmpty("s")).isEqualTo(JsonObject.EMPTY);
    assertThat(o.getArray("o")).isEmpty();
    assertThat(o.getStringList("a")).containsExactly("p");
    assertThat(o.getStringList("s")).isEmpty();
    assertThat(o.get("nul")).contains(JsonNull.INSTANCE);
    assertThat(o.getString("nul")).isEmpty();
    assertThat(o.containsKey("nul")).isTrue();
    assertThat(o.getNumber("f").map(JsonNumber::doubleValue)).contains(2.5);
  }

  @Test
  void equalityIgnoresKeyOrderAndNumberSpelling() {
    JsonValue a = JsonValue.parse("{\"x\":1,\"y\":[1,2],\"z\":{\"q\":\"r\"}}");
    JsonValue b = JsonValue.parse("{\"z\":{\"q\":\"r\"},\"y\":[1,2],\"x\":1.0}");
    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
    assertThat(JsonValue.parse("[1,2]")).isNotEqualTo(JsonValue.parse("[2,1]"));
    assertThat(JsonValue.parse("{\"x\":1}")).isNotEqualTo(JsonValue.parse("{\"x\":\"1\"}"));
    assertThat(JsonValue.parse("1e2")).isEqualTo(JsonNumber.of(100));
    assertThat(JsonValue.parse("1e2").hashCode()).isEqualTo(JsonNumber.of(100).hashCode());
  }

  @Test
  void lastDuplicateKeyWins() {
    JsonObject small = JsonObject.parseObject("{\"a\":1,\"b\":2,\"a\":3}");
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.getLong("a")).hasValue(3);
    StringBuilder big = new StringBuilder("{");
    for (int i = 0; i < 20; i++) {
      big.append("\"k").append(i).append("\":").append(i).append(',');
    }
    big.append("\"k3\":99}");
    JsonObject large = JsonObject.parseObject(big.toString());
    assertThat(large.size()).isEqualTo(20);
    assertThat(large.getLong("k3")).hasValue(99);
    assertThat(large.getLong("k19")).hasValue(19);
    assertThat(large.getLong("k20")).isEmpty();
  }

  @Test
  void malformedAppInputIsIllegalArgument() {
    assertThatThrownBy(() -> JsonValue.parse("{\"a\":")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> JsonValue.parse("{} {}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonValue.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonObject.parseObject("[1]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a JSON object but was: array");
    assertThatThrownBy(() -> JsonValue.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedServerBytesAreProtocolErrors() {
    assertThatThrownBy(() -> JsonValue.read(new Buffer().writeUtf8("{\"a\":tru}")))
        .isInstanceOf(MatrixProtocolException.class).hasMessageContaining("invalid JSON");
    assertThatThrownBy(() -> JsonValue.read(new Buffer().writeUtf8("<html>")))
        .isInstanceOf(MatrixProtocolException.class);
  }

  static String nested(int depth, String inner) {
    return "[".repeat(depth) + inner + "]".repeat(depth);
  }

  @Test
  void nestingIsCappedWithoutLosingThePlaceInTheStream() throws Exception {
    assertThat(JsonValue.parse(nested(JsonValue.MAX_DEPTH, "1")).toJson()).isEqualTo(nested(JsonValue.MAX_DEPTH, "1"));
    assertThatThrownBy(() -> JsonValue.parse(nested(JsonValue.MAX_DEPTH + 1, "1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper than 128");
    assertThatThrownBy(() -> JsonValue.read(new Buffer().writeUtf8(nested(300, "{}"))))
        .isInstanceOf(MatrixProtocolException.class).hasMessageContaining("nested deeper than 128");

    // inside a stream, the deep value is consumed and the next one still reads
    com.squareup.moshi.JsonReader reader = com.squareup.moshi.JsonReader.of(
        new Buffer().writeUtf8("[{\"deep\":" + nested(240, "\"x\"") + "},{\"ok\":1}]"));
    reader.beginArray();
    JsonNestingException e = org.junit.jupiter.api.Assertions.assertThrows(JsonNestingException.class, () -> JsonValue.read(reader));
    JsonObject partial = (JsonObject) e.partial();
    assertThat(partial.toJson()).startsWith("{\"deep\":[[[").contains("\"[[[").contains("\\\"x\\\"");
    assertThat(JsonValue.read(reader).toJson()).isEqualTo("{\"ok\":1}");
    reader.endArray();
  }

  @Test
  void withAndBuilderCopyWithoutTouchingTheOriginal() {
    JsonObject original = JsonObject.parseObject("{\"a\":1,\"b\":2,\"c\":3}");
    JsonObject changed = original.with("b", "two").with("d", true).without("a");
    assertThat(original.toJson()).isEqualTo("{\"a\":1,\"b\":2,\"c\":3}");
    assertThat(changed.toJson()).isEqualTo("{\"b\":\"two\",\"c\":3,\"d\":true}");
    JsonObject.Builder builder = JsonObject.builder().put("x", 1L);
    JsonObject first = builder.build();
    builder.put("x", 2L).put("y", JsonNull.INSTANCE);
    assertThat(first.toJson()).isEqualTo("{\"x\":1}");
    assertThat(builder.build().toJson()).isEqualTo("{\"x\":2,\"y\":null}");
    assertThat(builder.remove("x").build().toJson()).isEqualTo("{\"y\":null}");
    assertThatThrownBy(() -> JsonObject.builder().put("k", (JsonValue) null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"k\"");
    assertThat(original.with("a", (String) null).keys()).containsExactly("b", "c");
  }

  @Test
  void mapViewAndArrayHelpers() {
    JsonObject o = JsonObject.parseObject("{\"a\":[\"x\",{\"k\":1},\"y\"],\"b\":false}");
    Map<String, JsonValue> map = o.asMap();
    assertThat(map).containsOnlyKeys("a", "b");
    assertThat(map.get("b")).isEqualTo(JsonBoolean.FALSE);
    JsonArray a = o.getArrayOrEmpty("a");
    assertThat(a.strings()).containsExactly("x", "y");
    assertThat(a.objects()).hasSize(1);
    assertThat(a.get(5)).isEmpty();
    assertThat(JsonArray.ofStrings(List.of("p", "q")).toJson()).isEqualTo("[\"p\",\"q\"]");
    assertThatThrownBy(() -> JsonNumber.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonNumber.parse("abc")).isInstanceOf(IllegalArgumentException.class);
    assertThat(JsonNumber.parse("2.50").literal()).isEqualTo("2.50");
  }
}
