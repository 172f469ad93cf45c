package org.apotheca.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.apotheca.core.Repositories;
import org.apotheca.core.store.ModelSchemaGuard;
import org.apotheca.core.net.CdoClient;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.apotheca.security.pki.SecretFiles;
import org.apotheca.server.access.CentralSecurity;
import org.eclipse.emf.cdo.server.IRepository;

/**
 * {@code apotheca backup <dir>}: an online copy of everything central cannot live without, taken while pharmacies
 * sync. Layout of a backup (see {@link BackupManifest} and docs/server.md "Backup and restore"):
 * <pre>
 *   MANIFEST.txt            what, when, and the SHA-256 of every other file
 *   databases/site-0001/    one Derby database per repository, each a Derby online backup
 *   databases/catalogue/
 *   security/               central's certificate authority and TLS key (the security.dir)
 * </pre>
 * Each database is copied by Derby itself ({@code SYSCS_UTIL.SYSCS_BACKUP_DATABASE}) in the server's own JVM, where
 * the embedded engine runs the repository: the copy is transactionally consistent while commits go on (they are not
 * held up), and it boots like a database whose process was killed, which Derby and CDO recover from on the next
 * start. The databases are copied one after the other, so they are not one snapshot across repositories: the sites
 * go first and the catalogue last, because site data refers to catalogue products (by id and barcode) and to recalls,
 * never the other way round, and a catalogue copied later holds everything the sites' copies refer to.
 * <p>
 * The authority is copied last, under its own lock (issuing and revoking hold it), so that its ledger of issued
 * certificates and its revocation list belong together and every certificate issued while the databases were
 * copied is in the backup: the pharmacies keep their certificates after a restore.
 */
public final class CentralBackup {

  static final String MANIFEST = "MANIFEST.txt";
  static final String DATABASES = "databases";
  static final String SECURITY = "security";

  /** One repository in a backup: its last commit when its copy began (everything up to it is in the copy). */
  public record Repository(String name, Instant lastCommit, int files, long bytes) {
  }

  /** What a backup holds, as its reply says it. */
  public record Result(Path dir, Instant taken, List<Repository> repositories, boolean security, int files, long bytes,
      Duration took) {
    public String line() {
      return "backup dir=" + dir + " repositories=" + repositories.size() + " size=" + megabytes(bytes) + " files=" + files
          + " security=" + (security ? "yes" : "no") + " took=" + seconds(took);
    }
  }

  /** Servers with a backup under way: a second one at the same time would only double the load, so it is refused. */
  private static final Set<CentralServer> RUNNING = ConcurrentHashMap.newKeySet();

  private static final long PROGRESS_EVERY_SECONDS = 5;

  private CentralBackup() {
  }

  /**
   * Backs central up into {@code target}, which must not exist or be empty; made owner-only before anything is
   * written into it (it holds the authority's key). On failure nothing is left in it.
   *
   * @param progress one line per step and, for a large store, every few seconds (MB copied so far, seconds)
   * @throws IllegalArgumentException the target is not usable, or a backup runs already: nothing was written
   * @throws IllegalStateException the backup failed; the partial copy was removed
   */
  public static Result run(CentralServer server, Path target, Consumer<String> progress) {
    if (!server.isRunning()) {
      throw new IllegalArgumentException("the server is not running: nothing to back up");
    }
    Path dir = target.toAbsolutePath().normalize();
    ServerConfig config = server.config();
    refuseInside(dir, config.dataDir(), "data directory");
    refuseInside(dir, config.securityDir(), "security directory");
    boolean created = !Files.exists(dir);
    if (!created) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(dir + " exists and is not a directory: back up into a new or empty directory");
      }
      if (!isEmpty(dir)) {
        throw new IllegalArgumentException(dir + " is not empty: back up into a new or empty directory (nothing was written)");
      }
    }
    if (!RUNNING.add(server)) {
      throw new IllegalArgumentException("a backup of this server is running already: wait for its reply");
    }
    Progress ticker = new Progress(dir, progress);
    try {
      SecretFiles.createOwnerOnlyDirectories(dir);
      return copy(server, dir, ticker);
    } catch (RuntimeException e) {
      String why = e.getMessage() != null ? e.getMessage() : CdoClient.rootMessage(e);
      try {
        BackupFiles.deleteContents(dir);
        if (created) {
          Files.deleteIfExists(dir);
        }
      } catch (IOException | UncheckedIOException cleanup) {
        throw new IllegalStateException("backup failed (" + why + ") and its partial copy in " + dir
            + " could not be removed (" + cleanup.getMessage() + "): delete it by hand", e);
      }
      throw new IllegalStateException("backup failed, nothing kept in " + dir + ": " + why, e);
    } finally {
      ticker.close();
      RUNNING.remove(server);
    }
  }

  private static Result copy(CentralServer server, Path dir, Progress ticker) {
    long t0 = System.nanoTime();
    Instant taken = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    ServerConfig config = server.config();
    Path databases = dir.resolve(DATABASES);
    SecretFiles.createOwnerOnlyDirectories(databases);
    List<Map.Entry<String, IRepository>> order = new ArrayList<>(server.repositories().entrySet());
    // sites first, catalogue last: see the class comment
    order.sort((a, b) -> {
      boolean ca = Repositories.CATALOGUE.equals(a.getKey());
      boolean cb = Repositories.CATALOGUE.equals(b.getKey());
      return ca != cb ? (ca ? 1 : -1) : a.getKey().compareTo(b.getKey());
    });
    List<Repository> copied = new ArrayList<>();
    int n = 0;
    for (Map.Entry<String, IRepository> e : order) {
      String name = e.getKey();
      n++;
      ticker.stage(name + " (" + n + "/" + order.size() + ")");
      Instant lastCommit = Instant.ofEpochMilli(e.getValue().getLastCommitTimeStamp());
      long r0 = System.nanoTime();
      onlineBackup(config.dataDir().resolve(name), databases);
      Path copy = databases.resolve(name);
      if (!DerbyDatabase.exists(copy)) {
        throw new IllegalStateException("Derby wrote no copy of repository " + name + " into " + databases);
      }
      long[] size = BackupFiles.size(copy);
      copied.add(new Repository(name, lastCommit, (int) size[0], size[1]));
      ticker.say("backup: " + name + " copied (" + n + "/" + order.size() + ") " + megabytes(size[1]) + " in "
          + seconds(Duration.ofNanos(System.nanoTime() - r0)));
    }
    // restored with the databases, so that a restore brings back the schema they were written with
    ModelSchemaGuard.copyMarkers(config.dataDir(), databases);
    CentralSecurity security = server.security();
    boolean withSecurity = security != null && Files.isDirectory(config.securityDir());
    if (withSecurity) {
      ticker.stage("security");
      synchronized (security.authority()) {
        BackupFiles.copyTree(config.securityDir(), dir.resolve(SECURITY));
      }
      ticker.say("backup: security directory copied (certificate authority, central's key)");
    }
    BackupFiles.ownerOnly(dir);
    ticker.stage("checksums");
    AtomicLong hashed = new AtomicLong();
    ticker.counting("checksummed", hashed::get);
    BackupManifest manifest = BackupManifest.write(dir, taken, config, copied, withSecurity, hashed);
    ticker.say("backup: manifest written, " + manifest.files().size() + " files, " + megabytes(manifest.totalBytes()));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    return new Result(dir, taken, copied, withSecurity, manifest.files().size(), manifest.totalBytes(), took);
  }

  /**
   * Derby's online backup of the booted database in {@code database} into {@code parent}/<its directory name>.
   * Through a connection of its own in this JVM: Derby copies the pages while commits go on, then the log up to the
   * end of the copy, so the copy recovers to a transactionally consistent state.
   */
  private static void onlineBackup(Path database, Path parent) {
    try (Connection c = DerbyDatabase.connectionProvider(database).getConnection();
        CallableStatement call = c.prepareCall("CALL SYSCS_UTIL.SYSCS_BACKUP_DATABASE(?)")) {
      call.setString(1, parent.toString());
      call.execute();
    } catch (SQLException e) {
      throw new IllegalStateException("Derby could not back up " + database.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static void refuseInside(Path dir, Path protectedDir, String what) {
    Path p = protectedDir.toAbsolutePath().normalize();
    if (dir.startsWith(p) || p.startsWith(dir)) {
      throw new IllegalArgumentException(dir + " overlaps central's " + what + " " + p
          + ": back up into a directory of its own, outside it (ideally on another disk)");
    }
  }

  private static boolean isEmpty(Path dir) {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1fMB", bytes / 1_048_576.0);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }

  /** Progress for a long copy: what runs now, and every few seconds how many MB the backup directory holds. */
  private static final class Progress implements AutoCloseable {
    private final Path dir;
    private final Consumer<String> out;
    private final long t0 = System.nanoTime();
    private final ScheduledExecutorService timer;
    private volatile String stage = "starting";
    /** What the periodic line counts: bytes in the backup directory while copying, bytes hashed while summing. */
    private volatile LongSupplier figure;
    private volatile String verb = "written";

    Progress(Path dir, Consumer<String> out) {
      this.dir = dir;
      this.out = out;
      this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "apotheca-backup-progress");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleAtFixedRate(this::tick, PROGRESS_EVERY_SECONDS, PROGRESS_EVERY_SECONDS, TimeUnit.SECONDS);
    }

    void stage(String s) {
      stage = s;
    }

    void counting(String verb, LongSupplier figure) {
      this.verb = verb;
      this.figure = figure;
    }

    void say(String line) {
      out.accept(line);
    }

    private void tick() {
      long bytes;
      try {
        LongSupplier f = figure;
        bytes = f != null ? f.getAsLong() : Files.isDirectory(dir) ? BackupFiles.size(dir)[1] : 0;
      } catch (RuntimeException e) {
        bytes = -1; // files come and go while Derby copies: skip this figure
      }
      if (bytes >= 0) {
        out.accept("backup: " + stage + ", " + megabytes(bytes) + " " + verb + " in " + seconds(Duration.ofNanos(System.nanoTime() - t0)));
      }
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
