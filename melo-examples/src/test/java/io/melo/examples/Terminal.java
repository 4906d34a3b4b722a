package io.melo.examples;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A terminal for tests: what the test types becomes the program's input (a {@link Reader}), and
 * each line the program prints can be awaited with a bounded wait.
 */
final class Terminal {

  static final Duration WAIT = Duration.ofSeconds(10);
  private static final String END = new String("end of input");

  private final BlockingQueue<String> typed = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> printed = new LinkedBlockingQueue<>();
  private final List<String> transcript = new ArrayList<>();
  private final PrintStream out = new PrintStream(new LineSplitter(), true, StandardCharsets.UTF_8);

  /** The program's input. */
  final Reader in = new Reader() {
    private String current = "";
    private int position;
    private boolean ended;

    @Override
    public int read(char[] buffer, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      while (position >= current.length()) {
        if (ended) {
          return -1;
        }
        try {
          String next = typed.take();
          if (next == END) {
            ended = true;
            return -1;
          }
          current = next;
          position = 0;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
      }
      int n = Math.min(length, current.length() - position);
      current.getChars(position, position + n, buffer, offset);
      position += n;
      return n;
    }

    @Override
    public void close() {}
  };

  /** The program's output. */
  PrintStream out() {
    return out;
  }

  /** Types a line. */
  void type(String line) {
    typed.add(line + "\n");
  }

  /** Ends the input (as Ctrl-D would). */
  void endInput() {
    typed.add(END);
  }

  /** Waits for the next printed line that contains {@code text}; lines before it are passed over. */
  String await(String text) {
    return await(line -> line.contains(text), "a line containing \"" + text + "\"");
  }

  /** Waits for the next printed line that matches; lines before it are passed over. */
  String await(Predicate<String> match, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? printed.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) {
          synchronized (transcript) {
            return fail("no " + what + " within " + WAIT.getSeconds() + " s; printed so far:\n  "
                + String.join("\n  ", transcript));
          }
        }
        if (match.test(line)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while waiting for " + what);
    }
  }

  /**
   * Waits until each text has been printed in some line, in any order (for lines printed by two
   * threads); lines in between are passed over.
   */
  void awaitAll(String... texts) {
    java.util.Set<String> missing = new java.util.LinkedHashSet<>(java.util.List.of(texts));
    await(line -> {
      missing.removeIf(line::contains);
      return missing.isEmpty();
    }, "lines containing " + missing);
  }

  /** Every line printed so far. */
  List<String> transcript() {
    synchronized (transcript) {
      return new ArrayList<>(transcript);
    }
  }

  /** Splits the bytes printed into UTF-8 lines. */
  private final class LineSplitter extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        synchronized (transcript) {
          transcript.add(text);
        }
        printed.add(text);
      } else if (b != '\r') {
        line.write(b);
      }
    }
  }
}
