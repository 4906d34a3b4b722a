package io.melo.matrix.auth;

/**
 * One way to log in that the server offers ({@code GET /login}).
 *
 * @param type the login type, such as {@code m.login.password}; unknown types are kept
 * @param getLoginToken whether the server lets {@code m.login.token} logins get new tokens
 */
public record LoginFlow(String type, boolean getLoginToken) {}
