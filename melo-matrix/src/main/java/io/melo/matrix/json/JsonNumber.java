package io.melo.matrix.json;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.OptionalLong;

/**
 * A JSON number that keeps its exact literal: integers stay integers ({@code 100} is written back as
 * {@code 100}, never {@code 100.0}) and numbers too large for a {@code long} keep every digit.
 * Two numbers are equal when their values are equal ({@code 1} equals {@code 1.0}).
 */
public final class JsonNumber implements JsonValue {

  private final String literal;
  private final long longValue;
  private final boolean isLong;

  private JsonNumber(String literal, long longValue, boolean isLong) {
    this.literal = literal;
    this.longValue = longValue;
    this.isLong = isLong;
  }

  /**
   * {@return an integer}
   *
   * @param value the integer
   */
  public static JsonNumber of(long value) {
    return new JsonNumber(null, value, true);
  }

  /**
   * {@return a floating-point number}
   *
   * @param value the number
   * @throws IllegalArgumentException for NaN or an infinity, which JSON cannot express
   */
  public static JsonNumber of(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON cannot express the number " + value);
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return new JsonNumber(Double.toString(value), (long) value, false);
    }
    return new JsonNumber(Double.toString(value), 0, false);
  }

  /**
   * {@return a number from its JSON literal, such as {@code 42}, {@code -1.5} or {@code 1e3}}
   *
   * @param literal the literal, such as {@code -1.5}
   * @throws IllegalArgumentException if the text is not a JSON number
   */
  public static JsonNumber parse(String literal) {
    JsonNumber number = ofLiteral(literal);
    if (!number.isLong) {
      try {
        new BigDecimal(literal);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a JSON number: " + literal, e);
      }
    }
    return number;
  }

  /** A number from a literal the JSON reader already validated. */
  static JsonNumber ofLiteral(String literal) {
    int length = literal.length();
    if (length > 0 && length <= 18) {
      int i = literal.charAt(0) == '-' ? 1 : 0;
      if (i < length && (literal.charAt(i) != '0' || length == i + 1)) {
        long value = 0;
        boolean digits = true;
        for (int j = i; j < length; j++) {
          char c = literal.charAt(j);
          if (c < '0' || c > '9') {
            digits = false;
            break;
          }
          value = value * 10 + (c - '0');
        }
        if (digits && !(i == 1 && value == 0)) {
          return new JsonNumber(null, i == 1 ? -value : value, true);
        }
      }
    }
    return new JsonNumber(literal, 0, false);
  }

  /** {@return true when this number was written as an integer that fits in a {@code long}} */
  public boolean isIntegral() {
    return isLong;
  }

  /**
   * {@return this number as a {@code long} when it has no fractional part and fits ({@code 50} and
   * {@code 50.0} both give 50); empty otherwise}
   */
  public OptionalLong longValue() {
    if (isLong) {
      return OptionalLong.of(longValue);
    }
    try {
      return OptionalLong.of(new BigDecimal(literal).longValueExact());
    } catch (ArithmeticException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** {@return this number as a {@code double}, possibly rounded} */
  public double doubleValue() {
    return isLong ? longValue : Double.parseDouble(literal);
  }

  /** {@return this number as an exact decimal} */
  public BigDecimal decimalValue() {
    return isLong ? BigDecimal.valueOf(longValue) : new BigDecimal(literal);
  }

  /** {@return the JSON literal of this number, exactly as read} */
  public String literal() {
    return isLong ? Long.toString(longValue) : literal;
  }

  /** Writes this number's literal unchanged. */
  @Override
  public void write(JsonWriter writer) throws IOException {
    if (isLong) {
      writer.value(longValue);
    } else {
      writer.value(new Literal(literal));
    }
  }

  /** True when the other value is a number of the same value. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof JsonNumber that)) {
      return false;
    }
    if (isLong && that.isLong) {
      return longValue == that.longValue;
    }
    return decimalValue().compareTo(that.decimalValue()) == 0;
  }

  /** A hash consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    if (isLong) {
      return Long.hashCode(longValue);
    }
    OptionalLong exact = longValue();
    if (exact.isPresent()) {
      return Long.hashCode(exact.getAsLong());
    }
    return decimalValue().stripTrailingZeros().hashCode();
  }

  /** The literal. */
  @Override
  public String toString() {
    return literal();
  }

  /** Lets Moshi's writer emit a literal verbatim. */
  private static final class Literal extends Number {
    private static final long serialVersionUID = 1L;
    private final String text;

    Literal(String text) {
      this.text = text;
    }

    @Override
    public int intValue() {
      return (int) doubleValue();
    }

    @Override
    public long longValue() {
      return (long) doubleValue();
    }

    @Override
    public float floatValue() {
      return (float) doubleValue();
    }

    @Override
    public double doubleValue() {
      return Double.parseDouble(text);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
