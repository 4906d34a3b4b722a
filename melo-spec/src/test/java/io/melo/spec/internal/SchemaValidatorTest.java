package io.melo.spec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.spec.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validator on small hand-written schemas, one keyword family at a time. */
class SchemaValidatorTest {
  @TempDir Path dir;
  private SpecFiles files;
  private SchemaValidator validator;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(dir.resolve("json/defs"));
    files = new SpecFiles(dir);
    validator = new SchemaValidator(files);
    write("defs/common.json", "{\"$defs\":{\"userId\":{\"type\":\"string\",\"pattern\":\"^@\"}},"
        + "\"level\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":100}}");
  }

  private void write(String name, String json) throws IOException {
    Files.writeString(dir.resolve("json").resolve(name), json);
  }

  private List<String> check(String schema, String instance) throws IOException {
    write("s.json", schema);
    files = new SpecFiles(dir);
    validator = new SchemaValidator(files);
    return validator.validate(files.node(files.file("s.json"), ""), Json.parse(instance)).stream()
        .map(Violation::toString).toList();
  }

  @Test
  void integersAreExact() throws IOException {
    String schema = "{\"type\":\"integer\"}";
    assertThat(check(schema, "100")).isEmpty();
    assertThat(check(schema, "100.0")).isEmpty();
    assertThat(check(schema, "1e2")).isEmpty();
    assertThat(check(schema, "9007199254740993")).isEmpty();
    assertThat(check(schema, "100.5")).containsExactly("(root): expected integer but found number 100.5  [s.json#/type]");
    assertThat(check(schema, "\"100\"")).hasSize(1);
    assertThat(check("{\"type\":\"number\",\"exclusiveMinimum\":0,\"multipleOf\":0.5}", "1.5")).isEmpty();
    assertThat(check("{\"type\":\"number\",\"exclusiveMinimum\":0,\"multipleOf\":0.5}", "0")).hasSize(1);
    assertThat(check("{\"type\":\"number\",\"exclusiveMinimum\":0,\"multipleOf\":0.5}", "0.7")).hasSize(1);
  }

  @Test
  void typeArraysAllowNull() throws IOException {
    String schema = "{\"type\":[\"string\",\"null\"]}";
    assertThat(check(schema, "null")).isEmpty();
    assertThat(check(schema, "\"x\"")).isEmpty();
    assertThat(check(schema, "false")).containsExactly(
        "(root): expected string or null but found boolean false  [s.json#/type]");
  }

  @Test
  void refsAcrossFilesAndPointersWithSiblingKeywords() throws IOException {
    String schema = "{\"type\":\"object\",\"properties\":{"
        + "\"sender\":{\"$ref\":\"defs/common.json#/$defs/userId\"},"
        + "\"level\":{\"$ref\":\"defs/common.json#/level\",\"maximum\":50}},\"required\":[\"sender\"]}";
    assertThat(check(schema, "{\"sender\":\"@a:x\",\"level\":50}")).isEmpty();
    assertThat(check(schema, "{\"sender\":\"a:x\",\"level\":51}")).containsExactly(
        "/sender: 'a:x' does not match pattern ^@  [defs/common.json#/$defs/userId/pattern]",
        "/level: 51 must be <= 50  [s.json#/properties/level/maximum]");
    assertThat(check(schema, "{\"level\":-1}")).containsExactly(
        "(root): required property 'sender' is missing  [s.json#/required]",
        "/level: -1 must be >= 0  [defs/common.json#/level/minimum]");
    assertThatThrownBy(() -> check("{\"$ref\":\"defs/missing.json\"}", "1"))
        .hasMessageContaining("cannot read spec file");
    assertThatThrownBy(() -> check("{\"$ref\":\"defs/common.json#/nope\"}", "1"))
        .hasMessageContaining("no 'nope' at defs/common.json#/nope");
  }

  @Test
  void additionalAndPatternProperties() throws IOException {
    String closed = "{\"properties\":{\"a\":{}},\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},"
        + "\"additionalProperties\":false}";
    assertThat(check(closed, "{\"a\":1,\"x-y\":\"s\"}")).isEmpty();
    assertThat(check(closed, "{\"a\":1,\"x-y\":2,\"b\":3}")).containsExactly(
        "/x-y: expected string but found number 2  [s.json#/patternProperties/^x-/type]",
        "/b: property 'b' is not allowed here  [s.json#/additionalProperties]");
    String map = "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"},\"propertyNames\":"
        + "{\"pattern\":\"^@\"},\"maxProperties\":2}";
    assertThat(check(map, "{\"@a\":1}")).isEmpty();
    assertThat(check(map, "{\"b\":1,\"@c\":\"x\",\"@d\":3}")).containsExactly(
        "(root): has 3 properties, at most 2 allowed  [s.json#/maxProperties]",
        "/b: property name 'b': 'b' does not match pattern ^@  [s.json#/propertyNames/pattern]",
        "/@c: expected integer but found string 'x'  [s.json#/additionalProperties/type]");
  }

  @Test
  void combinators() throws IOException {
    String oneOf = "{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"string\",\"maxLength\":3},{\"type\":\"integer\"}]}";
    assertThat(check(oneOf, "7")).isEmpty();
    assertThat(check(oneOf, "\"abcd\"")).isEmpty();
    assertThat(check(oneOf, "\"abc\"")).containsExactly(
        "(root): matches oneOf alternatives [0, 1] but must match exactly one  [s.json#/oneOf]");
    assertThat(check(oneOf, "true")).singleElement().asString()
        .startsWith("(root): matches none of the 3 oneOf alternatives: #0 {(root): expected string");
    String anyOf = "{\"anyOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}]}";
    assertThat(check(anyOf, "{\"b\":1}")).isEmpty();
    assertThat(check(anyOf, "{}")).hasSize(1);
    String allOf = "{\"allOf\":[{\"required\":[\"a\"]},{\"properties\":{\"a\":{\"enum\":[1,\"one\"]}}}],"
        + "\"not\":{\"required\":[\"z\"]}}";
    assertThat(check(allOf, "{\"a\":1.0}")).isEmpty();
    assertThat(check(allOf, "{\"a\":2,\"z\":0}")).containsExactly(
        "/a: number 2 is not one of [1,\"one\"]  [s.json#/allOf/1/properties/a/enum]",
        "(root): must not match the 'not' schema  [s.json#/not]");
    assertThat(check("{\"if\":{\"required\":[\"a\"]},\"then\":{\"required\":[\"b\"]},\"else\":false}", "{\"a\":1}"))
        .containsExactly("(root): required property 'b' is missing  [s.json#/then/required]");
    assertThat(check("{\"const\":{\"k\":[1,2]}}", "{\"k\":[1,2.0]}")).isEmpty();
    assertThat(check("{\"const\":{\"k\":[1,2]}}", "{\"k\":[2,1]}")).hasSize(1);
  }

  @Test
  void arrays() throws IOException {
    String schema = "{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1,\"uniqueItems\":true}";
    assertThat(check(schema, "[\"a\",\"b\"]")).isEmpty();
    assertThat(check(schema, "[]")).containsExactly("(root): has 0 items, at least 1 allowed  [s.json#/minItems]");
    assertThat(check(schema, "[\"a\",1,\"a\"]")).containsExactly(
        "/1: expected string but found number 1  [s.json#/items/type]",
        "(root): items 0 and 2 are equal but must be unique  [s.json#/uniqueItems]");
    assertThat(check("{\"prefixItems\":[{\"type\":\"integer\"}],\"items\":false}", "[1]")).isEmpty();
    assertThat(check("{\"prefixItems\":[{\"type\":\"integer\"}],\"items\":false}", "[1,2]"))
        .containsExactly("/1: no value is allowed here  [s.json#/items]");
    assertThat(check("{\"contains\":{\"const\":3}}", "[1,2]")).hasSize(1);
  }

  @Test
  void stringsCountCodePoints() throws IOException {
    assertThat(check("{\"maxLength\":2}", "\"\uD83D\uDE00\uD83D\uDE00\"")).isEmpty();
    assertThat(check("{\"minLength\":3}", "\"\uD83D\uDE00\uD83D\uDE00\"")).hasSize(1);
    assertThat(check("{\"pattern\":\"^[\\\\x20-\\\\x7E]+$\"}", "\"ok\"")).isEmpty();
    assertThat(check("{\"pattern\":\"^[\\\\x20-\\\\x7E]+$\"}", "\"tab\\t\"")).hasSize(1);
    assertThat(check("{\"format\":\"uri\",\"x-weight\":3,\"example\":1}", "\"anything\"")).isEmpty();
  }

  @Test
  void plainMatrixFormatsAreChecked() throws IOException {
    assertThat(check("{\"format\":\"mx-user-id\"}", "\"@alice:example.org\"")).isEmpty();
    assertThat(check("{\"format\":\"mx-user-id\"}", "\"@bob:[::1]:8448\"")).isEmpty();
    assertThat(check("{\"format\":\"mx-user-id\"}", "\"alice\"")).containsExactly(
        "(root): 'alice' is not a valid mx-user-id  [s.json#/format]");
    assertThat(check("{\"format\":\"mx-user-id\",\"pattern\":\"^@\"}", "\"@alice\"")).isEmpty();
    assertThat(check("{\"format\":\"mx-server-name\"}", "\"matrix.org:8448\"")).isEmpty();
    assertThat(check("{\"format\":\"mx-server-name\"}", "\"evil.org/../x\"")).hasSize(1);
    assertThat(check("{\"format\":\"mx-mxc-uri\"}", "\"mxc://example.org/SEsfnsuif_-1\"")).isEmpty();
    assertThat(check("{\"format\":\"mx-mxc-uri\"}", "\"mxc://example.org/../../etc\"")).hasSize(1);
    assertThat(check("{\"format\":\"mx-room-alias\"}", "\"#room:example.org\"")).isEmpty();
    assertThat(check("{\"format\":\"mx-unpadded-base64\"}", "\"YWJj+/\"")).isEmpty();
    assertThat(check("{\"format\":\"mx-unpadded-base64\"}", "\"YWJj==\"")).hasSize(1);
    assertThat(check("{\"format\":\"mx-urlsafe-unpadded-base64\"}", "\"a+b\"")).hasSize(1);
    assertThat(check("{\"type\":\"integer\",\"format\":\"int64\"}", "9223372036854775807")).isEmpty();
    assertThat(check("{\"type\":\"integer\",\"format\":\"int64\"}", "9223372036854775808")).containsExactly(
        "(root): 9223372036854775808 is not a valid int64  [s.json#/format]");
  }

  @Test
  void strictPropertiesCountOnlyMatchingBranchesAndSkipOpenPlaces() throws IOException {
    write("open.json", "{\"type\":\"object\",\"properties\":{\"type\":{}}}");
    write("s.json", "{\"properties\":{\"a\":{},\"free\":{\"type\":\"object\"},\"env\":{\"$ref\":\"open.json\"}},"
        + "\"oneOf\":[{\"properties\":{\"b\":{\"type\":\"string\"}}},{\"properties\":{\"c\":{}},\"required\":[\"c\"]}],"
        + "\"patternProperties\":{\"^x-\":{}}}");
    SpecFiles f = new SpecFiles(dir);
    SchemaValidator strict = new SchemaValidator(f, java.util.Map.of(), true, java.util.Set.of("open.json"));
    Node schema = f.node(f.file("s.json"), "");
    assertThat(strict.validate(schema, Json.parse("{\"a\":1,\"b\":\"s\",\"x-1\":0,\"free\":{\"any\":1},"
        + "\"env\":{\"type\":\"t\",\"extra\":{\"deep\":1}}}"))).isEmpty();
    // zz is defined by no schema; b counts because its oneOf branch matched.
    assertThat(strict.validate(schema, Json.parse("{\"a\":1,\"b\":\"s\",\"zz\":1}")))
        .extracting(Violation::instancePath).containsExactly("/zz");
    // b is defined only by the oneOf branch that fails (b is not a string there); c's branch matched.
    assertThat(strict.validate(schema, Json.parse("{\"c\":1,\"b\":5}"))).extracting(Violation::instancePath)
        .containsExactly("/b");
    assertThat(new SchemaValidator(f).validate(schema, Json.parse("{\"a\":1,\"b\":\"s\",\"zz\":1}"))).isEmpty();
  }

  @Test
  void unsupportedKeywordsAndBrokenSchemasFailLoudly() {
    assertThatThrownBy(() -> check("{\"unevaluatedProperties\":false}", "{}"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'unevaluatedProperties' is not supported");
    assertThatThrownBy(() -> check("{\"$ref\":\"#\"}", "{}"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("schema recursion deeper than");
    assertThatThrownBy(() -> check("{\"type\":\"text\"}", "1"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown JSON Schema type 'text'");
    assertThatThrownBy(() -> check("{\"pattern\":\"(\"}", "\"x\""))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not a Java regex");
    assertThatThrownBy(() -> check("{\"$ref\":\"../../etc/passwd\"}", "1"))
        .hasMessageContaining("leaves the spec's json/ tree");
  }
}
