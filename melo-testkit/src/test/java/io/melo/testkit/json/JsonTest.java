package io.melo.testkit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.testkit.model.MatrixError;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void integersStayExactAndRoundTripWithoutDecimalPoint() {
    Map<String, Object> pl = Json.parseObject("{\"users\":{\"@a:x\":100},\"big\":9007199254740991,\"f\":1.5}");
    assertThat(Fields.object(pl, "users").get("@a:x")).isEqualTo(100L);
    assertThat(pl.get("big")).isEqualTo(9007199254740991L);
    assertThat(pl.get("f")).isEqualTo(1.5);
    assertThat(Json.write(pl))
        .isEqualTo("{\"users\":{\"@a:x\":100},\"big\":9007199254740991,\"f\":1.5}");
  }

  @Test
  void writesNullsAndNestedLists() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", null);
    m.put("b", List.of(1, true, "x"));
    assertThat(Json.write(m)).isEqualTo("{\"a\":null,\"b\":[1,true,\"x\"]}");
  }

  @Test
  void notJsonIsDistinguishedFromWrongShape() {
    assertThatThrownBy(() -> Json.parse("{\"a\":"))
        .isInstanceOfSatisfying(MatrixError.class, e -> assertThat(e.errcode()).isEqualTo("M_NOT_JSON"));
    assertThatThrownBy(() -> Json.parse("{} x"))
        .isInstanceOfSatisfying(MatrixError.class, e -> assertThat(e.errcode()).isEqualTo("M_NOT_JSON"));
    assertThatThrownBy(() -> Json.parse("{'a':1}"))
        .isInstanceOfSatisfying(MatrixError.class, e -> assertThat(e.errcode()).isEqualTo("M_NOT_JSON"));
    assertThatThrownBy(() -> Json.parse(""))
        .isInstanceOfSatisfying(MatrixError.class, e -> assertThat(e.errcode()).isEqualTo("M_NOT_JSON"));
    assertThatThrownBy(() -> Json.parseObject("[1]"))
        .isInstanceOfSatisfying(MatrixError.class, e -> assertThat(e.errcode()).isEqualTo("M_BAD_JSON"));
  }

  @Test
  void strictGrammar() {
    for (String bad : new String[] {"01", "NaN", "[1,]", "{\"a\":1,}", "{a:1}", "[1 2]", "tru", "\"\\x\"", "1 2", "/* c */ 1"}) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad)
          .isInstanceOfSatisfying(MatrixError.class, e -> assertThat(e.errcode()).isEqualTo("M_NOT_JSON"));
    }
    assertThat(Json.parse(" \n{ \"a\" : [ 1 , -0 , 1e2 , 2.50 ] }\t")).isEqualTo(
        Map.of("a", List.of(1L, 0L, 100.0, 2.5)));
    assertThat(Json.parse("123456789012345678901234567890")).isInstanceOf(Double.class);
    assertThat(Json.parse("\"\\u00e9\\n\"")).isEqualTo("\u00e9\n");
  }

  @Test
  void duplicateKeysDeepNestingAndHugeBodiesAreRefused() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}"))
        .isInstanceOfSatisfying(MatrixError.class, e -> assertThat(e.getMessage()).contains("duplicate key 'a'"));
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertThatThrownBy(() -> Json.parse(deep))
        .isInstanceOfSatisfying(MatrixError.class, e -> assertThat(e.errcode()).isEqualTo("M_NOT_JSON"));
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertThat(Json.parse(ok)).isInstanceOf(List.class);
    byte[] big = ("\"" + "x".repeat(100) + "\"").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Json.parse(big, 50))
        .isInstanceOfSatisfying(MatrixError.class, e -> {
          assertThat(e.errcode()).isEqualTo("M_TOO_LARGE");
          assertThat(e.status()).isEqualTo(413);
        });
  }

  @Test
  void canonicalJsonSortsKeysAndRefusesFloats() {
    Object v = Json.parse("{\"b\":1,\"a\":{\"d\":\"\u00e9\",\"c\":[true,null]}, \"\u00e0\":\"\\n\"}");
    assertThat(Json.canonical(v)).isEqualTo("{\"a\":{\"c\":[true,null],\"d\":\"\u00e9\"},\"b\":1,\"\u00e0\":\"\\n\"}");
    assertThatThrownBy(() -> Json.canonical(Map.of("x", 1.5)))
        .isInstanceOfSatisfying(MatrixError.class, e -> assertThat(e.errcode()).isEqualTo("M_BAD_JSON"));
    assertThatThrownBy(() -> Json.canonical(Map.of("x", 1L << 60)))
        .isInstanceOf(MatrixError.class);
  }

  @Test
  void fieldAccessorsNameTheField() {
    Map<String, Object> body = Json.parseObject("{\"room_version\":10,\"invite\":[\"@a:x\",3],\"flag\":\"yes\"}");
    assertThatThrownBy(() -> Fields.optString(body, "room_version"))
        .isInstanceOfSatisfying(MatrixError.class, e -> {
          assertThat(e.getMessage()).isEqualTo("'room_version' must be a string");
          assertThat(e.errcode()).isEqualTo("M_BAD_JSON");
        });
    assertThatThrownBy(() -> Fields.optStringList(body, "invite"))
        .hasMessage("'invite' must be an array of strings");
    assertThatThrownBy(() -> Fields.optBoolean(body, "flag", false)).hasMessage("'flag' must be a boolean");
    assertThatThrownBy(() -> Fields.string(body, "name"))
        .isInstanceOfSatisfying(MatrixError.class, e -> assertThat(e.errcode()).isEqualTo("M_MISSING_PARAM"));
    assertThat(Fields.integer(body, "room_version")).isEqualTo(10L);
    assertThat(Fields.optString(body, "absent", "d")).isEqualTo("d");
  }

  @Test
  void frozenCopiesAreDeepAndUnmodifiable() {
    Map<String, Object> src = Json.parseObject("{\"a\":{\"b\":[1]}}");
    Map<String, Object> frozen = Json.frozenObject(src);
    Fields.castObject(src.get("a")).put("c", 2L);
    assertThat(Json.write(frozen)).isEqualTo("{\"a\":{\"b\":[1]}}");
    assertThatThrownBy(() -> frozen.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }
}
