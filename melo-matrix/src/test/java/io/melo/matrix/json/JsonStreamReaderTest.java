package io.melo.matrix.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.event.SpecExamples;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.junit.jupiter.api.Test;

/**
 * Differential tests: {@link JsonStreamReader} must read every document into the tree Moshi's reader
 * gives (through the same {@link JsonTrees}), from any chunking of the bytes, and refuse malformed
 * input with a typed exception where Moshi does.
 */
class JsonStreamReaderTest {

  /** Feeds the bytes at most {@code chunk} at a time, so that the window refills at every offset. */
  private static BufferedSource chunked(byte[] bytes, int chunk) {
    Buffer all = new Buffer().write(bytes);
    return Okio.buffer(new ForwardingSource(all) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        return super.read(sink, Math.min(byteCount, chunk));
      }
    });
  }

  /** What a reader made of a document: its tree, or the exception it threw. */
  private record Outcome(JsonValue value, Exception error) {
    boolean accepted() {
      return error == null;
    }
  }

  private static Outcome fast(byte[] bytes, int chunk) {
    try (JsonStreamReader reader = JsonStreamReader.of(chunk <= 0 ? new Buffer().write(bytes) : chunked(bytes, chunk))) {
      JsonValue value = reader.readValue();
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        return new Outcome(null, new IllegalStateException("peek past the value was not END_DOCUMENT"));
      }
      return new Outcome(value, null);
    } catch (JsonEncodingException | EOFException | JsonNestingException e) {
      return new Outcome(null, e);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("untyped failure " + e + " for " + show(bytes), e);
    }
  }

  private static Outcome moshi(byte[] bytes) {
    try (JsonReader reader = JsonReader.of(new Buffer().write(bytes))) {
      JsonValue value = JsonValue.read(reader);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        return new Outcome(null, new IllegalStateException("not END_DOCUMENT"));
      }
      return new Outcome(value, null);
    } catch (IOException | JsonDataException e) {
      return new Outcome(null, e);
    }
  }

  private static String show(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  /** Asserts that the new reader reads {@code bytes} exactly as Moshi does, for several chunkings. */
  private static void assertSameAsMoshi(byte[] bytes, int... chunks) {
    Outcome expected = moshi(bytes);
    for (int chunk : chunks) {
      Outcome actual = fast(bytes, chunk);
      if (expected.accepted()) {
        assertThat(actual.error()).as("chunk %d of %s", chunk, show(bytes)).isNull();
        assertThat(actual.value()).as("chunk %d of %s", chunk, show(bytes)).isEqualTo(expected.value());
        assertThat(actual.value().toJson()).isEqualTo(expected.value().toJson()); // literals and key order too
      } else if (expected.error() instanceof JsonNestingException deep) {
        assertThat(actual.error()).as("chunk %d", chunk).isInstanceOf(JsonNestingException.class)
            .hasMessage(deep.getMessage());
        assertThat(((JsonNestingException) actual.error()).partial()).isEqualTo(deep.partial());
      } else {
        assertThat(actual.accepted()).as("Moshi refused (%s) %s", expected.error(), show(bytes)).isFalse();
      }
    }
  }

  // ------------------------------------------------------------------ random documents

  private static final String[] KEYS = {
    "type", "content", "membership", "event_id", "sender", "origin_server_ts", "body", "typ\\u0065", "k",
    "m.relates_to", "", "é", "\\n", "日本", "😀", "a\\\"b", "displayname", "x".repeat(40),
  };
  private static final String[] NUMBERS = {
    "0", "-0", "1", "-1", "7", "42", "1700000000000", "-1700000000000", "9223372036854775807",
    "-9223372036854775808", "9223372036854775808", "123456789012345678", "1234567890123456789",
    "12345678901234567890123456789", "0.5", "-0.5", "1.0", "50.0", "0.10", "1e3", "1E3", "1e+3", "1e-3",
    "-1.5e-10", "6.02214076E23", "1.7976931348623157e308", "4.9e-324", "0e0", "-0.0",
  };
  private static final String[] WHITESPACE = {"", "", "", " ", "\n", "\t", "\r\n  ", "   "};
  private static final String[] PIECES = {
    "a", "Z", "0", " ", "é", "ß", "日本語", "😀", "👍🏽", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
    "\\u00e9", "\\u65E5", "\\uD83D\\uDE00", "\\ud800", "\\uDFFF", "\\u0000", "m.room.member", "join", "\u0001", "\u007f",
    "\u0080", "\u07ff", "\u0800", "\uffff", "\uD800\uDC00", "\uDBFF\uDFFF",
  };

  private static void whitespace(SplittableRandom random, StringBuilder out) {
    out.append(WHITESPACE[random.nextInt(WHITESPACE.length)]);
  }

  private static void string(SplittableRandom random, StringBuilder out, int maxPieces) {
    out.append('"');
    int pieces = random.nextInt(maxPieces + 1);
    for (int i = 0; i < pieces; i++) {
      out.append(PIECES[random.nextInt(PIECES.length)]);
    }
    out.append('"');
  }

  private static void value(SplittableRandom random, StringBuilder out, int depth) {
    int kind = random.nextInt(depth > 6 || out.length() > 2000 ? 4 : 10); // containers only while the document is small
    switch (kind) {
      case 0:
        string(random, out, 12);
        break;
      case 1:
        out.append(NUMBERS[random.nextInt(NUMBERS.length)]);
        break;
      case 2:
        out.append(random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null");
        break;
      case 3:
        out.append(random.nextBoolean() ? "{}" : "[]");
        break;
      case 4:
      case 5:
      case 6:
        out.append('{');
        int members = random.nextInt(8);
        for (int i = 0; i < members; i++) {
          if (i > 0) {
            out.append(',');
          }
          whitespace(random, out);
          if (random.nextInt(4) == 0) {
            string(random, out, 3);
          } else {
            out.append('"').append(KEYS[random.nextInt(KEYS.length)]).append('"');
          }
          whitespace(random, out);
          out.append(':');
          whitespace(random, out);
          value(random, out, depth + 1);
          whitespace(random, out);
        }
        out.append('}');
        break;
      default:
        out.append('[');
        int elements = random.nextInt(8);
        for (int i = 0; i < elements; i++) {
          if (i > 0) {
            out.append(',');
          }
          whitespace(random, out);
          value(random, out, depth + 1);
          whitespace(random, out);
        }
        out.append(']');
    }
  }

  private static byte[] randomDocument(SplittableRandom random) {
    StringBuilder out = new StringBuilder();
    whitespace(random, out);
    value(random, out, 0);
    whitespace(random, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void randomDocumentsReadAsMoshiReadsThem() {
    SplittableRandom random = new SplittableRandom(20261201);
    for (int i = 0; i < 2000; i++) {
      byte[] doc = randomDocument(random);
      assertSameAsMoshi(doc, 0, 1 + random.nextInt(64));
    }
  }

  @Test
  void oneByteAtATimeRefillsAtEveryPosition() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 300; i++) {
      assertSameAsMoshi(randomDocument(random), 1);
    }
  }

  @Test
  void stringsAndNamesLongerThanTheWindowRead() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 3; i++) {
      StringBuilder text = new StringBuilder();
      while (text.length() < 20_000 + i * 25_000) { // up to ~100 KB of UTF-8: beyond the 32 KB window
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String doc = "[\"" + text + "\",{\"" + text + "\":1},\"" + "a".repeat(70_000) + "\"]";
      assertSameAsMoshi(doc.getBytes(StandardCharsets.UTF_8), 0, 7, 8192);
    }
  }

  @Test
  void aNumberLongerThanTheWindowKeepsItsLiteral() throws IOException {
    String digits = "-" + "9".repeat(40_000) + ".5e-7";
    for (int chunk : new int[] {0, 5}) {
      byte[] doc = ("[" + digits + ",1]").getBytes(StandardCharsets.UTF_8);
      try (JsonStreamReader reader = JsonStreamReader.of(chunk == 0 ? new Buffer().write(doc) : chunked(doc, chunk))) {
        reader.beginArray();
        assertThat(reader.nextNumber().literal()).isEqualTo(digits);
        assertThat(reader.nextNumber().literal()).isEqualTo("1");
        reader.endArray();
      }
    }
  }

  @Test
  void specExamplesReadAsMoshiReadsThem() throws IOException {
    assumeTrue(SpecExamples.specDir() != null, "shared/spec not found; set -Dmelo.spec.dir");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SpecExamples.specDir())) {
      files = walk.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
    }
    assertThat(files).hasSizeGreaterThan(100);
    for (Path file : files) {
      assertSameAsMoshi(Files.readAllBytes(file), 0, 3);
    }
  }

  /** A {@code /sync}-like answer: rooms with member state and message timelines, non-ASCII text included. */
  private static byte[] syncDocument(SplittableRandom random, int rooms) {
    StringBuilder out = new StringBuilder("{\"next_batch\":\"s1_2\",\"rooms\":{\"join\":{");
    String[] words = {"hello", "café", "日本語", "🎉", "naïve", "a\\\"q\\\"", "line\\nbreak"};
    long ts = 1_700_000_000_000L;
    for (int r = 0; r < rooms; r++) {
      out.append(r == 0 ? "" : ",").append("\"!room").append(r).append(":hs\":{\"state\":{\"events\":[");
      for (int m = 0; m < 5; m++) {
        out.append(m == 0 ? "" : ",").append("{\"type\":\"m.room.member\",\"state_key\":\"@u").append(m)
            .append(":hs\",\"sender\":\"@u").append(m).append(":hs\",\"event_id\":\"$m").append(r).append('_').append(m)
            .append("\",\"origin_server_ts\":").append(ts += random.nextInt(1000))
            .append(",\"content\":{\"membership\":\"join\",\"displayname\":\"").append(words[random.nextInt(words.length)])
            .append("\"}}");
      }
      out.append("]},\"timeline\":{\"limited\":true,\"prev_batch\":\"p\",\"events\":[");
      for (int e = 0; e < 8; e++) {
        out.append(e == 0 ? "" : ",").append("{\"type\":\"m.room.message\",\"sender\":\"@u1:hs\",\"event_id\":\"$e")
            .append(r).append('_').append(e).append("\",\"origin_server_ts\":").append(ts += random.nextInt(1000))
            .append(",\"unsigned\":{\"age\":").append(random.nextInt(100000)).append("},\"content\":{\"msgtype\":\"m.text\",\"body\":\"")
            .append(words[random.nextInt(words.length)]).append(' ').append(words[random.nextInt(words.length)]).append("\"}}");
      }
      out.append("]},\"unread_notifications\":{\"highlight_count\":0,\"notification_count\":").append(random.nextInt(9)).append("}}");
    }
    out.append("}}}");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void syncAnswersReadAsMoshiReadsThemAndParseToTheSameRooms() throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 3; i++) {
      byte[] doc = syncDocument(random, 40);
      assertSameAsMoshi(doc, 0, 1, 100);
      SyncResponse viaSource = SyncResponseParser.parse(chunked(doc, 13));
      SyncResponse viaMoshiReader = SyncResponseParser.parse(JsonReader.of(new Buffer().write(doc)));
      assertThat(viaSource.rooms().join()).hasSize(40).isEqualTo(viaMoshiReader.rooms().join());
      JsonObject tree = (JsonObject) moshi(doc).value();
      assertThat(viaSource.rooms().join().get("!room7:hs").timeline().events().get(3).content())
          .isEqualTo(tree.getObjectOrEmpty("rooms").getObjectOrEmpty("join").getObjectOrEmpty("!room7:hs")
              .getObjectOrEmpty("timeline").getArray("events").orElseThrow().get(3).flatMap(JsonValue::asObject).orElseThrow()
              .getObjectOrEmpty("content"));
    }
  }

  // ------------------------------------------------------------------ malformed input

  @Test
  void aTruncatedDocumentIsRefusedAtEveryOffset() {
    byte[] doc = ("{\"a\":[1,-2.5e3,true,false,null,\"x\\u00e9\\n日😀\"],\"type\":\"m.room.member\",\"b\":{\"c\":{}},"
        + "\"d\":123456789012345678901}").getBytes(StandardCharsets.UTF_8);
    assertSameAsMoshi(doc, 0, 1);
    for (int cut = 0; cut < doc.length; cut++) {
      byte[] prefix = java.util.Arrays.copyOf(doc, cut);
      for (int chunk : new int[] {0, 1}) {
        Outcome outcome = fast(prefix, chunk);
        assertThat(outcome.error()).as("cut at %d", cut).isInstanceOfAny(EOFException.class, JsonEncodingException.class);
      }
    }
  }

  @Test
  void malformedInputGetsATypedExceptionAsInMoshi() {
    String[] bad = {
      "", " ", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{1:2}", "{'a':1}", "['a']", "[1 2]", "{\"a\"}",
      "tru", "nul", "fals", "truex", "nulll", "[true1]", "-", "--1", "01", "-01", "1.", "1.e3", "1e", "1e+", ".5", "+1",
      "0x10", "NaN", "Infinity", "[1]x", "{} {}", "{}]", "]", "}", "[", "{", "\"abc", "\"\\", "\"\\u12", "\"\\u12G4\"",
      "\"\\x\"", "\"\\U0041\"", "[1,,2]", "[,1]", "{,}", "{\"a\":}", "[1;2]", "[1/2]", "[1#]", "// c\n1", "/* c */ 1",
      "# c\n1", "{\"a\":1}//", "a", "[a]", "\u00a01", "\f1",
    };
    for (String text : bad) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertThat(moshi(bytes).accepted()).as("Moshi accepts %s", text).isFalse();
      for (int chunk : new int[] {0, 1}) {
        assertThat(fast(bytes, chunk).error()).as("%s", text)
            .isInstanceOfAny(EOFException.class, JsonEncodingException.class);
      }
    }
  }

  /** What Melo refuses and Moshi lets through: JSON has none of these. */
  @Test
  void invalidUtf8BadEscapesAndUpperCaseLiteralsAreRefusedUnlikeMoshi() {
    List<byte[]> bad = new ArrayList<>();
    for (int[] sequence : new int[][] {
        {0xff}, {0xfe}, {0x80}, {0xbf}, {0xc0, 0x80}, {0xc1, 0xbf}, {0xe0, 0x80, 0x80}, {0xed, 0xa0, 0x80},
        {0xf0, 0x80, 0x80, 0x80}, {0xf4, 0x90, 0x80, 0x80}, {0xf5, 0x80, 0x80, 0x80}, {0xe2, 0x82}, {0xc3},
        {0xe2, 0x28, 0xa1}, {0xc3, 0x28}}) {
      byte[] doc = new byte[sequence.length + 4];
      doc[0] = '[';
      doc[1] = '"';
      for (int i = 0; i < sequence.length; i++) {
        doc[2 + i] = (byte) sequence[i];
      }
      doc[sequence.length + 2] = '"';
      doc[sequence.length + 3] = ']';
      bad.add(doc);
      byte[] asName = new String(doc, StandardCharsets.ISO_8859_1).replace("[", "{").replace("]", ":1}")
          .getBytes(StandardCharsets.ISO_8859_1);
      bad.add(asName);
    }
    for (String text : new String[] {"[\"\\'\"]", "[\"a\\\nb\"]", "TRUE", "[True]", "nULL", "[FALSE]"}) {
      bad.add(text.getBytes(StandardCharsets.UTF_8));
    }
    for (byte[] bytes : bad) {
      for (int chunk : new int[] {0, 1}) {
        assertThat(fast(bytes, chunk).error()).as("%s", show(bytes))
            .isInstanceOfAny(EOFException.class, JsonEncodingException.class);
      }
    }
    // The one-byte-sequence cases and the valid neighbours still read.
    assertSameAsMoshi("[\"\\u0041\\/\\\"\",\"€𝄞\"]".getBytes(StandardCharsets.UTF_8), 0, 1);
  }

  @Test
  void valuesNestedTooDeepAreReadPastAndKeptRawAsMoshiKeepsThem() throws IOException {
    for (int depth : new int[] {127, 128, 129, 200, 5000}) {
      String deep = "[".repeat(depth) + "{\"k\":\"]}\\\"[\"}" + "]".repeat(depth);
      String doc = "{\"a\":" + deep + ",\"b\":{\"c\":" + deep + "}}";
      assertSameAsMoshi(doc.getBytes(StandardCharsets.UTF_8), 0, 1, 5);
      // The reader is after the too-deep value: the next one still reads.
      try (JsonStreamReader reader = JsonStreamReader.of(new Buffer().writeUtf8("[" + deep + ",7]"))) {
        reader.beginArray();
        if (depth + 2 > JsonValue.MAX_DEPTH) {
          assertThatThrownBy(() -> reader.readValue(1)).isInstanceOf(JsonNestingException.class)
              .hasMessageContaining("nested deeper than 128 levels at $[0]");
        } else {
          reader.readValue(1);
        }
        assertThat(reader.nextNumber()).isEqualTo(JsonNumber.of(7));
        reader.endArray();
      }
    }
    String unterminated = "[" + "[".repeat(300) + "\"]]]\"";
    assertThat(fast(unterminated.getBytes(StandardCharsets.UTF_8), 0).error()).isInstanceOf(EOFException.class);
  }

  @Test
  void theSyncParserTurnsEveryMalformedBodyIntoAProtocolError() {
    byte[] doc = syncDocument(new SplittableRandom(5), 2);
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 1500; i++) {
      byte[] mutated = mutate(random, doc);
      try {
        SyncResponseParser.parse(chunked(mutated, 1 + random.nextInt(50)));
      } catch (MatrixProtocolException expected) {
        assertThat(expected).hasMessageContaining("/sync answer");
      }
    }
    for (int cut = 0; cut < doc.length; cut += 7) {
      byte[] prefix = java.util.Arrays.copyOf(doc, cut);
      assertThatThrownBy(() -> SyncResponseParser.parse(new Buffer().write(prefix)))
          .isInstanceOf(MatrixProtocolException.class);
    }
  }

  // ------------------------------------------------------------------ mutation fuzz

  private static final byte[] ALPHABET = "{}[]:,\"\\ 0-1.eE+tfnrulasx/\n\u00e9".getBytes(StandardCharsets.UTF_8);

  private static byte[] mutate(SplittableRandom random, byte[] doc) {
    byte[] out = doc.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && out.length > 0; e++) {
      int at = random.nextInt(out.length);
      byte b = random.nextInt(5) == 0 ? (byte) random.nextInt(256) : ALPHABET[random.nextInt(ALPHABET.length)];
      switch (random.nextInt(4)) {
        case 0:
          out[at] = b;
          break;
        case 1: // delete
          byte[] shorter = new byte[out.length - 1];
          System.arraycopy(out, 0, shorter, 0, at);
          System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
          out = shorter;
          break;
        case 2: // insert
          byte[] longer = new byte[out.length + 1];
          System.arraycopy(out, 0, longer, 0, at);
          longer[at] = b;
          System.arraycopy(out, at, longer, at + 1, out.length - at);
          out = longer;
          break;
        default:
          out = java.util.Arrays.copyOf(out, at);
      }
    }
    return out;
  }

  /** True when the document holds something Moshi accepts but JSON (and Melo) does not. */
  private static boolean moshiLenient(byte[] doc) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(doc));
    } catch (CharacterCodingException e) {
      return true; // Moshi replaces invalid UTF-8
    }
    String text = new String(doc, StandardCharsets.UTF_8);
    if (text.contains("\\'") || text.contains("\\\n")) {
      return true;
    }
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    for (String keyword : new String[] {"true", "false", "null"}) {
      for (int i = lower.indexOf(keyword); i >= 0; i = lower.indexOf(keyword, i + 1)) {
        if (!text.startsWith(keyword, i)) {
          return true; // Moshi reads literals in any case
        }
      }
    }
    return false;
  }

  @Test
  void mutatedDocumentsAreAcceptedAndRefusedAsMoshiDoes() {
    SplittableRandom random = new SplittableRandom(99);
    int refused = 0;
    for (int i = 0; i < 4000; i++) {
      byte[] doc = mutate(random, randomDocument(random));
      Outcome expected = moshi(doc);
      Outcome actual = fast(doc, random.nextInt(3) == 0 ? 1 + random.nextInt(16) : 0);
      if (expected.accepted()) {
        if (!actual.accepted() && moshiLenient(doc)) {
          continue;
        }
        assertThat(actual.error()).as("%s", show(doc)).isNull();
        assertThat(actual.value().toJson()).isEqualTo(expected.value().toJson());
      } else if (actual.accepted()) {
        fail("Melo accepted what Moshi refused (" + expected.error() + "): " + show(doc));
      } else {
        refused++;
      }
    }
    assertThat(refused).as("the mutations must produce malformed documents").isGreaterThan(1000);
  }

  @Test
  void selectNameMatchesEncodedNamesAndEscapedSpellings() throws IOException {
    JsonStreamReader.Names names = JsonStreamReader.Names.of("type", "content", "日本", "m.room.member");
    String doc = "{\"type\":\"m.room.member\",\"typ\\u0065\":\"m.room.m\\u0065mber\",\"日本\":1,\"types\":2,\"ty\":3,"
        + "\"" + "x".repeat(50) + "\":4,\"content\":5}";
    try (JsonStreamReader reader = JsonStreamReader.of(chunked(doc.getBytes(StandardCharsets.UTF_8), 1))) {
      reader.beginObject();
      assertThat(reader.selectName(names)).isZero();
      assertThat(reader.getPath()).isEqualTo("$.type");
      assertThat(reader.selectString(names)).isEqualTo(3);
      assertThat(reader.selectName(names)).isZero(); // escaped spelling
      assertThat(reader.selectString(names)).isEqualTo(3);
      assertThat(reader.selectName(names)).isEqualTo(2);
      assertThat(reader.selectString(names)).isEqualTo(-1);
      assertThat(reader.nextNumber()).isEqualTo(JsonNumber.of(1));
      assertThat(reader.selectName(names)).isEqualTo(-1);
      assertThat(reader.selectName(names)).isEqualTo(-1); // still not consumed
      assertThat(reader.nextName()).isEqualTo("types");
      reader.nextNumber();
      assertThat(reader.selectName(names)).isEqualTo(-1);
      assertThat(reader.nextName()).isEqualTo("ty");
      reader.nextNumber();
      assertThat(reader.selectName(names)).isEqualTo(-1);
      assertThat(reader.nextName()).hasSize(50);
      assertThat(reader.getPath()).isEqualTo("$." + "x".repeat(50));
      reader.nextNumber();
      assertThat(reader.selectName(names)).isEqualTo(1);
      assertThatThrownBy(reader::nextString).isInstanceOf(JsonDataException.class)
          .hasMessageContaining("Expected a string but was NUMBER at path $.content");
      assertThat(reader.nextNumber().longValue()).hasValue(5);
      reader.endObject();
      assertThat(reader.peek()).isEqualTo(JsonReader.Token.END_DOCUMENT);
    }
  }
}
