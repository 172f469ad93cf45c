package org.apotheca.sync.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.server.ServerConfig;
import org.apotheca.server.access.CentralClient;
import org.apotheca.server.access.CentralSecurity;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.model.Sale;
import org.apotheca.model.SalesDay;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * Real processes for the fault-injection tests: central ({@code ServerMain}) and pharmacy nodes ({@code NodeMain})
 * in child JVMs with their Derby data on disk under one test directory, and what the tests read back.
 */
final class Stack implements AutoCloseable {

  static final Duration COMMAND = Duration.ofSeconds(60);

  final Path dir;
  final int centralPort;
  final List<String> sites;
  private final List<ChildJvm> children = new ArrayList<>();
  private final List<LinkRelay> relays = new ArrayList<>();
  ChildJvm central;

  /** Logs outlive the test's temporary directory: under the test runtime's working directory (target/...). */
  final Path logs;

  Stack(Path dir, List<String> sites, int products) throws IOException {
    this.dir = dir;
    this.logs = Path.of(System.getProperty("user.dir"), "target", "fault-logs", dir.getFileName().toString());
    this.sites = sites;
    this.centralPort = freePort();
    Files.writeString(dir.resolve("server.properties"), "server.host=127.0.0.1\nserver.port=" + centralPort
        + "\nconsole.port=0\ndata.dir=central\nsites=" + String.join(",", sites) + "\nsample.products=" + products + "\n",
        StandardCharsets.UTF_8);
  }

  Endpoint centralEndpoint() {
    return new Endpoint("127.0.0.1", centralPort);
  }

  ChildJvm startCentral() throws IOException {
    central = track(ChildJvm.start("central", logs, "org.apotheca.server.ServerMain", "--config",
        dir.resolve("server.properties").toString()));
    return central;
  }

  LinkRelay relay() throws IOException {
    LinkRelay r = new LinkRelay(centralEndpoint());
    relays.add(r);
    return r;
  }

  /**
   * Starts the node of {@code site} talking to {@code central} (central itself or a relay; null: as configured
   * before, for a restart) and waits until it is serving.
   */
  ChildJvm startNode(String site, Endpoint central, int sampleStock) throws IOException {
    Path cfg = dir.resolve("site-" + site + ".properties");
    if (!Files.exists(cfg) || central != null) {
      Files.writeString(cfg, "site.id=" + site + "\ndata.dir=node-" + site + "\ncentral=" + central + "\ntills=127.0.0.1:"
          + freePort() + "\nconsole.port=0\nretry.seconds=1\nsample.stock=" + sampleStock + "\n", StandardCharsets.UTF_8);
    }
    Path secrets = dir.resolve("node-" + site + "-secrets"); // NodeConfig.secretsDir() of data.dir=node-<site>
    if (NodeIdentity.load(secrets).isEmpty()) {
      NodeIdentity.install(secrets, authority().issueSite(site)); // as ./apotheca site --enroll would
    }
    return track(ChildJvm.start("node-" + site, logs, "org.apotheca.sync.NodeMain", "--config", cfg.toString()));
  }

  /** Central's certificate authority, opened from its directory on this machine's disk (central runs in a child). */
  CentralSecurity authority() {
    return new CentralSecurity(ServerConfig.defaultSecurityDir(dir.resolve("central")), site -> true, Clock.systemUTC());
  }

  private ChildJvm track(ChildJvm jvm) {
    children.add(jvm);
    return jvm;
  }

  /** One sale as the till saw it. */
  record Sold(String id, long total, boolean offline) {
    static Sold parse(String line) {
      Map<String, String> kv = keyValues(line);
      return new Sold(kv.get("id"), Long.parseLong(kv.get("total")), "yes".equals(kv.get("offline")));
    }
  }

  static Sold sell(ChildJvm node, String barcode, int quantity, String till) throws IOException {
    List<String> reply = node.command("sell " + barcode + " " + quantity + " --till " + till, COMMAND);
    return Sold.parse(reply.get(0));
  }

  static Map<String, String> keyValues(String line) {
    Map<String, String> kv = new HashMap<>();
    for (String w : line.split(" ")) {
      int eq = w.indexOf('=');
      if (eq > 0) {
        kv.put(w.substring(0, eq), w.substring(eq + 1));
      }
    }
    return kv;
  }

  static Map<String, String> status(ChildJvm node) throws IOException {
    return keyValues(node.command("status", COMMAND).get(0));
  }

  /** Waits until the node is ONLINE on MAIN with nothing left to merge. */
  static void awaitMerged(ChildJvm node, Duration timeout) throws Exception {
    await("node merged and back on MAIN", timeout, () -> {
      try {
        Map<String, String> s = status(node);
        return "ONLINE".equals(s.get("state")) && "0".equals(s.get("pending")) && "MAIN".equals(s.get("branch"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, () -> {
      try {
        return node.command("status", COMMAND).get(0);
      } catch (IOException e) {
        return e.toString();
      }
    });
  }

  /** Sale id → how many times it is at central (a sale must be there exactly once), and the total. */
  record Ledger(Map<String, Integer> ids, long total) {
    int count() {
      return ids.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  Ledger atCentral(String site) {
    try (CdoConnection c = CentralClient.open(authority().issueStaffTool("tests"), centralEndpoint(), Repositories.siteRepository(site))) {
      CDOView view = c.session().openView();
      Map<String, Integer> ids = new LinkedHashMap<>();
      long total = 0;
      for (SalesDay day : SalesReader.journals(view, site)) {
        for (Sale s : day.getSales()) {
          ids.merge(s.getId(), 1, Integer::sum);
          total += s.getTotalMinor();
        }
      }
      return new Ledger(ids, total);
    }
  }

  /**
   * The exactly-once check: every sale the till was told is done is at central exactly once, nothing is there
   * twice, and a sale the till was told failed is there at most once (central may have taken it just before the
   * link died). Returns central's ledger.
   */
  Ledger assertExactlyOnce(String site, Map<String, Sold> acked, List<String> failedIds) {
    Ledger c = atCentral(site);
    List<String> lost = new ArrayList<>();
    for (String id : acked.keySet()) {
      if (!c.ids().containsKey(id)) {
        lost.add(id);
      }
    }
    assertEquals(List.of(), lost, "sales acknowledged at the till but missing at central");
    List<String> twice = c.ids().entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    assertEquals(List.of(), twice, "sales at central more than once");
    long extra = c.ids().keySet().stream().filter(id -> !acked.containsKey(id)).count();
    long failedThere = failedIds.stream().filter(c.ids()::containsKey).count();
    assertEquals(failedThere, extra, "every sale at central was acknowledged, or was reported failed at the till");
    long ackedTotal = acked.values().stream().mapToLong(Sold::total).sum();
    assertTrue(c.total() >= ackedTotal, "central total " + c.total() + " below the acknowledged " + ackedTotal);
    if (extra == 0) {
      assertEquals(ackedTotal, c.total(), "central's total is the sum of the acknowledged sales");
    }
    return c;
  }

  static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("timed out after " + timeout + " waiting for " + what + "; " + detail.get());
      }
      Thread.sleep(200);
    }
  }

  static int freePort() {
    return org.apotheca.security.tls.LoopbackPorts.free();
  }

  @Override
  public void close() {
    for (ChildJvm c : children) {
      try {
        c.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    relays.forEach(LinkRelay::close);
  }
}
