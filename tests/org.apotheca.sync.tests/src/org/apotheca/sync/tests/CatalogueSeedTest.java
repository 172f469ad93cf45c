package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueEditor;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.CatalogueSeedMaker;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.SeedManifest;
import org.apotheca.sync.SeedProgress;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new node's first catalogue from central's catalogue seed (docs/offline.md, "First sync and seeds"): a real central
 * making its seed from a clone of its catalogue, real nodes downloading it through central's TLS gate, Derby on disk.
 */
class CatalogueSeedTest {

  private static final int PRODUCTS = 1_500;
  /** Small chunks, so that a small catalogue's seed has enough of them to cut a download half way. */
  private static final int CHUNK = 16 * 1024;
  private static final String AFTER_SEED = "5099999999995";

  @TempDir
  Path tmp;

  private CentralServer central;
  private final List<PharmacyNode> nodes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() {
    for (PharmacyNode n : nodes) {
      n.stop();
    }
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // keep closing
      }
    }
    SyncFixture.stopCentral(central);
  }

  private ServerConfig startCentral() {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), PRODUCTS)
        .withSites(List.of(SITE, "0002"));
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    central = new CentralServer(config, container).withCatalogueSeeds(Duration.ZERO, CHUNK).start();
    return config;
  }

  private SeedManifest seedThenCommitAfterIt() {
    SeedManifest seed = central.catalogueSeeds().refresh();
    CDONet4jSession s = central.openLocalSession(Repositories.CATALOGUE);
    try {
      new CatalogueEditor(s).addProduct(AFTER_SEED, "Made after the seed", 777, 2000, "test");
    } finally {
      s.close();
    }
    return seed;
  }

  private PharmacyNode start(NodeConfig config) {
    PharmacyNode node = new PharmacyNode(config).start();
    nodes.add(node);
    return node;
  }

  private void awaitOnlineWithTheLaterCommit(PharmacyNode node) {
    await("the node ONLINE with the product committed after the seed", 120_000,
        () -> node.state() == PharmacyNode.State.ONLINE && ready(node) && node.product(AFTER_SEED) != null,
        () -> node.status().line() + " " + node.seedProgress() + " " + node.errors());
  }

  private static boolean ready(PharmacyNode node) {
    try {
      return node.awaitReady(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private int catalogueCommits(CDONet4jSession session) {
    AtomicInteger n = new AtomicInteger();
    session.getCommitInfoManager().getCommitInfos(session.getBranchManager().getMainBranch(), 0, null, null, 1_000_000,
        info -> n.incrementAndGet());
    return n.get();
  }

  /** What central and the node each hold: product count and catalogue commits (a commit replicated twice would show). */
  private void assertSameCatalogue(ServerConfig config, PharmacyNode node) {
    CDONet4jSession n = node.openLocalSession(Repositories.CATALOGUE);
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.CATALOGUE)) {
      assertEquals(PRODUCTS + 1, CatalogueReader.count(c.session().openView()));
      assertEquals(PRODUCTS + 1, CatalogueReader.count(n.openView()));
      assertEquals(catalogueCommits(c.session()), catalogueCommits(n));
    } finally {
      n.close();
    }
  }

  @Test
  void aFreshNodeStartsFromCentralsSeedAndReplicatesOnlyTheCommitsAfterIt() {
    ServerConfig config = startCentral();
    SeedManifest seed = seedThenCommitAfterIt();
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), config.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    PharmacyNode node = start(nc);
    awaitOnlineWithTheLaterCommit(node);

    SeedProgress p = node.seedProgress();
    assertEquals("DONE", p.phase(), p.line());
    assertEquals(seed.id(), p.seedId());
    assertEquals(seed.chunkCount(), p.chunksFetched(), p.line());
    assertEquals(0, p.chunksReused());
    assertEquals(0, p.chunksRefetched());
    // the clone booted the seed's database: it replicated from the seed's time on, not the whole history
    assertTrue(node.repository(Repositories.CATALOGUE).getLastReplicatedCommitTime() > seed.replicated());
    assertSameCatalogue(config, node);
    assertTrue(DerbyDatabase.isEncrypted(tmp.resolve("node").resolve(Repositories.CATALOGUE)), "the seeded catalogue is encrypted at rest");
    assertFalse(Files.exists(tmp.resolve("node").resolve("catalogue.seed")), "the download is deleted once in place");
    assertTrue(node.errors().isEmpty(), node.errors().toString());
  }

  @Test
  void aCutDownloadResumesWithTheMissingChunksOnlyAndFetchesADamagedChunkAgain() throws Exception {
    ServerConfig config = startCentral();
    SeedManifest seed = seedThenCommitAfterIt();
    assertTrue(seed.chunkCount() >= 20, "a seed of " + seed.chunkCount() + " chunks is too small to cut half way");
    CuttingRelay relay = new CuttingRelay(config.endpoint(), seed.size() / 2);
    closeables.add(relay);
    Path data = tmp.resolve("node");
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, data, relay.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    PharmacyNode first = start(nc);
    await("the link cut half way through the seed", 60_000, relay::isCut, () -> String.valueOf(first.seedProgress()));
    await("the node waiting for central again", 30_000, () -> "WAITING".equals(first.seedProgress().phase()),
        () -> String.valueOf(first.seedProgress()));
    SeedProgress cut = first.seedProgress();
    assertTrue(cut.chunksHeld() > 0 && cut.chunksHeld() < seed.chunkCount(), cut.line());
    // never half data where the clone looks: no catalogue database, nothing unpacked
    assertFalse(Files.exists(data.resolve(Repositories.CATALOGUE)), "no catalogue database before every chunk is here");
    assertFalse(Files.exists(data.resolve("catalogue.unpacking")));
    assertFalse(first.awaitReady(100));
    first.stop(); // the node is switched off during the outage too

    List<Path> chunks;
    try (Stream<Path> files = Files.list(data.resolve("catalogue.seed"))) {
      chunks = files.filter(f -> f.getFileName().toString().matches("chunk-\\d+")).sorted().toList();
    }
    int held = chunks.size();
    assertEquals(cut.chunksHeld(), held);
    // a chunk damaged on disk while the node was off: found at the next start and fetched again
    try (RandomAccessFile f = new RandomAccessFile(chunks.get(held / 2).toFile(), "rw")) {
      f.seek(100);
      int b = f.read();
      f.seek(100);
      f.write(b ^ 0x5A);
    }

    // central made a newer seed meanwhile, and still has the one this node was half way through: it finishes that one
    SeedManifest newer = central.catalogueSeeds().refresh();
    assertFalse(newer.id().equals(seed.id()));

    relay.restore();
    PharmacyNode second = start(nc);
    awaitOnlineWithTheLaterCommit(second);
    SeedProgress p = second.seedProgress();
    assertEquals("DONE", p.phase(), p.line());
    assertEquals(seed.id(), p.seedId(), "the seed it had begun");
    assertEquals(held - 1, p.chunksReused(), p.line());
    assertEquals(1, p.chunksRefetched(), p.line());
    assertEquals(seed.chunkCount() - held + 1, p.chunksFetched(), "only the missing and the damaged chunk: " + p.line());
    assertSameCatalogue(config, second);
    assertTrue(second.errors().isEmpty(), second.errors().toString());
  }

  @Test
  void aSeedCentralNoLongerHasIsDroppedForItsNewOne() throws Exception {
    ServerConfig config = startCentral();
    SeedManifest seed = seedThenCommitAfterIt();
    CuttingRelay relay = new CuttingRelay(config.endpoint(), seed.size() / 2);
    closeables.add(relay);
    Path data = tmp.resolve("node");
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, data, relay.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    PharmacyNode first = start(nc);
    await("the link cut half way through the seed", 60_000, relay::isCut, () -> String.valueOf(first.seedProgress()));
    first.stop();
    // two refreshes: central keeps the newest two seeds, so the one the node began is gone
    central.catalogueSeeds().refresh();
    SeedManifest newest = central.catalogueSeeds().refresh();

    relay.restore();
    PharmacyNode second = start(nc);
    awaitOnlineWithTheLaterCommit(second);
    SeedProgress p = second.seedProgress();
    assertEquals("DONE", p.phase(), p.line());
    assertEquals(newest.id(), p.seedId(), p.line());
    assertEquals(newest.chunkCount(), p.chunksFetched(), p.line());
    assertTrue(p.note() != null && p.note().contains("replaced"), p.line());
    assertSameCatalogue(config, second);
  }

  @Test
  void anInstallerSeedNeedsNoDownload() throws Exception {
    ServerConfig config = startCentral();
    SeedManifest seed = seedThenCommitAfterIt();
    Path installer = tmp.resolve("installer").resolve("catalogue.seed");
    Files.createDirectories(installer.getParent());
    Files.copy(central.catalogueSeeds().seedFile(seed), installer);
    // central serves no seed at all: whatever the node gets, it got from the installer's file
    central.security().serveSeeds(null);
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), config.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort()))).withInstallerSeed(installer);
    PharmacyNode node = start(nc);
    awaitOnlineWithTheLaterCommit(node);
    SeedProgress p = node.seedProgress();
    assertEquals("DONE", p.phase(), p.line());
    assertEquals(0, p.chunksFetched(), p.line());
    assertEquals(seed.id(), p.seedId());
    assertSameCatalogue(config, node);
    assertNull(p.note(), p.line());
  }

  @Test
  void centralWithoutASeedLeavesTheNodeToReplicateEverything() {
    ServerConfig config = startCentral();
    seedThenCommitAfterIt();
    central.security().serveSeeds(null);
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), config.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    PharmacyNode node = start(nc);
    awaitOnlineWithTheLaterCommit(node);
    SeedProgress p = node.seedProgress();
    assertEquals("NONE", p.phase(), p.line());
    assertNotNull(p.note());
    assertSameCatalogue(config, node);
  }

  /**
   * A TCP relay for the pharmacy's line that cuts it for good once {@code budget} bytes came from central: every
   * relayed connection closed, new ones closed as soon as accepted, until {@link #restore()}.
   */
  static final class CuttingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final Endpoint target;
    private final long budget;
    private final AtomicLong fromCentral = new AtomicLong();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean closed;

    CuttingRelay(Endpoint target, long budget) throws IOException {
      this.target = target;
      this.budget = budget;
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t = new Thread(this::acceptLoop, "cutting-relay");
      t.setDaemon(true);
      t.start();
    }

    Endpoint endpoint() {
      return new Endpoint("127.0.0.1", listener.getLocalPort());
    }

    boolean isCut() {
      return cut;
    }

    void restore() {
      fromCentral.set(Long.MIN_VALUE / 2);
      cut = false;
    }

    private void cutNow() {
      cut = true;
      for (Socket s : open) {
        closeQuietly(s);
      }
      open.clear();
    }

    private void acceptLoop() {
      while (!closed) {
        Socket client;
        try {
          client = listener.accept();
        } catch (IOException e) {
          return;
        }
        if (cut) {
          closeQuietly(client);
          continue;
        }
        try {
          Socket server = new Socket();
          server.connect(new InetSocketAddress(target.host(), target.port()), 2_000);
          open.add(client);
          open.add(server);
          pump(client, server, false);
          pump(server, client, true);
        } catch (IOException e) {
          closeQuietly(client);
        }
      }
    }

    private void pump(Socket from, Socket to, boolean counted) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[8 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          for (int n; (n = in.read(buf)) >= 0;) {
            if (counted && fromCentral.addAndGet(n) > budget) {
              cutNow();
              return;
            }
            out.write(buf, 0, n);
            out.flush();
          }
        } catch (IOException e) {
          // cut or closed
        } finally {
          closeQuietly(from);
          closeQuietly(to);
        }
      }, "cutting-relay-pump");
      t.setDaemon(true);
      t.start();
    }

    private static void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // closed already
      }
    }

    @Override
    public void close() throws IOException {
      closed = true;
      cutNow();
      listener.close();
    }
  }
}
