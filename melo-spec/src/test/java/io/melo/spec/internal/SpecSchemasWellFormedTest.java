package io.melo.spec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.spec.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Walks every file of the spec's json/ tree and everything their {@code $ref}s reach: each reference resolves,
 * each regex compiles as a Java regex, and no schema uses a keyword the validator would refuse. So a check can
 * never blow up on some rarely used corner of the spec in another module's test.
 */
class SpecSchemasWellFormedTest {
  private static final Set<String> UNSUPPORTED = Set.of("unevaluatedProperties", "unevaluatedItems", "$dynamicRef",
      "$recursiveRef", "dependentSchemas", "$id", "$anchor", "$dynamicAnchor");

  @Test
  void everyReferenceResolvesAndEveryPatternCompiles() throws Exception {
    SpecFiles files = new SpecFiles(Spec.locate());
    List<Path> all;
    try (Stream<Path> s = Files.walk(files.jsonRoot())) {
      all = s.filter(p -> p.toString().endsWith(".json")).collect(Collectors.toList());
    }
    assertThat(all).hasSizeGreaterThan(300);
    int refs = 0;
    int patterns = 0;
    Set<String> seen = new HashSet<>();
    for (Path file : all) {
      Deque<Node> todo = new ArrayDeque<>();
      todo.push(new Node(file, "", files.read(file)));
      while (!todo.isEmpty()) {
        Node n = todo.pop();
        if (n.value() instanceof Map) {
          Map<?, ?> map = (Map<?, ?>) n.value();
          for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            String childPointer = SpecFiles.child(n.pointer(), key);
            if (key.equals("$ref") && e.getValue() instanceof String) {
              Node target = files.resolveRef(n.file(), (String) e.getValue());
              refs++;
              if (seen.add(files.display(target.file(), target.pointer()))) {
                assertThat(target.value()).isNotNull();
              }
            } else if (key.equals("pattern") && e.getValue() instanceof String) {
              Pattern.compile((String) e.getValue());
              patterns++;
            } else if (key.equals("patternProperties") && e.getValue() instanceof Map) {
              for (Object regex : ((Map<?, ?>) e.getValue()).keySet()) {
                Pattern.compile((String) regex);
                patterns++;
              }
            }
            if (UNSUPPORTED.contains(key) && !n.pointer().endsWith("/properties")) {
              throw new AssertionError("unsupported keyword " + key + " at " + files.display(n.file(), childPointer));
            }
            todo.push(new Node(n.file(), childPointer, e.getValue()));
          }
        } else if (n.value() instanceof List) {
          List<?> list = (List<?>) n.value();
          for (int i = 0; i < list.size(); i++) {
            todo.push(new Node(n.file(), n.pointer() + "/" + i, list.get(i)));
          }
        }
      }
    }
    assertThat(refs).isGreaterThan(800);
    assertThat(patterns).isGreaterThan(20);
  }
}
