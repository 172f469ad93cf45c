package org.apotheca.node.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.server.access.CentralClient;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.money.Money;
import org.apotheca.node.api.Allocation;
import org.apotheca.node.api.AdjustmentReason;
import org.apotheca.node.api.CashUpDay;
import org.apotheca.node.api.CashUpFigures;
import org.apotheca.node.api.CashUpInfo;
import org.apotheca.node.api.CashUpRequest;
import org.apotheca.node.api.CountRequest;
import org.apotheca.node.api.DenominationCount;
import org.apotheca.node.api.DrugRegister;
import org.apotheca.node.api.ExpiryReport;
import org.apotheca.node.api.FinishRequest;
import org.apotheca.node.api.FloatRequest;
import org.apotheca.node.api.StocktakeInfo;
import org.apotheca.node.api.StocktakeLineInfo;
import org.apotheca.node.api.StocktakeRequest;
import org.apotheca.node.api.SupplierReturnInfo;
import org.apotheca.node.api.SupplierReturnRequest;
import org.apotheca.node.api.WriteOffRequest;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.NodeState;
import org.apotheca.node.api.PaymentMethod;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.RefundInfo;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterEntryKind;
import org.apotheca.node.api.ReportService;
import org.apotheca.node.api.Role;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.SampleStock;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

/**
 * What every {@link NodeService} must do, run against each implementation (a few-line subclass each) on a real
 * central server and a real pharmacy node with sample stock, both on loopback TCP in this JVM. Refusals are matched
 * by code, never by text, except where the text is the contract (login).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class NodeServiceContractTest implements DispensaryContract {

  protected static final String SITE = "0001";
  private static final int PRODUCTS = 60;
  private static final int STOCKED = 20;
  private static final String CASHIER_PASSWORD = "cora-cashier-1";

  private Path dir;
  private ServerConfig centralConfig;
  private CentralServer central;
  protected PharmacyNode node;
  protected LocalNodeService local;
  protected NodeService service;

  @Override
  public NodeService service() {
    return service;
  }

  /** The implementation under test, on the node this class started ({@code local} answers in its process). */
  protected abstract NodeService open(PharmacyNode node, LocalNodeService local) throws Exception;

  @BeforeAll
  void startCentralAndNode() throws Exception {
    dir = Files.createTempDirectory("apotheca-contract");
    centralConfig = ServerConfig.defaults(dir.resolve("central")).withEndpoint(new Endpoint("127.0.0.1", freePort()))
        .withSites(List.of(SITE)).withSampleProducts(PRODUCTS).withDemoUsers(true);
    central = startCentral(centralConfig);
    // a cashier, as staff would add one (the demo users have none)
    new ServerCommands(central).apotheca("user", "add", "cora", "--site", SITE, "--role", "cashier", "--password", CASHIER_PASSWORD);
    NodeConfig nodeConfig = NodeConfig.of(SITE, dir.resolve("node"), centralConfig.endpoint(), new Endpoint("127.0.0.1", freePort()));
    NodeIdentity.install(nodeConfig.secretsDir(), central.security().issueSite(SITE)); // as ./apotheca site --enroll would
    node = new PharmacyNode(nodeConfig).start();
    assertTrue(node.awaitReady(120_000), "node ready: " + node.status().line());
    SampleStock.receiveIfEmpty(node, STOCKED);
    local = new LocalNodeService(node, false);
    service = open(node, local);
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (node != null) {
      node.stop();
    }
    stopCentral(central);
  }

  // ---- people ----

  @Test
  @Order(1)
  void loginChecksTheSaltedHashAndRefusesUnknownNamesAlike() {
    Session alice = service.login("till-1", "Alice", "alice-demo".toCharArray());
    assertEquals("alice", alice.username());
    assertEquals("Alice Pharmacist", alice.displayName());
    assertEquals(Set.of(Role.PHARMACIST), alice.roles());
    assertEquals("till-1", alice.tillId());
    assertEquals(SITE, alice.siteId());
    assertFalse(alice.toString().contains(alice.token()), "the token stays out of logs");
    assertEquals("alice", service.session(alice.token()).username());

    NodeException wrong = refused(Refusal.LOGIN_FAILED, () -> service.login("till-1", "maria", "not-her-password".toCharArray()));
    NodeException unknown = refused(Refusal.LOGIN_FAILED, () -> service.login("till-1", "nobody", "whatever-1".toCharArray()));
    assertEquals("Wrong user name or password.", wrong.getMessage());
    assertEquals(wrong.getMessage(), unknown.getMessage(), "unknown names cannot be told from wrong passwords");

    service.logout(alice.token());
    refused(Refusal.NOT_LOGGED_IN, () -> service.session(alice.token()));
  }

  @Test
  @Order(2)
  void aWrongPasswordMakesTheNextTryWait() throws Exception {
    refused(Refusal.LOGIN_FAILED, () -> service.login("till-2", "bob", "wrong-password".toCharArray()));
    NodeException early = refused(Refusal.LOGIN_FAILED, () -> service.login("till-2", "bob", "bob-demo".toCharArray()));
    assertTrue(early.getMessage().contains("wait"), early.getMessage());
    Thread.sleep(1_100);
    assertEquals("bob", service.login("till-2", "bob", "bob-demo".toCharArray()).username());
  }

  // ---- catalogue ----

  @Test
  @Order(3)
  void searchFindsNamesIngredientsAndBarcodePrefixes() {
    ProductInfo p3 = service.product(SampleCatalogue.barcode(3));
    String word = p3.name().split(" ")[0].toLowerCase();
    List<ProductInfo> byName = service.search(word, 50);
    assertTrue(byName.stream().anyMatch(p -> p.barcode().equals(p3.barcode())), word + " → " + byName);
    assertTrue(byName.stream().allMatch(p -> (p.name() + " " + p.ingredient()).toLowerCase().contains(word)));
    String prefix = SampleCatalogue.barcode(3).substring(0, 11);
    List<ProductInfo> byCode = service.search(prefix, 50);
    assertFalse(byCode.isEmpty());
    assertTrue(byCode.stream().allMatch(p -> p.barcode().startsWith(prefix)));
    assertTrue(service.search("zzqx nothing like this", 50).isEmpty());
    assertTrue(service.search(word, 2).size() <= 2, "the limit holds");
  }

  @Test
  @Order(4)
  void productsCompareAsFourteenDigitGtins() {
    ProductInfo byEan = service.product(SampleCatalogue.barcode(4));
    ProductInfo byGtin = service.product("0" + SampleCatalogue.barcode(4));
    assertEquals(byEan, byGtin);
    assertEquals("0" + SampleCatalogue.barcode(4), byEan.gtin());
    assertEquals(SampleCatalogue.listPriceMinor(4), byEan.priceMinor());
    assertEquals(120, byEan.onHand());
    assertEquals(120, byEan.sellable());
    refused(Refusal.UNKNOWN_BARCODE, () -> service.product("4006381333931"));
  }

  // ---- selling ----

  @Test
  @Order(5)
  void aBasketSellsFefoWithASplitPaymentAndIsFoundByItsReceiptNumber() {
    Session s = login("alice");
    String c1 = SampleCatalogue.barcode(1);
    String c2 = SampleCatalogue.barcode(2);
    Quote q1 = service.quote(s.token(), LineRequest.of(c1, 2));
    assertEquals(List.of("L1A"), q1.allocations().stream().map(Allocation::lot).toList(), "earliest expiry first");
    Quote q2 = service.quote(s.token(), LineRequest.of(c2, 1));
    long total = q1.lineTotalMinor() + q2.lineTotalMinor();
    SaleInfo sale = service.sell(s.token(), SaleRequest.of(List.of(q1.line(), q2.line()),
        List.of(PaymentRequest.card(total - 500), PaymentRequest.cash(500, 2_000))));
    assertEquals(total, sale.totalMinor());
    assertEquals(1_500, sale.changeMinor());
    assertEquals("alice", sale.username());
    assertEquals("till-1", sale.tillId());
    assertTrue(sale.atCentral(), "online: written through to central");
    assertEquals(2, sale.lines().size());
    assertEquals(q1.vatMinor() + q2.vatMinor(), sale.vatMinor());
    assertEquals(List.of(new Allocation(q1.allocations().get(0).batchId(), "L1A", q1.allocations().get(0).expiry(), 2)),
        sale.lines().get(0).allocations());
    assertTrue(sale.receiptNumber().matches("till-1-\\d{8}-\\d+"), sale.receiptNumber());

    assertEquals(sale, service.sale(sale.receiptNumber()));
    assertTrue(service.sales(LocalDate.now()).stream().anyMatch(x -> x.receiptNumber().equals(sale.receiptNumber())));
    assertEquals(18, lot(c1, "L1A").quantity());
  }

  @Test
  @Order(6)
  void aSaleSentTwiceWithTheSameIdIsRecordedOnce() {
    Session s = login("alice");
    String code = SampleCatalogue.barcode(6);
    Quote q = service.quote(s.token(), LineRequest.of(code, 3));
    SaleRequest request = SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.cash(q.lineTotalMinor(), q.lineTotalMinor())));
    SaleInfo first = service.sell(s.token(), request);
    SaleInfo again = service.sell(s.token(), request);
    assertEquals(first.receiptNumber(), again.receiptNumber());
    assertEquals(17, lot(code, "L6A").quantity(), "stock moved once");
  }

  @Test
  @Order(7)
  void refusedRequestsChangeNothing() {
    Session s = login("alice");
    String code = SampleCatalogue.barcode(8);
    long price = SampleCatalogue.listPriceMinor(8);
    List<PaymentRequest> exact = List.of(PaymentRequest.cash(price, price));
    refused(Refusal.NOT_LOGGED_IN, () -> service.sell("not-a-token", SaleRequest.of(List.of(LineRequest.of(code, 1)), exact)));
    refused(Refusal.BAD_INPUT, () -> service.sell(s.token(), SaleRequest.of(List.of(), exact)));
    refused(Refusal.BAD_PAYMENT, () -> service.sell(s.token(), SaleRequest.of(List.of(LineRequest.of(code, 1)),
        List.of(PaymentRequest.cash(price - 1, price)))));
    refused(Refusal.BAD_PAYMENT, () -> service.sell(s.token(), SaleRequest.of(List.of(LineRequest.of(code, 1)),
        List.of(new PaymentRequest(PaymentMethod.CARD, price, price + 100)))));
    refused(Refusal.BAD_PAYMENT, () -> service.sell(s.token(), SaleRequest.of(List.of(LineRequest.of(code, 1)),
        List.of(PaymentRequest.cash(price, price - 1)))));
    refused(Refusal.BAD_QUANTITY, () -> service.quote(s.token(), LineRequest.of(code, 0)));
    refused(Refusal.BAD_QUANTITY, () -> service.quote(s.token(), LineRequest.of(code, -3)));
    refused(Refusal.UNKNOWN_BARCODE, () -> service.quote(s.token(), LineRequest.of("4006381333931", 1)));
    refused(Refusal.LOT_NOT_HELD, () -> service.quote(s.token(), new LineRequest(code, "NOPE1", null, 1)));
    refused(Refusal.LOT_EXPIRY_MISMATCH, () -> service.quote(s.token(), new LineRequest(code, "L8B", "2031-01-31", 1)));
    refused(Refusal.NOT_ENOUGH_STOCK, () -> service.quote(s.token(), LineRequest.of(code, 121)));
    refused(Refusal.FIELD_TOO_LONG, () -> service.quote(s.token(), new LineRequest(code, "L".repeat(21), null, 1)));
    assertEquals(List.of(20, 100), service.batches(code).stream().map(BatchInfo::quantity).toList());
  }

  @Test
  @Order(8)
  void aScannedLotSellsThatLotWhenItsExpiryMatches() {
    Session s = login("alice");
    String code = SampleCatalogue.barcode(9);
    BatchInfo later = lot(code, "L9B");
    Quote q = service.quote(s.token(), new LineRequest("0" + code, "L9B", later.expiry(), 2));
    SaleInfo sale = service.sell(s.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.card(q.lineTotalMinor()))));
    assertEquals(List.of("L9B"), sale.lines().get(0).allocations().stream().map(Allocation::lot).toList());
    assertEquals(98, lot(code, "L9B").quantity());
    assertEquals(20, lot(code, "L9A").quantity(), "FEFO was not used for a scanned lot");
  }

  // ---- refunds ----

  @Test
  @Order(9)
  void aRefundReturnsUnitsToTheirBatchAtThePricePaid() {
    Session alice = login("alice");
    String code = SampleCatalogue.barcode(5);
    Quote q = service.quote(alice.token(), LineRequest.of(code, 3));
    SaleInfo sale = service.sell(alice.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.cash(q.lineTotalMinor(), q.lineTotalMinor()))));
    String lineId = sale.lines().get(0).lineId();
    assertEquals(17, lot(code, "L5A").quantity());

    refused(Refusal.BAD_INPUT, () -> service.refund(alice.token(), RefundRequest.of(sale.receiptNumber(),
        List.of(new RefundRequest.Line(lineId, 1)), " ", PaymentMethod.CASH)));
    Session bob = login("bob");
    refused(Refusal.NOT_ALLOWED, () -> service.refund(bob.token(), RefundRequest.of(sale.receiptNumber(),
        List.of(new RefundRequest.Line(lineId, 1)), "damaged", PaymentMethod.CASH)));
    refused(Refusal.SALE_NOT_FOUND, () -> service.refund(alice.token(), RefundRequest.of("till-1-20200101-1",
        List.of(new RefundRequest.Line(lineId, 1)), "damaged", PaymentMethod.CASH)));

    RefundInfo refund = service.refund(alice.token(), RefundRequest.of(sale.receiptNumber(),
        List.of(new RefundRequest.Line(lineId, 2)), "customer returned unopened packs", PaymentMethod.CASH));
    assertEquals(2 * q.unitPriceMinor(), refund.totalMinor());
    assertEquals("alice", refund.username());
    assertEquals(sale.receiptNumber(), refund.saleReceiptNumber());
    assertEquals(List.of("L5A:2"), refund.returned().stream().map(a -> a.lot() + ":" + a.quantity()).toList());
    assertEquals(19, lot(code, "L5A").quantity());
    assertEquals(2, service.sale(sale.receiptNumber()).lines().get(0).refundedQuantity());

    refused(Refusal.REFUND_TOO_LARGE, () -> service.refund(alice.token(), RefundRequest.of(sale.receiptNumber(),
        List.of(new RefundRequest.Line(lineId, 2)), "again", PaymentMethod.CARD)));
    assertEquals(19, lot(code, "L5A").quantity());
  }

  // ---- receiving ----

  @Test
  @Order(10)
  void goodsReceiptsBoundTheirFieldsAndRecordWhoReceived() {
    Session bob = login("bob");
    String code = SampleCatalogue.barcode(30);
    String expiry = LocalDate.now().plusDays(300).toString();
    refused(Refusal.FIELD_TOO_LONG, () -> service.receive(bob.token(), ReceiveRequest.of(code, "X".repeat(21), expiry, 5, 100, "Phoenix")));
    refused(Refusal.FIELD_TOO_LONG, () -> service.receive(bob.token(), ReceiveRequest.of(code, "X".repeat(3_000), expiry, 5, 100, "Phoenix")));
    refused(Refusal.EXPIRED, () -> service.receive(bob.token(), ReceiveRequest.of(code, "OLD1", LocalDate.now().minusDays(1).toString(), 5,
        100, "Phoenix")));
    refused(Refusal.BAD_INPUT, () -> service.receive(bob.token(), ReceiveRequest.of(code, "R1", "31/12/2030", 5, 100, "Phoenix")));
    refused(Refusal.BAD_QUANTITY, () -> service.receive(bob.token(), ReceiveRequest.of(code, "R1", expiry, -5, 100, "Phoenix")));
    assertTrue(service.batches(code).isEmpty(), "nothing half-written");

    ReceiveRequest request = ReceiveRequest.of(code, "R-30/1", expiry, 24, 150, "Phoenix Healthcare");
    BatchInfo batch = service.receive(bob.token(), request);
    assertEquals("R-30/1", batch.lot());
    assertEquals(24, batch.quantity());
    assertEquals("bob", batch.receivedBy());
    assertEquals("Phoenix Healthcare", batch.supplier());
    assertEquals(batch.batchId(), service.receive(bob.token(), request).batchId(), "sent twice, received once");
    assertEquals(List.of(24), service.batches(code).stream().map(BatchInfo::quantity).toList());
    assertEquals("Phoenix Healthcare/bob", service.batches(code).get(0).supplier() + "/" + service.batches(code).get(0).receivedBy(),
        "the stock screen says who received it from whom");
    assertEquals(24, service.product(code).sellable());
  }

  // ---- state, recalls, disabled users ----

  @Test
  @Order(11)
  void theStateSaysOnlineWithNothingWaiting() {
    await("online", () -> service.state().connection() == NodeState.Connection.ONLINE, () -> service.state().toString());
    NodeState state = service.state();
    assertEquals(SITE, state.siteId());
    assertEquals(0, state.pendingSales());
    assertTrue(state.catalogueAt() > 0 && state.lastContactAt() > 0, state.toString());
    assertTrue(state.canSell());
  }

  @Test
  @Order(12)
  void aRecallOfStockOnHandIsAnnouncedAndRefusedAtTheTill() throws Exception {
    String code = SampleCatalogue.barcode(11);
    new ServerCommands(central).apotheca("recall", code, "--batch", "L11A", "--reason", "label misprint", "--by", "qa");
    await("recall alert", () -> service.state().recallAlerts().stream().anyMatch(a -> a.barcode().equals(code)),
        () -> service.state().recallAlerts().toString());
    var alert = service.state().recallAlerts().stream().filter(a -> a.barcode().equals(code)).findFirst().orElseThrow();
    assertEquals(List.of("L11A"), alert.lots());
    assertEquals(20, alert.unitsOnHand());
    assertEquals("label misprint", alert.reason());
    Session s = login("alice");
    refused(Refusal.RECALLED, () -> service.quote(s.token(), new LineRequest(code, "L11A", null, 1)));
    assertEquals(List.of("L11B"), service.quote(s.token(), LineRequest.of(code, 1)).allocations().stream().map(Allocation::lot).toList());
  }

  @Test
  @Order(13)
  void aUserDisabledAtCentralIsRefusedAsSoonAsTheNodeKnows() throws Exception {
    Session maria = login("maria");
    new ServerCommands(central).apotheca("user", "disable", "maria", "--reason", "left the company", "--by", "hq");
    await("maria's session ended", () -> {
      try {
        service.session(maria.token());
        return false;
      } catch (NodeException e) {
        return e.refusal() == Refusal.USER_DISABLED || e.refusal() == Refusal.NOT_LOGGED_IN;
      }
    }, () -> "still logged in");
    refused(Refusal.USER_DISABLED, () -> service.login("till-1", "maria", "maria-demo".toCharArray()));
  }


  // ---- stock control and cash-up ----

  @Test
  @Order(40)
  void aStocktakeCountsAgainstTheBooksAtTheCountSoASaleDuringItIsNoLoss() {
    Session alice = login("alice");
    Session bob = login("bob");
    Session cashier = cashier();
    String code = SampleCatalogue.barcode(14);
    BatchInfo a = lot(code, "L14A");
    BatchInfo b = lot(code, "L14B");
    refused(Refusal.NOT_ALLOWED, () -> service.startStocktake(cashier.token(), StocktakeRequest.of("shelf 14", List.of(code))));
    refused(Refusal.BAD_INPUT, () -> service.startStocktake(alice.token(), StocktakeRequest.of(" ", List.of(code))));
    refused(Refusal.UNKNOWN_BARCODE, () -> service.startStocktake(alice.token(), StocktakeRequest.of("shelf 14", List.of("4006381333931"))));
    StocktakeRequest request = StocktakeRequest.of("shelf 14", List.of(code));
    StocktakeInfo started = service.startStocktake(alice.token(), request);
    assertEquals(started.stocktakeId(), service.startStocktake(alice.token(), request).stocktakeId(), "started once");
    assertEquals(StocktakeInfo.Status.IN_PROGRESS, started.status());
    assertEquals(List.of(code), started.productCodes());
    assertEquals("alice", started.startedBy());
    assertEquals(List.of("L14A:20", "L14B:100"), started.lines().stream().map(l -> l.lot() + ":" + l.expectedAtSnapshot()).toList());
    assertEquals(1, service.stocktakes().stream().filter(t -> t.stocktakeId().equals(started.stocktakeId())).count());
    assertTrue(service.stocktakes().stream().allMatch(t -> t.lines().isEmpty()), "summaries carry no lines");

    // the shop trades between the snapshot and the count: 2 of L14A leave the shelf and the books together
    Quote q = service.quote(alice.token(), LineRequest.of(code, 2));
    service.sell(alice.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.card(q.lineTotalMinor()))));
    String id = started.stocktakeId();
    refused(Refusal.BAD_QUANTITY, () -> service.countStock(bob.token(), CountRequest.ofBatch(id, a.batchId(), -1)));
    refused(Refusal.NOT_IN_STOCK, () -> service.countStock(bob.token(), CountRequest.ofBatch(id, "no-such-batch-0001", 3)));
    refused(Refusal.NOT_IN_STOCK, () -> service.countStock(bob.token(), CountRequest.ofLot(id, SampleCatalogue.barcode(15), "L15A", 20)));
    refused(Refusal.LOT_NOT_HELD, () -> service.countStock(bob.token(), CountRequest.ofLot(id, code, "NOPE1", 1)));
    refused(Refusal.NOT_FOUND, () -> service.countStock(bob.token(), CountRequest.ofBatch("no-such-stocktake", a.batchId(), 1)));
    CountRequest countA = CountRequest.ofBatch(id, a.batchId(), 18);
    StocktakeLineInfo lineA = service.countStock(cashier.token(), countA);
    assertEquals(20, lineA.expectedAtSnapshot());
    assertEquals(-2, lineA.movedSinceSnapshot(), "the sale before the count is accounted for");
    assertEquals(0, lineA.difference(), "18 on the shelf is what the books hold: no false loss");
    assertEquals(cashier.username(), lineA.countedBy());
    assertEquals(lineA, service.countStock(cashier.token(), countA), "a count sent twice is recorded once");

    StocktakeLineInfo lineB = service.countStock(bob.token(), CountRequest.ofLot(id, code, "L14B", 97));
    assertEquals(-3, lineB.difference());
    assertEquals(-3 * b.unitCostMinor(), lineB.differenceValueMinor());
    // and after the count one more leaves L14B: it is on the books and was not on the shelf count, so no loss either
    Quote later = service.quote(alice.token(), new LineRequest(code, "L14B", null, 1));
    service.sell(alice.token(), SaleRequest.of(List.of(later.line()), List.of(PaymentRequest.card(later.lineTotalMinor()))));
    StocktakeInfo counting = service.stocktake(id);
    assertEquals(2, counting.counted());
    assertEquals(1, counting.differences());
    assertEquals(-3, counting.differenceUnits());

    FinishRequest noReason = new FinishRequest(id, List.of());
    refused(Refusal.NOT_ALLOWED, () -> service.finishStocktake(cashier.token(), noReason));
    refused(Refusal.NOT_ALLOWED, () -> service.finishStocktake(bob.token(), noReason));
    refused(Refusal.BAD_INPUT, () -> service.finishStocktake(alice.token(), noReason));
    refused(Refusal.BAD_INPUT, () -> service.finishStocktake(alice.token(), new FinishRequest(id,
        List.of(new FinishRequest.LineReason(b.batchId(), AdjustmentReason.OTHER, " ")))));
    refused(Refusal.NOT_FOUND, () -> service.finishStocktake(alice.token(), new FinishRequest("no-such-stocktake", List.of())));
    assertEquals(99, lot(code, "L14B").quantity(), "nothing posted while refused");

    StocktakeInfo finished = service.finishStocktake(alice.token(), new FinishRequest(id,
        List.of(new FinishRequest.LineReason(b.batchId(), AdjustmentReason.THEFT, "shelf by the door"))));
    assertEquals(StocktakeInfo.Status.FINISHED, finished.status());
    assertEquals("alice", finished.finishedBy());
    assertEquals(18, lot(code, "L14A").quantity());
    assertEquals(96, lot(code, "L14B").quantity(), "the count, less the pack sold after it was counted");
    StocktakeLineInfo posted = finished.lines().stream().filter(l -> l.batchId().equals(b.batchId())).findFirst().orElseThrow();
    assertEquals(AdjustmentReason.THEFT, posted.reason());
    assertEquals("shelf by the door", posted.note());
    refused(Refusal.ALREADY_DONE, () -> service.finishStocktake(alice.token(), noReason));
    refused(Refusal.ALREADY_DONE, () -> service.cancelStocktake(alice.token(), id));
    refused(Refusal.ALREADY_DONE, () -> service.countStock(bob.token(), CountRequest.ofBatch(id, a.batchId(), 1)));
    assertEquals(96, lot(code, "L14B").quantity());
  }

  @Test
  @Order(41)
  void aCancelledStocktakePostsNothing() {
    Session alice = login("alice");
    String code = SampleCatalogue.barcode(16);
    StocktakeInfo st = service.startStocktake(alice.token(), StocktakeRequest.of("shelf 16", List.of(code)));
    service.countStock(alice.token(), CountRequest.ofLot(st.stocktakeId(), code, "L16A", 3));
    StocktakeInfo cancelled = service.cancelStocktake(alice.token(), st.stocktakeId());
    assertEquals(StocktakeInfo.Status.CANCELLED, cancelled.status());
    assertEquals(20, lot(code, "L16A").quantity());
    refused(Refusal.ALREADY_DONE, () -> service.finishStocktake(alice.token(), new FinishRequest(st.stocktakeId(), List.of())));
    refused(Refusal.NOT_FOUND, () -> service.stocktake("no-such-stocktake"));
  }

  @Test
  @Order(42)
  void supplierReturnsAndTheExpiryReportAndRefusedWriteOffs() {
    Session alice = login("alice");
    Session bob = login("bob");
    String code = SampleCatalogue.barcode(15);
    BatchInfo batch = lot(code, "L15B");
    SupplierReturnRequest request = SupplierReturnRequest.of(batch.batchId(), 5, "Phoenix Healthcare", "damaged in transit");
    refused(Refusal.NOT_ALLOWED, () -> service.returnToSupplier(cashier().token(), request));
    refused(Refusal.BAD_INPUT, () -> service.returnToSupplier(bob.token(), SupplierReturnRequest.of(batch.batchId(), 5, "Phoenix", " ")));
    refused(Refusal.BAD_INPUT, () -> service.returnToSupplier(bob.token(), SupplierReturnRequest.of(batch.batchId(), 5, " ", "damaged")));
    refused(Refusal.BAD_QUANTITY, () -> service.returnToSupplier(bob.token(), SupplierReturnRequest.of(batch.batchId(), 0, "Phoenix", "damaged")));
    refused(Refusal.NOT_ENOUGH_STOCK, () -> service.returnToSupplier(bob.token(), SupplierReturnRequest.of(batch.batchId(), 101, "Phoenix",
        "damaged")));
    refused(Refusal.NOT_IN_STOCK, () -> service.returnToSupplier(bob.token(), SupplierReturnRequest.of("no-such-batch-0001", 1, "Phoenix",
        "damaged")));
    SupplierReturnInfo returned = service.returnToSupplier(bob.token(), request);
    assertEquals(returned, service.returnToSupplier(bob.token(), request), "sent twice, returned once");
    assertEquals(95, lot(code, "L15B").quantity());
    assertEquals("Phoenix Healthcare", returned.supplier());
    assertEquals("damaged in transit", returned.reason());
    assertEquals("bob", returned.username());
    assertEquals(5 * batch.unitCostMinor(), returned.valueMinor());
    assertEquals(List.of(returned.returnId()), service.supplierReturns(LocalDate.now()).stream().map(SupplierReturnInfo::returnId).toList());

    // a controlled drug's return is entered in its register, in the same commit as the stock movement
    String tramadol = SampleCatalogue.barcode(54); // not one the dispensary's tests register
    assertFalse(service.product(tramadol).schedule().isEmpty(), "sample product 54 is a controlled drug");
    BatchInfo cd = service.receive(bob.token(), ReceiveRequest.of(tramadol, "CD-1", LocalDate.now().plusDays(500).toString(), 10, 900,
        "Alliance"));
    SupplierReturnInfo cdReturn = service.returnToSupplier(bob.token(), SupplierReturnRequest.of(cd.batchId(), 2, null, "broken seal"));
    assertEquals("Alliance", cdReturn.supplier(), "the batch's own supplier when none is named");
    DrugRegister register = service.register(alice.token(), tramadol);
    RegisterEntry last = register.entries().get(register.entries().size() - 1);
    assertEquals(RegisterEntryKind.RETURNED_TO_SUPPLIER, last.kind());
    assertEquals(2, last.quantity());
    assertEquals(8, last.balanceAfter());
    assertEquals("Alliance", last.supplier());
    assertEquals(cdReturn.returnId(), last.documentId());
    assertEquals("bob", last.enteredBy());
    assertEquals(8, lot(tramadol, "CD-1").quantity());

    ExpiryReport report = service.expiryReport(90);
    assertFalse(report.batches().isEmpty(), "the sample's first lots expire within 60-89 days");
    assertTrue(report.batches().stream().allMatch(x -> x.daysToExpiry() <= 90 && x.quantity() > 0), report.toString());
    assertEquals(List.of(BatchInfo.ExpiryBand.EXPIRED, BatchInfo.ExpiryBand.DAYS_30, BatchInfo.ExpiryBand.DAYS_60,
        BatchInfo.ExpiryBand.DAYS_90), report.bands().stream().map(ExpiryReport.BandTotal::band).toList());
    assertEquals(report.batches().stream().mapToLong(x -> x.quantity() * x.unitCostMinor()).sum(),
        report.bands().stream().mapToLong(ExpiryReport.BandTotal::valueMinor).sum());
    assertEquals(report.batches().size(), report.bands().stream().mapToInt(ExpiryReport.BandTotal::batches).sum());
    assertTrue(service.expiryReport(30).batches().isEmpty(), "nothing in the sample expires within 30 days");
    refused(Refusal.BAD_INPUT, () -> service.expiryReport(-1));

    refused(Refusal.NOT_ALLOWED, () -> service.writeOffExpired(bob.token(), WriteOffRequest.of(List.of(), "expired")));
    refused(Refusal.BAD_INPUT, () -> service.writeOffExpired(alice.token(), WriteOffRequest.of(List.of(), "expired")));
    refused(Refusal.BAD_INPUT, () -> service.writeOffExpired(alice.token(), WriteOffRequest.of(List.of(batch.batchId()), "expired")));
    refused(Refusal.NOT_IN_STOCK, () -> service.writeOffExpired(alice.token(), WriteOffRequest.of(List.of("no-such-batch-0001"), "expired")));
    assertEquals(95, lot(code, "L15B").quantity());
  }

  @Test
  @Order(43)
  void aTillIsCashedUpOnceWithItsFloatSalesRefundsAndADifferenceExplained() {
    Session alice = service.login("till-9", "alice", "alice-demo".toCharArray());
    Session bob = service.login("till-9", "bob", "bob-demo".toCharArray());
    String code = SampleCatalogue.barcode(17);
    CashUpFigures empty = service.cashUpFigures(alice.token(), null, null);
    assertEquals("till-9", empty.tillId());
    assertEquals(0, empty.sales());
    assertFalse(empty.floatRecorded());
    refused(Refusal.BAD_INPUT, () -> service.recordFloat(alice.token(), new FloatRequest("till-9", null, -1)));
    refused(Refusal.BAD_INPUT, () -> service.recordFloat(alice.token(), new FloatRequest("till-9", LocalDate.now().plusDays(1), 100)));
    assertTrue(service.recordFloat(bob.token(), new FloatRequest(null, null, 10_000)).floatRecorded());

    Quote q = service.quote(alice.token(), LineRequest.of(code, 2));
    SaleInfo cash = service.sell(alice.token(), SaleRequest.of(List.of(q.line()),
        List.of(PaymentRequest.cash(q.lineTotalMinor(), q.lineTotalMinor() + 1_000))));
    Quote q1 = service.quote(alice.token(), LineRequest.of(code, 1));
    service.sell(alice.token(), SaleRequest.of(List.of(q1.line()), List.of(PaymentRequest.card(q1.lineTotalMinor()))));
    service.refund(alice.token(), RefundRequest.of(cash.receiptNumber(), List.of(new RefundRequest.Line(cash.lines().get(0).lineId(), 1)),
        "changed mind", PaymentMethod.CASH));
    long unit = q1.lineTotalMinor();
    CashUpFigures f = service.cashUpFigures(bob.token(), "till-9", LocalDate.now());
    assertEquals(10_000, f.openingFloatMinor());
    assertEquals(2 * unit, f.cashSalesMinor(), "what the sale cost, not what was tendered");
    assertEquals(unit, f.cashRefundsMinor());
    assertEquals(10_000 + unit, f.expectedCashMinor());
    assertEquals(unit, f.cardTotalMinor());
    assertEquals(2, f.sales());
    assertEquals(1, f.refunds());
    assertEquals(0, f.notAtCentral(), "online: central has them");
    assertFalse(f.closed());

    long expected = f.expectedCashMinor();
    List<DenominationCount> short50 = List.of(new DenominationCount(5_000, 2), new DenominationCount(1, (int) (expected - 10_000 - 50)));
    refused(Refusal.NOT_ALLOWED, () -> service.closeCashUp(bob.token(), CashUpRequest.of("till-9", null, 10_000, short50, "")));
    refused(Refusal.BAD_INPUT, () -> service.closeCashUp(alice.token(), CashUpRequest.of("till-9", null, 10_000, short50, " ")));
    refused(Refusal.BAD_INPUT, () -> service.closeCashUp(alice.token(), CashUpRequest.of("till-9", null, 9_000, short50, "short")));
    refused(Refusal.BAD_QUANTITY, () -> service.closeCashUp(alice.token(), CashUpRequest.of("till-9", null, 10_000,
        List.of(new DenominationCount(5_000, -2)), "short")));
    refused(Refusal.BAD_INPUT, () -> service.closeCashUp(alice.token(), CashUpRequest.of("till-9", null, 10_000,
        List.of(new DenominationCount(0, 2)), "short")));
    CashUpRequest close = CashUpRequest.of("till-9", null, 10_000, short50, "50 cents missing, till roll checked");
    CashUpInfo done = service.closeCashUp(alice.token(), close);
    assertEquals(-50, done.differenceMinor());
    assertEquals(expected - 50, done.countedCashMinor());
    assertEquals(expected, done.expectedCashMinor());
    assertEquals(unit, done.cardTotalMinor());
    assertEquals("alice", done.closedBy());
    assertEquals(List.of(new DenominationCount(5_000, 2), new DenominationCount(1, (int) (expected - 10_050))), done.counted());
    assertEquals(done, service.closeCashUp(alice.token(), close), "sent twice, closed once");
    refused(Refusal.ALREADY_DONE, () -> service.closeCashUp(alice.token(), CashUpRequest.of("till-9", null, 10_000, short50, "again")));
    refused(Refusal.ALREADY_DONE, () -> service.recordFloat(alice.token(), new FloatRequest("till-9", null, 5_000)));

    CashUpDay day = service.cashUps(LocalDate.now());
    CashUpFigures till9 = day.tills().stream().filter(t -> t.tillId().equals("till-9")).findFirst().orElseThrow();
    assertTrue(till9.closed());
    assertEquals(done, till9.cashUp());
    assertEquals(day.tills().stream().mapToLong(t -> t.closed() ? t.cashUp().expectedCashMinor() : t.expectedCashMinor()).sum(),
        day.expectedCashMinor());
    assertEquals(-50, day.differenceMinor());
    assertEquals(day.tills().size() - 1, day.openTills(), "only till-9 is cashed up");
  }

  private Session cashier() {
    return service.login("till-1", "cora", CASHIER_PASSWORD.toCharArray());
  }

  // ---- reports ----

  @Test
  @Order(50)
  void theDaysFiguresAddUpItsSalesRefundsAndTheirCost() {
    Session alice = login("alice");
    // around today, so a midnight between two calls moves figures between rows but never out of the sums
    LocalDate from = LocalDate.now().minusDays(1);
    LocalDate to = LocalDate.now().plusDays(1);
    String code = SampleCatalogue.barcode(14);
    ProductInfo product = service.product(code);
    List<ReportService.DaySales> before = service.salesByDay(alice.token(), from, to);
    // other steps of the story sell this product too: its row is compared with itself before this step's sale
    ReportService.ProductSales rowBefore = service.salesByProduct(alice.token(), from, to, ReportService.MAX_PRODUCTS).stream()
        .filter(r -> r.productId().equals(product.id())).findFirst()
        .orElse(new ReportService.ProductSales(0, product.id(), code, product.name(), 0, 0, 0, 0, 0, 0, 0));
    assertEquals(List.of(from, from.plusDays(1), to), before.stream().map(ReportService.DaySales::day).toList(),
        "one row per day, quiet days too");

    long unitCost = lot(code, "L14A").unitCostMinor();
    Quote q = service.quote(alice.token(), LineRequest.of(code, 3));
    SaleInfo sale = service.sell(alice.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.card(q.lineTotalMinor()))));
    RefundInfo refund = service.refund(alice.token(), RefundRequest.of(sale.receiptNumber(),
        List.of(new RefundRequest.Line(sale.lines().get(0).lineId(), 1)), "box damaged", PaymentMethod.CASH));
    List<ReportService.DaySales> after = service.salesByDay(alice.token(), from, to);

    ReportService.DaySales b = sum(before);
    ReportService.DaySales a = sum(after);
    long refundVat = Money.vatIncluded(refund.totalMinor(), product.vatBasisPoints());
    assertEquals(b.sales() + 1, a.sales());
    assertEquals(b.refunds() + 1, a.refunds());
    assertEquals(b.units() + 2, a.units());
    assertEquals(b.grossMinor() + sale.totalMinor(), a.grossMinor());
    assertEquals(b.refundedMinor() + refund.totalMinor(), a.refundedMinor());
    assertEquals(b.vatMinor() + sale.vatMinor() - refundVat, a.vatMinor());
    assertEquals(b.costMinor() + 2 * unitCost, a.costMinor(), "3 taken from L14A, 1 put back, at its unit cost");
    for (ReportService.DaySales d : after) {
      assertEquals(d.grossMinor() - d.refundedMinor(), d.revenueMinor());
      assertEquals(d.revenueMinor() - d.vatMinor(), d.netMinor());
      assertEquals(d.netMinor() - d.costMinor(), d.marginMinor());
    }

    List<ReportService.ProductSales> ranking = service.salesByProduct(alice.token(), from, to, ReportService.MAX_PRODUCTS);
    ReportService.ProductSales row = ranking.stream().filter(r -> r.productId().equals(product.id())).findFirst().orElseThrow();
    assertEquals(rowBefore.units() + 2, row.units());
    assertEquals(rowBefore.revenueMinor() + sale.totalMinor() - refund.totalMinor(), row.revenueMinor());
    assertEquals(rowBefore.costMinor() + 2 * unitCost, row.costMinor());
    assertEquals(row.revenueMinor() - row.vatMinor() - row.costMinor(), row.marginMinor());
    for (int i = 0; i < ranking.size(); i++) {
      assertEquals(i + 1, ranking.get(i).rank());
      assertTrue(i == 0 || ranking.get(i - 1).revenueMinor() >= ranking.get(i).revenueMinor(), "highest revenue first");
    }
    assertEquals(1, service.salesByProduct(alice.token(), from, to, 1).size());
  }

  @Test
  @Order(51)
  void stockIsValuedBatchByBatchAsTheTillListsIt() {
    Session alice = login("alice");
    long cost = 0;
    long list = 0;
    int units = 0;
    java.util.Map<BatchInfo.ExpiryBand, Long> costByBand = new java.util.EnumMap<>(BatchInfo.ExpiryBand.class);
    int within90 = 0;
    for (int i = 0; i < PRODUCTS; i++) {
      ProductInfo p = service.product(SampleCatalogue.barcode(i));
      for (BatchInfo batch : service.batches(p.barcode())) {
        units += batch.quantity();
        cost += batch.quantity() * batch.unitCostMinor();
        list += batch.quantity() * p.priceMinor();
        costByBand.merge(batch.band(), batch.quantity() * batch.unitCostMinor(), Long::sum);
        within90 += batch.daysToExpiry() <= 90 ? 1 : 0;
      }
    }
    ReportService.StockValue value = service.stockValue(alice.token());
    assertEquals(units, value.units());
    assertEquals(cost, value.costMinor());
    assertEquals(list, value.listMinor());
    assertEquals(List.of(BatchInfo.ExpiryBand.values()), value.bands().stream().map(ReportService.StockBand::band).toList());
    for (ReportService.StockBand band : value.bands()) {
      assertEquals(costByBand.getOrDefault(band.band(), 0L), band.costMinor(), band.band().name());
    }
    assertEquals(cost, value.products().stream().mapToLong(ReportService.ProductStock::costMinor).sum());

    ReportService.ExpiringStock expiring = service.expiringStock(alice.token(), 90);
    assertEquals(within90, expiring.batches().size());
    assertEquals(value.bands().subList(0, 4), expiring.bands(), "the same 30/60/90 bands whatever the days asked");
    assertTrue(expiring.batches().stream().allMatch(x -> x.daysToExpiry() <= 90));
  }

  @Test
  @Order(52)
  void reportsAreForPharmacistsAndManagersAndRefuseBadRanges() {
    Session bob = login("bob");
    Session alice = login("alice");
    LocalDate today = LocalDate.now();
    refused(Refusal.NOT_ALLOWED, () -> service.salesByDay(bob.token(), today, today));
    refused(Refusal.NOT_ALLOWED, () -> service.salesByProduct(bob.token(), today, today, 10));
    refused(Refusal.NOT_ALLOWED, () -> service.stockValue(bob.token()));
    refused(Refusal.NOT_ALLOWED, () -> service.expiringStock(bob.token(), 30));
    refused(Refusal.NOT_LOGGED_IN, () -> service.stockValue("not-a-token"));
    refused(Refusal.BAD_INPUT, () -> service.salesByDay(alice.token(), today, today.minusDays(1)));
    refused(Refusal.BAD_INPUT, () -> service.salesByDay(alice.token(), null, today));
    refused(Refusal.BAD_INPUT, () -> service.salesByDay(alice.token(), today.minusDays(ReportService.MAX_DAYS), today));
    refused(Refusal.BAD_INPUT, () -> service.salesByProduct(alice.token(), today, today, 0));
    refused(Refusal.BAD_INPUT, () -> service.expiringStock(alice.token(), -1));
    assertEquals(ReportService.MAX_DAYS, service.salesByDay(alice.token(), today.minusDays(ReportService.MAX_DAYS - 1), today).size());
  }

  private static ReportService.DaySales sum(List<ReportService.DaySales> days) {
    int sales = 0;
    int refunds = 0;
    int units = 0;
    long gross = 0;
    long refunded = 0;
    long vat = 0;
    long cost = 0;
    for (ReportService.DaySales d : days) {
      sales += d.sales();
      refunds += d.refunds();
      units += d.units();
      gross += d.grossMinor();
      refunded += d.refundedMinor();
      vat += d.vatMinor();
      cost += d.costMinor();
    }
    long net = gross - refunded - vat;
    return new ReportService.DaySales(null, sales, refunds, units, gross, refunded, gross - refunded, vat, net, cost, net - cost, 0);
  }

  @Test
  @Order(90)
  void offlineSalesWaitForCentralAndReachItOnce() throws Exception {
    Session s = login("alice");
    String code = SampleCatalogue.barcode(12);
    int before = salesAtCentral();
    stopCentral(central);
    central = null;
    await("offline", () -> service.state().connection() == NodeState.Connection.OFFLINE, () -> service.state().toString());
    assertNotEquals(0, service.state().since());

    // login works offline too
    Session offline = service.login("till-1", "bob", "bob-demo".toCharArray());
    Quote q = service.quote(offline.token(), LineRequest.of(code, 1));
    SaleInfo sale = service.sell(offline.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.card(q.lineTotalMinor()))));
    assertFalse(sale.atCentral(), "kept on the node");
    await("one sale waiting", () -> service.state().pendingSales() == 1, () -> service.state().toString());
    SaleInfo second = service.sell(s.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.card(q.lineTotalMinor()))));
    await("two sales waiting", () -> service.state().pendingSales() == 2, () -> service.state().toString());

    central = startCentral(centralConfig);
    await("online with nothing waiting", () -> {
      NodeState st = service.state();
      return st.connection() == NodeState.Connection.ONLINE && st.pendingSales() == 0;
    }, () -> service.state().toString());
    assertTrue(service.sale(sale.receiptNumber()).atCentral());
    assertTrue(service.sale(second.receiptNumber()).atCentral());
    assertEquals(before + 2, salesAtCentral(), "exactly once");
  }

  // ---- helpers ----

  private Session login(String user) {
    return service.login("till-1", user, (user + "-demo").toCharArray());
  }

  private BatchInfo lot(String code, String lot) {
    return service.batches(code).stream().filter(b -> b.lot().equals(lot)).findFirst()
        .orElseThrow(() -> new AssertionError("no batch " + lot + " of " + code + " in " + service.batches(code)));
  }

  private int salesAtCentral() {
    try (CdoConnection c = CentralClient.open(central.security().issueStaffTool("tests"), centralConfig.endpoint(),
        Repositories.siteRepository(SITE))) {
      return SalesReader.summary(c.session().openView(), SITE).count();
    }
  }

  protected static NodeException refused(Refusal expected, Executable call) {
    NodeException e = assertThrows(NodeException.class, call);
    assertEquals(expected, e.refusal(), e.getMessage());
    assertFalse(e.getMessage().matches("(?s).*\\b(Exception|java\\.|org\\.eclipse)\\b.*"), "plain words: " + e.getMessage());
    return e;
  }

  protected static void await(String what, BooleanSupplier condition, Supplier<String> detail) {
    long deadline = System.currentTimeMillis() + 90_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ": " + detail.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  protected static int freePort() {
    return org.apotheca.security.tls.LoopbackPorts.free();
  }

  private static CentralServer startCentral(ServerConfig config) {
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    return new CentralServer(config, container).start();
  }

  private static void stopCentral(CentralServer server) {
    if (server != null) {
      server.stop();
      LifecycleUtil.deactivate(server.container());
    }
  }
}
