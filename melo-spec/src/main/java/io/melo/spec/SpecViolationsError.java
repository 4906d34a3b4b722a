package io.melo.spec;

import java.util.List;

/**
 * A test failure: a JSON document breaks the spec. The message lists every {@link Violation}, one per line.
 */
public final class SpecViolationsError extends AssertionError {
  private static final long serialVersionUID = 1L;

  /** The violations, in the order found. */
  private final transient List<Violation> violations;

  /**
   * A failure for {@code what} (e.g. "response 200 of PUT /rooms/...") with at least one violation.
   *
   * @param what what was checked, for the message
   * @param violations the violations, at least one
   */
  public SpecViolationsError(String what, List<Violation> violations) {
    super(message(what, violations));
    this.violations = List.copyOf(violations);
  }

  /** {@return the violations, in the order found} */
  public List<Violation> violations() {
    return violations;
  }

  private static String message(String what, List<Violation> violations) {
    StringBuilder sb = new StringBuilder();
    sb.append(what).append(" breaks the Matrix spec (").append(violations.size())
        .append(violations.size() == 1 ? " violation):" : " violations):");
    int shown = 0;
    for (Violation v : violations) {
      if (shown++ == 50) {
        sb.append("\n  ... ").append(violations.size() - 50).append(" more");
        break;
      }
      sb.append("\n  ").append(v);
    }
    return sb.toString();
  }
}
