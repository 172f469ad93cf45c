package org.apotheca.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.core.SiteReport;
import org.apotheca.security.tls.Refusal;
import org.apotheca.security.tls.TlsGate;
import org.apotheca.server.access.CentralSecurity;
import org.apotheca.server.access.Principal;

/**
 * Central's board of every pharmacy: what each node last reported about itself ({@link SiteReport}, a STATUS request
 * through the TLS gate), when central last heard from it, whether it is online now, the errors it has had, and whether
 * central disabled it.
 * <p>
 * <b>Online</b> means central hears from the node: a report within two heartbeats that was not its last word
 * ("STOPPED") and was not followed by the close of its last link; or a link it opened since its last report (a node
 * that just started reports within a second or two). So a node that stops, or is killed, is offline at once (its last
 * word, or its links closing), and one whose line is cut without a word is offline after two heartbeats. Reports from
 * before central's own start never count as online: after a restart every node is offline until it is heard again.
 * <p>
 * <b>Persistence.</b> The board is kept in {@code board-sites.properties} in central's data directory, written aside and
 * moved into place (never half-written), at most every few seconds and when central stops, so a restarted central still
 * knows every pharmacy's last contact, last report, errors and whether it is disabled. A file that cannot be read is
 * set aside with a warning and the board starts empty: it is a picture of the pharmacies, not their data.
 */
public final class SiteBoard implements CentralSecurity.SiteReports, TlsGate.Listener, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SiteBoard.class.getName());
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);
  /** Tests and small installations may ask nodes to report more often (seconds). */
  public static final String HEARTBEAT_PROPERTY = "apotheca.board.heartbeat";
  public static final String FILE = "board-sites.properties";
  /** Distinct errors kept per pharmacy; the oldest seen go first. */
  static final int MAX_ERRORS = 10;
  private static final long FLUSH_EVERY_MS = 5_000;

  /** One pharmacy's board state as the console shows it. */
  public record Row(String siteId, String state, long lastContact, SiteReport report, long reportAt, int liveLinks,
      long linkOpenedAt, long linkClosedAt, String disabledReason, long disabledAt, String refusalCode, String refusal,
      long refusedAt, int refusals, String error, List<ErrorSeen> errors) {
  }

  /** An error as the board saw it: when first and last, and how many separate times it came. */
  public record ErrorSeen(String text, long firstAt, long lastAt, int times) {
  }

  private static final class Entry {
    SiteReport report;
    long reportAt;
    long lastContact;
    long linkOpenedAt;
    long linkClosedAt;
    String disabledReason;
    long disabledAt;
    String refusalCode;
    String refusal;
    long refusedAt;
    int refusals;
    String currentError;
    final LinkedHashMap<String, ErrorSeen> errors = new LinkedHashMap<>();
  }

  private final Path file;
  private final Duration heartbeat;
  private final Clock clock;
  private final long startedAt;
  private final Map<String, Entry> entries = new TreeMap<>();
  private final ScheduledExecutorService flusher;
  private volatile TlsGate gate;
  private boolean dirty;
  /**
   * Set when central stops: the board's file is then written one last time and stays what a restarted central reads.
   * Tunnels still ending on the gate's threads after that must not change the board behind the file's back.
   */
  private boolean closed;

  public SiteBoard(Path dataDir, Duration heartbeat, Clock clock) {
    this.file = dataDir.resolve(FILE);
    this.heartbeat = heartbeat;
    this.clock = clock;
    this.startedAt = clock.millis();
    load();
    this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "apotheca-site-board");
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleWithFixedDelay(this::flushIfDirty, FLUSH_EVERY_MS, FLUSH_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /** The heartbeat central asks of nodes: {@value #HEARTBEAT_PROPERTY} (seconds) or 30 s. */
  public static Duration configuredHeartbeat() {
    String v = System.getProperty(HEARTBEAT_PROPERTY);
    if (v != null) {
      try {
        long s = Long.parseLong(v.trim());
        if (s >= 1 && s <= 3600) {
          return Duration.ofSeconds(s);
        }
      } catch (NumberFormatException e) {
        // fall through to the default
      }
      LOG.warning(HEARTBEAT_PROPERTY + " must be a number of seconds from 1 to 3600, not '" + v + "': using 30");
    }
    return DEFAULT_HEARTBEAT;
  }

  public Duration heartbeat() {
    return heartbeat;
  }

  /** Follows the gate's tunnels (a pharmacy's live links) from now on. */
  public void watch(TlsGate tlsGate) {
    this.gate = tlsGate;
    if (tlsGate != null) {
      tlsGate.addListener(this);
    }
  }

  // ---- what the gate tells the board ----

  @Override
  public String report(String siteId, String argument) throws Refusal {
    SiteReport r;
    try {
      r = SiteReport.parse(argument);
    } catch (IllegalArgumentException e) {
      throw new Refusal("BAD_REQUEST", e.getMessage());
    }
    if (!r.siteId().equals(siteId)) {
      LOG.warning("Refused a status report of pharmacy " + siteId + " about pharmacy " + r.siteId());
      throw new Refusal("NOT_ALLOWED", "pharmacy " + siteId + " may report about itself only, not about pharmacy " + r.siteId());
    }
    long now = clock.millis();
    synchronized (this) {
      if (closed) {
        return "SEEN at=" + now + " heartbeat=" + heartbeat.toSeconds();
      }
      Entry e = entry(siteId);
      e.report = r;
      e.reportAt = now;
      e.lastContact = now;
      noteError(e, r.error(), now);
      dirty = true;
    }
    return "SEEN at=" + now + " heartbeat=" + heartbeat.toSeconds();
  }

  @Override
  public void refused(String siteId, String code, String sentence) {
    try {
      Repositories.checkSiteId(siteId);
    } catch (IllegalArgumentException e) {
      return; // a certificate of ours never names such a site; nothing for the board
    }
    long now = clock.millis();
    synchronized (this) {
      if (closed) {
        return;
      }
      Entry e = entry(siteId);
      e.refusalCode = code;
      e.refusal = sentence;
      e.refusedAt = now;
      e.refusals++;
      e.lastContact = now;
      noteError(e, "central refused it: " + code + " " + sentence, now);
      dirty = true;
    }
  }

  @Override
  public void opened(TlsGate.TunnelInfo tunnel) {
    String site = siteOf(tunnel.identity());
    if (site != null) {
      synchronized (this) {
        if (closed) {
          return;
        }
        Entry e = entry(site);
        e.linkOpenedAt = clock.millis();
        e.lastContact = e.linkOpenedAt;
        dirty = true;
      }
    }
  }

  @Override
  public void closed(TlsGate.TunnelInfo tunnel, String why) {
    String site = siteOf(tunnel.identity());
    if (site != null) {
      synchronized (this) {
        if (closed) {
          return;
        }
        Entry e = entry(site);
        e.linkClosedAt = clock.millis();
        e.lastContact = Math.max(e.lastContact, e.linkClosedAt);
        dirty = true;
      }
    }
  }

  private static String siteOf(Object identity) {
    return identity instanceof Principal p && p.kind() == Principal.Kind.SITE ? p.name() : null;
  }

  /** Keeps the history of distinct errors: a new one, or one that comes back, is one more time. */
  private static void noteError(Entry e, String error, long now) {
    if (error == null) {
      e.currentError = null;
      return;
    }
    ErrorSeen seen = e.errors.remove(error);
    boolean again = !error.equals(e.currentError);
    e.errors.put(error, seen == null ? new ErrorSeen(error, now, now, 1)
        : new ErrorSeen(error, seen.firstAt(), now, seen.times() + (again ? 1 : 0)));
    while (e.errors.size() > MAX_ERRORS) {
      e.errors.remove(e.errors.keySet().iterator().next());
    }
    e.currentError = error;
  }

  // ---- what central's operators do ----

  /** Makes sure the pharmacy is on the board (a site just added shows as "never" seen). */
  public synchronized void register(String siteId) {
    entry(siteId);
    dirty = true;
  }

  public synchronized void disable(String siteId, String reason) {
    Entry e = entry(siteId);
    e.disabledReason = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
    e.disabledAt = clock.millis();
    dirty = true;
    flushIfDirty();
  }

  public synchronized void enable(String siteId) {
    Entry e = entry(siteId);
    e.disabledReason = null;
    e.disabledAt = 0;
    dirty = true;
    flushIfDirty();
  }

  public synchronized boolean isDisabled(String siteId) {
    Entry e = entries.get(siteId);
    return e != null && e.disabledReason != null;
  }

  public synchronized String disabledReason(String siteId) {
    Entry e = entries.get(siteId);
    return e == null ? null : e.disabledReason;
  }

  /** Every pharmacy on the board or in {@code known} (central's repositories), sorted by id. */
  public List<Row> rows(Collection<String> known) {
    Map<String, Integer> links = liveLinks();
    long now = clock.millis();
    List<Row> rows = new ArrayList<>();
    synchronized (this) {
      TreeSet<String> ids = new TreeSet<>(entries.keySet());
      ids.addAll(known);
      for (String id : ids) {
        rows.add(row(id, entries.get(id), links.getOrDefault(id, 0), now));
      }
    }
    rows.sort(Comparator.comparing(Row::siteId));
    return rows;
  }

  public Row row(String siteId) {
    Map<String, Integer> links = liveLinks();
    synchronized (this) {
      return row(siteId, entries.get(siteId), links.getOrDefault(siteId, 0), clock.millis());
    }
  }

  private Map<String, Integer> liveLinks() {
    Map<String, Integer> links = new HashMap<>();
    TlsGate g = gate;
    if (g != null) {
      for (TlsGate.TunnelInfo t : g.tunnels()) {
        String site = siteOf(t.identity());
        if (site != null) {
          links.merge(site, 1, Integer::sum);
        }
      }
    }
    return links;
  }

  private Row row(String id, Entry e, int live, long now) {
    if (e == null) {
      return new Row(id, "never", 0, null, 0, live, 0, 0, null, 0, null, null, 0, 0, null, List.of());
    }
    long window = 2 * heartbeat.toMillis();
    boolean heardSinceStart = e.reportAt >= startedAt;
    boolean reportFresh = heardSinceStart && now - e.reportAt <= window && e.report != null
        && !"STOPPED".equals(e.report.state()) && !(e.linkClosedAt > e.reportAt && live == 0);
    boolean reconnected = live > 0 && e.linkOpenedAt > e.reportAt && e.linkOpenedAt >= startedAt;
    boolean online = reportFresh || reconnected;
    // the newest of what the node said and what central refused it for
    String error = e.report == null ? null : e.report.error();
    long errorAt = e.reportAt;
    if (e.refusal != null && e.refusedAt > errorAt) {
      error = "central refused it: " + e.refusalCode + " " + e.refusal;
    }
    String state;
    if (e.disabledReason != null) {
      state = "disabled";
    } else if (e.lastContact == 0) {
      state = "never";
    } else if (!online) {
      state = "offline";
    } else if (error != null || (e.report != null && "ERROR".equals(e.report.state()))) {
      state = "error";
    } else {
      state = "online";
    }
    List<ErrorSeen> history = new ArrayList<>(e.errors.values());
    history.sort(Comparator.comparingLong(ErrorSeen::lastAt).reversed());
    return new Row(id, state, e.lastContact, e.report, e.reportAt, live, e.linkOpenedAt, e.linkClosedAt, e.disabledReason,
        e.disabledAt, e.refusalCode, e.refusal, e.refusedAt, e.refusals, error, List.copyOf(history));
  }

  private Entry entry(String siteId) {
    return entries.computeIfAbsent(Repositories.checkSiteId(siteId), k -> new Entry());
  }

  // ---- persistence ----

  private synchronized void flushIfDirty() {
    if (!dirty) {
      return;
    }
    try {
      write();
      dirty = false;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "Cannot write the site board to " + file + " (will try again): " + e.getMessage(), e);
    }
  }

  private void write() throws IOException {
    Properties p = new Properties();
    p.setProperty("format", "1");
    for (Map.Entry<String, Entry> en : entries.entrySet()) {
      String k = en.getKey() + ".";
      Entry e = en.getValue();
      p.setProperty(k + "known", "yes");
      if (e.report != null) {
        p.setProperty(k + "report", e.report.encode());
      }
      put(p, k + "reportAt", e.reportAt);
      put(p, k + "lastContact", e.lastContact);
      put(p, k + "linkOpenedAt", e.linkOpenedAt);
      put(p, k + "linkClosedAt", e.linkClosedAt);
      if (e.disabledReason != null) {
        p.setProperty(k + "disabled", e.disabledReason);
        put(p, k + "disabledAt", e.disabledAt);
      }
      if (e.refusal != null) {
        p.setProperty(k + "refusalCode", e.refusalCode);
        p.setProperty(k + "refusal", e.refusal);
        put(p, k + "refusedAt", e.refusedAt);
        put(p, k + "refusals", e.refusals);
      }
      if (e.currentError != null) {
        p.setProperty(k + "currentError", e.currentError);
      }
      int i = 0;
      for (ErrorSeen s : e.errors.values()) {
        p.setProperty(k + "error." + i++, s.firstAt() + " " + s.lastAt() + " " + s.times() + " " + s.text());
      }
    }
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, "Apotheca central's site board (written by central; see docs/server.md)");
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void put(Properties p, String key, long value) {
    if (value != 0) {
      p.setProperty(key, Long.toString(value));
    }
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
      for (String key : p.stringPropertyNames()) {
        int dot = key.indexOf('.');
        if (dot <= 0 || !key.endsWith(".known")) {
          continue;
        }
        String id = key.substring(0, dot);
        String k = id + ".";
        Entry e = entry(id);
        String report = p.getProperty(k + "report");
        if (report != null) {
          try {
            e.report = SiteReport.parse(report);
          } catch (IllegalArgumentException bad) {
            LOG.warning("Site board: pharmacy " + id + "'s last report in " + file + " is not readable (" + bad.getMessage() + ")");
          }
        }
        e.reportAt = number(p, k + "reportAt");
        e.lastContact = number(p, k + "lastContact");
        e.linkOpenedAt = number(p, k + "linkOpenedAt");
        e.linkClosedAt = number(p, k + "linkClosedAt");
        e.disabledReason = p.getProperty(k + "disabled");
        e.disabledAt = number(p, k + "disabledAt");
        e.refusalCode = p.getProperty(k + "refusalCode");
        e.refusal = p.getProperty(k + "refusal");
        e.refusedAt = number(p, k + "refusedAt");
        e.refusals = (int) number(p, k + "refusals");
        e.currentError = p.getProperty(k + "currentError");
        List<ErrorSeen> seen = new ArrayList<>();
        for (int i = 0; p.containsKey(k + "error." + i); i++) {
          String[] f = p.getProperty(k + "error." + i).split(" ", 4);
          if (f.length == 4) {
            seen.add(new ErrorSeen(f[3], Long.parseLong(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2])));
          }
        }
        seen.sort(Comparator.comparingLong(ErrorSeen::lastAt));
        seen.forEach(s -> e.errors.put(s.text(), s));
      }
      LOG.info(() -> "Site board: " + entries.size() + " pharmacies as central last knew them (" + file + ")");
    } catch (IOException | RuntimeException e) {
      entries.clear();
      Path aside = file.resolveSibling(FILE + ".unreadable-" + clock.millis());
      try {
        Files.move(file, aside);
      } catch (IOException moveFailed) {
        // it stays where it is and is overwritten at the next write
      }
      LOG.warning("Site board: " + file + " cannot be read (" + e.getMessage() + "); set aside as " + aside.getFileName()
          + ", the board starts empty and fills as pharmacies report");
    }
  }

  private static long number(Properties p, String key) {
    String v = p.getProperty(key);
    return v == null ? 0 : Long.parseLong(v.trim());
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    flusher.shutdownNow();
    flushIfDirty();
  }
}
