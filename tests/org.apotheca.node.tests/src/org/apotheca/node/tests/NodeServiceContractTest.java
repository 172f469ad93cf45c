package org.apotheca.node.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import org.apotheca.node.api.Allocation;
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

  @Test
  @Order(20)
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
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
