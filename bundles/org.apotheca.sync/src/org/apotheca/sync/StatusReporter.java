package org.apotheca.sync;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.SiteReport;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Tells central's site board how this pharmacy is: a {@link SiteReport} as a {@code STATUS} request through central's
 * TLS gate (a connection of its own, with this pharmacy's certificate: central takes the pharmacy from the certificate,
 * so no node can report for another).
 * <p>
 * Cheap by construction: one look at the node every 500 ms (and at once on a state change); a report goes out when
 * something staff care about changed (state, pending sales, last merge, error, ready) or, failing that, as a heartbeat
 * every interval central asks for (30 s unless central says otherwise in its answer). Changes that come while a report
 * is on its way go out together in the next. A failed send is not retried on its own: the next heartbeat, or the next
 * change of state, tries again, so a node cut off from central costs central nothing and itself one connection attempt
 * per heartbeat. When the node stops it says so (best effort, at most about a second), so the board shows it offline at
 * once instead of after two missed heartbeats.
 */
final class StatusReporter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StatusReporter.class.getName());
  static final long DEFAULT_HEARTBEAT_MS = 30_000;
  private static final long LOOK_EVERY_MS = 500;
  private static final long LAST_WORD_WAIT_MS = 1_500;

  private final PharmacyNode node;
  private final CentralLink link;
  private final Clock clock;
  private final String version;
  private final ScheduledExecutorService thread;
  private final Consumer<PharmacyNode.State> onStateChange = s -> lookSoon();
  private volatile long heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private volatile boolean closed;
  // only the reporter's thread touches these
  private String sentKey;
  private long nextHeartbeat;
  private boolean failing;
  private String failedInState;
  private long sentOkAt;
  private SiteReport lastReport;

  StatusReporter(PharmacyNode node, CentralLink link, Clock clock) {
    this.node = node;
    this.link = link;
    this.clock = clock;
    this.version = softwareVersion();
    String site = node.config().siteId();
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "apotheca-status-" + site);
      t.setDaemon(true);
      return t;
    });
  }

  StatusReporter start() {
    node.addStateListener(onStateChange);
    thread.scheduleWithFixedDelay(this::look, 200, LOOK_EVERY_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  private void lookSoon() {
    if (!closed) {
      try {
        thread.execute(this::look);
      } catch (RuntimeException e) {
        // closing
      }
    }
  }

  /** The node's version as its bundle says (plain-Java runs, e.g. the benchmarks, have no bundle). */
  static String softwareVersion() {
    try {
      Bundle b = FrameworkUtil.getBundle(StatusReporter.class);
      if (b != null) {
        return b.getVersion().toString();
      }
    } catch (RuntimeException | LinkageError e) {
      // not in OSGi
    }
    String v = StatusReporter.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  /** What the node would report now. */
  SiteReport report() {
    NodeStatus s = node.status();
    NodeBook book = node.ledgerHostOrNull();
    long lastMerge = 0;
    if (book != null) {
      lastMerge = book.lastMergeAt();
    }
    return new SiteReport(s.siteId(), s.state().name(), s.pendingSales(), s.pendingCommits(), s.lastSyncAt(), lastMerge,
        s.merges(), s.catalogueVersion(), s.ready(), version, clock.millis(), s.lastError());
  }

  private synchronized void look() {
    if (closed || !node.isRunning()) {
      return;
    }
    SiteReport r;
    try {
      r = report();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "No status report this time", e);
      return;
    }
    long now = System.nanoTime() / 1_000_000;
    boolean changed = !r.changeKey().equals(sentKey);
    boolean due = now >= nextHeartbeat;
    // after a failed send, only a change of state (central may be back) or the heartbeat tries again
    if (due || (changed && (!failing || !r.state().equals(failedInState)))) {
      send(r, now);
    }
  }

  private void send(SiteReport r, long now) {
    lastReport = r;
    try {
      String answer = link.request(SiteReport.VERB, r.encode());
      if (answer == null) {
        failing = true; // not enrolled, refused, or the development flag: nobody to tell
        failedInState = r.state();
        nextHeartbeat = now + heartbeatMs;
        return;
      }
      readAnswer(answer);
      sentKey = r.changeKey();
      failing = false;
      sentOkAt = now;
      // a little jitter keeps thousands of pharmacies that started together from reporting in the same second
      nextHeartbeat = now + heartbeatMs - ThreadLocalRandom.current().nextLong(heartbeatMs / 10 + 1);
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        LOG.fine(() -> "Status report to central not sent (will try again in " + heartbeatMs / 1000 + " s or on a change of state): "
            + e.getMessage());
      }
      failing = true;
      failedInState = r.state();
      nextHeartbeat = now + heartbeatMs;
    }
  }

  /** {@code SEEN at=<ms> heartbeat=<s>}: central says how often it wants to hear from the node. */
  private void readAnswer(String answer) {
    if (!answer.startsWith("SEEN")) {
      throw new IllegalStateException("central answered the status report with '" + answer.split(" ")[0] + "'");
    }
    for (String word : answer.split(" ")) {
      if (word.startsWith("heartbeat=")) {
        try {
          long s = Long.parseLong(word.substring("heartbeat=".length()));
          if (s >= 1 && s <= 3600) {
            heartbeatMs = s * 1000;
          }
        } catch (NumberFormatException e) {
          // keep the interval we have
        }
      }
    }
  }

  /** Stops reporting; if central heard from the node lately, tells it the node stops. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    node.removeStateListener(onStateChange);
    Future<?> lastWord = null;
    try {
      lastWord = thread.submit(() -> {
        synchronized (this) {
          closed = true;
          SiteReport r = lastReport;
          if (r != null && !failing && sentOkAt > 0) {
            try {
              link.request(SiteReport.VERB, r.withState("STOPPED", clock.millis()).encode());
            } catch (IOException | RuntimeException e) {
              LOG.fine(() -> "Could not tell central this node stops: " + e.getMessage());
            }
          }
        }
      });
    } catch (RuntimeException e) {
      closed = true;
    }
    if (lastWord != null) {
      try {
        lastWord.get(LAST_WORD_WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // the board will see the node offline after its heartbeats stop
      }
    }
    closed = true;
    thread.shutdownNow();
  }
}
