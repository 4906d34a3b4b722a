package io.melo.spec;

import java.util.List;
import java.util.Map;

/**
 * A request path matched to its operation.
 *
 * @param operation the operation the path belongs to
 * @param pathParameters the decoded path parameters by name, e.g. {@code roomId -> !a:b}
 */
public record OperationMatch(Operation operation, Map<String, String> pathParameters) {

  /**
   * Checks the decoded path parameters against the operation's parameter schemas (e.g. a room id starts with !).
   *
   * @return the violations, empty when valid
   */
  public List<Violation> validatePathParameters() {
    return operation.validatePathParameters(pathParameters);
  }
}
