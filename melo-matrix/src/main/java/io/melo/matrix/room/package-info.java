/** Rooms: creation, membership, aliases, directory visibility and the answers about them. */
package io.melo.matrix.room;
