package org.apotheca.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueEditor;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.server.access.CentralClient;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * {@code ./apotheca bench catalogue}: a price change committed at central → visible in the catalogue of N pharmacy
 * nodes (N = 1, 10, 50 by default; all nodes in this JVM, each with its own Net4j container, clones on Derby, TCP
 * to central on loopback). Lag = from the start of central's commit (the console command) to the moment the node's ledger
 * sees the new price. With {@code --import N}: {@link CatalogueImportBench}.
 */
public final class CatalogueBench {

  private CatalogueBench() {
  }

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--import")) {
      CatalogueImportBench.main(args); // a catalogue file imported at central: docs/benchmarks.md
      return;
    }
    String nodesArg = "1,10,50";
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--nodes")) {
        nodesArg = args[i + 1];
      }
    }
    int changes = SyncBench.intArg(args, "--changes", 20);
    int products = SyncBench.intArg(args, "--products", 500);
    System.out.printf("bench catalogue: nodes=%s changes=%d products=%d java=%s cores=%d%n", nodesArg, changes, products,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    List<String> results = new ArrayList<>();
    for (String n : nodesArg.split(",")) {
      results.add(run(Integer.parseInt(n.trim()), changes, products));
    }
    results.forEach(System.out::println);
    System.exit(0);
  }

  private static String run(int n, int changes, int products) throws Exception {
    Path dir = Files.createTempDirectory("apotheca-bench-catalogue-" + n + "-");
    List<String> sites = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      sites.add(String.format("%04d", i));
    }
    ServerConfig cfg = ServerConfig.defaults(dir.resolve("central")).withEndpoint(new Endpoint("127.0.0.1", SyncBench.freePort()))
        .withSites(sites).withSampleProducts(products);
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    CentralServer central = new CentralServer(cfg, container).start();
    List<PharmacyNode> nodes = new ArrayList<>();
    long t0 = System.nanoTime();
    for (String site : sites) {
      NodeConfig nc = NodeConfig.of(site, dir.resolve("node-" + site), cfg.endpoint(), new Endpoint("127.0.0.1", SyncBench.freePort()));
      NodeIdentity.install(nc.secretsDir(), central.security().issueSite(site));
      PharmacyNode node = new PharmacyNode(nc).start();
      nodes.add(node);
    }
    for (PharmacyNode node : nodes) {
      if (!node.awaitReady(600_000)) {
        throw new IllegalStateException("node not ready: " + node.status().line());
      }
    }
    System.out.printf("N=%d: %d nodes started and ready in %.1f s%n", n, n, (System.nanoTime() - t0) / 1e9);
    String barcode = SampleCatalogue.barcode(1);
    long[] lags = new long[n * changes];
    int k = 0;
    try (CdoConnection c = CentralClient.open(central.security().issueStaffTool("bench"), cfg.endpoint(), Repositories.CATALOGUE); CatalogueEditor editor = new CatalogueEditor(c.session())) {
      for (int ch = 1; ch <= changes; ch++) {
        long price = 10_000 + ch;
        // from the start of the commit at central: the nodes are notified while central's commit is still returning
        long committed = System.nanoTime();
        editor.setPrice(barcode, price, "bench", "bench change " + ch);
        long[] seen = new long[n];
        int remaining = n;
        long deadline = committed + 30_000_000_000L;
        while (remaining > 0) {
          for (int i = 0; i < n; i++) {
            if (seen[i] == 0 && nodes.get(i).product(barcode).priceMinor() == price) {
              seen[i] = System.nanoTime() - committed;
              remaining--;
            }
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("change " + ch + " did not reach " + remaining + " of " + n + " nodes within 30 s");
          }
          Thread.onSpinWait();
        }
        for (long s : seen) {
          lags[k++] = s;
        }
        Thread.sleep(200); // let the clones settle between changes: one change at a time is what is measured
      }
    }
    for (PharmacyNode node : nodes) {
      node.stop();
    }
    central.stop();
    LifecycleUtil.deactivate(container);
    long[] sorted = Arrays.copyOf(lags, k);
    return String.format("RESULT N=%d nodes: price change at central -> visible at the node: p50 %.1f ms, p99 %.1f ms, max %.1f ms "
        + "(%d changes x %d nodes)%s", n, SyncBench.pct(sorted, 50), SyncBench.pct(sorted, 99), SyncBench.pct(sorted, 100),
        changes, n, n == 50 ? "   [target p99 <= 2 s at N = 50]" : "");
  }
}
