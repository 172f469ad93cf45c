package org.apotheca.sync.tests.faults;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * A real child JVM running one of our plain-Java mains ({@code ServerMain}, {@code NodeMain}) on the classpath of
 * the bundles this test runtime has installed, talking line commands over stdin/stdout, killable with SIGKILL.
 */
public final class ChildJvm implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> transcript = new ArrayList<>();

  private final Path log;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.log = log;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null;) {
          lines.add(line);
        }
      } catch (IOException e) {
        // process gone
      }
    }, "child-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code mainClass args} and waits for its line starting with "READY". Stderr goes to {@code logDir/<name>.log}. */
  public static ChildJvm start(String name, Path logDir, String mainClass, String... args) throws IOException {
    Files.createDirectories(logDir);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx384m");
    cmd.add("-Dderby.stream.error.file=" + logDir.resolve(name + "-derby.log"));
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()));
    ChildJvm jvm = new ChildJvm(name, pb.start(), logDir.resolve(name + ".log"));
    jvm.await(l -> l.startsWith("READY"), Duration.ofSeconds(120));
    return jvm;
  }

  /**
   * Every installed bundle's jar or class folder. Tycho's test runtime installs reactor bundles from their
   * {@code target/classes} folders and everything else from jars ("reference:file:" locations).
   */
  static String classPath() {
    Set<String> entries = new LinkedHashSet<>();
    for (Bundle b : FrameworkUtil.getBundle(ChildJvm.class).getBundleContext().getBundles()) {
      String loc = b.getLocation();
      int i = loc.indexOf("file:");
      if (i < 0) {
        continue;
      }
      File f = resolve(loc.substring(i + "file:".length()));
      if (f.isDirectory()) {
        File classes = new File(f, "target/classes");
        entries.add((classes.isDirectory() ? classes : f).getAbsolutePath());
      } else if (f.isFile()) {
        entries.add(f.getAbsolutePath());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * Tycho writes reactor bundles as paths relative to the test runtime's install area
   * ("reference:file:../../../../bundles/x/target/x.jar"); the rest are absolute.
   */
  private static File resolve(String path) {
    File f = new File(path);
    if (f.isAbsolute()) {
      return f;
    }
    for (String key : new String[] { "osgi.install.area", "osgi.configuration.area", "osgi.instance.area" }) {
      String area = System.getProperty(key);
      if (area != null && area.startsWith("file:")) {
        File candidate = new File(new File(URI.create(area.replace(" ", "%20"))), path);
        if (candidate.exists()) {
          return candidate.toPath().normalize().toFile();
        }
      }
    }
    return f.getAbsoluteFile();
  }

  /** Sends one command; returns the reply lines up to "OK"; an "ERROR ..." reply throws {@link CommandFailed}. */
  public List<String> command(String line, Duration timeout) throws IOException {
    send(line);
    List<String> reply = new ArrayList<>();
    while (true) {
      String l = next(timeout, line);
      if (l.equals("OK")) {
        return reply;
      }
      if (l.startsWith("ERROR ")) {
        throw new CommandFailed(l.substring(6));
      }
      reply.add(l);
    }
  }

  /** Writes a line without waiting for the answer (to pipeline commands before a kill). */
  public void send(String line) throws IOException {
    synchronized (transcript) {
      transcript.add("> " + line);
    }
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** The next line of output, failing the test with the transcript if none comes in time or the process died. */
  public String next(Duration timeout, String waitingFor) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      String l;
      try {
        l = lines.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (l != null) {
        synchronized (transcript) {
          transcript.add("< " + l);
        }
        return l;
      }
      if (!process.isAlive() && lines.isEmpty()) {
        fail(name + " exited (" + process.exitValue() + ") while waiting for " + waitingFor + "; transcript " + tail());
      }
      if (System.nanoTime() > end) {
        fail(name + ": no answer within " + timeout + " to " + waitingFor + "; transcript " + tail());
      }
    }
  }

  public String await(Predicate<String> line, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      String l = next(Duration.ofNanos(Math.max(1, end - System.nanoTime())), "a line matching the expectation");
      if (line.test(l)) {
        return l;
      }
    }
  }

  /** SIGKILL: no shutdown hook, no Derby shutdown, like a power cut for this process. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public void stop() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    try {
      send("quit");
    } catch (IOException e) {
      // already gone
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }

  private String tail() {
    String stderr;
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      stderr = String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    } catch (IOException e) {
      stderr = "(no log: " + e + ")";
    }
    synchronized (transcript) {
      return String.join("\n", transcript.subList(Math.max(0, transcript.size() - 30), transcript.size())) + "\n--- stderr of "
          + name + " ---\n" + stderr;
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /** A command answered "ERROR ...": the node or server refused it. */
  public static final class CommandFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailed(String message) {
      super(message);
    }
  }
}
