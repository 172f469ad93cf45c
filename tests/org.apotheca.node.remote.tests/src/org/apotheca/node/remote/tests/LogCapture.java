package org.apotheca.node.remote.tests;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every java.util.logging record of the till protocol's bundle (both ends), at every level, while open. */
final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger = Logger.getLogger("org.apotheca.node.remote");
  private final Level previous;
  private final List<LogRecord> records = new ArrayList<>();

  LogCapture() {
    previous = logger.getLevel();
    logger.setLevel(Level.ALL);
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  synchronized List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** Everything a log file would show of the records: messages, parameters, exceptions with their stacks. */
  synchronized String text() {
    StringBuilder b = new StringBuilder();
    for (LogRecord r : records) {
      b.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(r.getMessage()).append('\n');
      if (r.getParameters() != null) {
        for (Object p : r.getParameters()) {
          b.append("  param ").append(p).append('\n');
        }
      }
      if (r.getThrown() != null) {
        StringWriter w = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(w));
        b.append(w).append('\n');
      }
    }
    return b.toString();
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previous);
  }
}
