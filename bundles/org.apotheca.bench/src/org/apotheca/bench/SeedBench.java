package org.apotheca.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.Endpoint;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.CatalogueSeedMaker;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.SeedManifest;
import org.apotheca.sync.SeedProgress;
import org.apotheca.core.catalogue.CatalogueEditor;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * {@code ./apotheca bench seed}: a fresh pharmacy node's first sync from a catalogue seed (issue 14, item 5), on
 * real parts in this JVM (central with its seed maker, enrolled nodes, Derby on disk, TLS on loopback):
 * <ul>
 * <li>central's first seed (its clone's first replication, the snapshot, the packing);</li>
 * <li>a fresh node downloading central's seed: time to ready-to-sell and to ONLINE, with each phase;</li>
 * <li>a fresh node given the installer's seed file: the same without the download;</li>
 * <li>one catalogue commit made at central after the seed must reach each node (checked, not timed).</li>
 * </ul>
 */
public final class SeedBench {

  private SeedBench() {
  }

  public static void main(String[] args) throws Exception {
    int products = SyncBench.intArg(args, "--products", 100_000);
    int chunkMb = SyncBench.intArg(args, "--chunk-mb", 4);
    Path dir = Files.createTempDirectory("apotheca-bench-seed");
    System.out.printf("bench seed: products=%d chunk=%d MB dir=%s java=%s cores=%d%n", products, chunkMb, dir,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

    ServerConfig cfg = ServerConfig.defaults(dir.resolve("central")).withEndpoint(new Endpoint("127.0.0.1", SyncBench.freePort()))
        .withSites(List.of("0001", "0002")).withSampleProducts(products);
    long t0 = System.nanoTime();
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    CentralServer central = new CentralServer(cfg, container).withCatalogueSeeds(Duration.ZERO, chunkMb * 1024 * 1024).start();
    System.out.printf("seed central catalogue: %d products in %.1f s%n", products, secs(t0));
    CatalogueSeedMaker maker = central.catalogueSeeds();
    t0 = System.nanoTime();
    SeedManifest seed = maker.refresh();
    System.out.printf("RESULT central's first catalogue seed (its clone's first replication + snapshot + pack): %.1f s; "
        + "seed %.1f MB in %d chunk(s)%n", secs(t0), seed.size() / 1e6, seed.chunkCount());
    t0 = System.nanoTime();
    seed = maker.refresh();
    System.out.printf("RESULT refresh of the seed with nothing new at central: %.1f s (the clone started, caught up, stopped,"
        + " packed)%n", secs(t0));
    System.out.printf("       database packed: %s%n", sizeOfTree(CentralServer.seedDir(cfg).resolve("clone")));

    // a commit after the seed: the nodes must replicate it (and only the commits after the seed)
    CDONet4jSession s = central.openLocalSession(Repositories.CATALOGUE);
    try {
      new CatalogueEditor(s).addProduct("5099999999995", "After the seed", 1234, 2000, "bench");
    } finally {
      s.close();
    }

    run("from central's seed (download over TLS)", central, cfg, dir.resolve("node-download"), "0001", null);
    Path installerSeed = maker.seedFile(seed);
    run("from the installer's seed file", central, cfg, dir.resolve("node-installer"), "0002", installerSeed);

    central.stop();
    LifecycleUtil.deactivate(container);
    System.exit(0);
  }

  private static void run(String what, CentralServer central, ServerConfig cfg, Path data, String site, Path installerSeed)
      throws Exception {
    NodeConfig nc = NodeConfig.of(site, data, cfg.endpoint(), new Endpoint("127.0.0.1", SyncBench.freePort()))
        .withInstallerSeed(installerSeed);
    NodeIdentity.install(nc.secretsDir(), central.security().issueSite(site));
    long t0 = System.nanoTime();
    PharmacyNode node = new PharmacyNode(nc).start();
    // on a thread of its own: opening the ledger (the catalogue index of every product) blocks awaitReady below
    double[] catalogueOnline = { -1 };
    Thread watch = new Thread(() -> {
      while (catalogueOnline[0] < 0 && node.isRunning()) {
        try {
          if (node.state(Repositories.CATALOGUE) == PharmacyNode.State.ONLINE) {
            catalogueOnline[0] = secs(t0);
          }
          Thread.sleep(10);
        } catch (RuntimeException | InterruptedException e) {
          return;
        }
      }
    }, "bench-watch");
    watch.setDaemon(true);
    watch.start();
    Map<String, Double> phases = new LinkedHashMap<>();
    String last = "";
    double ready = -1;
    double online = -1;
    while (secs(t0) < 900) {
      SeedProgress p = node.seedProgress();
      String phase = p == null ? "-" : p.phase();
      if (!phase.equals(last)) {
        phases.put(phase, secs(t0));
        last = phase;
      }
      if (ready < 0 && node.awaitReady(30)) {
        ready = secs(t0);
      }
      if (node.state() == PharmacyNode.State.ERROR) {
        System.out.println("check: the node failed: " + node.status().line() + " " + node.errors());
        System.exit(1);
      }
      if (online < 0 && node.state() == PharmacyNode.State.ONLINE && node.product("5099999999995") != null) {
        online = secs(t0);
      }
      if (ready >= 0 && online >= 0) {
        break;
      }
      Thread.sleep(20);
    }
    SeedProgress p = node.seedProgress();
    System.out.printf("RESULT fresh node %s: ready to sell %.1f s, ONLINE with the commit made after the seed %.1f s"
        + "   [target <= %d s]%n", what, ready, online, installerSeed == null ? 30 : 10);
    StringBuilder b = new StringBuilder();
    Double prev = null;
    String prevName = null;
    for (Map.Entry<String, Double> e : phases.entrySet()) {
      if (prevName != null) {
        b.append(String.format("%s %.1f s, ", prevName, e.getValue() - prev));
      }
      prev = e.getValue();
      prevName = e.getKey();
    }
    System.out.printf("       phases (from node start): %s%s until the end; catalogue clone ONLINE (caught up) at %.1f s,"
        + " then the node's ledger opens (catalogue index of every product)%n", b, prevName, catalogueOnline[0]);
    System.out.printf("       %s%n", p == null ? "no seed used" : p.line());
    if (online < 0) {
      System.out.println("check: the node did not get the commit made after the seed: " + node.status().line());
      System.exit(1);
    }
    System.out.printf("check: the node holds the product committed after the seed: OK (%s)%n", node.status().line());
    node.stop();
  }

  private static String sizeOfTree(Path dir) throws Exception {
    long[] total = new long[1];
    try (var walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).forEach(f -> {
        try {
          total[0] += Files.size(f);
        } catch (Exception e) {
          // ignore
        }
      });
    }
    return String.format("%.1f MB", total[0] / 1e6);
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
