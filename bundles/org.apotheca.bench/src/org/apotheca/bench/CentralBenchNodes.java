package org.apotheca.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apotheca.core.ledger.SaleReceipt;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeStatus;
import org.apotheca.sync.PharmacyNode;

/**
 * A process of {@code bench central} holding several pharmacy nodes (the product's {@link PharmacyNode}, each with
 * its own Net4j container, two encrypted Derby clones and its TLS links to central). Each node sells one pack every
 * few seconds once told to; a watcher notes when each node's catalogue shows central's price changes.
 * <p>
 * Commands: {@code start <site>...}, {@code sell <every-ms>}, {@code mark} (starts a measurement window),
 * {@code report} (the window's sales, failures and price sightings; every node's state), {@code stopsell},
 * {@code settle <seconds>}, {@code sold}, {@code stats}, {@code quit}.
 */
public final class CentralBenchNodes {

  private final Endpoint central;
  private final Path dir;
  private final Map<String, PharmacyNode> nodes = new ConcurrentHashMap<>();
  private final Map<String, Long> seenPrice = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> sold = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> selling = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sellers = Executors.newScheduledThreadPool(8, r -> daemon(r, "bench-seller"));
  private final ExecutorService starters = Executors.newFixedThreadPool(4, r -> daemon(r, "bench-starter"));
  private final ConcurrentLinkedQueue<String> sales = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> prices = new ConcurrentLinkedQueue<>();
  private final AtomicLong failed = new AtomicLong();
  private volatile long sellEveryMs;

  private CentralBenchNodes(Endpoint central, Path dir) {
    this.central = central;
    this.dir = dir;
  }

  static Path nodeDir(Path nodesDir, String site) {
    return nodesDir.resolve("node-" + site);
  }

  /** The product each node sells: not the one whose price central changes. */
  static String saleBarcode(String site) {
    return SampleCatalogue.barcode(1 + Integer.parseInt(site) % 9);
  }

  public static void main(String[] args) throws Exception {
    BenchChild.prepare();
    CentralBenchNodes bench = new CentralBenchNodes(new Endpoint("127.0.0.1", Integer.parseInt(args[1])), Path.of(args[0]));
    Thread watcher = new Thread(bench::watchPrices, "bench-price-watcher");
    watcher.setDaemon(true);
    watcher.start();
    BenchChild.serve(bench::run);
  }

  private static int freePort() {
    try {
      return SyncBench.freePort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private boolean run(String[] w) throws Exception {
    switch (w[0]) {
    case "start" -> start(List.of(w).subList(1, w.length));
    case "sell" -> {
      sellEveryMs = Long.parseLong(w[1]);
      nodes.keySet().forEach(this::scheduleSelling);
    }
    case "mark" -> {
      sales.clear();
      failures.clear();
      prices.clear();
      failed.set(0);
    }
    case "report" -> report();
    case "stopsell" -> stopSelling();
    case "settle" -> settle(Integer.parseInt(w[1]));
    case "sold" -> sold.forEach((site, n) -> BenchChild.reply("sold " + site + " " + n.get()));
    case "stats" -> BenchChild.reply("stats " + BenchChild.stats() + " nodes=" + nodes.size());
    case "warnings" -> BenchChild.replyWarnings();
    case "quit" -> {
      stopSelling();
      List<Future<?>> stops = new ArrayList<>();
      nodes.values().forEach(n -> stops.add(starters.submit(n::stop)));
      for (Future<?> f : stops) {
        f.get(60, TimeUnit.SECONDS);
      }
      return false;
    }
    default -> throw new IllegalArgumentException("unknown command " + w[0]);
    }
    return true;
  }

  /** Starts the nodes (enrolled by central beforehand), waits until each has its first sync, gives each stock. */
  private void start(List<String> sites) throws Exception {
    long t0 = System.nanoTime();
    List<Future<String>> done = new ArrayList<>();
    for (String site : sites) {
      done.add(starters.submit(() -> startOne(site)));
    }
    int ok = 0;
    for (int i = 0; i < sites.size(); i++) {
      String failure;
      try {
        failure = done.get(i).get(20, TimeUnit.MINUTES);
      } catch (Exception e) {
        failure = CdoClient.rootMessage(e);
      }
      if (failure == null) {
        ok++;
      } else {
        BenchChild.reply("startfail " + sites.get(i) + " " + failure.replace('\n', ' '));
      }
    }
    BenchChild.reply("started ok=" + ok + " failed=" + (sites.size() - ok) + " secs=" + (System.nanoTime() - t0) / 1_000_000_000.0);
  }

  private String startOne(String site) throws InterruptedException {
    NodeConfig nc = NodeConfig.of(site, nodeDir(dir, site), central, new Endpoint("127.0.0.1", freePort()));
    PharmacyNode node = new PharmacyNode(nc).start();
    if (!node.awaitReady(15 * 60_000)) {
      return "not ready after 15 min: " + node.status().line();
    }
    String expiry = LocalDate.now().plusYears(2).toString();
    for (int attempt = 0;; attempt++) {
      try {
        node.receive("receiving", saleBarcode(site), "L" + site, expiry, 9_999, 100);
        break;
      } catch (RuntimeException notYet) { // the catalogue index may still be filling right after ready
        if (attempt > 600) {
          return "stock not received: " + notYet.getMessage();
        }
        Thread.sleep(100);
      }
    }
    sold.put(site, new AtomicInteger());
    nodes.put(site, node);
    if (sellEveryMs > 0) {
      scheduleSelling(site);
    }
    return null;
  }

  private void scheduleSelling(String site) {
    selling.computeIfAbsent(site, s -> sellers.scheduleWithFixedDelay(() -> sellOnce(s),
        ThreadLocalRandom.current().nextLong(sellEveryMs), sellEveryMs, TimeUnit.MILLISECONDS));
  }

  private void sellOnce(String site) {
    PharmacyNode node = nodes.get(site);
    long t0 = System.nanoTime();
    try {
      SaleReceipt r = node.sell("till-1", "bench", saleBarcode(site), 1);
      sold.get(site).incrementAndGet();
      sales.add(site + " " + r.receiptNumber() + " " + t0 + " " + System.nanoTime() + " " + (r.offline() ? "offline" : "online"));
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      if (failures.size() < 20) {
        failures.add(site + " " + CdoClient.rootMessage(e).replace('\n', ' '));
      }
    }
  }

  private void stopSelling() throws InterruptedException {
    selling.values().forEach(f -> f.cancel(false));
    selling.clear();
    sellEveryMs = 0;
    // let sales in progress finish: each is one write-through
    Thread.sleep(2_000);
  }

  /** Notes each node's price of the changing product whenever it differs from what it showed before. */
  private void watchPrices() {
    String barcode = SampleCatalogue.barcode(CentralBenchServer.PRICE_PRODUCT);
    while (true) {
      for (Map.Entry<String, PharmacyNode> e : nodes.entrySet()) {
        try {
          ProductInfo p = e.getValue().product(barcode);
          long now = System.nanoTime();
          if (p != null && !Long.valueOf(p.priceMinor()).equals(seenPrice.get(e.getKey()))) {
            seenPrice.put(e.getKey(), p.priceMinor());
            prices.add(e.getKey() + " " + p.priceMinor() + " " + now);
          }
        } catch (RuntimeException notReady) {
          // a node that is stopping or not ready: nothing to see
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void report() {
    for (String s; (s = sales.poll()) != null;) {
      BenchChild.reply("sale " + s);
    }
    BenchChild.reply("failed " + failed.get());
    for (String f; (f = failures.poll()) != null;) {
      BenchChild.reply("failure " + f);
    }
    for (String p; (p = prices.poll()) != null;) {
      BenchChild.reply("price " + p);
    }
    nodes.forEach((site, node) -> {
      NodeStatus st = node.status();
      BenchChild.reply("node " + site + " " + st.state() + " pending=" + st.pendingCommits() + " replicationErrors="
          + node.errors().size() + (st.lastError() == null ? "" : " error=" + st.lastError().replace('\n', ' ')));
    });
  }

  /** Waits until every node is ONLINE with nothing left to merge. */
  private void settle(int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      boolean all = true;
      for (PharmacyNode n : nodes.values()) {
        NodeStatus st = n.status();
        all &= st.state() == PharmacyNode.State.ONLINE && st.pendingCommits() == 0;
      }
      if (all) {
        BenchChild.reply("settled yes");
        return;
      }
      Thread.sleep(200);
    }
    BenchChild.reply("settled no");
  }
}
