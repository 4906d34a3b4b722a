/** Runnable Melo programs: the demo that the README's first command runs and the console chat client. */
package io.melo.examples;
