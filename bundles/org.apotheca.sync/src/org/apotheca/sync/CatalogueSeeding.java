package org.apotheca.sync;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoClient;
import org.apotheca.net4j.db.derby.BootKey;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.apotheca.security.tls.LinkRefusedException;
import org.apotheca.security.tls.TlsLink;

/**
 * A new node's first catalogue: from a seed instead of a raw replication of central's whole history. Runs once, on a
 * thread of its own, before the node's catalogue clone starts (docs/offline.md, "First sync and seeds").
 * <ol>
 * <li><b>Get the seed.</b> The installer's seed file ({@code seed.file}) if there is one; otherwise central's,
 * downloaded through central's TLS gate ({@code SEED MANIFEST}, then {@code SEED CHUNK <id> <i>}) into
 * {@code <data>/catalogue.seed/}: each chunk checked against the manifest's SHA-256, written aside, forced to disk and
 * renamed, so that a chunk file under its final name is whole and verified. A cut link, a stopped node or a power
 * loss resumes with the chunks still missing (those on disk are checked again first); never from zero. If central
 * replaced its seed meanwhile, the node keeps downloading the one it started while central still has it (central
 * keeps the previous seed), and starts the new one otherwise.</li>
 * <li><b>Unpack, encrypt, put in place.</b> Only once every chunk is there: the database is unpacked into
 * {@code <data>/catalogue.unpacking}, encrypted there with the node's storage key (every node database is encrypted
 * at rest), and renamed to {@code <data>/catalogue} in one step: the clone never sees half a database, and an
 * unencrypted one never stands where the clone looks.</li>
 * <li><b>Start the clone.</b> It boots the seed's database, whose CDO store still knows the last commit it
 * replicated, and replicates (raw, as the catalogue clone always does) only central's commits after it.</li>
 * </ol>
 * If central has no seed (an older central, or one that makes none), the clone starts empty and replicates everything
 * as before.
 */
final class CatalogueSeeding implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(CatalogueSeeding.class.getName());
  private static final int MAX_BAD_CHUNKS_IN_A_ROW = 3;
  static final String DOWNLOAD_DIR = Repositories.CATALOGUE + ".seed";
  static final String UNPACK_DIR = Repositories.CATALOGUE + ".unpacking";

  /** What the seeding needs from the node's link to central: a TLS link with this pharmacy's identity. */
  interface LinkSource {
    /** @throws RuntimeException with a plain sentence when this computer cannot even ask (not enrolled, ...) */
    TlsLink link();
  }

  private final NodeConfig config;
  private final LinkSource links;
  private final Supplier<BootKey> key;
  private final Runnable startClone;
  private final Object sleeper = new Object();
  /** Chunks this run fetched or checked on disk already: a retry after a cut does not read them all again. */
  private final java.util.Set<Integer> knownGood = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private Thread thread;

  // progress, written by the seeding thread only
  private volatile String phase = "WAITING";
  private volatile long bytesDone;
  private volatile long bytesTotal;
  private volatile int chunksHeld;
  private volatile int chunksTotal;
  private volatile int chunksFetched;
  private volatile int chunksReused;
  private volatile int chunksRefetched;
  private volatile String seedId = "-";
  private volatile String note;
  private volatile long phaseStartNanos = System.nanoTime();
  private volatile long phaseStartBytes;

  /**
   * @param startClone starts the node's catalogue clone: called once, when the seed is in place or when there is
   *        none to be had
   */
  CatalogueSeeding(NodeConfig config, LinkSource links, Supplier<BootKey> key, Runnable startClone) {
    this.config = config;
    this.links = links;
    this.key = key;
    this.startClone = startClone;
  }

  /**
   * Whether the node should start its catalogue from a seed: it has no catalogue database yet, and it has an
   * installer seed or a TLS link to central (the development mode's plain TCP has no gate to ask).
   */
  static boolean wanted(NodeConfig config) {
    Path db = config.dataDir().resolve(Repositories.CATALOGUE);
    if (DerbyDatabase.exists(db)) {
      // a seed put in place before a crash, or a catalogue replicated the old way: what is left of seeding goes
      SeedArchive.deleteTree(config.dataDir().resolve(DOWNLOAD_DIR));
      SeedArchive.deleteTree(config.dataDir().resolve(UNPACK_DIR));
      return false;
    }
    return config.installerSeed() != null || !config.plainTcp();
  }

  void start() {
    thread = new Thread(this::run, "apotheca-catalogue-seed-" + config.siteId());
    thread.setDaemon(true);
    thread.start();
  }

  /** True while it waits for central (unreachable, refused, or making its first seed). */
  boolean waiting() {
    return "WAITING".equals(phase);
  }

  SeedProgress progress() {
    long eta = -1;
    long done = bytesDone;
    long total = bytesTotal;
    double secs = (System.nanoTime() - phaseStartNanos) / 1e9;
    long moved = done - phaseStartBytes;
    if (("DOWNLOADING".equals(phase) || "UNPACKING".equals(phase)) && moved > 0 && secs > 0.2 && total > 0) {
      eta = (long) ((total - done) / (moved / secs) * 1000);
    }
    return new SeedProgress(phase, done, total, chunksHeld, chunksTotal, chunksFetched, chunksReused, chunksRefetched,
        eta, seedId, note);
  }

  private void phase(String p, long done, long total) {
    bytesDone = done;
    bytesTotal = total;
    phaseStartBytes = done;
    phaseStartNanos = System.nanoTime();
    phase = p;
  }

  private void run() {
    long t0 = System.nanoTime();
    try {
      boolean seeded = obtainAndInstall();
      if (closed) {
        return;
      }
      if (seeded) {
        phase("DONE", bytesTotal, bytesTotal);
        LOG.info(() -> "Catalogue seed " + seedId + " in place after " + (System.nanoTime() - t0) / 1_000_000 + " ms ("
            + chunksFetched + " chunk(s) fetched, " + chunksReused + " reused, " + chunksRefetched + " fetched again)");
      }
      startClone.run();
    } catch (RuntimeException e) {
      // e.g. Derby could not encrypt it: nothing was put in place, so the clone can still replicate everything
      note = "the catalogue could not be started from a seed (" + CdoClient.rootMessage(e) + "): replicating the whole catalogue";
      phase("NONE", 0, 0);
      LOG.log(Level.SEVERE, note, e);
      if (!closed && !DerbyDatabase.exists(config.dataDir().resolve(Repositories.CATALOGUE))) {
        startClone.run();
      }
    }
  }

  /** @return true if the seed is in place, false if there is none to be had (the clone replicates everything) */
  private boolean obtainAndInstall() {
    Path installer = config.installerSeed();
    if (installer != null) {
      if (Files.isRegularFile(installer)) {
        try {
          installFromInstallerSeed(installer);
          return true;
        } catch (IOException | RuntimeException e) {
          note = "the installer's catalogue seed " + installer + " cannot be used (" + CdoClient.rootMessage(e) + ")";
          LOG.warning("Not using " + note + "; " + (config.plainTcp() ? "replicating the whole catalogue" : "downloading central's"));
        }
      } else {
        note = "the installer's catalogue seed " + installer + " does not exist";
        LOG.warning(note + (config.plainTcp() ? "; replicating the whole catalogue" : "; downloading central's"));
      }
      if (config.plainTcp()) {
        phase("NONE", 0, 0);
        return false;
      }
    }
    while (!closed) {
      try {
        SeedManifest manifest = download();
        if (manifest == null) {
          phase("NONE", 0, 0);
          return false;
        }
        installFromChunks(manifest);
        return true;
      } catch (Gone e) {
        LOG.info(() -> "Central replaced catalogue seed " + seedId + " and no longer has it: starting over with its new seed");
        knownGood.clear();
        chunksReused = 0;
        note = "central replaced catalogue seed " + seedId + " before it was complete here: downloading its new seed";
        SeedArchive.deleteTree(downloadDir());
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return false;
        }
        note = CdoClient.rootMessage(e);
        phase = "WAITING";
        LOG.log(Level.FINE, "Catalogue seed: " + note + "; trying again", e);
        // refused for a reason that does not pass by itself (revoked, expired): ask again only now and then
        boolean refused = e instanceof LinkRefusedException;
        pause(refused ? 30_000 : config.retryIntervalSeconds() * 1000L);
      }
    }
    return false;
  }

  private static final class Gone extends IOException {
    private static final long serialVersionUID = 1L;
  }

  private Path downloadDir() {
    return config.dataDir().resolve(DOWNLOAD_DIR);
  }

  private Path chunkFile(int i) {
    return downloadDir().resolve(String.format("chunk-%06d", i));
  }

  /**
   * Fetches what is missing of the seed whose manifest is on disk, or of central's current one.
   *
   * @return the manifest, every chunk on disk and verified; null if central has no seed to give
   */
  private SeedManifest download() throws IOException {
    Files.createDirectories(downloadDir());
    Path manifestFile = downloadDir().resolve("manifest");
    SeedManifest manifest = null;
    if (Files.isRegularFile(manifestFile)) {
      try {
        manifest = SeedManifest.parse(Files.readString(manifestFile, UTF_8), manifestFile.toString());
      } catch (IllegalArgumentException e) {
        LOG.warning(() -> "Starting the catalogue seed download over: " + e.getMessage());
        SeedArchive.deleteTree(downloadDir());
        Files.createDirectories(downloadDir());
      }
    }
    TlsLink link = links.link();
    if (manifest == null) {
      phase = "WAITING";
      try {
        manifest = link.request(CatalogueSeedMaker.VERB, "MANIFEST", (line, in) -> {
          String[] w = line.split(" ");
          if (w[0].equals("NO_SEED")) {
            return null;
          }
          if (w[0].equals("BUSY")) {
            throw new IOException(line.substring(w[0].length()).trim());
          }
          if (w.length != 3 || !w[0].equals("MANIFEST")) {
            throw new IOException("central answered the seed request with '" + w[0] + "'");
          }
          int length = Integer.parseInt(w[2]);
          if (length < 0 || length > 16 * 1024 * 1024) {
            throw new IOException("central's seed manifest is " + length + " bytes long");
          }
          byte[] text = in.readNBytes(length);
          if (text.length != length) {
            throw new EOFException("the link ended in the middle of the seed manifest");
          }
          return SeedManifest.parse(new String(text, UTF_8), "central's seed manifest");
        });
      } catch (LinkRefusedException e) {
        if (e.code().equals("BAD_REQUEST")) { // a central from before catalogue seeds
          SeedArchive.deleteTree(downloadDir());
          note = "central has no catalogue seed (" + e.getMessage() + "): replicating the whole catalogue";
          LOG.info(() -> "Catalogue: " + note);
          return null;
        }
        throw e;
      }
      if (manifest == null) {
        SeedArchive.deleteTree(downloadDir());
        note = "central has no catalogue seed: replicating the whole catalogue";
        LOG.info(() -> "Catalogue: " + note);
        return null;
      }
      Path tmp = downloadDir().resolve("manifest.tmp");
      Files.write(tmp, manifest.bytes());
      SeedArchive.force(tmp);
      Files.move(tmp, manifestFile, StandardCopyOption.ATOMIC_MOVE);
      SeedArchive.forceDirectory(downloadDir());
    }
    SeedManifest m = manifest;
    seedId = m.id();
    chunksTotal = m.chunkCount();
    List<Integer> missing = new ArrayList<>();
    long held = 0;
    int reused = 0;
    for (int i = 0; i < m.chunkCount(); i++) {
      if (knownGood.contains(i) && Files.isRegularFile(chunkFile(i)) || verified(m, i)) {
        knownGood.add(i);
        held += m.chunkLength(i);
        reused++;
      } else {
        missing.add(i);
      }
    }
    if (chunksFetched == 0 && chunksReused == 0) {
      chunksReused = reused; // found on disk from an earlier run, not fetched by this one
    }
    chunksHeld = m.chunkCount() - missing.size();
    phase("DOWNLOADING", held, m.size());
    if (!missing.isEmpty()) {
      int r = reused;
      LOG.info(() -> "Downloading catalogue seed " + m.id() + ": " + missing.size() + " of " + m.chunkCount() + " chunk(s), "
          + m.size() + " bytes in all" + (r > 0 ? " (" + r + " already here from an interrupted download)" : ""));
    }
    for (int i : missing) {
      if (closed) {
        throw new IOException("the node is stopping");
      }
      fetchChunk(link, m, i);
      chunksHeld++;
      bytesDone += m.chunkLength(i);
    }
    return m;
  }

  /** A chunk file on disk whose bytes match the manifest; a damaged one is deleted (and fetched again). */
  private boolean verified(SeedManifest m, int i) throws IOException {
    Path f = chunkFile(i);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (bytes.length == m.chunkLength(i) && SeedManifest.sha256(bytes, bytes.length).equals(m.chunks().get(i))) {
      return true;
    }
    LOG.warning(() -> "Chunk " + i + " of catalogue seed " + m.id() + " on disk is damaged: fetching it again");
    chunksRefetched++;
    Files.delete(f);
    return false;
  }

  private void fetchChunk(TlsLink link, SeedManifest m, int i) throws IOException {
    for (int attempt = 1;; attempt++) {
      byte[] bytes;
      try {
        bytes = link.request(CatalogueSeedMaker.VERB, "CHUNK " + m.id() + " " + i, (line, in) -> {
          String expected = "CHUNK " + m.id() + " " + i + " " + m.chunkLength(i);
          if (!line.equals(expected)) {
            throw new IOException("central answered chunk " + i + " with '" + line + "'");
          }
          byte[] b = in.readNBytes((int) m.chunkLength(i));
          if (b.length != m.chunkLength(i)) {
            throw new EOFException("the link ended in the middle of chunk " + i + " of the catalogue seed");
          }
          return b;
        });
      } catch (LinkRefusedException e) {
        if (e.code().equals("GONE")) {
          throw new Gone();
        }
        throw e;
      }
      if (SeedManifest.sha256(bytes, bytes.length).equals(m.chunks().get(i))) {
        Path tmp = downloadDir().resolve(chunkFile(i).getFileName() + ".tmp");
        Files.write(tmp, bytes);
        SeedArchive.force(tmp);
        Files.move(tmp, chunkFile(i), StandardCopyOption.ATOMIC_MOVE);
        knownGood.add(i);
        chunksFetched++;
        return;
      }
      chunksRefetched++;
      LOG.warning(() -> "Chunk " + i + " of catalogue seed " + m.id() + " from central does not match its checksum: fetching it again");
      if (attempt >= MAX_BAD_CHUNKS_IN_A_ROW) {
        throw new IOException("chunk " + i + " of central's catalogue seed " + m.id() + " did not match its checksum "
            + attempt + " times in a row (central's seed file may be damaged)");
      }
    }
  }

  private void installFromChunks(SeedManifest m) throws IOException {
    List<InputStream> parts = new ArrayList<>();
    for (int i = 0; i < m.chunkCount(); i++) {
      Path f = chunkFile(i);
      parts.add(new LazyFileStream(f));
    }
    try (InputStream all = new SequenceInputStream(Collections.enumeration(parts))) {
      install(all, m.size(), m.id());
    }
    SeedArchive.deleteTree(downloadDir());
  }

  private void installFromInstallerSeed(Path file) throws IOException {
    SeedArchive.Info info = SeedArchive.info(file);
    seedId = info.id();
    LOG.info(() -> "Starting the catalogue from the installer's seed " + file + " (" + info.id() + ")");
    try (InputStream in = Files.newInputStream(file)) {
      install(in, Files.size(file), info.id());
    }
  }

  /** Unpacks into catalogue.unpacking, encrypts it there, renames it to catalogue. */
  private void install(InputStream seed, long size, String id) throws IOException {
    Path tmp = config.dataDir().resolve(UNPACK_DIR);
    Path target = config.dataDir().resolve(Repositories.CATALOGUE);
    SeedArchive.deleteTree(tmp);
    phase("UNPACKING", 0, size);
    long t0 = System.nanoTime();
    SeedArchive.Info info;
    try {
      info = SeedArchive.unpack(new Counting(seed), tmp);
      if (!Repositories.CATALOGUE.equals(info.repository()) || !id.equals(info.id())) {
        throw new IOException("the seed holds '" + info.repository() + "' " + info.id() + ", not catalogue seed " + id);
      }
      long unpacked = System.nanoTime();
      phase("ENCRYPTING", size, size);
      DerbyDatabase.encryptExisting(tmp, key.get());
      long encrypted = System.nanoTime();
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      SeedArchive.forceDirectory(config.dataDir());
      LOG.info(() -> String.format("Catalogue seed %s unpacked in %d ms, encrypted in %d ms", id, (unpacked - t0) / 1_000_000,
          (encrypted - unpacked) / 1_000_000));
    } catch (IOException | RuntimeException e) {
      try {
        DerbyDatabase.shutdown(tmp);
      } catch (RuntimeException notBooted) {
        // nothing to shut down
      }
      SeedArchive.deleteTree(tmp);
      throw e;
    }
  }

  /** Counts what the unpacking read, for the progress. */
  private final class Counting extends FilterInputStream {
    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        bytesDone++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("the node is stopping");
      }
      int n = super.read(b, off, len);
      if (n > 0) {
        bytesDone += n;
      }
      return n;
    }
  }

  /** Opens its file on first read: a seed of hundreds of chunks must not hold hundreds of files open. */
  private static final class LazyFileStream extends InputStream {
    private final Path file;
    private InputStream in;

    LazyFileStream(Path file) {
      this.file = file;
    }

    private InputStream in() throws IOException {
      if (in == null) {
        in = Files.newInputStream(file);
      }
      return in;
    }

    @Override
    public int read() throws IOException {
      return in().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }

  private void pause(long ms) {
    synchronized (sleeper) {
      if (!closed) {
        try {
          sleeper.wait(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closed = true;
        }
      }
    }
  }

  /** Stops between chunks (or after the database work in hand), and waits for the thread. */
  @Override
  public void close() {
    closed = true;
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(120_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
