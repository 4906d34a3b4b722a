package io.melo.bench;

import com.squareup.moshi.JsonReader;
import java.io.IOException;

/** The raw baseline every benchmark shares: what a bare Moshi client does with a JSON answer. */
public final class RawJsonScan {

  private RawJsonScan() {}

  /** Reads every token of a document, summing string lengths so no read is optimised away. */
  public static long readAll(JsonReader reader) throws IOException {
    long sum = 0;
    int depth = 0;
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
          sum += reader.nextName().length();
          break;
        case STRING:
        case NUMBER:
          sum += reader.nextString().length();
          break;
        case BOOLEAN:
          sum += reader.nextBoolean() ? 1 : 0;
          break;
        case NULL:
          reader.nextNull();
          break;
        default:
          throw new IllegalStateException("unexpected " + reader.peek());
      }
    } while (depth > 0);
    return sum;
  }
}
