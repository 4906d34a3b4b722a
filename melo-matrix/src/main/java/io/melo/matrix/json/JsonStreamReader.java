package io.melo.matrix.json;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import okio.BufferedSource;

/**
 * A streaming reader of strict UTF-8 JSON, low-level: for parsers that read part of a document
 * themselves, as Melo's {@code /sync} parser does. It pulls bytes from a {@link BufferedSource}
 * into a window of its own and never holds the whole document; a string or number longer than the
 * window still reads.
 *
 * <p>It reads what Moshi's {@link JsonReader} reads in its strict mode, with the same token kinds,
 * paths and exceptions: {@link JsonEncodingException} for bytes that are not JSON (also invalid
 * UTF-8 inside a string, which Moshi would replace), {@link EOFException} for a truncated document,
 * {@link JsonDataException} for asking for the wrong kind of value. Unlike Moshi it refuses the
 * escapes {@code \'} and backslash-newline and upper-case literals such as {@code TRUE}, which JSON
 * does not have. {@link #selectName(Names)} matches a name's bytes against names encoded in advance,
 * without making a String. Not thread-safe.
 */
public final class JsonStreamReader implements JsonTokens, Closeable {

  /** Bytes the window holds; it grows only for a single number longer than this. */
  private static final int WINDOW = 32 * 1024;

  private static final int PEEKED_NONE = 0;
  private static final int PEEKED_BEGIN_OBJECT = 1;
  private static final int PEEKED_END_OBJECT = 2;
  private static final int PEEKED_BEGIN_ARRAY = 3;
  private static final int PEEKED_END_ARRAY = 4;
  private static final int PEEKED_TRUE = 5;
  private static final int PEEKED_FALSE = 6;
  private static final int PEEKED_NULL = 7;
  /** A string whose opening quote was consumed. */
  private static final int PEEKED_STRING = 8;
  /** A string already decoded into {@link #peekedString}. */
  private static final int PEEKED_BUFFERED_STRING = 9;
  /** A name whose opening quote was consumed. */
  private static final int PEEKED_NAME = 10;
  /** A name already decoded into {@link #peekedString}. */
  private static final int PEEKED_BUFFERED_NAME = 11;
  /** A number of {@link #numberLength} bytes at {@link #pos}. */
  private static final int PEEKED_NUMBER = 12;
  private static final int PEEKED_END_DOCUMENT = 13;

  private static final int EMPTY_ARRAY = 1;
  private static final int NONEMPTY_ARRAY = 2;
  private static final int EMPTY_OBJECT = 3;
  private static final int DANGLING_NAME = 4;
  private static final int NONEMPTY_OBJECT = 5;
  private static final int EMPTY_DOCUMENT = 6;
  private static final int NONEMPTY_DOCUMENT = 7;
  private static final int CLOSED = 8;

  private final BufferedSource source;
  /** The path of the value this reader starts at, as the outer reader named it; "$" for a document. */
  private final String basePath;
  private byte[] buf = new byte[WINDOW];
  private int pos;
  private int limit;
  /** Bytes of the document before {@code buf[0]}, for the offsets in error messages. */
  private long shifted;
  private int peeked = PEEKED_NONE;
  private int numberLength;
  private String peekedString;
  private int[] scopes = new int[32];
  private String[] pathNames = new String[32];
  private int[] pathIndices = new int[32];
  private int stackSize = 1;
  private char[] chars = new char[128];

  private JsonStreamReader(BufferedSource source, String basePath) {
    this.source = source;
    this.basePath = basePath;
    scopes[0] = EMPTY_DOCUMENT;
  }

  /**
   * {@return a reader of one JSON document}
   *
   * @param source the bytes; a value after the document's is an error
   */
  public static JsonStreamReader of(BufferedSource source) {
    return new JsonStreamReader(source, "$");
  }

  /**
   * {@return a reader of one value that another reader is positioned at, such as the bytes of
   * Moshi's {@link JsonReader#nextSource()}; paths in errors start with {@code path}}
   *
   * @param source the bytes of the value
   * @param path the outer reader's path of the value, such as {@code $.chunk[2]}
   */
  public static JsonStreamReader of(BufferedSource source, String path) {
    return new JsonStreamReader(source, path);
  }

  // ------------------------------------------------------------------ tokens

  /**
   * {@return the kind of the next token, without consuming it}
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   */
  @Override
  public JsonReader.Token peek() throws IOException {
    int p = peeked;
    if (p == PEEKED_NONE) {
      p = doPeek();
    }
    switch (p) {
      case PEEKED_BEGIN_OBJECT:
        return JsonReader.Token.BEGIN_OBJECT;
      case PEEKED_END_OBJECT:
        return JsonReader.Token.END_OBJECT;
      case PEEKED_BEGIN_ARRAY:
        return JsonReader.Token.BEGIN_ARRAY;
      case PEEKED_END_ARRAY:
        return JsonReader.Token.END_ARRAY;
      case PEEKED_TRUE:
      case PEEKED_FALSE:
        return JsonReader.Token.BOOLEAN;
      case PEEKED_NULL:
        return JsonReader.Token.NULL;
      case PEEKED_STRING:
      case PEEKED_BUFFERED_STRING:
        return JsonReader.Token.STRING;
      case PEEKED_NAME:
      case PEEKED_BUFFERED_NAME:
        return JsonReader.Token.NAME;
      case PEEKED_NUMBER:
        return JsonReader.Token.NUMBER;
      default:
        return JsonReader.Token.END_DOCUMENT;
    }
  }

  /**
   * Consumes the start of an object.
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonDataException if the next token is not the start of an object
   */
  @Override
  public void beginObject() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    if (p != PEEKED_BEGIN_OBJECT) {
      throw unexpected("BEGIN_OBJECT");
    }
    push(EMPTY_OBJECT);
    peeked = PEEKED_NONE;
  }

  /**
   * Consumes the end of an object.
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonDataException if the next token is not the end of an object
   */
  @Override
  public void endObject() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    if (p != PEEKED_END_OBJECT) {
      throw unexpected("END_OBJECT");
    }
    stackSize--;
    pathNames[stackSize] = null;
    pathIndices[stackSize - 1]++;
    peeked = PEEKED_NONE;
  }

  /**
   * Consumes the start of an array.
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonDataException if the next token is not the start of an array
   */
  @Override
  public void beginArray() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    if (p != PEEKED_BEGIN_ARRAY) {
      throw unexpected("BEGIN_ARRAY");
    }
    push(EMPTY_ARRAY);
    pathIndices[stackSize - 1] = 0;
    peeked = PEEKED_NONE;
  }

  /**
   * Consumes the end of an array.
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonDataException if the next token is not the end of an array
   */
  @Override
  public void endArray() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    if (p != PEEKED_END_ARRAY) {
      throw unexpected("END_ARRAY");
    }
    stackSize--;
    pathIndices[stackSize - 1]++;
    peeked = PEEKED_NONE;
  }

  /**
   * {@return true when the current object or array has another element}
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   */
  @Override
  public boolean hasNext() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    return p != PEEKED_END_OBJECT && p != PEEKED_END_ARRAY && p != PEEKED_END_DOCUMENT;
  }

  /**
   * {@return the next name of the current object}
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonDataException if the next token is not a name
   */
  @Override
  public String nextName() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    String name;
    if (p == PEEKED_NAME) {
      name = readString();
    } else if (p == PEEKED_BUFFERED_NAME) {
      name = peekedString;
      peekedString = null;
    } else {
      throw unexpected("a name");
    }
    peeked = PEEKED_NONE;
    pathNames[stackSize - 1] = name;
    return name;
  }

  /**
   * Consumes the next name when it is one of {@code names}.
   *
   * @param names the names to look for
   * @return the index of the name in {@code names}, or -1 (nothing consumed) when it is none of them
   *     or the next token is not a name
   * @throws IOException if the bytes are not JSON or reading them failed
   */
  @Override
  public int selectName(Names names) throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    if (p != PEEKED_NAME && p != PEEKED_BUFFERED_NAME) {
      return -1;
    }
    int index = select(p, names, PEEKED_BUFFERED_NAME);
    if (index >= 0) {
      pathNames[stackSize - 1] = names.strings[index];
    }
    return index;
  }

  /**
   * Consumes the next string value when it is one of {@code values}.
   *
   * @param values the strings to look for
   * @return the index of the string in {@code values}, or -1 (nothing consumed) when it is none of
   *     them or the next token is not a string
   * @throws IOException if the bytes are not JSON or reading them failed
   */
  @Override
  public int selectString(Names values) throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    if (p != PEEKED_STRING && p != PEEKED_BUFFERED_STRING) {
      return -1;
    }
    int index = select(p, values, PEEKED_BUFFERED_STRING);
    if (index >= 0) {
      pathIndices[stackSize - 1]++;
    }
    return index;
  }

  /** Matches the peeked string or name {@code p} against {@code names}; consumes it on a match. */
  private int select(int p, Names names, int buffered) throws IOException {
    if (p == buffered) {
      int index = names.indexOf(peekedString);
      if (index >= 0) {
        peeked = PEEKED_NONE;
        peekedString = null;
      }
      return index;
    }
    int max = names.maxLength;
    if (limit - pos <= max) {
      fill(max + 1); // at the end of the input the string is shorter or unterminated
    }
    byte[] b = buf;
    int end = Math.min(limit, pos + max + 1);
    int hash = 0;
    for (int i = pos; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        int index = names.find(b, pos, i - pos, hash);
        if (index >= 0) {
          pos = i + 1;
          peeked = PEEKED_NONE;
        }
        return index;
      }
      if (c == '\\') { // an escaped spelling of a name still matches: decode it once and keep it
        String text = readString();
        peeked = buffered;
        peekedString = text;
        return select(buffered, names, buffered);
      }
      hash = 31 * hash + c;
    }
    return -1; // longer than every name
  }

  /**
   * {@return the next string value}
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonDataException if the next token is not a string
   */
  @Override
  public String nextString() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    String value;
    if (p == PEEKED_STRING) {
      value = readString();
    } else if (p == PEEKED_BUFFERED_STRING) {
      value = peekedString;
      peekedString = null;
    } else {
      throw unexpected("a string");
    }
    peeked = PEEKED_NONE;
    pathIndices[stackSize - 1]++;
    return value;
  }

  /**
   * {@return the next number, with its literal kept exactly}
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonDataException if the next token is not a number
   */
  @Override
  public JsonNumber nextNumber() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    if (p != PEEKED_NUMBER) {
      throw unexpected("a number");
    }
    int length = numberLength;
    byte[] b = buf;
    int start = pos;
    JsonNumber number = null;
    if (length <= 18) { // the literal is valid JSON: digits only means an integer without leading zeros
      int i = b[start] == '-' ? start + 1 : start;
      int end = start + length;
      long value = 0;
      for (; i < end; i++) {
        int c = b[i];
        if (c < '0' || c > '9') {
          break;
        }
        value = value * 10 + (c - '0');
      }
      if (i == end && !(b[start] == '-' && value == 0)) { // -0 keeps its literal, as JsonNumber.ofLiteral does
        number = JsonNumber.of(b[start] == '-' ? -value : value);
      }
    }
    if (number == null) {
      number = JsonNumber.ofLiteral(new String(b, start, length, StandardCharsets.ISO_8859_1));
    }
    pos = start + length;
    peeked = PEEKED_NONE;
    pathIndices[stackSize - 1]++;
    return number;
  }

  /**
   * {@return the next boolean}
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonDataException if the next token is not a boolean
   */
  @Override
  public boolean nextBoolean() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    if (p != PEEKED_TRUE && p != PEEKED_FALSE) {
      throw unexpected("a boolean");
    }
    peeked = PEEKED_NONE;
    pathIndices[stackSize - 1]++;
    return p == PEEKED_TRUE;
  }

  /**
   * Consumes a {@code null}.
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonDataException if the next token is not null
   */
  @Override
  public void nextNull() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    if (p != PEEKED_NULL) {
      throw unexpected("null");
    }
    peeked = PEEKED_NONE;
    pathIndices[stackSize - 1]++;
  }

  /**
   * Consumes the next object or array without building it and returns its exact text, as Moshi's
   * {@link JsonReader#nextSource()} does: only brackets and strings are tracked, so there is no
   * nesting limit.
   *
   * @return the value's JSON text as sent
   * @throws IOException if the value is truncated, not UTF-8 or reading failed
   * @throws JsonDataException if the next token does not start an object or array
   */
  @Override
  public String nextRawValue() throws IOException {
    int p = peeked == PEEKED_NONE ? doPeek() : peeked;
    if (p != PEEKED_BEGIN_OBJECT && p != PEEKED_BEGIN_ARRAY) {
      throw unexpected("an object or array");
    }
    byte[] raw = new byte[256];
    raw[0] = (byte) (p == PEEKED_BEGIN_OBJECT ? '{' : '[');
    int size = 1;
    long depth = 1;
    boolean inString = false;
    boolean escaped = false;
    while (depth > 0) {
      if (pos == limit && !fill(1)) {
        throw new EOFException("Unterminated value at path " + getPath());
      }
      byte[] b = buf;
      int i = pos;
      int end = limit;
      for (; i < end && depth > 0; i++) {
        byte c = b[i];
        if (inString) {
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          depth--;
        }
      }
      int n = i - pos;
      if (size + n > raw.length) {
        raw = Arrays.copyOf(raw, Math.max(size + n, raw.length * 2));
      }
      System.arraycopy(b, pos, raw, size, n);
      size += n;
      pos = i;
    }
    peeked = PEEKED_NONE;
    pathIndices[stackSize - 1]++;
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw, 0, size))
          .toString();
    } catch (CharacterCodingException e) {
      throw syntaxError("Invalid UTF-8 in a value");
    }
  }

  /**
   * {@return the next value as a tree}
   *
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonNestingException if the value nests deeper than {@link JsonValue#MAX_DEPTH}; the
   *     reader is then positioned after the value
   */
  public JsonValue readValue() throws IOException {
    return JsonTrees.read(this, 0);
  }

  /**
   * As {@link #readValue()} for a value {@code level} objects or arrays deep in its document, so that
   * {@link JsonValue#MAX_DEPTH} counts from the top of the document.
   *
   * @param level how deep the value sits; 0 for a whole document
   * @return the value
   * @throws IOException if the bytes are not JSON or reading them failed
   * @throws JsonNestingException if the value nests deeper than {@link JsonValue#MAX_DEPTH} counted
   *     from the top of the document; the reader is then positioned after the value
   */
  public JsonValue readValue(int level) throws IOException {
    return JsonTrees.read(this, level);
  }

  /**
   * {@return where the reader is, in Moshi's notation such as {@code $.rooms.join[2]}}
   */
  @Override
  public String getPath() {
    StringBuilder result = new StringBuilder(basePath);
    for (int i = 0; i < stackSize; i++) {
      switch (scopes[i]) {
        case EMPTY_ARRAY:
        case NONEMPTY_ARRAY:
          result.append('[').append(pathIndices[i]).append(']');
          break;
        case EMPTY_OBJECT:
        case DANGLING_NAME:
        case NONEMPTY_OBJECT:
          result.append('.');
          if (pathNames[i] != null) {
            result.append(pathNames[i]);
          }
          break;
        default:
          break;
      }
    }
    return result.toString();
  }

  /**
   * Closes the reader and its source.
   *
   * @throws IOException if closing the source failed
   */
  @Override
  public void close() throws IOException {
    peeked = PEEKED_NONE;
    scopes[0] = CLOSED;
    stackSize = 1;
    source.close();
  }

  // ------------------------------------------------------------------ scanning

  private void push(int scope) {
    if (stackSize == scopes.length) {
      scopes = Arrays.copyOf(scopes, stackSize * 2);
      pathNames = Arrays.copyOf(pathNames, stackSize * 2);
      pathIndices = Arrays.copyOf(pathIndices, stackSize * 2);
    }
    scopes[stackSize++] = scope;
  }

  /**
   * Makes at least {@code minimum} bytes available from {@link #pos}, moving what is left to the
   * start of the window and growing it if needed; false when the input ends first.
   */
  private boolean fill(int minimum) throws IOException {
    if (pos > 0) {
      int left = limit - pos;
      System.arraycopy(buf, pos, buf, 0, left);
      shifted += pos;
      limit = left;
      pos = 0;
    }
    if (minimum > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(minimum, buf.length * 2));
    }
    while (limit < minimum) {
      int n = source.read(buf, limit, buf.length - limit);
      if (n == -1) {
        return false;
      }
      limit += n;
    }
    return true;
  }

  /** The byte {@code offset} after {@link #pos}, or -1 past the end of the input; may move the window. */
  private int byteAt(int offset) throws IOException {
    if (pos + offset >= limit && !fill(offset + 1)) {
      return -1;
    }
    return buf[pos + offset] & 0xff;
  }

  /** Skips whitespace; returns the next byte (not consumed), or -1 at the end of the input. */
  private int nextNonWhitespace(boolean throwOnEof) throws IOException {
    while (true) {
      byte[] b = buf;
      int p = pos;
      int l = limit;
      while (p < l) {
        int c = b[p];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          pos = p;
          return c & 0xff;
        }
        p++;
      }
      pos = p;
      if (!fill(1)) {
        if (throwOnEof) {
          throw new EOFException("End of input at path " + getPath());
        }
        return -1;
      }
    }
  }

  private int doPeek() throws IOException {
    int peekStack = scopes[stackSize - 1];
    if (peekStack == EMPTY_ARRAY) {
      scopes[stackSize - 1] = NONEMPTY_ARRAY;
    } else if (peekStack == NONEMPTY_ARRAY) {
      int c = nextNonWhitespace(true);
      pos++;
      if (c == ']') {
        return peeked = PEEKED_END_ARRAY;
      } else if (c != ',') {
        pos--;
        throw syntaxError("Unterminated array");
      }
    } else if (peekStack == EMPTY_OBJECT || peekStack == NONEMPTY_OBJECT) {
      scopes[stackSize - 1] = DANGLING_NAME;
      if (peekStack == NONEMPTY_OBJECT) {
        int c = nextNonWhitespace(true);
        pos++;
        if (c == '}') {
          return peeked = PEEKED_END_OBJECT;
        } else if (c != ',') {
          pos--;
          throw syntaxError("Unterminated object");
        }
      }
      int c = nextNonWhitespace(true);
      if (c == '"') {
        pos++;
        return peeked = PEEKED_NAME;
      } else if (c == '}' && peekStack == EMPTY_OBJECT) {
        pos++;
        return peeked = PEEKED_END_OBJECT;
      }
      throw syntaxError("Expected name");
    } else if (peekStack == DANGLING_NAME) {
      scopes[stackSize - 1] = NONEMPTY_OBJECT;
      int c = nextNonWhitespace(true);
      if (c != ':') {
        throw syntaxError("Expected ':'");
      }
      pos++;
    } else if (peekStack == EMPTY_DOCUMENT) {
      scopes[stackSize - 1] = NONEMPTY_DOCUMENT;
    } else if (peekStack == NONEMPTY_DOCUMENT) {
      if (nextNonWhitespace(false) == -1) {
        return peeked = PEEKED_END_DOCUMENT;
      }
      throw syntaxError("Data after the JSON value");
    } else if (peekStack == CLOSED) {
      throw new IllegalStateException("JsonStreamReader is closed");
    }
    int c = nextNonWhitespace(true);
    switch (c) {
      case ']':
        if (peekStack == EMPTY_ARRAY) {
          pos++;
          return peeked = PEEKED_END_ARRAY;
        }
        throw syntaxError("Expected value");
      case '"':
        pos++;
        return peeked = PEEKED_STRING;
      case '[':
        pos++;
        return peeked = PEEKED_BEGIN_ARRAY;
      case '{':
        pos++;
        return peeked = PEEKED_BEGIN_OBJECT;
      case 't':
        return peeked = keyword("true", PEEKED_TRUE);
      case 'f':
        return peeked = keyword("false", PEEKED_FALSE);
      case 'n':
        return peeked = keyword("null", PEEKED_NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          numberLength = numberLength();
          return peeked = PEEKED_NUMBER;
        }
        throw syntaxError("Expected value");
    }
  }

  private int keyword(String keyword, int kind) throws IOException {
    int length = keyword.length();
    for (int i = 1; i < length; i++) {
      if (byteAt(i) != keyword.charAt(i)) {
        throw syntaxError("Expected value");
      }
    }
    int after = byteAt(length);
    if (after != -1 && isLiteral(after)) {
      throw syntaxError("Expected value");
    }
    pos += length;
    return kind;
  }

  /** The length of the valid JSON number at {@link #pos}; fails when it is not one. */
  private int numberLength() throws IOException {
    int i = 0;
    int c = byteAt(0);
    if (c == '-') {
      c = byteAt(++i);
    }
    if (c == '0') {
      c = byteAt(++i);
    } else if (c >= '1' && c <= '9') {
      do {
        c = byteAt(++i);
      } while (c >= '0' && c <= '9');
    } else {
      throw syntaxError("Expected value");
    }
    if (c == '.') {
      c = byteAt(++i);
      if (c < '0' || c > '9') {
        throw syntaxError("Malformed number");
      }
      do {
        c = byteAt(++i);
      } while (c >= '0' && c <= '9');
    }
    if (c == 'e' || c == 'E') {
      c = byteAt(++i);
      if (c == '+' || c == '-') {
        c = byteAt(++i);
      }
      if (c < '0' || c > '9') {
        throw syntaxError("Malformed number");
      }
      do {
        c = byteAt(++i);
      } while (c >= '0' && c <= '9');
    }
    if (c != -1 && isLiteral(c)) {
      throw syntaxError("Malformed number");
    }
    return i;
  }

  /** True for a byte that would continue a literal: anything but structure and whitespace. */
  private static boolean isLiteral(int c) {
    switch (c) {
      case '{':
      case '}':
      case '[':
      case ']':
      case ':':
      case ',':
      case ' ':
      case '\t':
      case '\f':
      case '\r':
      case '\n':
        return false;
      default:
        return true;
    }
  }

  /** Reads the string whose opening quote was consumed, through its closing quote. */
  private String readString() throws IOException {
    byte[] b = buf;
    int start = pos;
    int l = limit;
    for (int i = start; i < l; i++) {
      byte c = b[i];
      if (c == '"') {
        pos = i + 1;
        return new String(b, start, i - start, StandardCharsets.ISO_8859_1); // ASCII: Latin-1 is a plain copy
      }
      if (c == '\\' || c < 0) {
        break;
      }
    }
    return readStringSlow();
  }

  /** Reads a string with escapes, non-ASCII characters or an end beyond the window. */
  private String readStringSlow() throws IOException {
    char[] out = chars;
    int n = 0;
    while (true) {
      if (pos == limit && !fill(1)) {
        throw new EOFException("Unterminated string at path " + getPath());
      }
      if (out.length - n < 2) {
        out = chars = Arrays.copyOf(out, out.length * 2);
      }
      byte[] b = buf;
      int c = b[pos];
      if (c == '"') {
        pos++;
        return new String(out, 0, n);
      } else if (c == '\\') {
        pos++;
        n = readEscape(out, n);
      } else if (c >= 0) {
        int p = pos;
        int end = Math.min(limit, p + out.length - n); // copy a run of ASCII bytes
        do {
          out[n++] = (char) c;
          p++;
        } while (p < end && (c = b[p]) >= 0 && c != '"' && c != '\\');
        pos = p;
      } else {
        n = readUtf8(out, n, c & 0xff);
      }
    }
  }

  /** Decodes the escape after a consumed backslash into {@code out} at {@code n}; returns the new size. */
  private int readEscape(char[] out, int n) throws IOException {
    if (pos == limit && !fill(1)) {
      throw new EOFException("Unterminated escape sequence at path " + getPath());
    }
    int e = buf[pos++];
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out[n] = (char) e;
        break;
      case 'b':
        out[n] = '\b';
        break;
      case 'f':
        out[n] = '\f';
        break;
      case 'n':
        out[n] = '\n';
        break;
      case 'r':
        out[n] = '\r';
        break;
      case 't':
        out[n] = '\t';
        break;
      case 'u':
        if (limit - pos < 4 && !fill(4)) {
          throw new EOFException("Unterminated escape sequence at path " + getPath());
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
          int h = Character.digit(buf[pos + i], 16);
          if (h < 0) {
            throw syntaxError("Invalid escape sequence: \\u" + hex(pos, 4));
          }
          value = value << 4 | h;
        }
        pos += 4;
        out[n] = (char) value; // a lone surrogate stays as sent, as in Moshi
        break;
      default:
        pos--;
        throw syntaxError("Invalid escape sequence: \\" + (e >= ' ' && e < 127 ? String.valueOf((char) e)
            : String.format("x%02x", e & 0xff)));
    }
    return n + 1;
  }

  /** The bytes at {@code from}, shown as ASCII where printable: for error messages about escapes. */
  private String hex(int from, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = from; i < from + count && i < limit; i++) {
      int c = buf[i] & 0xff;
      text.append(c >= ' ' && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return text.toString();
  }

  /**
   * Decodes the UTF-8 sequence with lead byte {@code lead} at {@link #pos} into {@code out}; refuses
   * invalid, overlong and surrogate encodings.
   */
  private int readUtf8(char[] out, int n, int lead) throws IOException {
    int extra;
    int cp;
    if (lead >= 0xC2 && lead <= 0xDF) {
      extra = 1;
      cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      extra = 2;
      cp = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      extra = 3;
      cp = lead & 0x07;
    } else {
      throw syntaxError("Invalid UTF-8 byte 0x" + Integer.toHexString(lead) + " in a string");
    }
    if (limit - pos <= extra && !fill(extra + 1)) {
      throw new EOFException("Unterminated string at path " + getPath());
    }
    for (int i = 1; i <= extra; i++) {
      int c = buf[pos + i] & 0xff;
      if ((c & 0xC0) != 0x80) {
        throw syntaxError("Invalid UTF-8 sequence in a string");
      }
      cp = cp << 6 | (c & 0x3F);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      throw syntaxError("Invalid UTF-8 sequence in a string");
    }
    pos += extra + 1;
    if (cp < 0x10000) {
      out[n++] = (char) cp;
    } else {
      out[n++] = Character.highSurrogate(cp);
      out[n++] = Character.lowSurrogate(cp);
    }
    return n;
  }

  private JsonEncodingException syntaxError(String message) {
    return new JsonEncodingException(message + " at byte " + (shifted + pos) + ", path " + getPath());
  }

  private JsonDataException unexpected(String expected) throws IOException {
    return new JsonDataException("Expected " + expected + " but was " + peek() + " at path " + getPath());
  }

  // ------------------------------------------------------------------ names

  /**
   * Names (or string values) encoded in advance for {@link #selectName(Names)} and
   * {@link #selectString(Names)}. Immutable and thread-safe: keep them in constants.
   */
  public static final class Names {
    final String[] strings;
    private final byte[][] encoded;
    /** Open addressing by hash: index + 1 of the name in the slot, 0 for empty. */
    private final int[] table;
    private final int mask;
    final int maxLength;
    /** The same names for Moshi's reader. */
    final JsonReader.Options options;

    private Names(String[] strings) {
      this.strings = strings.clone();
      this.encoded = new byte[strings.length][];
      int size = Integer.highestOneBit(Math.max(4, strings.length * 4) - 1) << 1;
      this.table = new int[size];
      this.mask = size - 1;
      int max = 0;
      for (int i = 0; i < strings.length; i++) {
        byte[] bytes = strings[i].getBytes(StandardCharsets.UTF_8);
        encoded[i] = bytes;
        max = Math.max(max, bytes.length);
        int hash = 0;
        for (byte c : bytes) {
          hash = 31 * hash + c;
        }
        int slot = spread(hash) & mask;
        while (table[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        table[slot] = i + 1;
      }
      this.maxLength = max;
      this.options = JsonReader.Options.of(this.strings);
    }

    /**
     * {@return names to select among}
     *
     * @param names the names, in the order of the indices returned; no name twice
     * @throws IllegalArgumentException if a name is null or appears twice
     */
    public static Names of(String... names) {
      for (String name : names) {
        if (name == null) {
          throw new IllegalArgumentException("a name must not be null");
        }
      }
      return new Names(names);
    }

    /**
     * {@return the name at {@code index}}
     *
     * @param index an index of a name
     */
    public String name(int index) {
      return strings[index];
    }

    /** {@return the names, in order} */
    public List<String> strings() {
      return List.of(strings);
    }

    private static int spread(int hash) {
      return hash ^ (hash >>> 7) ^ (hash >>> 15);
    }

    /** The index of the name whose UTF-8 form is {@code length} bytes of {@code b} at {@code from}; -1 if none. */
    int find(byte[] b, int from, int length, int hash) {
      int slot = spread(hash) & mask;
      while (true) {
        int entry = table[slot];
        if (entry == 0) {
          return -1;
        }
        byte[] candidate = encoded[entry - 1];
        if (candidate.length == length && same(candidate, b, from)) {
          return entry - 1;
        }
        slot = (slot + 1) & mask;
      }
    }

    /** The index of {@code name}, or -1. */
    int indexOf(String name) {
      for (int i = 0; i < strings.length; i++) {
        if (strings[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }

    private static boolean same(byte[] candidate, byte[] b, int from) {
      for (int i = 0; i < candidate.length; i++) {
        if (candidate[i] != b[from + i]) {
          return false;
        }
      }
      return true;
    }
  }
}
