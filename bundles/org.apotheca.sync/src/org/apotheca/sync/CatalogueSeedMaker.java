package org.apotheca.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.apotheca.core.ApothecaModel;
import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.net.CdoLogNoise;
import org.apotheca.core.net.Net4jWiring;
import org.apotheca.core.store.DerbyStores;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.apotheca.security.tls.Gatekeeper;
import org.apotheca.security.tls.Refusal;
import org.eclipse.emf.cdo.common.CDOCommonRepository;
import org.eclipse.emf.cdo.server.CDOServerUtil;
import org.eclipse.emf.cdo.server.IRepositorySynchronizer;
import org.eclipse.emf.cdo.server.ISynchronizableRepository;
import org.eclipse.emf.cdo.server.db.IDBStore;
import org.eclipse.emf.cdo.server.net4j.CDONet4jServerUtil;
import org.eclipse.emf.cdo.spi.server.InternalRepository;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.event.ThrowableEvent;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * Central's catalogue seeds: snapshots of an offline clone of central's own catalogue, which a new pharmacy node
 * downloads (in chunks, resumably) and starts its catalogue clone from, so that it replicates only the commits after
 * the seed instead of the whole history (docs/offline.md, "First sync and seeds").
 * <p>
 * <b>Why a clone and not central's own database.</b> The node boots the seed as its clone: its CDO store properties
 * must be a clone's (the last replicated commit time above all, from which the node's raw replication continues).
 * <p>
 * <b>How a refresh makes a consistent snapshot.</b> The clone (in a Net4j container of its own, connected to central
 * through central's in-JVM acceptor, with the node's own route-arounds: {@link ReplicatorSessions}) is started,
 * replicates what central committed since the last refresh, and once ONLINE it is stopped: CDO writes its store
 * properties at that graceful stop (it does not otherwise) and Derby shuts the database down cleanly, so its files
 * are a consistent image that boots without recovery. They are packed into one seed file ({@link SeedArchive}) with a
 * manifest of chunk checksums ({@link SeedManifest}); both appear under their final names only when complete
 * (written aside, forced to disk, renamed). The clone does not run between refreshes: central pays nothing for it
 * then, and a refresh replicates only what changed since the last one.
 * <p>
 * The newest seed and the one before it are kept, so that a node half way through downloading the older one can
 * finish it.
 */
public final class CatalogueSeedMaker implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(CatalogueSeedMaker.class.getName());

  /** The verb nodes ask for seeds with, through central's TLS gate. */
  public static final String VERB = "SEED";
  public static final int DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
  private static final String MANIFEST_SUFFIX = ".manifest";
  private static final String SEED_SUFFIX = ".seed";

  /** The state of the seeds, for the console. */
  public record Status(String state, SeedManifest current, long lastRefreshMillis, Instant lastRefreshAt,
      Instant nextRefreshAt, String lastError) {

    /** {@code catalogue-seed state=IDLE id=... replicated=... size=... chunks=... ...} */
    public String line() {
      return "catalogue-seed state=" + state + " id=" + (current == null ? "none" : current.id()) + " replicated="
          + (current == null ? "never" : Instant.ofEpochMilli(current.replicated()).toString()) + " size="
          + (current == null ? 0 : current.size()) + " chunks=" + (current == null ? 0 : current.chunkCount())
          + " chunkSize=" + (current == null ? 0 : current.chunkSize()) + " lastRefresh="
          + (lastRefreshAt == null ? "never" : lastRefreshAt + " took=" + lastRefreshMillis + "ms") + " next="
          + (nextRefreshAt == null ? "none" : nextRefreshAt.toString()) + " error="
          + (lastError == null ? "none" : "\"" + lastError.replace('"', '\'') + "\"");
    }
  }

  private final Path dir;
  private final String centralAcceptor;
  private final int chunkSize;
  private final Duration every;
  private final Duration syncTimeout;
  private ScheduledExecutorService timer;
  private volatile String state = "IDLE";
  private volatile String lastError;
  private volatile long lastRefreshMillis;
  private volatile Instant lastRefreshAt;
  private volatile Instant nextRefreshAt;
  private volatile boolean closed;

  /**
   * @param dir where the clone's database and the seeds live (central's {@code <data>-seed}, beside its data)
   * @param centralAcceptor the in-JVM acceptor of central's repositories
   * @param every how often to refresh; zero or negative: only on {@link #refresh()}
   */
  public CatalogueSeedMaker(Path dir, String centralAcceptor, int chunkSize, Duration every) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("the chunk size must be at least 1 byte");
    }
    this.dir = dir;
    this.centralAcceptor = centralAcceptor;
    this.chunkSize = chunkSize;
    this.every = every;
    this.syncTimeout = Duration.ofHours(2);
  }

  /**
   * With a positive {@code every}: refreshes once now, in the background, then every {@code every}. Otherwise only
   * {@link #refresh()} makes seeds.
   */
  public synchronized CatalogueSeedMaker start() {
    if (timer != null) {
      return this;
    }
    try {
      Files.createDirectories(seedsDir());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + seedsDir() + ": " + e.getMessage(), e);
    }
    deleteLeftovers();
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "apotheca-catalogue-seed");
      th.setDaemon(true);
      return th;
    });
    t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timer = t;
    if (periodic()) {
      schedule(Duration.ZERO);
    }
    return this;
  }

  private synchronized void schedule(Duration delay) {
    if (timer == null || closed) {
      return;
    }
    nextRefreshAt = Instant.now().plus(delay);
    timer.schedule(() -> {
      try {
        refresh();
      } catch (RuntimeException e) {
        // recorded in lastError and logged by refresh()
      } finally {
        if (periodic()) {
          schedule(every);
        } else {
          nextRefreshAt = null;
        }
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private boolean periodic() {
    return every != null && !every.isNegative() && !every.isZero();
  }

  public Path directory() {
    return dir;
  }

  private Path cloneDir() {
    return dir.resolve("clone");
  }

  private Path seedsDir() {
    return dir.resolve("seeds");
  }

  /**
   * Brings the clone up to date, snapshots it and publishes a new seed; blocks until done (minutes the first time
   * for a large catalogue: the clone's first replication). One at a time.
   *
   * @return the new seed's manifest
   * @throws IllegalStateException with a sentence for the operator if it failed (the previous seed stays)
   */
  public SeedManifest refresh() {
    synchronized (this) {
      while ("REFRESHING".equals(state)) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while another refresh ran");
        }
      }
      if (closed) {
        throw new IllegalStateException("the catalogue seed maker is stopped");
      }
      state = "REFRESHING";
    }
    long t0 = System.nanoTime();
    try {
      long replicated = syncClone();
      long synced = System.nanoTime();
      SeedManifest m = publish(replicated);
      lastError = null;
      long ms = (System.nanoTime() - t0) / 1_000_000;
      long syncMs = (synced - t0) / 1_000_000;
      lastRefreshMillis = ms;
      lastRefreshAt = Instant.now();
      LOG.info(() -> "Catalogue seed " + m.id() + " ready: catalogue as of " + Instant.ofEpochMilli(m.replicated()) + ", "
          + m.size() + " bytes in " + m.chunkCount() + " chunk(s), made in " + ms + " ms (clone brought up to date and"
          + " stopped in " + syncMs + " ms, packed in " + (ms - syncMs) + " ms)");
      return m;
    } catch (IOException | RuntimeException e) {
      lastError = CdoClient.rootMessage(e);
      LOG.log(Level.WARNING, "Could not refresh the catalogue seed (the previous one stays): " + lastError, e);
      throw new IllegalStateException("the catalogue seed was not refreshed (the previous one stays): " + lastError, e);
    } finally {
      synchronized (this) {
        state = "IDLE";
        notifyAll();
      }
    }
  }

  /** Starts the clone, waits until it is ONLINE (caught up), stops it gracefully; returns its last replicated time. */
  private long syncClone() {
    long t0 = System.nanoTime();
    CdoLogNoise.install();
    IManagedContainer container = ContainerUtil.createContainer();
    Net4jWiring.prepareClient(container);
    CDONet4jServerUtil.prepareContainer(container);
    container.activate();
    ISynchronizableRepository repository = null;
    IRepositorySynchronizer synchronizer = null;
    Path db = cloneDir();
    Throwable[] failure = new Throwable[1];
    try {
      IDBStore store = DerbyStores.store(db);
      synchronizer = CDOServerUtil.createRepositorySynchronizer(ReplicatorSessions.inJvm(container, centralAcceptor,
          Repositories.CATALOGUE));
      synchronizer.setRetryInterval(1);
      // the catalogue clone always replicates raw, as on the nodes (PharmacyNode.Clone.start says why)
      synchronizer.setRawReplication(true);
      synchronizer.addListener(event -> {
        if (event instanceof ThrowableEvent e) {
          failure[0] = e.getThrowable();
        }
      });
      Map<String, String> props = DerbyStores.repositoryProperties(Repositories.CATALOGUE);
      repository = CDOServerUtil.createOfflineClone(Repositories.CATALOGUE, store, props, synchronizer);
      ((InternalRepository) repository).setInitialPackages(ApothecaModel.packages());
      CDOServerUtil.addRepository(container, repository);
      long deadline = System.nanoTime() + syncTimeout.toNanos();
      while (repository.getState() != CDOCommonRepository.State.ONLINE) {
        if (closed) {
          throw new IllegalStateException("central is stopping");
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the seed's clone did not catch up with the catalogue within " + syncTimeout.toMinutes()
              + " min (state " + repository.getState() + (failure[0] == null ? "" : ", last error: " + CdoClient.rootMessage(failure[0])) + ")");
        }
        sleep(50);
      }
      long replicated = repository.getLastReplicatedCommitTime();
      long online = System.nanoTime();
      // graceful stop: CDO writes the store properties (the last replicated time among them) only now
      LifecycleUtil.deactivate(repository);
      LifecycleUtil.deactivate(synchronizer);
      repository = null;
      synchronizer = null;
      LOG.info(() -> "Catalogue seed clone ONLINE after " + (online - t0) / 1_000_000 + " ms, stopped in "
          + (System.nanoTime() - online) / 1_000_000 + " ms");
      return replicated;
    } finally {
      if (repository != null) {
        LifecycleUtil.deactivate(repository);
      }
      if (synchronizer != null) {
        LifecycleUtil.deactivate(synchronizer);
      }
      LifecycleUtil.deactivate(container);
      try {
        DerbyDatabase.shutdown(db);
      } catch (RuntimeException e) {
        LOG.warning(() -> "The seed clone's database did not shut down cleanly: " + CdoClient.rootMessage(e));
      }
    }
  }

  private SeedManifest publish(long replicated) throws IOException {
    long created = System.currentTimeMillis();
    String id = SeedManifest.newId(created, replicated);
    Path seeds = seedsDir();
    Path tmpSeed = seeds.resolve(id + SEED_SUFFIX + ".tmp");
    Path tmpManifest = seeds.resolve(id + MANIFEST_SUFFIX + ".tmp");
    try {
      SeedArchive.pack(cloneDir(), new SeedArchive.Info(id, Repositories.CATALOGUE, replicated, created), tmpSeed);
      SeedManifest m = SeedManifest.of(tmpSeed, id, replicated, created, chunkSize);
      Files.write(tmpManifest, m.bytes());
      SeedArchive.force(tmpManifest);
      // the seed file first: a manifest under its final name always has its seed beside it
      Files.move(tmpSeed, seeds.resolve(id + SEED_SUFFIX), StandardCopyOption.ATOMIC_MOVE);
      Files.move(tmpManifest, seeds.resolve(id + MANIFEST_SUFFIX), StandardCopyOption.ATOMIC_MOVE);
      SeedArchive.forceDirectory(seeds);
      prune(2);
      return m;
    } finally {
      Files.deleteIfExists(tmpSeed);
      Files.deleteIfExists(tmpManifest);
    }
  }

  /** Keeps the newest {@code keep} seeds: the current one and the one nodes may be half way through. */
  private void prune(int keep) throws IOException {
    List<SeedManifest> all = seeds();
    for (int i = keep; i < all.size(); i++) {
      String id = all.get(i).id();
      Files.deleteIfExists(seedsDir().resolve(id + MANIFEST_SUFFIX));
      Files.deleteIfExists(seedsDir().resolve(id + SEED_SUFFIX));
      LOG.fine(() -> "Deleted the old catalogue seed " + id);
    }
  }

  private void deleteLeftovers() {
    try (Stream<Path> files = Files.list(seedsDir())) {
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.fine(() -> "Could not tidy " + seedsDir() + ": " + e.getMessage());
    }
  }

  /** The published seeds, newest first. */
  public List<SeedManifest> seeds() {
    List<SeedManifest> all = new ArrayList<>();
    if (!Files.isDirectory(seedsDir())) {
      return all;
    }
    try (Stream<Path> files = Files.list(seedsDir())) {
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(MANIFEST_SUFFIX)).toList()) {
        try {
          SeedManifest m = SeedManifest.parse(Files.readString(p), p.toString());
          if (Files.size(seedsDir().resolve(m.id() + SEED_SUFFIX)) == m.size()) {
            all.add(m);
          }
        } catch (IOException | IllegalArgumentException e) {
          LOG.warning(() -> "Ignoring the catalogue seed manifest " + p + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + seedsDir() + ": " + e.getMessage(), e);
    }
    all.sort(Comparator.comparingLong(SeedManifest::created).reversed());
    return all;
  }

  public Optional<SeedManifest> current() {
    List<SeedManifest> all = seeds();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** The seed file of a published seed (for an installer: copy it next to the node and name it in seed.file). */
  public Path seedFile(SeedManifest manifest) {
    return seedsDir().resolve(manifest.id() + SEED_SUFFIX);
  }

  public Status status() {
    return new Status(state, current().orElse(null), lastRefreshMillis, lastRefreshAt, nextRefreshAt, lastError);
  }

  /**
   * Central's gatekeeper answer to {@code SEED MANIFEST} (the current seed's manifest) and {@code SEED CHUNK <id>
   * <index>} (that chunk's bytes), for an admitted pharmacy.
   * <ul>
   * <li>{@code MANIFEST <id> <length>} followed by the manifest's text</li>
   * <li>{@code CHUNK <id> <index> <length>} followed by the chunk's bytes</li>
   * <li>{@code NO_SEED <sentence>} (none: replicate the whole catalogue), {@code BUSY <sentence>} (the first one is
   * being made: ask again)</li>
   * <li>REFUSED GONE (that seed was replaced since: ask for the manifest again), BAD_REQUEST</li>
   * </ul>
   */
  public Gatekeeper.Reply reply(String argument) throws Refusal {
    String[] words = argument == null ? new String[0] : argument.trim().split(" +");
    if (words.length == 1 && words[0].equals("MANIFEST")) {
      // no seed is no refusal: the node replicates the whole catalogue instead (or waits for the first seed)
      Optional<SeedManifest> current = current();
      if (current.isEmpty()) {
        return Gatekeeper.Reply.line("REFRESHING".equals(state) ? "BUSY central is making its first catalogue seed"
            : "NO_SEED central has no catalogue seed");
      }
      SeedManifest m = current.get();
      byte[] bytes = m.bytes();
      return new Gatekeeper.Reply("MANIFEST " + m.id() + " " + bytes.length, bytes.length, () -> new java.io.ByteArrayInputStream(bytes));
    }
    if (words.length == 3 && words[0].equals("CHUNK") && SeedManifest.isId(words[1])) {
      String id = words[1];
      int index;
      try {
        index = Integer.parseInt(words[2]);
      } catch (NumberFormatException e) {
        throw new Refusal("BAD_REQUEST", "a chunk is asked for by its number");
      }
      SeedManifest m = seeds().stream().filter(s -> s.id().equals(id)).findFirst()
          .orElseThrow(() -> new Refusal("GONE", "central no longer has catalogue seed " + id + ": a newer one replaced it"));
      if (index < 0 || index >= m.chunkCount()) {
        throw new Refusal("BAD_REQUEST", "catalogue seed " + id + " has chunks 0 to " + (m.chunkCount() - 1));
      }
      Path file = seedFile(m);
      long offset = (long) index * m.chunkSize();
      long length = m.chunkLength(index);
      return new Gatekeeper.Reply("CHUNK " + id + " " + index + " " + length, length, () -> open(file, offset));
    }
    throw new Refusal("BAD_REQUEST", "unknown catalogue seed request");
  }

  private static InputStream open(Path file, long offset) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    ch.position(offset);
    return Channels.newInputStream(ch);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (this) {
      closed = true;
      t = timer;
      timer = null;
      nextRefreshAt = null;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
