/** About users: profiles and presence. */
package io.melo.matrix.user;
