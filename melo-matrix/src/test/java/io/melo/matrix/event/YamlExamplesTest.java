package io.melo.matrix.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.melo.matrix.json.JsonArray;
import io.melo.matrix.json.JsonBoolean;
import io.melo.matrix.json.JsonNull;
import io.melo.matrix.json.JsonNumber;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonString;
import io.melo.matrix.json.JsonValue;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The YAML originals of the event examples say the same as the JSON copies that
 * {@link SpecExampleEventsTest} parses (apart from {@code $ref} pointing at .yaml instead of .json),
 * so testing every JSON copy tests every example.
 */
class YamlExamplesTest {

  @Test
  void everyYamlExampleMatchesItsJsonCopy() throws Exception {
    Path spec = SpecExamples.specDir();
    assumeTrue(spec != null, "shared/spec not found");
    Path yamlDir = spec.resolve("event-schemas/examples");
    List<Path> yamls;
    try (Stream<Path> files = Files.list(yamlDir)) {
      yamls = files.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
    }
    assertThat(yamls).hasSizeGreaterThanOrEqualTo(80);
    List<String> compared = new ArrayList<>();
    for (Path yaml : yamls) {
      String name = yaml.getFileName().toString().replaceAll("\\.yaml$", ".json");
      Object loaded;
      try (InputStream in = Files.newInputStream(yaml)) {
        loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      }
      JsonValue fromYaml = toJson(loaded);
      JsonValue fromJson = JsonValue.parse(Files.readString(SpecExamples.examplesDir().resolve(name)));
      assertThat(fromYaml).as(name).isEqualTo(fromJson);
      compared.add(name);
    }
    assertThat(compared).contains("m.room.message$m.text.json", "m.room.power_levels.json", "m.room.member.json");
  }

  private static JsonValue toJson(Object value) {
    if (value == null) {
      return JsonNull.INSTANCE;
    } else if (value instanceof Map<?, ?> map) {
      JsonObject.Builder b = JsonObject.builder();
      map.forEach((k, v) -> {
        JsonValue converted = toJson(v);
        if ("$ref".equals(k) && converted instanceof JsonString s) {
          converted = new JsonString(s.value().replaceAll("\\.yaml$", ".json"));
        }
        b.put(String.valueOf(k), converted);
      });
      return b.build();
    } else if (value instanceof List<?> list) {
      List<JsonValue> out = new ArrayList<>();
      for (Object o : list) {
        out.add(toJson(o));
      }
      return JsonArray.of(out);
    } else if (value instanceof Boolean b) {
      return JsonBoolean.of(b);
    } else if (value instanceof Integer || value instanceof Long) {
      return JsonNumber.of(((Number) value).longValue());
    } else if (value instanceof Number n) {
      return JsonNumber.parse(n.toString());
    }
    return new JsonString(String.valueOf(value));
  }
}
