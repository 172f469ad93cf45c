package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.core.users.StaffReader;
import org.apotheca.core.users.UserAccount;
import org.apotheca.model.Refund;
import org.apotheca.model.Sale;
import org.apotheca.model.SalesDay;
import org.apotheca.model.StockBatch;
import org.apotheca.model.StockBucket;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.PaymentMethod;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.server.access.CentralSecurity;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.tests.faults.LinkRelay;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.view.CDOView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, items 4 and 5: a pharmacy whose computer is lost is rebuilt from central onto a new one (its enrollment
 * re-issued, no data), and a first replication cut half-way is never followed by non-raw replication. Real central,
 * real nodes on Derby, TLS on loopback through a relay the test cuts and slows down.
 */
class SiteRestoreTest {

  private static final String SITE_REPO = Repositories.siteRepository(SITE);

  @TempDir
  Path tmp;

  private CentralServer central;
  private ServerConfig config;
  private PharmacyNode node;
  private LocalNodeService service;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // keep closing
      }
    }
    if (service != null) {
      service.close();
    }
    if (node != null) {
      node.stop();
    }
    SyncFixture.stopCentral(central);
  }

  @Test
  void aPharmacyWipedMidLifeIsRebuiltFromCentralOnANewComputerWithNothingMissingAndSellsOn() throws Exception {
    startCentral(30);
    LinkRelay link = relay();
    startNode(enrolled(tmp.resolve("pc1/node"), link), 60_000);
    Session alice = service.login("till-1", "alice", "alice-demo".toCharArray());
    Session bob = service.login("till-2", "bob", "bob-demo".toCharArray());

    // mid-life: goods in, sales online, an outage with sales merged afterwards, a refund, more goods
    String expiry = LocalDate.now().plusYears(1).toString();
    for (int p = 0; p < 3; p++) {
      service.receive(alice.token(), ReceiveRequest.of(SampleCatalogue.barcode(p), "LOT-" + p, expiry, 40, 100 + p, "Phoenix"));
    }
    List<SaleInfo> online = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      online.add(sell(i % 2 == 0 ? alice : bob, SampleCatalogue.barcode(i % 3), 2));
    }
    assertTrue(online.stream().allMatch(SaleInfo::atCentral), "sold online");
    link.setUp(false);
    await("node OFFLINE", 30_000, () -> node.state(SITE_REPO) == PharmacyNode.State.OFFLINE, () -> node.status().line());
    for (int i = 0; i < 4; i++) {
      assertFalse(sell(bob, SampleCatalogue.barcode(i % 3), 1).atCentral(), "sold offline");
    }
    link.setUp(true);
    awaitMerged(1);
    String refunded = online.get(0).receiptNumber();
    service.refund(alice.token(), RefundRequest.of(refunded, List.of(new RefundRequest.Line(online.get(0).lines().get(0).lineId(), 1)),
        "damaged pack", PaymentMethod.CASH));
    service.receive(alice.token(), ReceiveRequest.of(SampleCatalogue.barcode(3), "LOT-3", expiry, 12, 250, "Phoenix"));
    sell(alice, SampleCatalogue.barcode(3), 1);

    Book atCentral = awaitCentralHasAllOfTheNode();
    assertEquals(11, atCentral.sales().size(), atCentral.toString());
    assertEquals(1, atCentral.refunds().size(), atCentral.toString());
    assertEquals(4, atCentral.batches().size(), atCentral.toString());
    System.out.println("SiteRestore: central before the restore: " + atCentral.summary());

    // the pharmacy's computer is gone: its data directory and its secrets (key, certificate) with it
    service.close();
    service = null;
    node.stop();
    deleteTree(tmp.resolve("pc1"));

    // a new computer: an empty data directory and a fresh enrollment bundle from central; a slow line, to watch it
    link.throttleReplies(256 * 1024);
    Path dir = tmp.resolve("pc2/node");
    CentralSecurity.EnrollmentBundle bundle = central.security().enroll(SITE, tmp.resolve("site-" + SITE + ".p12"));
    NodeConfig fresh = NodeConfig.of(SITE, dir, link.endpoint(), new Endpoint("127.0.0.1", SyncFixture.freePort()));
    NodeIdentity.enroll(fresh.secretsDir(), SITE, bundle.file(), bundle.oneTimePassword());
    List<String> progress = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    node = new PharmacyNode(fresh);
    Thread watcher = watchProgress(progress);
    try {
      node.start();
      assertTrue(node.awaitReady(120_000), "restored node ready: " + node.status().line());
      await("first replication recorded", 30_000, () -> node.restoreProgress() == null, () -> node.status().line());
    } finally {
      watcher.interrupt();
      watcher.join();
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    link.throttleReplies(0);
    System.out.println("SiteRestore: restored in " + ms + " ms; progress seen: " + (progress.isEmpty() ? "none"
        : progress.get(0) + " ... " + progress.get(progress.size() - 1)));
    assertFalse(progress.isEmpty(), "the node said what it was doing while restoring");
    assertTrue(progress.get(0).startsWith("restoring repository=" + SITE_REPO + " from=central phase="), progress.get(0));
    assertTrue(Files.exists(dir.resolve(SITE_REPO + ".replicated")), "the completed first replication is recorded");

    // everything central had is here: sales, refunds, stock per batch, staff
    Book restored = onTheNode();
    assertEquals(atCentral, restored);
    assertEquals(atCentral.sales().size(), node.sales().count());
    assertEquals(atCentral.salesTotal(), node.sales().totalMinor());
    service = new LocalNodeService(node, false);
    assertEquals(1, service.sale(refunded).lines().get(0).refundedQuantity(), "the refund came back with its sale");
    for (String user : List.of("alice", "bob", "maria")) {
      assertNotNull(service.login("till-1", user, (user + "-demo").toCharArray()), user + " logs in");
    }
    // the old outage's branch is not merged a second time: nothing pending, nothing merged by this node
    Thread.sleep(1_500); // three merge-agent ticks
    assertEquals(0, node.status().merges(), node.status().line());
    assertEquals(0, node.status().pendingCommits(), node.status().line());
    assertEquals("MAIN", node.status().branch());
    assertEquals(atCentral, centralBook(), "central unchanged by the restore");

    // and it sells: central has exactly one sale more
    Session maria = service.login("till-1", "maria", "maria-demo".toCharArray());
    SaleInfo after = sell(maria, SampleCatalogue.barcode(1), 1);
    assertTrue(after.atCentral(), "the restored node sells online");
    Book now = centralBook();
    assertEquals(atCentral.sales().size() + 1, now.sales().size());
    assertEquals(atCentral.salesTotal() + after.totalMinor(), now.salesTotal());
    assertEquals(atCentral.refunds(), now.refunds());

    // a clone from before first replications were recorded (no record, cleanly stopped) is kept, not rebuilt
    service.close();
    service = null;
    node.stop();
    Files.delete(dir.resolve(SITE_REPO + ".replicated"));
    Path sentinel = Files.writeString(dir.resolve(SITE_REPO).resolve("sentinel.txt"), "kept");
    node = new PharmacyNode(fresh).start();
    assertTrue(node.awaitReady(60_000), node.status().line());
    assertTrue(Files.exists(sentinel), "the clone from before the record was kept");
    assertTrue(Files.exists(dir.resolve(SITE_REPO + ".replicated")), "and recorded as complete");
    awaitMerged(0);
    assertEquals(centralBook(), onTheNode());
  }

  @Test
  void aFirstReplicationCutHalfWayIsDiscardedAtTheNextStartAndReplicatedRawToTheEnd() throws Exception {
    startCentral(20);
    LinkRelay link = relay();
    // a pharmacy with some history at central: its node sold 300 times online
    Path dir = tmp.resolve("pc1/node");
    NodeConfig nc = enrolled(dir, link);
    startNode(nc, 60_000);
    Session alice = service.login("till-1", "alice", "alice-demo".toCharArray());
    service.receive(alice.token(), ReceiveRequest.of(SampleCatalogue.barcode(0), "LOT-0", LocalDate.now().plusYears(1).toString(),
        500, 100, "Phoenix"));
    for (int i = 0; i < 300; i++) {
      sell(alice, SampleCatalogue.barcode(0), 1);
    }
    Book atCentral = awaitCentralHasAllOfTheNode();
    service.close();
    service = null;
    node.stop();

    // the site's database is lost (its record of a completed first replication stays behind); on a slow line the
    // node rebuilds it from central, and the line dies while the site's data is coming in
    deleteTree(dir.resolve(SITE_REPO));
    assertTrue(Files.exists(dir.resolve(SITE_REPO + ".replicated")));
    link.throttleReplies(16 * 1024);
    node = new PharmacyNode(nc).start();
    await("part of the site's data in", 120_000, () -> {
      String p = node.restoreProgress();
      return p != null && p.contains("phase=receiving") && !p.contains(" received=0.0MB")
          && node.state(Repositories.CATALOGUE) == PharmacyNode.State.ONLINE;
    }, () -> node.restoreProgress() + " / " + node.status().line());
    String cutAt = node.restoreProgress();
    assertTrue(cutAt.startsWith("restoring repository=" + SITE_REPO + " from=central phase=receiving received="), cutAt);
    link.setUp(false);
    await("site clone offline", 30_000, () -> node.state(SITE_REPO) == PharmacyNode.State.OFFLINE, () -> node.status().line());
    assertFalse(node.status().ready(), "a half-replicated pharmacy does not sell: " + node.status().line());
    node.stop();
    System.out.println("SiteRestore: line cut during the first replication at: " + cutAt);
    assertTrue(Files.exists(dir.resolve(SITE_REPO).resolve("service.properties")), "Derby's database was there (the old test for 'fresh')");
    assertFalse(Files.exists(dir.resolve(SITE_REPO + ".replicated")), "no completed first replication recorded");
    Path sentinel = Files.writeString(dir.resolve(SITE_REPO).resolve("sentinel.txt"), "from the cut attempt");

    // the next start discards the half database and replicates raw from scratch, to the end
    link.throttleReplies(0);
    link.setUp(true);
    List<String> progress = new CopyOnWriteArrayList<>();
    node = new PharmacyNode(nc);
    Thread watcher = watchProgress(progress);
    try {
      node.start();
      assertTrue(node.awaitReady(120_000), node.status().line());
      await("first replication recorded", 30_000, () -> node.restoreProgress() == null, () -> node.status().line());
    } finally {
      watcher.interrupt();
      watcher.join();
    }
    assertFalse(progress.isEmpty(), "restarted as a first (raw) replication");
    assertFalse(Files.exists(sentinel), "the half database was discarded");
    assertTrue(Files.exists(dir.resolve(SITE_REPO + ".replicated")));
    assertEquals(List.of(), node.errors());
    assertEquals(atCentral, onTheNode(), "complete: every sale, batch and user central has");
    assertEquals(300, node.sales().count());
    service = new LocalNodeService(node, false);
    Session again = service.login("till-1", "alice", "alice-demo".toCharArray());
    assertTrue(sell(again, SampleCatalogue.barcode(0), 1).atCentral());
    assertEquals(301, centralBook().sales().size());
  }

  // ---- parts ----

  private void startCentral(int products) {
    config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), products).withDemoUsers(true);
    central = SyncFixture.startCentral(config);
  }

  private LinkRelay relay() throws IOException {
    LinkRelay link = new LinkRelay(config.endpoint());
    closeables.add(link);
    return link;
  }

  private NodeConfig enrolled(Path dir, LinkRelay link) {
    return SyncFixture.enroll(central, NodeConfig.of(SITE, dir, link.endpoint(), new Endpoint("127.0.0.1", SyncFixture.freePort())));
  }

  private void startNode(NodeConfig nc, long readyMs) throws InterruptedException {
    node = new PharmacyNode(nc).start();
    assertTrue(node.awaitReady(readyMs), "node ready: " + node.status().line());
    service = new LocalNodeService(node, false);
  }

  private SaleInfo sell(Session who, String barcode, int quantity) {
    Quote q = service.quote(who.token(), LineRequest.of(barcode, quantity));
    return service.sell(who.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.card(q.lineTotalMinor()))));
  }

  private void awaitMerged(int merges) {
    await("node merged and ONLINE on MAIN", 60_000, () -> {
      var s = node.status();
      return s.state() == PharmacyNode.State.ONLINE && s.pendingCommits() == 0 && "MAIN".equals(s.branch()) && s.merges() == merges;
    }, () -> node.status().line());
  }

  private Thread watchProgress(List<String> seen) {
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        String p = node.restoreProgress();
        if (p != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(p))) {
          seen.add(p);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "restore-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits until central holds what the node holds (write-throughs and the merge are done), returns it. */
  private Book awaitCentralHasAllOfTheNode() {
    Book[] last = new Book[2];
    await("central has all of the node", 30_000, () -> {
      last[0] = centralBook();
      last[1] = onTheNode();
      return last[0].equals(last[1]);
    }, () -> "central " + last[0] + " node " + last[1]);
    return last[0];
  }

  private Book centralBook() {
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), SITE_REPO)) {
      return Book.read(c.session().openView());
    }
  }

  private Book onTheNode() {
    CDONet4jSession s = node.openLocalSession(SITE_REPO);
    try {
      return Book.read(s.openView());
    } finally {
      s.close();
    }
  }

  /** What a pharmacy's repository holds, comparable across central and a node: ids with amounts, batches, staff. */
  record Book(TreeMap<String, Long> sales, TreeMap<String, Long> refunds, TreeMap<String, String> batches, Set<String> staff) {

    static Book read(CDOView view) {
      TreeMap<String, Long> sales = new TreeMap<>();
      TreeMap<String, Long> refunds = new TreeMap<>();
      for (SalesDay day : SalesReader.journals(view, SITE)) {
        for (Sale s : day.getSales()) {
          sales.put(s.getId(), s.getTotalMinor());
        }
        for (Refund r : day.getRefunds()) {
          refunds.put(r.getId(), r.getTotalMinor());
        }
      }
      TreeMap<String, String> batches = new TreeMap<>();
      for (StockBucket bucket : ResourceRoots.of(view, "/sites/" + SITE + "/stock", StockBucket.class)) {
        for (StockBatch b : bucket.getBatches()) {
          batches.put(b.getId(), b.getBarcode() + "/" + b.getLotNumber() + " " + b.getQuantity() + " of " + b.getQuantityReceived());
        }
      }
      Set<String> staff = new TreeSet<>();
      for (UserAccount a : StaffReader.read(view, SITE)) {
        staff.add(a.username());
      }
      return new Book(sales, refunds, batches, staff);
    }

    long salesTotal() {
      return sales.values().stream().mapToLong(Long::longValue).sum();
    }

    String summary() {
      return "sales=" + sales.size() + " total=" + salesTotal() + " refunds=" + refunds.size() + " batches=" + batches.values()
          + " staff=" + staff;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
