package io.melo.matrix.sync;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code GET /sync} request: a filter (an uploaded filter's id, or a {@link Filter} sent inline),
 * the {@code since} token, the long-poll {@code timeout}, {@code full_state}, {@code set_presence} and
 * {@code use_state_after}. Build with {@link #builder()}; {@link #withSince(String)} derives the
 * next request. The HTTP read timeout of the call must exceed {@link #timeout()}.
 *
 * @param filterId an uploaded filter's id, or null
 * @param filter an inline filter, or null (at most one of filterId and filter is set)
 * @param since the {@code next_batch} of the previous sync; null for an initial sync
 * @param timeout how long the server may hold the request open; zero returns at once
 * @param fullState whether to send the full state of every room
 * @param setPresence how polling marks the user; null leaves it to the server (online)
 * @param useStateAfter whether to ask for {@code state_after} instead of {@code state}
 */
public record SyncRequest(String filterId, Filter filter, String since, Duration timeout, boolean fullState,
    Presence setPresence, boolean useStateAfter) {

  /**
   * Checks the fields.
   *
   * @param filterId an uploaded filter's id, or null
   * @param filter an inline filter, or null (at most one of filterId and filter is set)
   * @param since the {@code next_batch} of the previous sync; null for an initial sync
   * @param timeout how long the server may hold the request open; zero returns at once
   * @param fullState whether to send the full state of every room
   * @param setPresence how polling marks the user; null leaves it to the server (online)
   * @param useStateAfter whether to ask for {@code state_after} instead of {@code state}
   */
  public SyncRequest {
    if (filterId != null && filter != null) {
      throw new IllegalArgumentException("a sync request takes a filter id or an inline filter, not both");
    }
    if (filterId != null && (filterId.isEmpty() || filterId.startsWith("{"))) {
      throw new IllegalArgumentException("a filter id must be non-empty and must not start with '{', was: " + filterId);
    }
    if (since != null && since.isEmpty()) {
      throw new IllegalArgumentException("since must be null (initial sync) or a non-empty token");
    }
    if (timeout == null) {
      timeout = Duration.ZERO;
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was: " + timeout);
    }
  }

  /** {@return a builder; the defaults are an initial sync with no filter and timeout zero} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder starting from this request} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.filterId = filterId;
    b.filter = filter;
    b.since = since;
    b.timeout = timeout;
    b.fullState = fullState;
    b.setPresence = setPresence;
    b.useStateAfter = useStateAfter;
    return b;
  }

  /**
   * {@return this request with another since token (null for an initial sync)}
   *
   * @param newSince the since token; an empty string is an {@link IllegalArgumentException}
   */
  public SyncRequest withSince(String newSince) {
    return new SyncRequest(filterId, filter, newSince, timeout, fullState, setPresence, useStateAfter);
  }

  /**
   * {@return this request with another timeout}
   *
   * @param newTimeout the long-poll timeout; null means zero, negative is an {@link
   *     IllegalArgumentException}
   */
  public SyncRequest withTimeout(Duration newTimeout) {
    return new SyncRequest(filterId, filter, since, newTimeout, fullState, setPresence, useStateAfter);
  }

  /** {@return true for an initial sync (no since token)} */
  public boolean isInitial() {
    return since == null;
  }

  /**
   * {@return the {@code filter} query value: the filter id, or the inline filter as compact JSON;
   * null for none}
   */
  public String filterParameter() {
    if (filterId != null) {
      return filterId;
    }
    return filter == null ? null : filter.toJson().toJson();
  }

  /**
   * {@return the query parameters, in a stable order, unencoded: {@code filter}, {@code since},
   * {@code timeout} (milliseconds), {@code full_state}, {@code set_presence}, {@code
   * use_state_after}; parameters at their defaults are left out except {@code timeout}}
   */
  public Map<String, String> queryParameters() {
    Map<String, String> params = new LinkedHashMap<>();
    String f = filterParameter();
    if (f != null) {
      params.put("filter", f);
    }
    if (since != null) {
      params.put("since", since);
    }
    params.put("timeout", Long.toString(timeout.toMillis()));
    if (fullState) {
      params.put("full_state", "true");
    }
    if (setPresence != null) {
      params.put("set_presence", setPresence.value());
    }
    if (useStateAfter) {
      params.put("use_state_after", "true");
    }
    return Collections.unmodifiableMap(params);
  }

  /** Builds a {@link SyncRequest}. */
  public static final class Builder {
    private String filterId;
    private Filter filter;
    private String since;
    private Duration timeout = Duration.ZERO;
    private boolean fullState;
    private Presence setPresence;
    private boolean useStateAfter;

    private Builder() {}

    /**
     * Syncs with an uploaded filter's id (clears an inline filter). Default: none.
     *
     * @param id the filter id; empty or starting with a brace is an {@link
     *     IllegalArgumentException} when the request is built
     * @return this builder
     */
    public Builder filterId(String id) {
      this.filterId = id;
      this.filter = null;
      return this;
    }

    /**
     * Syncs with an inline filter (clears a filter id). Default: none.
     *
     * @param inline the filter, or null for none
     * @return this builder
     */
    public Builder filter(Filter inline) {
      this.filter = inline;
      this.filterId = null;
      return this;
    }

    /**
     * The since token; null (the default) for an initial sync.
     *
     * @param token the token; empty is an {@link IllegalArgumentException} when the request is
     *     built
     * @return this builder
     */
    public Builder since(String token) {
      this.since = token;
      return this;
    }

    /**
     * The long-poll timeout. Default: zero (answer at once).
     *
     * @param value the timeout; null means zero, negative is an {@link IllegalArgumentException}
     *     when the request is built
     * @return this builder
     */
    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    /**
     * Whether to send the full state of every room. Default: false.
     *
     * @param value true for the full state
     * @return this builder
     */
    public Builder fullState(boolean value) {
      this.fullState = value;
      return this;
    }

    /**
     * How polling marks the user's presence. Default: not sent (the server marks online).
     *
     * @param value the presence to send, or null to send none
     * @return this builder
     */
    public Builder setPresence(Presence value) {
      this.setPresence = value;
      return this;
    }

    /**
     * Whether to ask for {@code state_after} (Matrix 1.16). Default: false.
     *
     * @param value true to ask for {@code state_after}
     * @return this builder
     */
    public Builder useStateAfter(boolean value) {
      this.useStateAfter = value;
      return this;
    }

    /**
     * {@return the request}
     *
     * @throws IllegalArgumentException if a field is invalid
     */
    public SyncRequest build() {
      return new SyncRequest(filterId, filter, since, timeout, fullState, setPresence, useStateAfter);
    }
  }
}
