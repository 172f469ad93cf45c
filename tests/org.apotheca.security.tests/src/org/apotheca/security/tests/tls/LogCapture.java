package org.apotheca.security.tests.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records of one logger, at every level, while open. */
final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger;
  private final Level previous;
  private final List<LogRecord> records = new ArrayList<>();

  LogCapture(String loggerName) {
    logger = Logger.getLogger(loggerName);
    previous = logger.getLevel();
    logger.setLevel(Level.ALL);
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  synchronized List<String> lines(Level level) {
    return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
  }

  synchronized String text() {
    StringBuilder b = new StringBuilder();
    for (LogRecord r : records) {
      b.append(r.getLevel()).append(' ').append(r.getMessage()).append('\n');
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
