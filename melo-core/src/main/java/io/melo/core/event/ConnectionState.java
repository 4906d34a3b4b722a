package io.melo.core.event;

/** The state of a client's sync loop, as an app shows it ("connecting...", "offline"). */
public enum ConnectionState {
  /** Logging in or running the first sync. */
  CONNECTING,
  /** Up to date with the homeserver and receiving events live. */
  CONNECTED,
  /** The homeserver is unreachable; retrying with backoff. */
  RECONNECTING,
  /** Closed by the app. */
  STOPPED,
  /** Stopped by a failure it cannot recover from (for example the login was revoked). */
  FAILED
}
