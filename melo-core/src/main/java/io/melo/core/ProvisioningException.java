package io.melo.core;

import java.util.Objects;

/**
 * The homeserver refused to create an account for an {@link AccountProvisioner}. {@link #reason()}
 * tells who has to act: the backend's setup (a wrong shared secret or {@code as_token},
 * registration not enabled) or the account asked for (the name is taken or not allowed). The
 * homeserver's status and error code are kept as sent. The message never contains the shared
 * secret, the {@code as_token} or the password.
 */
public final class ProvisioningException extends MeloException {

  private static final long serialVersionUID = 1L;

  /** Why the account was not created. */
  public enum Reason {
    /**
     * The homeserver refused the backend's credentials: the shared secret (Synapse: 403 "HMAC
     * incorrect") or the application service's {@code as_token}. Check the configuration.
     */
    CREDENTIALS_REJECTED,
    /** The homeserver does not offer this registration (not configured, or not Synapse's admin API). */
    NOT_ENABLED,
    /** An account with this name exists already ({@code M_USER_IN_USE}). */
    USER_IN_USE,
    /** The name is not allowed as a user name ({@code M_INVALID_USERNAME}). */
    INVALID_USERNAME,
    /** The name is reserved for an application service ({@code M_EXCLUSIVE}). */
    EXCLUSIVE,
    /** Another refusal; {@link #errcode()} and {@link #httpStatus()} say which. */
    REFUSED
  }

  /** Why the account was not created. */
  private final Reason reason;
  /** The HTTP status of the homeserver's answer. */
  private final int httpStatus;
  /** The Matrix error code as sent, or {@code ""}. */
  private final String errcode;

  /**
   * Creates the exception.
   *
   * @param message what was being done and what the homeserver said; never contains a secret
   * @param reason why the account was not created
   * @param httpStatus the HTTP status of the answer
   * @param errcode the Matrix error code as sent, or {@code ""} when the answer had none
   * @param cause the Matrix layer's exception, or null
   */
  public ProvisioningException(String message, Reason reason, int httpStatus, String errcode, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.httpStatus = httpStatus;
    this.errcode = Objects.requireNonNull(errcode, "errcode");
  }

  /** {@return why the account was not created} */
  public Reason reason() {
    return reason;
  }

  /** {@return the HTTP status of the homeserver's answer} */
  public int httpStatus() {
    return httpStatus;
  }

  /** {@return the Matrix error code as sent, or {@code ""} when the answer had none} */
  public String errcode() {
    return errcode;
  }
}
