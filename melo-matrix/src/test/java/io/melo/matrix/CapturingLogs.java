package io.melo.matrix;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The slf4j 2 binding of melo-matrix's and melo-core's tests (melo-core uses it through
 * melo-matrix's test-jar): records every log line at every level, with the full stack traces of
 * logged throwables, so tests can prove no secret is ever logged.
 *
 * <p>It records from the start, unless the test classpath holds {@value #SILENT_MARKER}: then it
 * stays silent (every level disabled) except between {@link #start()} and {@link #stop()}.
 */
public final class CapturingLogs implements SLF4JServiceProvider {

  /** A classpath resource whose presence makes the binding silent until {@link #start()}. */
  public static final String SILENT_MARKER = "melo-capturing-logs-silent-until-start";

  private static final int MAX_LINES = 50_000;
  private static final ConcurrentLinkedDeque<String> LINES = new ConcurrentLinkedDeque<>();
  private static final AtomicInteger SIZE = new AtomicInteger();
  private static volatile boolean capturing =
      CapturingLogs.class.getClassLoader().getResource(SILENT_MARKER) == null;

  private final ILoggerFactory factory = CapturingLogger::new;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Every captured line so far (level, logger, message, stack traces). */
  public static List<String> lines() {
    return new ArrayList<>(LINES);
  }

  /** Forgets captured lines. */
  public static void clear() {
    LINES.clear();
    SIZE.set(0);
  }

  /** Forgets earlier lines and records from now on. */
  public static void start() {
    clear();
    capturing = true;
  }

  /** Stops recording and returns what was recorded. */
  public static List<String> stop() {
    capturing = false;
    return lines();
  }

  static void record(String line) {
    LINES.addLast(line);
    if (SIZE.incrementAndGet() > MAX_LINES) {
      LINES.pollFirst();
      SIZE.decrementAndGet();
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class CapturingLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      StringBuilder line = new StringBuilder().append(level).append(' ').append(name).append(": ").append(message);
      if (throwable != null) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        line.append('\n').append(trace);
      }
      record(line.toString());
    }

    @Override
    public boolean isTraceEnabled() {
      return capturing;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return capturing;
    }

    @Override
    public boolean isDebugEnabled() {
      return capturing;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return capturing;
    }

    @Override
    public boolean isInfoEnabled() {
      return capturing;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return capturing;
    }

    @Override
    public boolean isWarnEnabled() {
      return capturing;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return capturing;
    }

    @Override
    public boolean isErrorEnabled() {
      return capturing;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return capturing;
    }
  }
}
