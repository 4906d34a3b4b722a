/**
 * Melo's domain API: servers, channels, members, roles, messages and conversations on Matrix,
 * with typed live events.
 */
package io.melo.core;
