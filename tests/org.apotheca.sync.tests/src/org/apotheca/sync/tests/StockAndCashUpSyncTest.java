package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.CashUp;
import org.apotheca.model.MovementJournal;
import org.apotheca.model.MovementReason;
import org.apotheca.model.Sale;
import org.apotheca.model.SalesDay;
import org.apotheca.model.StockBatch;
import org.apotheca.model.StockMovement;
import org.apotheca.model.Stocktake;
import org.apotheca.model.StocktakeStatus;
import org.apotheca.node.api.AdjustmentReason;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.CashUpDay;
import org.apotheca.node.api.CashUpFigures;
import org.apotheca.node.api.CashUpInfo;
import org.apotheca.node.api.CashUpRequest;
import org.apotheca.node.api.CountRequest;
import org.apotheca.node.api.DenominationCount;
import org.apotheca.node.api.ExpiryReport;
import org.apotheca.node.api.FinishRequest;
import org.apotheca.node.api.FloatRequest;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.PaymentMethod;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterEntryKind;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.apotheca.node.api.StocktakeInfo;
import org.apotheca.node.api.StocktakeLineInfo;
import org.apotheca.node.api.StocktakeRequest;
import org.apotheca.node.api.WriteOffInfo;
import org.apotheca.node.api.WriteOffRequest;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.ReplicatorSessions;
import org.eclipse.emf.cdo.view.CDOView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, stock and cash-up with a real central server and a real pharmacy node (TLS, Derby, ports 4200-4299):
 * a stocktake whose stock moves between its snapshot and its count, counted and finished while central is away; an
 * expired batch written off; a day's cash-up of two tills, part of it sold offline. Afterwards central holds the
 * same documents and movements as the node, each exactly once.
 */
class StockAndCashUpSyncTest {

  @TempDir
  Path tmp;

  private CentralServer central;
  private ServerConfig config;
  private PharmacyNode node;
  private LocalNodeService service;
  /** The node's clock, on UTC: no business day may change under the test except when it moves the clock on. */
  private final TestClock clock = new TestClock();

  /**
   * Real time, held back three hours when the test starts late in the UTC day so that its day cannot change during
   * the run (the node compares a few of its own times with the system's: hours, not days, keep those sensible), plus
   * the days the test moves it on.
   */
  static final class TestClock extends Clock {
    private final Instant base = Instant.now().atZone(ZoneOffset.UTC).getHour() >= 21 ? Instant.now().minus(Duration.ofHours(3))
        : Instant.now();
    private final long startNanos = System.nanoTime();
    private volatile Duration shift = Duration.ZERO;

    void advanceDays(int days) {
      shift = shift.plusDays(days);
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
      return base.plus(shift).plusNanos(System.nanoTime() - startNanos);
    }
  }

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    if (node != null) {
      node.stop();
    }
    SyncFixture.stopCentral(central);
  }

  @Test
  void aStocktakeCountedOfflineWithSalesDuringItPostsOnlyTheRealDifferenceAndCentralGetsItOnce() throws Exception {
    start();
    Session alice = service.login("till-1", "alice", "alice-demo".toCharArray());
    Session bob = service.login("till-2", "bob", "bob-demo".toCharArray());
    String code = SampleCatalogue.barcode(3);
    LocalDate today = LocalDate.now(clock);
    BatchInfo a = service.receive(bob.token(), ReceiveRequest.of(code, "ST-A", today.plusDays(200).toString(), 50, 120, "Phoenix"));
    BatchInfo b = service.receive(bob.token(), ReceiveRequest.of(code, "ST-B", today.plusDays(400).toString(), 30, 120, "Phoenix"));

    StocktakeInfo st = service.startStocktake(alice.token(), StocktakeRequest.of("shelf 3", List.of(code)));
    assertTrue(st.atCentral(), "started online: written through");
    sell(alice, code, "ST-A", 3); // online, between the snapshot and the count

    takeCentralAway();
    sell(bob, code, "ST-A", 2); // offline, still before ST-A is counted: 45 left on the shelf and on the books
    StocktakeLineInfo countedA = service.countStock(bob.token(), CountRequest.ofBatch(st.stocktakeId(), a.batchId(), 45));
    assertEquals(50, countedA.expectedAtSnapshot());
    assertEquals(-5, countedA.movedSinceSnapshot());
    assertEquals(0, countedA.difference(), "no false loss from the five packs sold during the count");
    StocktakeLineInfo countedB = service.countStock(bob.token(), CountRequest.ofLot(st.stocktakeId(), code, "ST-B", 28));
    assertEquals(-2, countedB.difference(), "two packs of ST-B really are missing");
    sell(alice, code, "ST-A", 4); // after the count: on the books and off the shelf alike, no difference either
    StocktakeInfo finished = service.finishStocktake(alice.token(), new FinishRequest(st.stocktakeId(),
        List.of(new FinishRequest.LineReason(b.batchId(), AdjustmentReason.DAMAGED, "two crushed packs"))));
    assertEquals(StocktakeInfo.Status.FINISHED, finished.status());
    assertFalse(finished.atCentral(), "finished offline");
    assertEquals(41, batch(code, "ST-A").quantity());
    assertEquals(28, batch(code, "ST-B").quantity());

    bringCentralBack();
    assertTrue(service.stocktake(st.stocktakeId()).atCentral());
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE))) {
      CDOView view = c.session().openView();
      Stocktake header = (Stocktake) view.getResource("/sites/" + SITE + "/stocktakes/" + st.stocktakeId() + "/stocktake").getContents()
          .get(0);
      assertEquals(StocktakeStatus.COMPLETED, header.getStatus());
      assertEquals("alice", header.getCompletedByUserId());
      List<StockMovement> movements = movements(view, today);
      List<StockMovement> adjustments = movements.stream().filter(m -> m.getReason() == MovementReason.STOCKTAKE).toList();
      assertEquals(1, adjustments.size(), "one adjustment, for the real difference only: " + adjustments);
      assertEquals(-2, adjustments.get(0).getQuantity());
      assertEquals(b.batchId(), adjustments.get(0).getBatch().getId());
      assertEquals("damaged: two crushed packs", adjustments.get(0).getNote());
      assertEquals(3, movements.stream().filter(m -> m.getReason() == MovementReason.SALE).count(), "three sales, each moved once");
      assertUnique(movements);
      assertEquals(Map.of("ST-A", 41, "ST-B", 28), quantities(view, code), "central's stock is the node's");
    }

    // an expired batch written off (the node's clock moves on past its expiry), reaching central once
    BatchInfo shortDated = service.receive(bob.token(), ReceiveRequest.of(code, "ST-X", today.plusDays(1).toString(), 6, 200, "Phoenix"));
    String morphine = SampleCatalogue.barcode(23); // a controlled drug: its destruction goes into its register
    BatchInfo shortDatedCd = service.receive(bob.token(), ReceiveRequest.of(morphine, "CD-X", today.plusDays(1).toString(), 4, 500,
        "Alliance"));
    clock.advanceDays(3);
    LocalDate later = LocalDate.now(clock);
    ExpiryReport report = service.expiryReport(30);
    assertEquals(Set.of("ST-X", "CD-X"), report.batches().stream().filter(x -> x.band() == BatchInfo.ExpiryBand.EXPIRED)
        .map(BatchInfo::lot).collect(java.util.stream.Collectors.toSet()));
    assertEquals(1_200 + 2_000, report.bands().get(0).valueMinor(), "6 at 2.00 and 4 at 5.00 expired");
    NodeException notExpired = assertThrows(NodeException.class, () -> service.writeOffExpired(alice.token(),
        WriteOffRequest.of(List.of(a.batchId()), "expired")));
    assertEquals(Refusal.BAD_INPUT, notExpired.refusal());
    WriteOffRequest writeOff = WriteOffRequest.of(List.of(), "expired, sent for destruction");
    WriteOffInfo written = service.writeOffExpired(alice.token(), writeOff);
    assertEquals(written, service.writeOffExpired(alice.token(), writeOff), "sent twice, written off once");
    assertEquals(10, written.units());
    assertEquals(3_200, written.valueMinor());
    assertEquals(Set.of(shortDated.batchId(), shortDatedCd.batchId()), written.lines().stream().map(l -> l.batchId())
        .collect(java.util.stream.Collectors.toSet()));
    assertTrue(written.atCentral());
    var register = service.register(alice.token(), morphine).entries();
    assertEquals(List.of(RegisterEntryKind.RECEIVED, RegisterEntryKind.DESTROYED), register.stream().map(RegisterEntry::kind).toList());
    assertEquals(4, register.get(1).quantity());
    assertEquals(0, register.get(1).balanceAfter());
    assertEquals(writeOff.writeOffId(), register.get(1).documentId());
    assertEquals("expired, sent for destruction", register.get(1).note());
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE))) {
      CDOView view = c.session().openView();
      List<StockMovement> writeOffs = movements(view, later).stream().filter(m -> m.getReason() == MovementReason.EXPIRED_WRITE_OFF)
          .toList();
      assertEquals(2, writeOffs.size(), "one movement per batch, once");
      assertEquals(-10, writeOffs.stream().mapToInt(StockMovement::getQuantity).sum());
      assertEquals(0, quantities(view, code).get("ST-X"));
    }
    assertEquals(List.of(), node.errors());
  }

  @Test
  void aDayOfTwoTillsPartlyOfflineIsCashedUpExactlyAndCentralHoldsEachCashUpOnce() throws Exception {
    start();
    LocalDate today = LocalDate.now(clock);
    Session alice1 = service.login("till-1", "alice", "alice-demo".toCharArray());
    Session bob2 = service.login("till-2", "bob", "bob-demo".toCharArray());
    Session maria = service.login("till-1", "maria", "maria-demo".toCharArray());
    String code = SampleCatalogue.barcode(5);
    service.receive(bob2.token(), ReceiveRequest.of(code, "CU-1", today.plusDays(300).toString(), 200, 80, "Phoenix"));
    long price = service.product(code).priceMinor();
    service.recordFloat(alice1.token(), new FloatRequest("till-1", today, 15_000));
    service.recordFloat(bob2.token(), new FloatRequest("till-2", today, 10_000));

    // what each drawer should hold, counted by the test itself as it goes
    Map<String, long[]> drawer = new HashMap<>(); // till -> {cash in, card, sales}
    drawer.put("till-1", new long[] { 15_000, 0, 0 });
    drawer.put("till-2", new long[] { 10_000, 0, 0 });
    List<String> saleIds = new ArrayList<>();
    SaleInfo refundable = null;
    for (int i = 0; i < 3; i++) { // online
      saleIds.add(cashSale(alice1, code, 1 + i, drawer).saleId());
      saleIds.add(cardSale(bob2, code, 1, drawer).saleId());
    }
    takeCentralAway();
    for (int i = 0; i < 2; i++) { // offline
      saleIds.add(cardSale(alice1, code, 2, drawer).saleId());
      refundable = cashSale(bob2, code, 3, drawer);
      saleIds.add(refundable.saleId());
    }
    // a cash refund paid out at till-2, offline: it leaves till-2's drawer
    service.refund(maria2(), RefundRequest.of(refundable.receiptNumber(),
        List.of(new RefundRequest.Line(refundable.lines().get(0).lineId(), 1)), "wrong strength", PaymentMethod.CASH));
    drawer.get("till-2")[0] -= price;

    CashUpFigures f1 = service.cashUpFigures(maria.token(), "till-1", today);
    assertEquals(drawer.get("till-1")[0], f1.expectedCashMinor());
    assertEquals(drawer.get("till-1")[1], f1.cardTotalMinor());
    assertEquals(5, f1.sales());
    assertEquals(2, f1.notAtCentral(), "the two offline sales");
    CashUpRequest close1 = CashUpRequest.of("till-1", today, 15_000, coins(f1.expectedCashMinor()), null);
    CashUpInfo cashUp1 = service.closeCashUp(maria.token(), close1); // offline, exact
    assertEquals(0, cashUp1.differenceMinor());
    assertFalse(cashUp1.atCentral());

    bringCentralBack();
    CashUpFigures f2 = service.cashUpFigures(maria.token(), "till-2", today);
    assertEquals(drawer.get("till-2")[0], f2.expectedCashMinor());
    assertEquals(drawer.get("till-2")[1], f2.cardTotalMinor());
    assertEquals(price, f2.cashRefundsMinor());
    assertEquals(5, f2.sales());
    assertEquals(1, f2.refunds());
    assertEquals(0, f2.notAtCentral(), "merged");
    CashUpInfo cashUp2 = service.closeCashUp(maria.token(), CashUpRequest.of("till-2", today, 10_000,
        coins(f2.expectedCashMinor() + 200), "customer left change")); // online, 2.00 over
    assertEquals(200, cashUp2.differenceMinor());
    CashUpInfo retried = service.closeCashUp(maria.token(), close1);
    assertEquals(cashUp1.cashUpId(), retried.cashUpId(), "a retry after the reconnect finds the offline cash-up");
    assertEquals(cashUp1.closedAt(), retried.closedAt());
    assertTrue(retried.atCentral(), "merged");

    CashUpDay day = service.cashUps(today);
    assertEquals(2, day.tills().size());
    assertEquals(0, day.openTills());
    assertEquals(drawer.get("till-1")[0] + drawer.get("till-2")[0], day.expectedCashMinor(), "the pharmacy's total");
    assertEquals(200, day.differenceMinor());
    assertEquals(drawer.get("till-1")[1] + drawer.get("till-2")[1], day.cardTotalMinor());
    assertEquals(10, day.sales());

    CashUpInfo atNode1 = service.cashUps(today).tills().get(0).cashUp();
    assertTrue(atNode1.atCentral());
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE))) {
      CDOView view = c.session().openView();
      Map<String, List<CashUp>> closed = new HashMap<>();
      Set<String> salesAtCentral = new HashSet<>();
      int saleRows = 0;
      for (SalesDay j : ResourceRoots.of(view, Repositories.salesFolder(SITE) + "/" + today, SalesDay.class)) {
        for (CashUp cu : j.getCashUps()) {
          if (cu.getClosedAt() != 0) {
            closed.computeIfAbsent(j.getTillId(), k -> new ArrayList<>()).add(cu);
          }
        }
        for (Sale s : j.getSales()) {
          salesAtCentral.add(s.getId());
          saleRows++;
        }
      }
      assertEquals(Set.of("till-1", "till-2"), closed.keySet());
      assertEquals(1, closed.get("till-1").size(), "one cash-up per till and day");
      assertEquals(1, closed.get("till-2").size());
      CashUp c1 = closed.get("till-1").get(0);
      assertEquals(cashUp1.cashUpId(), c1.getId());
      assertEquals(cashUp1.expectedCashMinor(), c1.getExpectedCashMinor());
      assertEquals(cashUp1.countedCashMinor(), c1.getCountedCashMinor());
      assertEquals("maria", c1.getClosingUserName());
      CashUp c2 = closed.get("till-2").get(0);
      assertEquals(200, c2.getDifferenceMinor());
      assertEquals("customer left change", c2.getNote());
      assertEquals(cashUp2.cardTotalMinor(), c2.getCardTotalMinor());
      assertEquals(Set.copyOf(saleIds), salesAtCentral);
      assertEquals(saleIds.size(), saleRows, "each sale once");
      List<StockMovement> movements = movements(view, today);
      assertUnique(movements);
      assertEquals(saleIds.size(), movements.stream().filter(m -> m.getReason() == MovementReason.SALE).count());
      assertEquals(1, movements.stream().filter(m -> m.getReason() == MovementReason.RETURN).count());
      assertEquals(Map.of("CU-1", batch(code, "CU-1").quantity()), quantities(view, code));
    }
    assertEquals(List.of(), node.errors());
  }

  // ---- helpers ----

  private String maria2Token;

  /** A manager's session at till-2 (refunds are a pharmacist's or manager's). */
  private String maria2() {
    if (maria2Token == null) {
      maria2Token = service.login("till-2", "maria", "maria-demo".toCharArray()).token();
    }
    return maria2Token;
  }

  private void start() throws InterruptedException {
    config = ServerConfig.defaults(tmp.resolve("central")).withEndpoint(new Endpoint("127.0.0.1", port(4200)))
        .withSites(List.of(SITE)).withSampleProducts(30).withDemoUsers(true);
    central = SyncFixture.startCentral(config);
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), config.endpoint(),
        new Endpoint("127.0.0.1", port(4250))));
    node = new PharmacyNode(nc, ReplicatorSessions.Fix.ALL, clock).start();
    assertTrue(node.awaitReady(120_000), "node ready: " + node.status().line());
    service = new LocalNodeService(node, false, clock);
  }

  private void takeCentralAway() {
    SyncFixture.stopCentral(central);
    central = null;
    await("node OFFLINE", 60_000, () -> node.state() == PharmacyNode.State.OFFLINE, () -> node.status().line());
  }

  private void bringCentralBack() {
    central = SyncFixture.startCentral(config.withSampleProducts(0));
    await("offline work merged", 120_000, () -> node.state() == PharmacyNode.State.ONLINE && node.status().pendingCommits() == 0
        && node.status().branch().equals("MAIN"), () -> node.status().line());
  }

  private void sell(Session s, String code, String lot, int units) {
    Quote q = service.quote(s.token(), new LineRequest(code, lot, null, units));
    service.sell(s.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.card(q.lineTotalMinor()))));
  }

  private SaleInfo cashSale(Session s, String code, int units, Map<String, long[]> drawer) {
    Quote q = service.quote(s.token(), LineRequest.of(code, units));
    SaleInfo sale = service.sell(s.token(), SaleRequest.of(List.of(q.line()),
        List.of(PaymentRequest.cash(q.lineTotalMinor(), q.lineTotalMinor() + 500)))); // change handed back
    drawer.get(s.tillId())[0] += q.lineTotalMinor();
    return sale;
  }

  private SaleInfo cardSale(Session s, String code, int units, Map<String, long[]> drawer) {
    Quote q = service.quote(s.token(), LineRequest.of(code, units));
    SaleInfo sale = service.sell(s.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.card(q.lineTotalMinor()))));
    drawer.get(s.tillId())[1] += q.lineTotalMinor();
    return sale;
  }

  /** A drawer's count for {@code minor}: 20.00 notes, then 1-cent coins. */
  private static List<DenominationCount> coins(long minor) {
    return List.of(new DenominationCount(2_000, (int) (minor / 2_000)), new DenominationCount(1, (int) (minor % 2_000)));
  }

  private BatchInfo batch(String code, String lot) {
    return service.batches(code).stream().filter(x -> x.lot().equals(lot)).findFirst().orElseGet(() -> {
      // batches() lists stock on hand only
      return new BatchInfo(null, null, code, null, lot, null, 0, 0, 0, 0, false, null, null, 0, null);
    });
  }

  private static List<StockMovement> movements(CDOView view, LocalDate day) {
    List<StockMovement> result = new ArrayList<>();
    for (MovementJournal j : ResourceRoots.of(view, "/sites/" + SITE + "/movements/" + day, MovementJournal.class)) {
      result.addAll(j.getMovements());
    }
    return result;
  }

  private static void assertUnique(List<StockMovement> movements) {
    Set<String> ids = new HashSet<>();
    for (StockMovement m : movements) {
      assertTrue(ids.add(m.getId()), "movement " + m.getId() + " is at central twice");
    }
  }

  /** Lot → quantity of the product's batches as central holds them. */
  private static Map<String, Integer> quantities(CDOView view, String code) {
    Map<String, Integer> result = new HashMap<>();
    for (org.apotheca.model.StockBucket bucket : ResourceRoots.of(view, "/sites/" + SITE + "/stock", org.apotheca.model.StockBucket.class)) {
      for (StockBatch b : bucket.getBatches()) {
        if (code.equals(b.getBarcode())) {
          assertFalse(result.containsKey(b.getLotNumber()), "one batch per lot");
          result.put(b.getLotNumber(), b.getQuantity());
        }
      }
    }
    return result;
  }

  /** The first free port from {@code from} within this test's range (bo-stock: 4200-4299). */
  private static int port(int from) {
    for (int p = from; p < 4300; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        return p;
      } catch (IOException taken) {
        // next
      }
    }
    throw new IllegalStateException("no free port in 4200-4299");
  }
}
