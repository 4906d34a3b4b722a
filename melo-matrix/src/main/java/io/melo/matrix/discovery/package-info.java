/** What a homeserver says about itself: well-known discovery, supported versions, capabilities. */
package io.melo.matrix.discovery;
