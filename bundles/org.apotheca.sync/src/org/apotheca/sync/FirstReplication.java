package org.apotheca.sync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.apotheca.net4j.db.derby.BootKey;
import org.apotheca.net4j.db.derby.DerbyDatabase;

/**
 * Whether a site clone's first replication from central has completed, recorded durably beside the clone
 * ({@code <data>/<repo>.replicated}, fsynced), and what the node does about a clone without that record.
 * <p>
 * <b>Why.</b> Raw replication is the only way to build a fresh clone, and non-raw replication cannot (docs/building.md).
 * Derby writes its service.properties when the clone's database is created, before any replication: a first sync
 * cut half-way left a database that looked like a clone, the next start replicated it non-raw, and the node never got
 * complete. Raw replication itself cannot resume either: a cut import may leave rows behind, and a crash in it leaves
 * CDO computing "replicated up to" from whatever commit rows were written. So a clone counts as built only once it
 * has been ONLINE after a raw replication; a database without that record is thrown away (Derby shut down first)
 * and built again raw from scratch.
 * <p>
 * <b>Clones from before this record existed.</b> A database without the record is kept, and the record written, when
 * it shows a completed replication: CDO's own properties say it was shut down gracefully after having replicated
 * (its last replicated commit time &gt; 0: CDO sets it only once an import has finished), or the node's journal has
 * an OFFLINE transition with a base &gt; 0 (the clone had replicated before it went offline), or the node has merged
 * offline work of it. An upgrade stops the old version cleanly, so the first of these holds for every clone that
 * ever finished its first sync.
 */
final class FirstReplication {

  private static final Logger LOG = Logger.getLogger(FirstReplication.class.getName());
  static final String SUFFIX = ".replicated";
  /** CDO's clone properties (SynchronizableRepository), kept by the DB store in its properties table. */
  private static final String PROP_LAST_REPLICATED = "org.eclipse.emf.cdo.server.lastReplicatedCommitTime";
  private static final String PROP_GRACEFUL = "org.eclipse.emf.cdo.server.gracefullyShutDown";
  /** Derby: "table/view does not exist". */
  private static final String NO_TABLE = "42X05";

  private final String repository;
  private final Path dataDir;
  private final Path dbDir;
  private final NodeJournal journal;
  /** Set while the clone has no complete first replication: when this node started building it. */
  private volatile long startedAt;
  private final AtomicLong lastSize = new AtomicLong();
  private volatile long sizeAt;
  /** Plain TCP: the database's size when central started sending (its empty tables alone take ~11 MB); -1 before. */
  private volatile long sizeAtSyncing = -1;

  /** Bytes central has sent on the clone's current link, -1 when not known (plain development TCP). */
  private final LongSupplier linkBytes;
  /** Whether the clone is replicating now (SYNCING). */
  private final BooleanSupplier replicating;

  FirstReplication(String repository, Path dataDir, Path dbDir, NodeJournal journal, LongSupplier linkBytes,
      BooleanSupplier replicating) {
    this.repository = repository;
    this.dataDir = dataDir;
    this.dbDir = dbDir;
    this.journal = journal;
    this.linkBytes = linkBytes;
    this.replicating = replicating;
  }

  Path marker() {
    return dataDir.resolve(repository + SUFFIX);
  }

  boolean isComplete() {
    return Files.exists(marker());
  }

  /**
   * Called before the clone's store opens. Returns whether the clone must replicate raw (it has no completed first
   * replication); in that case any database left by an earlier attempt is gone when this returns.
   */
  boolean prepare(BootKey key) {
    if (!DerbyDatabase.exists(dbDir)) {
      // no database (a new computer, or only this clone's directory was lost): built from central, raw
      if (Files.exists(dbDir) || isComplete()) {
        LOG.warning(() -> "Clone " + repository + " has no database in " + dbDir + ": it is replicated from central from scratch (raw)");
        wipe();
      }
      startedAt = System.currentTimeMillis();
      return true;
    }
    if (isComplete()) {
      return false;
    }
    String earlier = completedBefore(key);
    if (earlier != null) {
      record("recognised a clone from before first-replication records (" + earlier + ")");
      LOG.info(() -> "Clone " + repository + " has replicated before (" + earlier + "): kept, recorded as complete");
      return false;
    }
    LOG.warning(() -> "Clone " + repository + " never finished its first replication from central (a first sync was cut "
        + "off): its database is discarded and the clone is replicated again from scratch (raw)");
    wipe();
    startedAt = System.currentTimeMillis();
    return true;
  }

  /** The clone reached ONLINE after its raw replication: from now on it is a clone like any other. */
  void completed(long lastReplicatedCommitTime) {
    if (startedAt == 0 || isComplete()) {
      return;
    }
    long ms = System.currentTimeMillis() - startedAt;
    long link = linkBytes.getAsLong();
    record("first replication completed, replicated up to " + lastReplicatedCommitTime);
    startedAt = 0;
    LOG.info(() -> "Clone " + repository + ": first replication from central complete, " + (link < 0 ? "" : mb(link) + " MB received, ")
        + String.format(Locale.ROOT, "%.1f", ms / 1000.0) + " s after the node started it");
  }

  /**
   * While the clone is being built from central: {@code restoring repository=site-0001 from=central phase=receiving
   * received=12.3MB elapsed=14s}; null once it is complete. {@code phase=connecting} while the empty database is made
   * and central is being reached, {@code receiving} while central sends (SYNCING). {@code received}: see
   * {@link #received}.
   */
  String progress() {
    long since = startedAt;
    if (since == 0) {
      return null;
    }
    long now = System.currentTimeMillis();
    boolean receiving = replicating.getAsBoolean();
    return "restoring repository=" + repository + " from=central phase=" + (receiving ? "receiving" : "connecting")
        + " received=" + mb(received(receiving, now)) + "MB elapsed=" + (now - since) / 1000 + "s";
  }

  /** The same in words, for the workbench. */
  String progressSentence() {
    long since = startedAt;
    if (since == 0) {
      return null;
    }
    long now = System.currentTimeMillis();
    boolean receiving = replicating.getAsBoolean();
    if (!receiving) {
      return "Preparing to restore this pharmacy's data (" + repository + ") from central (" + (now - since) / 1000 + " s).";
    }
    return "Restoring this pharmacy's data (" + repository + ") from central: " + mb(received(receiving, now))
        + " MB received in " + (now - since) / 1000 + " s.";
  }

  /**
   * What central has sent on this attempt: the bytes on the clone's TLS link (a raw replication does not resume, each
   * attempt has a link of its own), else, in plain development TCP, how much the database grew on disk since central
   * started sending, which lags behind (Derby grows its files in steps).
   */
  private long received(boolean receiving, long now) {
    long link = linkBytes.getAsLong();
    if (link >= 0) {
      return link;
    }
    if (!receiving) {
      sizeAtSyncing = -1;
      return 0;
    }
    if (now - sizeAt > 500) {
      // walking the database directory costs a few ms: not for every status poll
      lastSize.set(size(dbDir));
      sizeAt = now;
    }
    if (sizeAtSyncing < 0) {
      sizeAtSyncing = lastSize.get();
    }
    return Math.max(0, lastSize.get() - sizeAtSyncing);
  }

  private void record(String why) {
    Path file = marker();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    byte[] text = (Instant.now() + "\t" + why + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(text));
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDirectory(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot record the first replication of " + repository + " in " + file + ": " + e.getMessage(), e);
    }
  }

  /** The rename must survive a power cut too: force the directory entry (not possible on every platform). */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory as a channel; NTFS journals the rename
    }
  }

  /** Why the database is a completed clone from before the record existed, or null. */
  private String completedBefore(BootKey key) {
    for (long[] rec : journal.offlineBases(repository)) {
      if (rec[1] > 0) {
        return "it went offline after replicating up to " + rec[1];
      }
    }
    if (!journal.mergedBranches(repository).isEmpty()) {
      return "offline work of it was merged";
    }
    if (!DerbyDatabase.exists(dbDir)) {
      return null;
    }
    try {
      long replicated = lastReplicatedAtGracefulShutdown(key);
      return replicated > 0 ? "shut down cleanly after replicating up to " + replicated : null;
    } finally {
      DerbyDatabase.shutdown(dbDir);
    }
  }

  /** CDO's last replicated commit time as stored at its last graceful shutdown; 0 if none or after a crash. */
  private long lastReplicatedAtGracefulShutdown(BootKey key) {
    try (Connection c = DerbyDatabase.dataSource(dbDir, key).getConnection();
        PreparedStatement s = c.prepareStatement("SELECT NAME, VALUE FROM CDO_PROPERTIES WHERE NAME IN (?, ?)")) {
      s.setString(1, PROP_LAST_REPLICATED);
      s.setString(2, PROP_GRACEFUL);
      boolean graceful = false;
      long replicated = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (PROP_GRACEFUL.equals(rs.getString(1))) {
            graceful = Boolean.parseBoolean(rs.getString(2));
          } else {
            try {
              replicated = Long.parseLong(rs.getString(2).trim());
            } catch (NumberFormatException e) {
              replicated = 0;
            }
          }
        }
      }
      return graceful ? replicated : 0;
    } catch (SQLException e) {
      if (NO_TABLE.equals(e.getSQLState())) {
        // cut before CDO had created its tables: nothing was replicated
        return 0;
      }
      // a wrong key or a damaged database is not a reason to throw the data away: say so and stop
      throw new IllegalStateException("Cannot tell whether the clone " + repository + " in " + dbDir
          + " finished its first replication: " + e.getMessage(), e);
    }
  }

  private void wipe() {
    try {
      DerbyDatabase.shutdown(dbDir);
    } catch (RuntimeException e) {
      LOG.fine(() -> "Clone " + repository + ": Derby shutdown before discarding: " + e.getMessage());
    }
    deleteTree(dbDir);
    // records about the discarded database would be wrong about the new one (branch ids, bases)
    for (String suffix : new String[] { SUFFIX, NodeJournal.OFFLINE_BASES_SUFFIX, NodeJournal.MERGED_SUFFIX }) {
      try {
        Files.deleteIfExists(dataDir.resolve(repository + suffix));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + dataDir.resolve(repository + suffix) + ": " + e.getMessage(), e);
      }
    }
  }

  static void deleteTree(Path dir) {
    try {
      org.apotheca.core.store.FileTrees.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  static long size(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.mapToLong(p -> {
        try {
          return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (NoSuchFileException e) {
          return 0; // Derby removed a log file meanwhile
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1_000_000.0);
  }
}
