package io.melo.testkit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.melo.testkit.model.MatrixError;
import org.junit.jupiter.api.Test;

/** Parse errors say what is wrong with the text in JSON's words, never the parser's advice to a programmer. */
class JsonErrorMessageTest {
  private static String message(String text) {
    MatrixError e = catchThrowableOfType(() -> Json.parse(text), MatrixError.class);
    assertThat(e).as(text).isNotNull();
    assertThat(e.errcode()).isEqualTo("M_NOT_JSON");
    return e.getMessage();
  }

  @Test
  void syntaxErrorsNameThePlaceNotTheParser() {
    assertThat(message("{'a':1}")).isEqualTo("Content not JSON: invalid JSON syntax at $.");
    assertThat(message("{\"a\":{\"b\":tru}}")).isEqualTo("Content not JSON: invalid JSON syntax at $.a.b");
    assertThat(message("hello")).isEqualTo("Content not JSON: invalid JSON syntax at the top-level value");
    assertThat(message("[1,]")).startsWith("Content not JSON: invalid JSON syntax at $[");
    assertThat(message("{\"a\":")).isEqualTo("Content not JSON: the text ends before the JSON value is complete");
    assertThat(message("{} x")).isEqualTo("Content not JSON: more data follows the JSON value");
  }

  @Test
  void noMessageLeaksParserInternals() {
    for (String bad : new String[] {"{'a':1}", "NaN", "[1 2]", "{a:1}", "\"\\x\"", "/* c */ 1", "01", "{\"a\":",
        "[", "\"abc", "{\"a\" 1}", "1e999999"}) {
      assertThat(message(bad)).as(bad)
          .doesNotContainIgnoringCase("lenient")
          .doesNotContain("JsonReader")
          .doesNotContain("Exception")
          .startsWith("Content not JSON: ");
    }
  }

  @Test
  void longKeysAreShortenedInThePlace() {
    String key = "k".repeat(500);
    assertThat(message("{\"" + key + "\":x}")).hasSizeLessThan(140).endsWith("...");
  }
}
