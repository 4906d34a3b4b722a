package io.melo.core.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The slf4j binding of melo-core's tests: silent, except between {@link #start()} and
 * {@link #stop()}, when it records every line at every level with the stack traces of logged
 * throwables, so a test can prove no secret is ever logged.
 */
public final class CapturingLogs implements SLF4JServiceProvider {

  private static final int MAX_LINES = 20_000;
  private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();
  private static volatile boolean capturing;

  private final ILoggerFactory factory = Capturing::new;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Forgets earlier lines and records from now on. */
  public static void start() {
    LINES.clear();
    capturing = true;
  }

  /** Stops recording and returns what was recorded. */
  public static List<String> stop() {
    capturing = false;
    return new ArrayList<>(LINES);
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

  private static final class Capturing extends AbstractLogger {
    private static final long serialVersionUID = 1L;

    Capturing(String name) {
      this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      StringBuilder line = new StringBuilder().append(level).append(' ').append(name).append(": ")
          .append(MessageFormatter.basicArrayFormat(pattern, arguments));
      if (throwable != null) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        line.append('\n').append(trace);
      }
      if (LINES.size() < MAX_LINES) {
        LINES.add(line.toString());
      }
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
