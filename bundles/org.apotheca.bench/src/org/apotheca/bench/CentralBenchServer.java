package org.apotheca.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueEditor;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeIdentity;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;

/**
 * {@code bench central}'s central server, in a process of its own so that its heap and threads are its own: the
 * product's {@link CentralServer} (TLS 1.3, Derby), with a commit handler on every site repository that notes when
 * each sale commit is done at central, and a thread that changes a price every few seconds.
 * <p>
 * Commands: {@code addsites <nodes-dir> <site>...} (opens the sites' repositories and enrolls each node: its identity
 * into the node's secrets directory), {@code stats}, {@code prices <every-ms>}, {@code pricesstop}, {@code commits},
 * {@code count <site>...}, {@code quit}.
 */
public final class CentralBenchServer {

  /** The product whose price central keeps changing; the nodes sell other products. */
  static final int PRICE_PRODUCT = 0;
  static final long PRICE_BASE = 900_000;

  private final CentralServer central;
  private final ConcurrentLinkedQueue<String> commits = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> changes = new ConcurrentLinkedQueue<>();
  private final AtomicLong saleCommits = new AtomicLong();
  private volatile Thread pricer;
  private long seq;

  private CentralBenchServer(CentralServer central) {
    this.central = central;
  }

  public static void main(String[] args) throws Exception {
    BenchChild.prepare();
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int products = Integer.parseInt(args[2]);
    ServerConfig cfg = ServerConfig.defaults(dir).withEndpoint(new Endpoint("127.0.0.1", port)).withSampleProducts(products);
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    CentralBenchServer bench = new CentralBenchServer(new CentralServer(cfg, container).start());
    BenchChild.serve(bench::run);
  }

  private boolean run(String[] w) throws Exception {
    switch (w[0]) {
    case "addsites" -> addSites(Path.of(w[1]), List.of(w).subList(2, w.length));
    case "stats" -> {
      BenchChild.reply("stats " + BenchChild.stats() + " sites=" + central.siteIds().size() + " saleCommits=" + saleCommits.get());
      threadKinds().forEach((k, n) -> BenchChild.reply("threads " + n + " " + k));
    }
    case "prices" -> startPrices(Long.parseLong(w[1]));
    case "pricesstop" -> stopPrices();
    case "commits" -> {
      for (String c; (c = commits.poll()) != null;) {
        BenchChild.reply("commit " + c);
      }
    }
    case "count" -> count(List.of(w).subList(1, w.length));
    case "warnings" -> BenchChild.replyWarnings();
    case "quit" -> {
      stopPrices();
      central.stop();
      return false;
    }
    default -> throw new IllegalArgumentException("unknown command " + w[0]);
    }
    return true;
  }

  private void addSites(Path nodesDir, List<String> sites) throws Exception {
    long repos = 0;
    long enroll = 0;
    for (String site : sites) {
      long t0 = System.nanoTime();
      central.addSite(site);
      long t1 = System.nanoTime();
      repos += t1 - t0;
      central.repositories().get(Repositories.siteRepository(site)).addCommitInfoHandler(info -> {
        String comment = info.getComment();
        if (comment != null && comment.startsWith("sale ")) {
          saleCommits.incrementAndGet();
          commits.add(site + " " + comment.substring(5) + " " + System.nanoTime());
        }
      });
      // what an operator does with an enrollment bundle, done at once (the bundle's password step is not measured)
      NodeConfig nc = NodeConfig.of(site, CentralBenchNodes.nodeDir(nodesDir, site), central.config().endpoint(),
          new Endpoint("127.0.0.1", 1));
      NodeIdentity.install(nc.secretsDir(), central.security().issueSite(site));
      enroll += System.nanoTime() - t1;
    }
    BenchChild.reply("added repositoryMs=" + repos / 1_000_000 + " enrollMs=" + enroll / 1_000_000);
  }

  /** Live threads by name with the digits taken out: what the threads per site are. */
  private static Map<String, Integer> threadKinds() {
    Map<String, Integer> kinds = new TreeMap<>();
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      kinds.merge(t.getThreadName().replaceAll("[0-9]+", "#").replaceAll("\\s+", "_"), 1, Integer::sum);
    }
    return kinds;
  }

  private synchronized void startPrices(long everyMs) throws InterruptedException {
    stopPrices();
    Thread t = new Thread(() -> {
      CDONet4jSession session = central.openLocalSession(Repositories.CATALOGUE);
      try (CatalogueEditor editor = new CatalogueEditor(session)) {
        while (pricer == Thread.currentThread()) {
          long n = ++seq;
          long t0 = System.nanoTime();
          editor.setPrice(SampleCatalogue.barcode(PRICE_PRODUCT), PRICE_BASE + n, "bench", "bench change " + n);
          changes.add(n + " " + t0 + " " + System.nanoTime());
          for (long end = System.nanoTime() + everyMs * 1_000_000; pricer == Thread.currentThread() && System.nanoTime() < end;) {
            Thread.sleep(10); // never interrupted: an interrupt inside a CDO commit would fail it
          }
        }
      } catch (InterruptedException | RuntimeException e) {
        e.printStackTrace();
        changes.add("failed " + e.getMessage());
      } finally {
        session.close();
      }
    }, "bench-prices");
    pricer = t;
    t.start();
  }

  private synchronized void stopPrices() throws InterruptedException {
    Thread t = pricer;
    pricer = null;
    if (t != null) {
      t.join(30_000);
    }
    for (String c; (c = changes.poll()) != null;) {
      BenchChild.reply("change " + c);
    }
  }

  private void count(List<String> sites) {
    for (String site : sites) {
      CDONet4jSession session = central.openLocalSession(Repositories.siteRepository(site));
      try {
        BenchChild.reply("count " + site + " " + SalesReader.summary(session.openView(), site).count());
      } finally {
        session.close();
      }
    }
  }
}
