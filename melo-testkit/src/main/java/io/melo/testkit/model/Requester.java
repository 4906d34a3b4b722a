package io.melo.testkit.model;

import java.util.Objects;

/**
 * Who is making a request, as established by {@link Homeserver#authenticate}: the user, the
 * device (null for an application service acting without a device), and whether an application
 * service authenticated the request. Holds no token.
 *
 * @param userId the acting user (the masqueraded user for an application service)
 * @param deviceId the device the access token belongs to; null for application services
 * @param appserviceId the id of the authenticating application service, or null
 */
public record Requester(String userId, String deviceId, String appserviceId) {
  /**
   * Validates the user id.
   *
   * @param userId the acting user (the masqueraded user for an application service)
   * @param deviceId the device the access token belongs to; null for application services
   * @param appserviceId the id of the authenticating application service, or null
   */
  public Requester {
    Objects.requireNonNull(userId, "userId");
  }

  /** {@return whether an application service made the request} */
  public boolean isAppservice() {
    return appserviceId != null;
  }
}
