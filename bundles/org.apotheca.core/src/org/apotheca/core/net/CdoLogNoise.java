package org.apotheca.core.net;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.net4j.util.om.OMPlatform;
import org.eclipse.net4j.util.om.log.OMLogFilter;
import org.eclipse.net4j.util.om.log.OMLogger;

/**
 * Drops CDO log errors that an offline clone produces on every view close and that mean nothing for us
 * (docs/building.md): "Durable locking is not enabled ..." when a view on an ONLINE clone closes,
 * and "Cannot unlock in a non-local branch ..." on an offline branch. Each came with a full stack trace and
 * buried real errors in the log. Only these two exact messages are dropped; everything else still goes through.
 */
public final class CdoLogNoise {

  private static final List<String> NOISE = List.of("Durable locking is not enabled", "Cannot unlock in a non-local branch");
  private static final AtomicLong DROPPED = new AtomicLong();
  private static volatile boolean installed;

  private CdoLogNoise() {
  }

  public static synchronized void install() {
    if (installed) {
      return;
    }
    OMPlatform.INSTANCE.addLogFilter(new OMLogFilter() {
      @Override
      public boolean filter(OMLogger logger, OMLogger.Level level, String msg, Throwable t) {
        if (isNoise(msg) || t != null && isNoise(t.getMessage())) {
          DROPPED.incrementAndGet();
          return true;
        }
        return false;
      }
    });
    installed = true;
  }

  /** How many log events were dropped since start (for diagnostics). */
  public static long dropped() {
    return DROPPED.get();
  }

  /** Whether the filter drops {@code msg} (benchmarks count every other CDO error). */
  public static boolean isNoise(String msg) {
    if (msg == null) {
      return false;
    }
    for (String n : NOISE) {
      if (msg.startsWith(n)) {
        return true;
      }
    }
    return false;
  }
}
