package io.melo.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.testkit.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The response writer writes exactly what the model's JSON writer writes, and parses back equal. */
class ResponseJsonTest {

  @Test
  void sameTextAsTheModelWriterForEveryKindOfValue() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("int", 100L);
    v.put("neg", -9007199254740991L);
    v.put("small", 7);
    v.put("double", 0.5);
    v.put("bool", true);
    v.put("null", null);
    v.put("quote\"back\\slash", "line\nbreak\ttab\r\b\f\u0001 é 👍 \u2028");
    v.put("list", Arrays.asList(1L, "two", null, List.of(), Map.of()));
    v.put("big", new BigDecimal("12345678901234567890"));
    assertThat(ResponseJson.write(v)).isEqualTo(Json.write(v));
    assertThat(Json.parse(ResponseJson.write(v))).isEqualTo(Json.parse(Json.write(v)));
  }

  @Test
  void randomTreesRoundTrip() {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      Object tree = tree(random, 0);
      String text = ResponseJson.write(tree);
      assertThat(Json.parse(text)).as(text).isEqualTo(Json.parse(Json.write(tree)));
    }
  }

  @Test
  void bufferHoldsTheUtf8OfTheTextAcrossReusesOfTheThreadsBuilder() {
    Map<String, Object> small = new LinkedHashMap<>();
    small.put("k", "é 👍 \u2028 \ud800 lone");
    Map<String, Object> huge = new LinkedHashMap<>();
    huge.put("big", "x".repeat(200_000));
    for (Object v : List.of(small, huge, small, Map.of("a", 1L), List.of())) {
      byte[] expected = ResponseJson.write(v).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(ResponseJson.buffer(v).readByteArray()).isEqualTo(expected);
    }
    assertThatThrownBy(() -> ResponseJson.buffer(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ResponseJson.buffer(Map.of("after", "error")).readUtf8()).isEqualTo("{\"after\":\"error\"}");
  }

  @Test
  void bufferBytesAreTheUtf8OfTheTextForRandomTreesAndEdgeValues() {
    Random random = new Random(7);
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      values.add(tree(random, 0));
    }
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < 0x100; c++) {
      every.append(c);
    }
    every.append("\u07ff\u0800\uffff\u2028\u2029\ud83d\ude00\udc00x\ud800\ud800\ude00");
    values.add(List.of(every.toString(), Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1.5e300, -0.0));
    for (Object v : values) {
      byte[] expected = ResponseJson.write(v).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(ResponseJson.buffer(v).readByteArray()).isEqualTo(expected);
    }
  }

  @Test
  void refusesWhatJsonCannotHold() {
    assertThatThrownBy(() -> ResponseJson.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResponseJson.write(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResponseJson.write(new Object())).isInstanceOf(IllegalArgumentException.class);
  }

  private static Object tree(Random r, int depth) {
    int kind = depth > 3 ? r.nextInt(4) : r.nextInt(6);
    switch (kind) {
      case 0:
        return r.nextLong() >> r.nextInt(60);
      case 1: {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
          sb.append((char) r.nextInt(0x3000));
        }
        return sb.toString();
      }
      case 2:
        return r.nextBoolean();
      case 3:
        return null;
      case 4: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = r.nextInt(5); i > 0; i--) {
          m.put("k" + r.nextInt(1000) + (char) r.nextInt(0x200), tree(r, depth + 1));
        }
        return m;
      }
      default: {
        List<Object> l = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
          l.add(tree(r, depth + 1));
        }
        return l;
      }
    }
  }
}
