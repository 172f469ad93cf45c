package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apotheca.core.Repositories;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.core.ledger.LedgerException;
import org.apotheca.core.ledger.SaleReceipt;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.MovementJournal;
import org.apotheca.model.MovementReason;
import org.apotheca.model.StockBatch;
import org.apotheca.model.StockMovement;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.model.StockBucket;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeCommands;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.ReplicatorSessions;
import org.apotheca.sync.tests.faults.LinkRelay;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.emf.ecore.EObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;

/**
 * Selling through a real pharmacy node (FEFO, refusals, online write-through, offline sales merged back by the
 * node itself) against a real central server, both in this JVM on loopback TCP.
 */
class NodeSellingTest {

  @TempDir
  Path tmp;

  private CentralServer central;
  private PharmacyNode node;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** A clock the test moves forward to make batches expire. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @AfterEach
  void tearDown() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // keep closing
      }
    }
    if (node != null) {
      node.stop();
    }
    SyncFixture.stopCentral(central);
  }

  private ServerConfig startCentral() {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 50);
    central = SyncFixture.startCentral(config);
    return config;
  }

  private PharmacyNode startNode(ServerConfig config, Clock clock) throws InterruptedException {
    return startNode(config.endpoint(), clock);
  }

  /** A node that reaches central through a relay the test can cut. */
  private LinkRelay startNodeThroughRelay(ServerConfig config) throws Exception {
    LinkRelay link = new LinkRelay(config.endpoint());
    closeables.add(link);
    startNode(link.endpoint(), Clock.systemDefaultZone());
    return link;
  }

  private PharmacyNode startNode(Endpoint central, Clock clock) throws InterruptedException {
    NodeConfig nc = SyncFixture.enroll(this.central, NodeConfig.of(SITE, tmp.resolve("node"), central,
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    node = new PharmacyNode(nc, ReplicatorSessions.Fix.ALL, clock).start();
    assertTrue(node.awaitReady(60_000), "node ready: " + node.status().line());
    return node;
  }

  private SalesReader.Summary atCentral(ServerConfig config) {
    CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE));
    try {
      CDOView view = c.session().openView();
      return SalesReader.summary(view, SITE);
    } finally {
      c.close();
    }
  }

  /** Batch id → on-hand quantity, read from a site repository view. */
  private static Map<String, Integer> stock(CDOView view) {
    Map<String, Integer> result = new HashMap<>();
    String folder = "/sites/" + SITE + "/stock";
    if (view.hasResource(folder) && view.getResourceNode(folder) instanceof CDOResourceFolder f) {
      for (CDOResourceNode n : f.getNodes()) {
        for (EObject root : ((CDOResource) n).getContents()) {
          for (StockBatch b : ((StockBucket) root).getBatches()) {
            result.put(b.getId(), b.getQuantity());
          }
        }
      }
    }
    return result;
  }

  @Test
  void sellsFefoAndRefusesExpiredInsufficientAndBadInputWithClearMessages() throws Exception {
    ServerConfig config = startCentral();
    MovableClock clock = new MovableClock();
    startNode(config, clock);
    String barcode = SampleCatalogue.barcode(3);
    long price = SampleCatalogue.listPriceMinor(3);
    LocalDate today = LocalDate.now(clock);
    node.receive("receiving", barcode, "A", today.plusDays(10).toString(), 5, 40);
    node.receive("receiving", barcode, "B", today.plusDays(200).toString(), 10, 40);
    node.receive("receiving", barcode, "C", today.plusDays(100).toString(), 3, 40);

    SaleReceipt first = node.sell("till-1", "anna", barcode, 4);
    assertEquals(List.of("A:4"), lots(first));
    assertEquals(4 * price, first.totalMinor());
    assertFalse(first.offline());
    SaleReceipt second = node.sell("till-2", "ben", barcode, 3);
    assertEquals(List.of("A:1", "C:2"), lots(second), "earliest expiry first, across batches");

    // online: written through, so central has both sales as soon as sell() returned
    SalesReader.Summary central = atCentral(config);
    assertEquals(2, central.count());
    assertEquals(7 * price, central.totalMinor());

    // 150 days later lot C (100 days) is expired, B (200 days) is not
    clock.advance(Duration.ofDays(150));
    LedgerException tooMany = assertThrows(LedgerException.class, () -> node.sell("till-1", "anna", barcode, 12));
    assertTrue(tooMany.isRefusal());
    assertEquals("Not enough stock of " + node.product(barcode).name() + " (" + barcode
        + "): 12 requested, 10 sellable, 1 expired", tooMany.getMessage());
    clock.advance(Duration.ofDays(100)); // now B is expired too
    LedgerException expired = assertThrows(LedgerException.class, () -> node.sell("till-1", "anna", barcode, 1));
    assertTrue(expired.getMessage().startsWith("Cannot sell " + node.product(barcode).name()) && expired.getMessage()
        .contains("all 11 units on hand are expired"), expired.getMessage());
    assertEquals("Quantity must be at least 1 (got 0)",
        assertThrows(LedgerException.class, () -> node.sell("till-1", "anna", barcode, 0)).getMessage());
    assertEquals("Quantity must be at least 1 (got -2)",
        assertThrows(LedgerException.class, () -> node.sell("till-1", "anna", barcode, -2)).getMessage());
    assertEquals("Unknown barcode 4006381333931: no product in the catalogue has it",
        assertThrows(LedgerException.class, () -> node.sell("till-1", "anna", "4006381333931", 1)).getMessage());
    assertTrue(assertThrows(LedgerException.class,
        () -> node.receive("receiving", barcode, "D", LocalDate.now(clock).minusDays(1).toString(), 5, 40)).getMessage()
        .contains("expired on"));
    assertTrue(assertThrows(LedgerException.class, () -> node.receive("receiving", barcode, "E", "31/12/2030", 5, 40))
        .getMessage().contains("is not a date"));

    // nothing half-written by the refusals, at the node and at central
    assertEquals(2, node.sales().count());
    assertEquals(2, atCentral(config).count());
    assertEquals(List.of(1, 10), node.stock(barcode).stream().map(BatchInfo::quantity).toList());

    // the console gives the same, one line each; a refusal throws (the one-shot console exits non-zero)
    NodeCommands commands = new NodeCommands(node);
    assertEquals("sales site=" + SITE + " count=2 total=" + 7 * price, commands.apotheca("sales"));
    assertTrue(commands.apotheca("status").startsWith("status site=" + SITE + " state=ONLINE pending=0 branch=MAIN"),
        commands.apotheca("status"));
    assertThrows(LedgerException.class, () -> commands.apotheca("sell", barcode, "1"));
    assertThrows(IllegalArgumentException.class, () -> commands.apotheca("sell", barcode, "two"));

    // what the node runs, as central's `apotheca version` prints it (docs/console.md); no product and no optional
    // plugin in this test runtime
    String version = commands.apotheca("version");
    assertTrue(version.startsWith("product=unknown\n"), version);
    assertTrue(version.lines().anyMatch(("bundle org.apotheca.sync " + FrameworkUtil.getBundle(NodeCommands.class).getVersion())::equals),
        version);
    assertTrue(version.lines().noneMatch(l -> l.startsWith("optional ")), version);
    assertTrue(version.lines().reduce((a, b) -> b).orElseThrow().matches("model-schema=(\\d+|unknown)"), version);
  }

  @Test
  void offlineSalesOfTwoTillsAreMergedByTheNodeExactlyOnceAndTheNodeGoesBackToMain() throws Exception {
    ServerConfig config = startCentral();
    startNode(config, Clock.systemDefaultZone());
    String today = LocalDate.now().toString();
    for (int p = 0; p < 3; p++) {
      node.receive("receiving", SampleCatalogue.barcode(p), "S" + p, LocalDate.now().plusDays(30 + p).toString(), 40, 10);
    }
    long expected = 0;
    int count = 0;
    for (int i = 0; i < 2; i++) {
      expected += node.sell("till-1", "anna", SampleCatalogue.barcode(i), 1).totalMinor();
      count++;
    }

    SyncFixture.stopCentral(central);
    central = null;
    await("node OFFLINE", 30_000, () -> node.state() == PharmacyNode.State.OFFLINE, () -> node.status().line());
    List<String> receipts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // two tills, same batches: the node's one ledger keeps FEFO exact while offline
      SaleReceipt r = node.sell(i % 2 == 0 ? "till-1" : "till-2", "anna", SampleCatalogue.barcode(i % 3), 1 + i % 2);
      assertTrue(r.offline(), r.line());
      receipts.add(r.receiptNumber());
      expected += r.totalMinor();
      count++;
    }
    assertEquals(30, receipts.stream().distinct().count(), "receipt numbers unique per till and day");
    assertEquals(30, node.status().pendingCommits(), node.status().line());
    assertTrue(node.status().branch().startsWith("MAIN/Offline-"), node.status().line());
    assertEquals(count, node.sales().count(), "the node counts its unmerged sales too");
    int soldOfProduct0 = 2 + 0; // online: 1 of product 0 and 1 of product 1
    for (int i = 0; i < 30; i++) {
      soldOfProduct0 += i % 3 == 0 ? 1 + i % 2 : 0;
    }
    assertEquals(40 - (soldOfProduct0 - 1), node.stock(SampleCatalogue.barcode(0)).get(0).quantity());

    central = SyncFixture.startCentral(config);
    long ms = await("offline sales merged into central", 60_000,
        () -> node.status().pendingCommits() == 0 && "MAIN".equals(node.status().branch()), () -> node.status().line());
    System.out.println("TIMING 30 offline sales merged " + ms + " ms after central restarted");
    SalesReader.Summary atCentral = atCentral(config);
    assertEquals(count, atCentral.count(), "every sale exactly once");
    assertEquals(expected, atCentral.totalMinor());
    assertEquals(atCentral, node.sales(), "the node's view converged to central's");
    assertEquals(1, node.status().merges());

    // stock at central equals stock at the node: movements merged, nothing overwritten
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE))) {
      Map<String, Integer> centralStock = stock(c.session().openView());
      CDOView nodeView = node.openLocalSession(Repositories.siteRepository(SITE)).openView();
      assertEquals(centralStock, stock(nodeView));
      assertEquals(3, centralStock.size());
    }

    // back on MAIN: the next sale is written through again
    SaleReceipt online = node.sell("till-1", "anna", SampleCatalogue.barcode(2), 1);
    assertFalse(online.offline(), online.line());
    assertEquals(count + 1, atCentral(config).count());
    assertTrue(node.errors().isEmpty(), node.errors().toString());
    System.out.println("sales day " + today + ": " + node.status().line());
  }

  /**
   * A write-through whose answer is lost leaves a sale at central that the node did not commit before going
   * OFFLINE; central's batch quantity then moved after the merge base, and the node's offline sales move it too.
   * Central's move is made here by hand (a movement plus the quantity, as the ledger does). The merge must add
   * the offline movements to central's quantity and say so, not stop on a conflict.
   */
  @Test
  void aBatchMovedAtCentralAndOfflineMergesByAddingTheOfflineMovements() throws Exception {
    ServerConfig config = startCentral();
    LinkRelay link = startNodeThroughRelay(config);
    String barcode = SampleCatalogue.barcode(4);
    BatchInfo received = node.receive("receiving", barcode, "X1", LocalDate.now().plusDays(60).toString(), 20, 10);
    String batchId = received.batchId();

    link.setUp(false);
    await("node OFFLINE", 30_000, () -> node.state() == PharmacyNode.State.OFFLINE, () -> node.status().line());
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE))) {
      CDOTransaction tx = c.session().openTransaction();
      StockBatch atCentral = null;
      for (CDOResourceNode n : ((CDOResourceFolder) tx.getResourceNode("/sites/" + SITE + "/stock")).getNodes()) {
        for (EObject root : ((CDOResource) n).getContents()) {
          for (StockBatch b : ((StockBucket) root).getBatches()) {
            atCentral = batchId.equals(b.getId()) ? b : atCentral;
          }
        }
      }
      assertNotNull(atCentral, "the received batch is at central");
      MovementJournal journal = Ownership.stamp(ApothecaFactory.eINSTANCE.createMovementJournal(), SITE);
      journal.setTillId("till-9");
      journal.setBusinessDate(LocalDate.now().toString());
      tx.createResource(Repositories.movementJournal(SITE, LocalDate.now(), "till-9", 0)).getContents().add(journal);
      StockMovement m = Ownership.stamp(ApothecaFactory.eINSTANCE.createStockMovement(), SITE);
      m.setBatch(atCentral);
      m.setProductId(atCentral.getProductId());
      m.setQuantity(-2);
      m.setReason(MovementReason.SALE);
      m.setOccurredAt(System.currentTimeMillis());
      journal.getMovements().add(m);
      atCentral.setQuantity(atCentral.getQuantity() - 2);
      tx.commit();
    }
    for (int i = 0; i < 3; i++) {
      assertTrue(node.sell("till-1", "anna", barcode, 1).offline());
    }
    assertEquals(17, node.stock(barcode).get(0).quantity(), "the node does not know central's move yet");

    link.setUp(true);
    await("offline sales merged", 60_000,
        () -> node.status().pendingCommits() == 0 && "MAIN".equals(node.status().branch()), () -> node.status().line());
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE))) {
      assertEquals(Map.of(batchId, 15), stock(c.session().openView()), "20 received - 2 at central - 3 offline");
    }
    assertEquals(3, atCentral(config).count());
    assertEquals(15, node.stock(barcode).get(0).quantity(), "the node converged to central");
    List<String> resolutions = node.resolutions();
    assertEquals(1, resolutions.stream().filter(r -> r.contains("stock-merged") && r.contains("lot X1")
        && r.contains("central had 18, offline movements -3, now 15")).count(), resolutions.toString());
    assertTrue(node.errors().isEmpty(), node.errors().toString());
    assertNull(node.status().lastError(), node.status().line());
  }

  /**
   * The ambiguous write-through: central commits the sale but its answer never reaches the node (the link dies
   * first). The till must neither be told "not recorded" (the operator would sell again) nor count it twice: the
   * node keeps the same sale offline and the merge recognises its id.
   */
  @Test
  void aSaleWhoseAnswerFromCentralIsLostIsKeptAndMergedExactlyOnce() throws Exception {
    ServerConfig config = startCentral();
    LinkRelay link = startNodeThroughRelay(config);
    String barcode = SampleCatalogue.barcode(5);
    BatchInfo batch = node.receive("receiving", barcode, "Q1", LocalDate.now().plusDays(60).toString(), 20, 10);
    String batchId = batch.batchId();

    link.loseReplies(true);
    java.util.concurrent.ExecutorService till = java.util.concurrent.Executors.newSingleThreadExecutor();
    closeables.add(till::shutdownNow);
    java.util.concurrent.Future<SaleReceipt> selling = till.submit(() -> node.sell("till-1", "anna", barcode, 2));
    await("central committed the sale", 20_000, () -> atCentral(config).count() == 1, () -> node.status().line());
    assertFalse(selling.isDone(), "the till is still waiting for central's answer");
    link.setUp(false);
    SaleReceipt receipt = selling.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(receipt.offline(), "kept on the node: " + receipt.line());
    assertEquals(18, node.stock(barcode).get(0).quantity());
    SaleReceipt later = node.sell("till-1", "anna", barcode, 1);
    assertTrue(later.offline());

    link.loseReplies(false);
    link.setUp(true);
    await("offline sales merged", 60_000,
        () -> node.status().pendingCommits() == 0 && "MAIN".equals(node.status().branch()), () -> node.status().line());
    SalesReader.Summary central = atCentral(config);
    assertEquals(2, central.count(), "the sale whose answer was lost once, plus the later one");
    assertEquals(receipt.totalMinor() + later.totalMinor(), central.totalMinor());
    assertEquals(central, node.sales(), "the node converged to central");
    try (CdoConnection c = SyncFixture.staff(this.central, config.endpoint(), Repositories.siteRepository(SITE))) {
      assertEquals(Map.of(batchId, 17), stock(c.session().openView()), "20 received - 2 - 1");
    }
    assertEquals(17, node.stock(barcode).get(0).quantity());
    List<String> resolutions = node.resolutions();
    assertEquals(1, resolutions.stream().filter(r -> r.contains("duplicate-dropped") && r.contains(receipt.saleId())).count(),
        resolutions.toString());
    assertNull(node.status().lastError(), node.status().line());
  }

  private static List<String> lots(SaleReceipt r) {
    return r.allocations().stream().map(a -> a.lotNumber() + ":" + a.quantity()).toList();
  }
}
