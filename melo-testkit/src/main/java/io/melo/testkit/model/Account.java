package io.melo.testkit.model;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;

/** One user's account data. Accessed only under the homeserver's lock. */
final class Account {
  final String userId;
  final byte[] passwordHash;
  final byte[] passwordSalt;
  String displayName;
  String avatarUrl;
  /** Profile fields other than displayname and avatar_url (m.tz, custom keys). */
  final Map<String, Object> customProfile = new LinkedHashMap<>();
  final Map<String, Device> devices = new LinkedHashMap<>();
  /** type -> content. */
  final Map<String, Map<String, Object>> accountData = new LinkedHashMap<>();
  final Map<String, Long> accountDataPositions = new HashMap<>();
  /** room id -> type -> content. */
  final Map<String, Map<String, Map<String, Object>>> roomAccountData = new HashMap<>();
  final Map<String, Map<String, Long>> roomAccountDataPositions = new HashMap<>();
  final List<Map<String, Object>> filters = new ArrayList<>();
  /** Pushers as the client set them, keyed by app_id and pushkey (see {@link #pusherKey}). */
  final Map<String, Map<String, Object>> pushers = new LinkedHashMap<>();
  /** The parsed form of {@link #filters}, same indexes. */
  final List<Filter> parsedFilters = new ArrayList<>();
  /** Every room this user has ever had a membership in, in order of first contact. */
  final Set<String> rooms = new LinkedHashSet<>();
  final Set<String> forgotten = new LinkedHashSet<>();
  String presence = "online";
  String statusMsg;
  long lastActiveTs;
  long presencePosition;
  /** The highest position of a change in this account's own data (account data, presence of peers). */
  long lastPosition;
  boolean deactivated;
  /** Locked by an administrator: 401 M_USER_LOCKED (soft_logout) on almost every request. */
  boolean locked;
  /** Suspended by an administrator: 403 M_USER_SUSPENDED on writes; reads work. */
  boolean suspended;

  Account(String userId, byte[] passwordHash, byte[] passwordSalt) {
    this.userId = userId;
    this.passwordHash = passwordHash;
    this.passwordSalt = passwordSalt;
  }

  /** The identity of a pusher: its app_id and pushkey. */
  static String pusherKey(String appId, String pushkey) {
    return appId + '\u0000' + pushkey;
  }

  @Override
  public String toString() {
    return "Account{" + userId + "}";
  }

  /** A device of an account. */
  static final class Device {
    final String deviceId;
    String displayName;
    long lastSeenTs;
    /** The peer address of the device's latest authenticated request, or null before any. */
    String lastSeenIp;

    Device(String deviceId, String displayName) {
      this.deviceId = deviceId;
      this.displayName = displayName;
    }
  }

  /** One login session: tokens of one device. */
  static final class Session {
    final String userId;
    final String deviceId;
    final String accessToken;
    final String refreshToken;
    /** Clock time at which the access token expires; Long.MAX_VALUE for never. */
    long accessExpiresAt;
    /** The session this one was refreshed from, until this one is first used; else null. */
    Session refreshedFrom;

    Session(String userId, String deviceId, String accessToken, String refreshToken, long accessExpiresAt) {
      this.userId = userId;
      this.deviceId = deviceId;
      this.accessToken = accessToken;
      this.refreshToken = refreshToken;
      this.accessExpiresAt = accessExpiresAt;
    }

    @Override
    public String toString() {
      return "Session{" + userId + "/" + deviceId + ", tokens=<redacted>}";
    }
  }
}
