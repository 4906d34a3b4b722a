/**
 * Logging in, registering, refreshing and logging out: the requests and answers of the
 * authentication endpoints. Classes that hold a password or token redact it in {@code toString()}.
 */
package io.melo.matrix.auth;
