package org.apotheca.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.server.access.CentralClient;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.eclipse.emf.cdo.session.CDOSessionInvalidationEvent;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * {@code ./apotheca bench sync}: the figures issue 3 asks for, measured on real parts (central + node in this JVM,
 * each with its own Net4j container, Derby on disk, TCP on loopback):
 * offline sale commit latency, online sale → visible in another central session, catch-up of N offline sales
 * after central comes back, initial clone of a large catalogue.
 */
public final class SyncBench {

  private static final String SITE = "0001";

  private SyncBench() {
  }

  public static void main(String[] args) throws Exception {
    int products = intArg(args, "--products", 100_000);
    int offlineSales = intArg(args, "--offline", 1_000);
    int onlineSales = intArg(args, "--online", 200);
    Path dir = Files.createTempDirectory("apotheca-bench-sync");
    System.out.printf("bench sync: products=%d onlineSales=%d offlineSales=%d dir=%s java=%s cores=%d%n", products,
        onlineSales, offlineSales, dir, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

    ServerConfig cfg = ServerConfig.defaults(dir.resolve("central")).withEndpoint(new Endpoint("127.0.0.1", freePort()))
        .withSites(List.of(SITE)).withSampleProducts(products);
    long t0 = System.nanoTime();
    CentralServer central = startCentral(cfg);
    System.out.printf("seed central catalogue: %d products in %.1f s%n", products, secs(t0));

    NodeConfig nc = NodeConfig.of(SITE, dir.resolve("node"), cfg.endpoint(), new Endpoint("127.0.0.1", freePort()));
    NodeIdentity.install(nc.secretsDir(), central.security().issueSite(SITE));
    t0 = System.nanoTime();
    PharmacyNode node = new PharmacyNode(nc).start();
    if (!node.awaitReady(900_000)) {
      throw new IllegalStateException("node not ready: " + node.status().line());
    }
    double cloneSecs = secs(t0);
    System.out.printf("RESULT initial clone of %d products (fresh node to ready): %.1f s   [target <= 60 s]%n", products, cloneSecs);

    LocalDate expiry = LocalDate.now().plusYears(1);
    for (int p = 0; p < 10; p++) {
      node.receive("receiving", SampleCatalogue.barcode(p), "B" + p, expiry.toString(), 5_000, 10);
    }

    // online: a sale is written through; "visible" = another session on central gets the commit notification
    CdoConnection watcher = CentralClient.open(central.security().issueStaffTool("bench"), cfg.endpoint(), Repositories.siteRepository(SITE));
    LinkedBlockingQueue<Long> seen = new LinkedBlockingQueue<>();
    watcher.session().options().setPassiveUpdateEnabled(true);
    watcher.session().addListener(e -> {
      if (e instanceof CDOSessionInvalidationEvent ie && ie.isRemote()) {
        seen.add(System.nanoTime());
      }
    });
    long[] lag = new long[onlineSales];
    long[] sell = new long[onlineSales];
    for (int i = 0; i < onlineSales; i++) {
      seen.clear();
      long s = System.nanoTime();
      node.sell("till-1", "bench", SampleCatalogue.barcode(i % 10), 1);
      sell[i] = System.nanoTime() - s;
      Long at = seen.poll(10, TimeUnit.SECONDS);
      if (at == null) {
        throw new IllegalStateException("online sale " + i + " not seen at central within 10 s");
      }
      lag[i] = at - s;
    }
    System.out.printf("RESULT online sale -> visible in another central session: p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)"
        + "   [target lag <= 2 s]%n", pct(lag, 50), pct(lag, 99), pct(lag, 100), onlineSales);
    System.out.printf("       online sale commit (write-through) at the till: p50 %.1f ms, p99 %.1f ms%n", pct(sell, 50), pct(sell, 99));
    watcher.close();

    stopCentral(central);
    await(() -> node.state() == PharmacyNode.State.OFFLINE, 30_000, "node OFFLINE");
    long[] off = new long[offlineSales];
    for (int i = 0; i < offlineSales; i++) {
      long s = System.nanoTime();
      node.sell(i % 2 == 0 ? "till-1" : "till-2", "bench", SampleCatalogue.barcode(i % 10), 1);
      off[i] = System.nanoTime() - s;
    }
    System.out.printf("RESULT offline sale commit on the node (durable in Derby): p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)"
        + "   [targets p50 <= 5 ms, p99 <= 20 ms]%n", pct(off, 50), pct(off, 99), pct(off, 100), offlineSales);

    t0 = System.nanoTime();
    central = startCentral(cfg.withSampleProducts(0));
    double restart = secs(t0);
    long t1 = System.nanoTime();
    await(() -> node.state() == PharmacyNode.State.ONLINE, 120_000, "node ONLINE");
    double reconnect = secs(t1);
    long t2 = System.nanoTime();
    await(() -> node.status().pendingCommits() == 0 && node.status().branch().equals("MAIN"), 300_000, "merge");
    double merge = secs(t2);
    System.out.printf("RESULT catch-up of %d offline sales after central is back: %.1f s (central start %.1f s not counted; "
        + "node reconnect %.1f s + merge %.1f s)   [target <= 10 s]%n", offlineSales, reconnect + merge, restart, reconnect, merge);

    try (CdoConnection c = CentralClient.open(central.security().issueStaffTool("bench"), cfg.endpoint(), Repositories.siteRepository(SITE))) {
      SalesReader.Summary s = SalesReader.summary(c.session().openView(), SITE);
      int expected = onlineSales + offlineSales;
      System.out.printf("check: central has %d sales (expected %d): %s%n", s.count(), expected, s.count() == expected ? "OK" : "MISMATCH");
      if (s.count() != expected) {
        System.exit(1);
      }
    }
    node.stop();
    stopCentral(central);
    System.exit(0);
  }

  private static CentralServer startCentral(ServerConfig cfg) {
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    return new CentralServer(cfg, container).start();
  }

  private static void stopCentral(CentralServer server) {
    server.stop();
    LifecycleUtil.deactivate(server.container());
  }

  private static void await(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  static double pct(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int i = Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1));
    return sorted[i] / 1e6;
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static int intArg(String[] args, String name, int def) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return def;
  }

  static int freePort() throws IOException {
    return org.apotheca.security.tls.LoopbackPorts.free();
  }
}
