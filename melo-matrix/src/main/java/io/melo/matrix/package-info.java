/**
 * A thin, typed client for the Matrix Client-Server API: requests, responses, errors, retries and the
 * {@code /sync} long-poll loop. It knows nothing of Melo's servers, channels or roles.
 */
package io.melo.matrix;
