package io.melo.matrix;

import java.util.List;

/**
 * The server wants (more) user-interactive authentication (HTTP 401 with {@code flows}): repeat the
 * request with an {@code auth} object naming {@link #session()} and the next stage of one of the
 * {@link #flows()}. The errcode is set when a stage just failed (for example {@code M_FORBIDDEN} for a
 * wrong password), {@code M_UNKNOWN} otherwise.
 */
public class UserInteractiveAuthException extends MatrixErrorException {

  private static final long serialVersionUID = 1L;

  /** The session to name in the next attempt, or null. */
  private final String session;
  /** The flows the server offers. */
  private final List<List<String>> flows;
  /** The stages already completed. */
  private final List<String> completed;
  /** The per-stage parameters as raw JSON. */
  private final String paramsJson;

  /**
   * Creates the error from the server's answer.
   *
   * @param httpStatus the HTTP status code, normally 401
   * @param errcode the error code, {@code M_UNKNOWN} when the server gave none
   * @param error the server's message; may be empty
   * @param session the session id, or null when the server gave none
   * @param flows the stage lists the server accepts
   * @param completed the stages already completed in this session
   * @param paramsJson the {@code params} object as raw JSON ({@code {}} when absent)
   */
  public UserInteractiveAuthException(
      int httpStatus,
      String errcode,
      String error,
      String session,
      List<List<String>> flows,
      List<String> completed,
      String paramsJson) {
    super(httpStatus, errcode, error, null);
    this.session = session;
    this.flows = List.copyOf(flows);
    this.completed = List.copyOf(completed);
    this.paramsJson = paramsJson == null ? "{}" : paramsJson;
  }

  /**
   * {@return the session to name in the next attempt's {@code auth} object; null if the server gave
   * none}
   */
  public String session() {
    return session;
  }

  /**
   * {@return the flows the server offers} Each flow is a list of stage types, such as {@code
   * [m.login.registration_token, m.login.dummy]}.
   */
  public List<List<String>> flows() {
    return flows;
  }

  /**
   * Stages already completed in this session.
   *
   * @return the stage types, in order
   */
  public List<String> completed() {
    return completed;
  }

  /**
   * Per-stage parameters as raw JSON, such as terms of service; {@code {}} when absent.
   *
   * @return the JSON text
   */
  public String paramsJson() {
    return paramsJson;
  }

  /**
   * {@return true if some flow consists of stages that are all in {@code stages}, in any order}
   *
   * @param stages the stage types the app can complete
   */
  public boolean offers(List<String> stages) {
    for (List<String> flow : flows) {
      if (stages.containsAll(flow)) {
        return true;
      }
    }
    return false;
  }
}
