package org.apotheca.security.tls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One warning per refusal, except that the same reason from the same host within a window is counted instead of
 * repeated: a port scanner or a till retrying in a loop would otherwise bury everything else in the log. The
 * count comes out as one line when the window ends ("...and 199 more like it in the last 10 s").
 */
final class LogLimiter {

  private final Logger logger;
  private final String gate;
  private final long windowNanos;
  private final String windowText;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new LinkedHashMap<>();

  private static final class Window {
    final long start;
    final String host;
    final String reason;
    int suppressed;

    Window(long start, String host, String reason) {
      this.start = start;
      this.host = host;
      this.reason = reason;
    }
  }

  LogLimiter(Logger logger, String gate, Duration window) {
    this(logger, gate, window, System::nanoTime);
  }

  LogLimiter(Logger logger, String gate, Duration window, LongSupplier clock) {
    this.logger = logger;
    this.gate = gate;
    this.windowNanos = window.toNanos();
    this.windowText = Wire.duration(window);
    this.clock = clock;
  }

  /** Logs {@code line} unless the same reason from the same host was logged within the window. */
  void warn(String host, String reason, String line, Throwable thrown) {
    List<String> summaries = new ArrayList<>(1);
    boolean log;
    synchronized (this) {
      long now = clock.getAsLong();
      String key = host + '\n' + reason;
      Window w = windows.get(key);
      if (w != null && now - w.start >= windowNanos) {
        windows.remove(key);
        if (w.suppressed > 0) {
          summaries.add(summary(w));
        }
        w = null;
      }
      if (w == null) {
        windows.put(key, new Window(now, host, reason));
        log = true;
      } else {
        w.suppressed++;
        log = false;
      }
    }
    summaries.forEach(s -> logger.warning(s));
    if (log) {
      if (thrown == null) {
        logger.warning(line);
      } else {
        logger.log(Level.WARNING, line, thrown);
      }
    }
  }

  /** Writes the counts of the windows that ended (all of them if {@code all}) and forgets those windows. */
  void flush(boolean all) {
    List<String> summaries = new ArrayList<>();
    synchronized (this) {
      long now = clock.getAsLong();
      for (Iterator<Window> i = windows.values().iterator(); i.hasNext();) {
        Window w = i.next();
        if (all || now - w.start >= windowNanos) {
          i.remove();
          if (w.suppressed > 0) {
            summaries.add(summary(w));
          }
        }
      }
    }
    summaries.forEach(s -> logger.warning(s));
  }

  private String summary(Window w) {
    return gate + ": ...and " + w.suppressed + " more like it from " + w.host + " in the last " + windowText + ": "
        + w.reason;
  }
}
