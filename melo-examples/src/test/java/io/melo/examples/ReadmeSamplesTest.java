package io.melo.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's code samples equal to the compiled, tested code they are copied from: every
 * block between {@code // --- README: <name>} and {@code // --- README: end} in QuickStart and
 * QuickStartTest must appear, unindented, in the README. Runs once the README declares that its
 * samples come from here (the marker below); skipped before.
 */
class ReadmeSamplesTest {

  static final String MARKER = "<!-- samples: melo-examples QuickStart, QuickStartTest -->";
  private static final Pattern BLOCK =
      Pattern.compile("// --- README: (?!end)([a-z ]+)\\n(.*?)\\n[ \\t]*// --- README: end", Pattern.DOTALL);

  @Test
  void everyReadmeBlockIsQuotedVerbatim() throws IOException {
    Path readme = Path.of("..", "README.md");
    assumeTrue(Files.exists(readme), "no README.md next to melo-examples");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    assumeTrue(text.contains(MARKER), "README.md does not quote melo-examples yet");

    List<String> blocks = new ArrayList<>();
    blocks.addAll(blocks(Path.of("src/main/java/io/melo/examples/QuickStart.java")));
    blocks.addAll(blocks(Path.of("src/test/java/io/melo/examples/QuickStartTest.java")));
    assertThat(blocks).hasSize(4);
    for (String block : blocks) {
      assertThat(text).as("README.md quotes this sample verbatim").contains(block);
    }
  }

  static List<String> blocks(Path source) throws IOException {
    Matcher m = BLOCK.matcher(Files.readString(source, StandardCharsets.UTF_8));
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(unindent(m.group(2)));
    }
    return blocks;
  }

  private static String unindent(String block) {
    String[] lines = block.split("\n", -1);
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      out.append(lines[i].isBlank() ? "" : lines[i].substring(indent));
      if (i < lines.length - 1) {
        out.append('\n');
      }
    }
    return out.toString();
  }
}
