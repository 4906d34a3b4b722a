package io.melo.core.internal;

import io.melo.core.MeloConfig;
import io.melo.core.MeloException;
import io.melo.core.MeloProtocolException;
import io.melo.core.ProvisioningException;
import io.melo.core.Session;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixErrorException;
import io.melo.matrix.UserInteractiveAuthException;
import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.auth.RegisterResponse;
import io.melo.matrix.auth.UserInteractiveAuth;
import java.util.ArrayList;
import java.util.List;

/**
 * Registration of a user account with a password on a homeserver that allows it ({@code POST
 * /register}): the user-interactive stages Melo can complete by itself are {@code m.login.dummy}
 * and, with a token, {@code m.login.registration_token}. Never logs; the password and the token go
 * only into the request body. Not API.
 */
public final class PasswordRegistration {

  private static final String DUMMY = "m.login.dummy";
  private static final String TOKEN = "m.login.registration_token";
  private static final int MAX_ROUNDS = 5;

  private PasswordRegistration() {}

  /**
   * Registers {@code username} and logs it in (asking for a refresh token).
   *
   * @param registrationToken the token for {@code m.login.registration_token}, or null
   * @return the new account's session
   * @throws ProvisioningException when the homeserver refuses
   */
  public static Session register(
      CallContext ctx, MeloConfig config, String username, String password, String registrationToken) {
    String what = "registering " + username;
    MeloConfig at = Discovery.discovered(ctx, config);
    MatrixSteps s = new MatrixSteps(ctx, username);
    RegisterRequest request = RegisterRequest.user(username, password).withRefreshToken(true);
    try (MatrixClient matrix = MatrixClient.create(DefaultMeloClient.matrixConfig(at))) {
      String submitted = null;
      for (int round = 0; round < MAX_ROUNDS; round++) {
        UserInteractiveAuthException uia;
        try {
          return session(what, s.run(what, matrix.register(request))).withHomeserver(at.homeserver().toString());
        } catch (MeloException e) {
          if (!(e.getCause() instanceof UserInteractiveAuthException asked)) {
            throw refusal(what, e, registrationToken != null);
          }
          uia = asked;
        }
        if (submitted != null && !uia.completed().contains(submitted)) {
          throw rejectedStage(what, submitted, uia);
        }
        String next = nextStage(uia, registrationToken != null);
        if (next == null) {
          throw new ProvisioningException(what + ": the homeserver's registration needs stages Melo cannot complete"
              + " by itself: " + uia.flows() + " (Melo does " + DUMMY + ", and " + TOKEN
              + " with AccountProvisioner.Builder.registrationToken)", ProvisioningException.Reason.NOT_ENABLED,
              uia.httpStatus(), uia.errcode(), uia);
        }
        submitted = next;
        request = request.withAuth(next.equals(TOKEN)
            ? UserInteractiveAuth.registrationToken(registrationToken, uia.session())
            : UserInteractiveAuth.dummy(uia.session()));
      }
      throw new MeloProtocolException(what + ": the homeserver asked for more than " + MAX_ROUNDS
          + " user-interactive stages", null);
    }
  }

  /** The first stage not completed yet of a flow whose every stage Melo can do, or null. */
  private static String nextStage(UserInteractiveAuthException uia, boolean haveToken) {
    for (List<String> flow : uia.flows()) {
      List<String> left = new ArrayList<>(flow);
      left.removeAll(uia.completed());
      boolean doable = !left.isEmpty();
      for (String stage : left) {
        doable &= stage.equals(DUMMY) || (haveToken && stage.equals(TOKEN));
      }
      if (doable) {
        return left.get(0);
      }
    }
    return null;
  }

  private static ProvisioningException rejectedStage(String what, String stage, UserInteractiveAuthException uia) {
    boolean token = stage.equals(TOKEN);
    return new ProvisioningException(what + ": the homeserver did not accept the " + stage + " stage"
        + (token ? " (the registration token is wrong, used up or expired)" : "")
        + (uia.error().isEmpty() ? "" : ": " + uia.error()),
        token ? ProvisioningException.Reason.CREDENTIALS_REJECTED : ProvisioningException.Reason.REFUSED,
        uia.httpStatus(), uia.errcode(), uia);
  }

  /** The typed refusal of a registration answer that is not a stage request. */
  private static MeloException refusal(String what, MeloException e, boolean haveToken) {
    if (!(e.getCause() instanceof MatrixErrorException refused)
        || refused.httpStatus() < 400 || refused.httpStatus() >= 500 || refused.httpStatus() == 429) {
      return e; // not a refusal: a server error, a rate limit, the network
    }
    ProvisioningException.Reason reason;
    switch (refused.errcode()) {
      case "M_USER_IN_USE":
        reason = ProvisioningException.Reason.USER_IN_USE;
        break;
      case "M_INVALID_USERNAME":
        reason = ProvisioningException.Reason.INVALID_USERNAME;
        break;
      case "M_EXCLUSIVE":
        reason = ProvisioningException.Reason.EXCLUSIVE;
        break;
      case "M_FORBIDDEN":
        // Synapse: "Registration has been disabled" (open registration off, and no token flow).
        reason = ProvisioningException.Reason.NOT_ENABLED;
        break;
      default:
        reason = refused.httpStatus() == 404 || "M_UNRECOGNIZED".equals(refused.errcode())
            ? ProvisioningException.Reason.NOT_ENABLED
            : ProvisioningException.Reason.REFUSED;
    }
    return new ProvisioningException(what + ": the homeserver refused (" + reason + ", HTTP " + refused.httpStatus()
        + " " + refused.errcode() + (refused.error().isEmpty() ? "" : ": " + refused.error()) + ")",
        reason, refused.httpStatus(), refused.errcode(), refused);
  }

  private static Session session(String what, RegisterResponse response) {
    if (!response.accessToken().isPresent()) {
      throw new MeloProtocolException(what + ": the homeserver created the account but sent no access token", null);
    }
    try {
      return new Session(response.userId(), response.deviceId().orElse(null), response.accessToken().get(),
          response.refreshToken().orElse(null));
    } catch (IllegalArgumentException e) {
      throw new MeloProtocolException(what + ": the answer's user_id is not a user id", e);
    }
  }
}
