package org.apotheca.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apotheca.core.net.CdoLogNoise;
import org.eclipse.net4j.util.om.OMPlatform;
import org.eclipse.net4j.util.om.log.OMLogFilter;
import org.eclipse.net4j.util.om.log.OMLogger;

/**
 * The child side of {@code bench central}'s processes: commands one per line on stdin, replies on the real stdout as
 * lines starting with {@code @}, ending with {@code @done} (or {@code @error <message>}). Everything else a child
 * prints (its logs, CDO's) goes to stderr, which the coordinator writes to a file.
 */
final class BenchChild {

  private static final PrintStream REPLY = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
  private static final AtomicLong WARNINGS = new AtomicLong();
  private static final List<String> FIRST_WARNINGS = new CopyOnWriteArrayList<>();

  interface Commands {
    /** @return false to end the process */
    boolean run(String[] words) throws Exception;
  }

  private BenchChild() {
  }

  /** Logs to stderr at INFO only for our own warnings; counts every warning and CDO error (the run's error figures). */
  static void prepare() {
    System.setOut(System.err);
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING); // 100 nodes logging every catalogue commit would be the benchmark's load
    root.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          note(r.getLoggerName() + ": " + r.getMessage() + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"));
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    });
    OMPlatform.INSTANCE.addLogFilter(new OMLogFilter() {
      @Override
      public boolean filter(OMLogger logger, OMLogger.Level level, String msg, Throwable t) {
        if (level == OMLogger.Level.ERROR && !CdoLogNoise.isNoise(msg) && (t == null || !CdoLogNoise.isNoise(t.getMessage()))) {
          note("CDO: " + msg + (t == null ? "" : " (" + t + ")"));
        }
        return false;
      }
    });
  }

  private static void note(String what) {
    WARNINGS.incrementAndGet();
    if (FIRST_WARNINGS.size() < 5) {
      FIRST_WARNINGS.add(what.replace('\n', ' '));
    }
  }

  static void reply(String line) {
    synchronized (REPLY) {
      REPLY.println("@" + line);
    }
  }

  /** The process's warnings so far, as reply lines. */
  static void replyWarnings() {
    reply("warnings " + WARNINGS.get());
    for (String w : FIRST_WARNINGS) {
      reply("warning " + w);
    }
  }

  /** Heap used after a full collection, live threads, resident memory, and CPU time of this process. */
  static String stats() {
    System.gc();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    long rssKb = 0;
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          rssKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      rssKb = -1;
    }
    long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    return "heap=" + heap + " threads=" + threads + " rssKb=" + rssKb + " cpuNs=" + cpu;
  }

  static void serve(Commands commands) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      reply("ready");
      reply("done");
      for (String line; (line = in.readLine()) != null;) {
        boolean more;
        try {
          more = commands.run(line.trim().split("\\s+"));
          reply("done");
        } catch (Exception | Error e) {
          e.printStackTrace();
          reply("error " + (e.getMessage() == null ? e.toString() : e.getMessage()).replace('\n', ' '));
          more = true;
        }
        if (!more) {
          break;
        }
      }
    } catch (IOException e) {
      e.printStackTrace();
    }
    System.exit(0);
  }
}
