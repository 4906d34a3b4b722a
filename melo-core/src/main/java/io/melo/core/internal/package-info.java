/**
 * Melo's internals: the mapping between Melo's domain and Matrix (space to server, power levels to
 * roles, content shapes), rule checks, message aggregation and event dispatch. Not API: anything
 * here may change in any release; apps use {@code io.melo.core} and {@code io.melo.core.event}.
 */
package io.melo.core.internal;
