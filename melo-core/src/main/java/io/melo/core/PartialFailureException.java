package io.melo.core;

import java.util.List;
import java.util.Objects;

/**
 * An operation of many steps (a kick or role change applied to the space and every channel, a
 * server deletion) stopped midway. It lists the steps that completed, the step that failed and
 * the steps not attempted; {@link #getCause()} says why the step failed. Every such operation is
 * safe to run again: steps already done are done again harmlessly, so a re-run completes the job.
 * A server or channel creation is re-run with the {@link MeloCall#copy() copy} of its call (a
 * new call would create another one); its done steps name the rooms created so far.
 */
public final class PartialFailureException extends MeloException {

  private static final long serialVersionUID = 1L;

  /** The whole operation that was interrupted. */
  private final String action;
  /** The steps that completed, in order. */
  private final List<String> doneSteps;
  /** The step that failed. */
  private final String failedStep;
  /** The steps that were not attempted, in order. */
  private final List<String> remainingSteps;

  /**
   * Creates the exception.
   *
   * @param action the whole operation, such as {@code "kicking @bob:hs from server !s:hs"}
   * @param doneSteps the steps that completed, in order
   * @param failedStep the step that failed
   * @param remainingSteps the steps not attempted, in order
   * @param cause why {@code failedStep} failed
   */
  public PartialFailureException(
      String action,
      List<String> doneSteps,
      String failedStep,
      List<String> remainingSteps,
      MeloException cause) {
    super(
        describe(action, doneSteps, failedStep, remainingSteps, cause),
        Objects.requireNonNull(cause, "cause"));
    this.action = action;
    this.doneSteps = List.copyOf(doneSteps);
    this.failedStep = Objects.requireNonNull(failedStep, "failedStep");
    this.remainingSteps = List.copyOf(remainingSteps);
  }

  private static String describe(
      String action, List<String> done, String failed, List<String> remaining, MeloException cause) {
    int total = done.size() + 1 + remaining.size();
    return action
        + " stopped at step "
        + (done.size() + 1)
        + " of "
        + total
        + " ("
        + failed
        + "): "
        + cause.getMessage()
        + "; run it again to complete it";
  }

  /** {@return the whole operation that was interrupted} */
  public String action() {
    return action;
  }

  /** {@return the steps that completed, in order} */
  public List<String> doneSteps() {
    return doneSteps;
  }

  /** {@return the step that failed} */
  public String failedStep() {
    return failedStep;
  }

  /** {@return the steps that were not attempted, in order} */
  public List<String> remainingSteps() {
    return remainingSteps;
  }

  /** Why the failed step failed. */
  @Override
  public synchronized MeloException getCause() {
    return (MeloException) super.getCause();
  }
}
