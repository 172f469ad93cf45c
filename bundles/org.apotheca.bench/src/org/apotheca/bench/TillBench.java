package org.apotheca.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.apotheca.node.remote.RemoteNodeService;
import org.apotheca.node.remote.TillTransport;
import org.apotheca.security.pki.Enrollment;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.sync.TillAccess;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.SampleStock;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * {@code ./apotheca bench till}: what the person at the till waits for, on real parts (central and the pharmacy node
 * in this JVM, Derby on disk, TCP on loopback), through the same {@link NodeService} the workbench calls: search as
 * you type over the whole catalogue, a scan priced and planned (the node's share of painting a basket line), a sale
 * paid (the node's commit), each in the node's own process and from a till across the LAN (the till protocol).
 * The workbench's own share (painting, cold start) is measured by the UI tests and reported beside these figures.
 */
public final class TillBench {

  private static final String SITE = "0001";

  private TillBench() {
  }

  public static void main(String[] args) throws Exception {
    int products = intArg(args, "--products", 100_000);
    int sales = intArg(args, "--sales", 300);
    Path dir = Files.createTempDirectory("apotheca-bench-till");
    System.out.printf("bench till: products=%d sales=%d dir=%s java=%s cores=%d%n", products, sales, dir,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

    ServerConfig cfg = ServerConfig.defaults(dir.resolve("central")).withEndpoint(new Endpoint("127.0.0.1", freePort()))
        .withSites(List.of(SITE)).withSampleProducts(products).withDemoUsers(true);
    long t0 = System.nanoTime();
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    CentralServer central = new CentralServer(cfg, container).start();
    System.out.printf("central with %d products: %.1f s%n", products, secs(t0));

    Endpoint tills = new Endpoint("127.0.0.1", freePort());
    t0 = System.nanoTime();
    NodeConfig nc = NodeConfig.of(SITE, dir.resolve("node"), cfg.endpoint(), tills);
    NodeIdentity.install(nc.secretsDir(), central.security().issueSite(SITE));
    PharmacyNode node = new PharmacyNode(nc).start();
    if (!node.awaitReady(900_000)) {
      throw new IllegalStateException("node not ready: " + node.status().line());
    }
    System.out.printf("node ready (first sync of the catalogue): %.1f s%n", secs(t0));
    SampleStock.receiveIfEmpty(node, 200);

    LocalNodeService local = new LocalNodeService(node, false);
    node.serveTills(local);
    TillAccess.Pairing pairing = node.tillAccess().pair("till-2");
    RemoteNodeService remote = new RemoteNodeService(tills.host() + ":" + tills.port(),
        TillTransport.tls(Enrollment.read(pairing.bundle(), pairing.oneTimePassword())));
    try {
      t0 = System.nanoTime();
      Session inProcess = local.login("till-1", "alice", "alice-demo".toCharArray());
      System.out.printf("login (PBKDF2, 600,000 iterations): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
      Session lan = remote.login("till-2", "bob", "bob-demo".toCharArray());

      List<String> typed = typing(local);
      report("search as you type, in process (" + typed.size() + " keystrokes over " + products + " products)",
          time(typed, q -> local.search(q, 50)), 30);
      report("search as you type, LAN till", time(typed, q -> remote.search(q, 50)), 30);

      List<String> counter = new ArrayList<>();
      for (int p = 0; p < 200; p++) {
        if (local.product(SampleCatalogue.barcode(p)).schedule().isEmpty()) {
          counter.add(SampleCatalogue.barcode(p)); // controlled drugs are dispensed, never sold at the till
        }
      }
      List<String> codes = new ArrayList<>();
      for (int i = 0; i < sales; i++) {
        codes.add(counter.get(i % counter.size()));
      }
      report("scan -> line priced and planned (quote), in process", time(codes, c -> local.quote(inProcess.token(), LineRequest.of(c, 1))), 50);
      report("scan -> line priced and planned (quote), LAN till", time(codes, c -> remote.quote(lan.token(), LineRequest.of(c, 1))), 50);
      java.util.Map<String, Quote> quotes = new java.util.HashMap<>();
      for (String c : codes) {
        quotes.computeIfAbsent(c, k -> local.quote(inProcess.token(), LineRequest.of(k, 1)));
      }
      report("pay -> sale durable (one-line sale written through to central), in process",
          time(codes, c -> sell(local, inProcess, quotes.get(c))), -1);
      report("pay -> sale durable, LAN till", time(codes, c -> sell(remote, lan, quotes.get(c))), -1);
      report("state() poll (status bar), LAN till", time(codes.subList(0, Math.min(200, codes.size())), c -> remote.state()), -1);
    } finally {
      remote.close();
      local.close();
      node.stop();
      central.stop();
      LifecycleUtil.deactivate(container);
    }
  }

  private static Object sell(NodeService service, Session s, Quote q) {
    return service.sell(s.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.cash(q.lineTotalMinor(), q.lineTotalMinor() + 500))));
  }

  /** Every prefix (2..12 characters) of product names as a pharmacist types them, and a few ingredient words. */
  private static List<String> typing(NodeService service) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ProductInfo p = service.product(SampleCatalogue.barcode(i * 97));
      String name = p.name().toLowerCase(Locale.ROOT);
      for (int n = 2; n <= Math.min(12, name.length()); n++) {
        result.add(name.substring(0, n));
      }
      String ingredient = p.ingredient().toLowerCase(Locale.ROOT);
      if (!ingredient.isBlank()) {
        result.add(ingredient.split("[ ,]")[0]);
      }
      result.add(p.barcode().substring(0, 9));
    }
    return result;
  }

  private interface Call {
    Object run(String arg);
  }

  private static long[] time(List<String> args, Call call) {
    for (int i = 0; i < Math.min(20, args.size()); i++) {
      call.run(args.get(i)); // warm-up: JIT and caches, as after the first minutes of a till's day
    }
    long[] ns = new long[args.size()];
    for (int i = 0; i < ns.length; i++) {
      long t = System.nanoTime();
      call.run(args.get(i));
      ns[i] = System.nanoTime() - t;
    }
    return ns;
  }

  private static void report(String what, long[] ns, double targetP95Ms) {
    long[] s = ns.clone();
    Arrays.sort(s);
    double p50 = s[s.length / 2] / 1e6;
    double p95 = s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.95) - 1)] / 1e6;
    double p99 = s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1e6;
    double max = s[s.length - 1] / 1e6;
    String verdict = targetP95Ms < 0 ? "" : p95 <= targetP95Ms ? String.format("  target p95 <= %.0f ms: met", targetP95Ms)
        : String.format("  target p95 <= %.0f ms: NOT met", targetP95Ms);
    System.out.printf("%s: n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms%s%n", what, s.length, p50, p95, p99, max, verdict);
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static int intArg(String[] args, String name, int def) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return def;
  }

  private static int freePort() throws IOException {
    return org.apotheca.security.tls.LoopbackPorts.free();
  }
}
