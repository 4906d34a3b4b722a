package io.melo.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts the bytes a benchmark method handled, so JMH reports bytes per second (as {@code :bytes})
 * next to operations per second. Shared by every throughput benchmark that compares MB/s.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class ByteCounter {

  /** Bytes handled in this iteration. */
  public long bytes;

  /** Resets the counter for each iteration. */
  @Setup(Level.Iteration)
  public void reset() {
    bytes = 0;
  }
}
