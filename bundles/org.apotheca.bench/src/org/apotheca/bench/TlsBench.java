package org.apotheca.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.server.access.CentralClient;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.sync.PharmacyNode;
import org.eclipse.emf.cdo.session.CDOSessionInvalidationEvent;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * {@code ./apotheca bench tls}: what TLS costs a pharmacy's online sales, side by side in one run. Two stacks, each a
 * central server and an enrolled node on 127.0.0.1, one after the other in this JVM: one in TLS 1.3 (the product), one
 * in the development mode's plain TCP. Per sale: the write-through commit at the till and the lag until another
 * session on central is told of it; then as many sales as it takes in a fixed time, back to back (commits/s).
 */
public final class TlsBench {


  private TlsBench() {
  }

  private record Stack(String name, CentralServer central, PharmacyNode node, CdoConnection watcher,
      LinkedBlockingQueue<Long> seen) implements AutoCloseable {
    @Override
    public void close() {
      watcher.close();
      node.stop();
      central.stop();
      LifecycleUtil.deactivate(central.container());
    }
  }

  public static void main(String[] args) {
    try {
      run(args);
      System.exit(0);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1); // the stacks' threads would keep a failed run alive
    }
  }

  private static void run(String[] args) throws Exception {
    int sales = SyncBench.intArg(args, "--sales", 500);
    int warmup = SyncBench.intArg(args, "--warmup", 100);
    int seconds = SyncBench.intArg(args, "--seconds", 20);
    Path dir = Files.createTempDirectory("apotheca-bench-tls");
    System.out.printf("bench tls: sales=%d (after %d warm-up) each, throughput %d s each, dir=%s java=%s cores=%d%n", sales,
        warmup, seconds, dir, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    // one stack after the other in this JVM, so that one stack's load is not in the other's figures
    String[] names = { "TLS 1.3", "plain TCP" };
    long[][] lag = new long[2][];
    long[][] commit = new long[2][];
    double[] rate = new double[2];
    for (int j = 0; j < 2; j++) {
      try (Stack stack = stack(names[j], dir.resolve(j == 0 ? "tls" : "plain"), j == 1, "0001")) {
        lag[j] = new long[sales];
        commit[j] = new long[sales];
        for (int i = -warmup; i < sales; i++) {
          long[] m = sellOnce(stack, i);
          if (i >= 0) {
            commit[j][i] = m[0];
            lag[j][i] = m[1];
          }
        }
        rate[j] = throughput(stack, seconds);
      }
    }
    for (int j = 0; j < 2; j++) {
      System.out.printf("RESULT %-9s online sale: commit at the till p50 %.2f ms p95 %.2f ms p99 %.2f ms; lag to another central "
          + "session p50 %.2f ms p95 %.2f ms p99 %.2f ms (n=%d)%n", names[j], SyncBench.pct(commit[j], 50),
          SyncBench.pct(commit[j], 95), SyncBench.pct(commit[j], 99), SyncBench.pct(lag[j], 50), SyncBench.pct(lag[j], 95),
          SyncBench.pct(lag[j], 99), sales);
    }
    double lagRatio = SyncBench.pct(lag[0], 50) / SyncBench.pct(lag[1], 50);
    System.out.printf("RESULT TLS / plain, lag p50: %+.1f %%   [target <= +10 %%: %s]%n", (lagRatio - 1) * 100,
        lagRatio <= 1.10 ? "met" : "NOT met");
    System.out.printf("RESULT commits/s, one till selling back to back for %d s: TLS %.1f, plain %.1f (TLS %+.1f %%)%n", seconds,
        rate[0], rate[1], (rate[0] / rate[1] - 1) * 100);
  }

  /** @return {commit at the till, lag until central's other session is told}, in nanoseconds */
  private static long[] sellOnce(Stack s, int i) throws InterruptedException {
    s.seen().clear();
    long t0 = System.nanoTime();
    s.node().sell("till-1", "bench", SampleCatalogue.barcode(Math.floorMod(i, 10)), 1);
    long done = System.nanoTime();
    Long at = s.seen().poll(10, TimeUnit.SECONDS);
    if (at == null) {
      throw new IllegalStateException(s.name() + ": online sale " + i + " not seen at central within 10 s");
    }
    return new long[] { done - t0, at - t0 };
  }

  private static double throughput(Stack s, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long t0 = System.nanoTime();
    int n = 0;
    while (System.nanoTime() < end) {
      s.node().sell("till-1", "bench", SampleCatalogue.barcode(n % 10), 1);
      n++;
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  /** @param site the stack's pharmacy */
  private static Stack stack(String name, Path dir, boolean plain, String site) throws Exception {
    ServerConfig cfg = ServerConfig.defaults(dir.resolve("central")).withEndpoint(new Endpoint("127.0.0.1", SyncBench.freePort()))
        .withSites(List.of(site)).withSampleProducts(100).withPlainTcp(plain);
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    CentralServer central = new CentralServer(cfg, container).start();
    NodeConfig nc = NodeConfig.of(site, dir.resolve("node"), cfg.endpoint(), new Endpoint("127.0.0.1", SyncBench.freePort()))
        .withPlainTcp(plain);
    if (!plain) {
      NodeIdentity.install(nc.secretsDir(), central.security().issueSite(site));
    }
    PharmacyNode node = new PharmacyNode(nc).start();
    if (!node.awaitReady(300_000)) {
      throw new IllegalStateException(name + ": node not ready: " + node.status().line());
    }
    LocalDate expiry = LocalDate.now().plusYears(1);
    for (int p = 0; p < 10; p++) {
      for (int attempt = 0;; attempt++) {
        try {
          node.receive("receiving", SampleCatalogue.barcode(p), "B" + p, expiry.toString(), 9_000, 10);
          break;
        } catch (RuntimeException notYet) { // the catalogue index may still be filling right after ready
          if (attempt > 300) {
            throw notYet;
          }
          Thread.sleep(100);
        }
      }
    }
    CdoConnection watcher = plain ? CdoConnection.open(cfg.endpoint(), Repositories.siteRepository(site))
        : CentralClient.open(central.security().issueStaffTool("bench"), cfg.endpoint(), Repositories.siteRepository(site));
    LinkedBlockingQueue<Long> seen = new LinkedBlockingQueue<>();
    watcher.session().options().setPassiveUpdateEnabled(true);
    watcher.session().addListener(e -> {
      if (e instanceof CDOSessionInvalidationEvent ie && ie.isRemote()) {
        seen.add(System.nanoTime());
      }
    });
    System.out.printf("%s stack ready: central %s, node %s%n", name, cfg.endpoint(), node.state());
    return new Stack(name, central, node, watcher, seen);
  }
}
