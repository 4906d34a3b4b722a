/**
 * The fake homeserver's state and logic, without HTTP: accounts, devices and tokens, rooms and
 * their event graphs, the spec's authorization rules and redaction algorithm for room versions 10
 * and 11, and the sync streams. {@link io.melo.testkit.model.Homeserver} is the facade.
 */
package io.melo.testkit.model;
