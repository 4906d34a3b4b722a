package io.melo.core;

import java.util.Objects;
import java.util.Optional;

/**
 * How {@link MeloClient#login(MeloConfig, String, String, LoginOptions)} logs in: which device to
 * log in on, and the name a new device gets. Immutable; each {@code with} method returns a variant.
 *
 * @param deviceId the id of an existing device of the user to log in on again (its keys and
 *     history of sessions stay), or empty to let the homeserver make a new device
 * @param deviceDisplayName the display name a new device gets ({@code initial_device_display_name},
 *     shown in the user's device list), or empty for the homeserver's default; ignored by the
 *     homeserver when the device exists already
 */
public record LoginOptions(Optional<String> deviceId, Optional<String> deviceDisplayName) {

  /**
   * Validates the options.
   *
   * @param deviceId the device to log in on, or empty
   * @param deviceDisplayName the display name of a new device, or empty
   * @throws IllegalArgumentException if one is present but blank
   */
  public LoginOptions {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(deviceDisplayName, "deviceDisplayName");
    deviceId.ifPresent(id -> requireNotBlank(id, "deviceId"));
    deviceDisplayName.ifPresent(name -> requireNotBlank(name, "deviceDisplayName"));
  }

  private static void requireNotBlank(String value, String name) {
    if (value.trim().isEmpty()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /** {@return no device id and no display name: the homeserver makes a new device with its default name} */
  public static LoginOptions defaults() {
    return new LoginOptions(Optional.empty(), Optional.empty());
  }

  /**
   * These options, logging in on an existing device (such as the one a stored session names):
   * the homeserver ends that device's earlier sessions and keeps the device.
   *
   * @param deviceId the device id; not blank
   * @return the options with it
   */
  public LoginOptions withDeviceId(String deviceId) {
    return new LoginOptions(Optional.of(Objects.requireNonNull(deviceId, "deviceId")), deviceDisplayName);
  }

  /**
   * These options, naming a new device (such as {@code "Melo on Alice's laptop"}).
   *
   * @param displayName the display name; not blank
   * @return the options with it
   */
  public LoginOptions withDeviceDisplayName(String displayName) {
    return new LoginOptions(deviceId, Optional.of(Objects.requireNonNull(displayName, "deviceDisplayName")));
  }
}
