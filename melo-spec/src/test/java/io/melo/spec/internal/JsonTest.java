package io.melo.spec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void keepsNumbersExactAndRoundTrips() {
    String text = "{\"pl\":100,\"big\":9007199254740993,\"f\":1.50,\"n\":null,\"a\":[true,\"s\\u00e9\"]}";
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) Json.parse(text);
    assertThat(tree.get("pl")).isEqualTo(new BigDecimal("100"));
    assertThat(tree.get("big")).isEqualTo(new BigDecimal("9007199254740993"));
    assertThat(tree).containsEntry("n", null).containsEntry("a", Arrays.asList(true, "s\u00e9"));
    assertThat(Json.write(tree)).isEqualTo("{\"pl\":100,\"big\":9007199254740993,\"f\":1.50,\"n\":null,"
        + "\"a\":[true,\"s\u00e9\"]}");
    assertThat(Json.equal(Json.parse("[1, {\"a\": 2.0}]"), Json.parse("[1.0,{\"a\":2}]"))).isTrue();
    assertThat(Json.equal(Json.parse("{\"a\":1}"), Json.parse("{\"a\":1,\"b\":null}"))).isFalse();
    assertThat(Json.equal(List.of(1L), Json.parse("[1]"))).isTrue();
  }

  @Test
  void rejectsWhatIsNotOneJsonValue() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate key 'a'");
    assertThatThrownBy(() -> Json.parse("{} {}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trailing data");
    assertThatThrownBy(() -> Json.parse("{a:1}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> Json.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
