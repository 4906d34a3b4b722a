/** Media: {@code mxc://} URIs, uploads, downloads and thumbnails. */
package io.melo.matrix.media;
