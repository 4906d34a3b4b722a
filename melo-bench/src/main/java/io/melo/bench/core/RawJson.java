package io.melo.bench.core;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.util.Set;

/** What a bare Moshi client does with a {@code /sync} answer: read every token, nothing more. */
final class RawJson {

  private RawJson() {}

  /**
   * Reads every token of a {@code /sync} answer, adds each string value starting with
   * {@code marker} to {@code found}, and returns the top-level {@code next_batch}.
   */
  static String scanSync(JsonReader reader, String marker, Set<String> found) throws IOException {
    String nextBatch = null;
    int depth = 0;
    boolean nextBatchName = false;
    do {
      switch (reader.peek()) {
        case BEGIN_OBJECT:
          reader.beginObject();
          depth++;
          break;
        case END_OBJECT:
          reader.endObject();
          depth--;
          break;
        case BEGIN_ARRAY:
          reader.beginArray();
          depth++;
          break;
        case END_ARRAY:
          reader.endArray();
          depth--;
          break;
        case NAME:
          String name = reader.nextName(); // always consumed, whatever the depth
          nextBatchName = depth == 1 && name.equals("next_batch");
          continue;
        case STRING:
          String value = reader.nextString();
          if (nextBatchName) {
            nextBatch = value;
          } else if (value.startsWith(marker)) {
            found.add(value);
          }
          break;
        case NUMBER:
          reader.nextString();
          break;
        case BOOLEAN:
          reader.nextBoolean();
          break;
        case NULL:
          reader.nextNull();
          break;
        default:
          throw new IllegalStateException("unexpected " + reader.peek());
      }
      nextBatchName = false;
    } while (depth > 0);
    return nextBatch;
  }
}
