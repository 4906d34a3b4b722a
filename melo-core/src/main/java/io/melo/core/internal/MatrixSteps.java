package io.melo.core.internal;

import io.melo.core.HomeserverException;
import io.melo.core.MeloException;
import io.melo.core.MeloNetworkException;
import io.melo.core.MeloProtocolException;
import io.melo.core.NotFoundException;
import io.melo.core.RuleViolationException;
import io.melo.matrix.ForbiddenException;
import io.melo.matrix.MatrixCall;
import io.melo.matrix.MatrixErrorException;
import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.MatrixProtocolException;

/**
 * Runs melo-matrix calls as steps of a Melo operation: the step is aborted when the Melo call is
 * cancelled, and a {@link MatrixException} becomes the matching {@link MeloException} kind with
 * the Matrix failure as its cause. Matrix's messages carry no secrets, so they are repeated. Not
 * API.
 */
public final class MatrixSteps {

  private final CallContext context;
  private final String userId;

  /** Steps of the call {@code context}, acting for {@code userId}. */
  public MatrixSteps(CallContext context, String userId) {
    this.context = context;
    this.userId = userId;
  }

  /** The running call. */
  public CallContext context() {
    return context;
  }

  /**
   * Runs {@code call} blocking, as the step {@code what} (for messages: "reading server !s:hs").
   * When the homeserver finds nothing, the {@link NotFoundException} names what a {@code
   * reading}/{@code resolving}/{@code finding} step names ("server !s:hs"); a step that acts
   * ("sending the message") names its target with {@link #run(String, String, MatrixCall)}.
   *
   * @throws MeloException the translated failure
   */
  public <T> T run(String what, MatrixCall<T> call) {
    return run(what, subjectOf(what), call);
  }

  /**
   * Runs {@code call} blocking, as the step {@code what} (for messages: "sending the message"),
   * whose target is {@code target} (the thing named when the homeserver finds nothing: "room
   * !r:hs", "user @u:hs").
   *
   * @throws MeloException the translated failure
   */
  public <T> T run(String what, String target, MatrixCall<T> call) {
    context.checkCancelled();
    AutoCloseable hook = context.onCancel(call::cancel);
    try {
      return call.execute();
    } catch (MatrixException e) {
      throw translate(what, target, userId, e, context.isCancelled());
    } finally {
      try {
        hook.close();
      } catch (Exception never) {
        // the hook's close only removes it from a list
      }
    }
  }

  /** What a step named {@code what} reads: "reading the parent of !r:hs" reads "parent of !r:hs". */
  private static String subjectOf(String what) {
    return what.replaceFirst("^(reading|resolving|finding) (the )?", "");
  }

  /** The Melo kind of a Matrix failure of the step {@code what}. */
  public static MeloException translate(String what, String userId, MatrixException e, boolean cancelled) {
    return translate(what, subjectOf(what), userId, e, cancelled);
  }

  /**
   * The Melo kind of a Matrix failure of the step {@code what} on {@code target}: a {@link
   * NotFoundException} names the target ("no room !r:hs (sending the message)").
   */
  public static MeloException translate(String what, String target, String userId, MatrixException e,
      boolean cancelled) {
    if (e instanceof io.melo.matrix.AccountRestrictedException restricted) {
      return restricted(what, userId, restricted, e);
    }
    if (e instanceof io.melo.matrix.AuthenticationException auth) {
      Throwable why = auth.getCause();
      if (why instanceof io.melo.matrix.AccountRestrictedException restricted) {
        return restricted(what, userId, restricted, e); // the refresh was refused for the account's state
      }
      if (why instanceof NoRenewal none) {
        return new io.melo.core.LoggedOutException(what + ": " + none.getMessage(), userId, auth.softLogout(), e);
      }
      // A provider that logged in as someone else: its message names both users.
      String reason = why instanceof io.melo.core.UserMismatchException ? why.getMessage() : e.getMessage();
      return new io.melo.core.LoggedOutException(
          what + ": the homeserver rejected the session of " + userId + " and renewing it failed: "
              + reason, userId, auth.softLogout(), e);
    }
    if (e instanceof io.melo.matrix.UnknownTokenException rejected) {
      return new io.melo.core.LoggedOutException(
          what + ": the homeserver rejected the session of " + userId
              + " and there is no refresh token or credentials provider to renew it", userId,
          rejected.softLogout(), e);
    }
    if (e instanceof ForbiddenException f) {
      return new RuleViolationException(
          RuleViolationException.Rule.HOMESERVER_REFUSED,
          what + ": the homeserver refused " + userId + ": " + f.error(),
          userId,
          null,
          null,
          e);
    }
    if (e instanceof io.melo.matrix.NotFoundException) {
      // "no room !r:hs (sending typing)"; a read names only what it read ("no profile of @u:hs").
      boolean read = !subjectOf(what).equals(what);
      return new NotFoundException(read ? target : target + " (" + what + ")", e);
    }
    if (e instanceof MatrixErrorException error) {
      return new HomeserverException(
          what + ": " + e.getMessage(), error.httpStatus(), error.errcode(), error.retryAfter().orElse(null), e);
    }
    if (e instanceof MatrixNetworkException network) {
      if (cancelled) {
        return CallContext.cancelledException(what);
      }
      return new MeloNetworkException(what + ": " + e.getMessage(), network.mayHaveApplied(), false, e);
    }
    if (e instanceof MatrixProtocolException) {
      return new MeloProtocolException(what + ": " + e.getMessage(), e);
    }
    return new MeloProtocolException(what + ": " + e.getMessage(), e);
  }

  private static MeloException restricted(
      String what, String userId, io.melo.matrix.AccountRestrictedException restricted, MatrixException e) {
    io.melo.core.AccountRestrictedException.Restriction restriction;
    String state;
    switch (restricted.restriction()) {
      case LOCKED:
        restriction = io.melo.core.AccountRestrictedException.Restriction.LOCKED;
        state = "is locked";
        break;
      case SUSPENDED:
        restriction = io.melo.core.AccountRestrictedException.Restriction.SUSPENDED;
        state = "is suspended (reads only)";
        break;
      default:
        restriction = io.melo.core.AccountRestrictedException.Restriction.DEACTIVATED;
        state = "was deactivated";
    }
    return new io.melo.core.AccountRestrictedException(what + ": the account of " + userId + " " + state + " ("
        + restricted.getMessage() + ")", userId, restriction, e);
  }
}
