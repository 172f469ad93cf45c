package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.PaymentMethod;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.ReportService;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.apotheca.core.net.Endpoint;
import org.apotheca.model.money.Money;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.NodeCommands;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.ReplicatorSessions;
import org.apotheca.sync.tests.faults.LinkRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pharmacy's figures on its node and at central: three business days of sales, a refund of an earlier day's sale,
 * two tills, and a day worked offline and merged; then the node's console and central's print the same lines, and
 * the node's till API gives the same numbers.
 */
class NodeReportsTest {

  @TempDir
  Path tmp;

  private CentralServer central;
  private PharmacyNode node;
  private LinkRelay link;
  private LocalNodeService service;

  @AfterEach
  void tearDown() throws Exception {
    if (service != null) {
      service.close();
    }
    if (node != null) {
      node.stop();
    }
    if (link != null) {
      link.close();
    }
    SyncFixture.stopCentral(central);
  }

  @Test
  void theNodeAndCentralPrintTheSameFiguresForTheSameDaysIncludingOfflineWork() throws Exception {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 20).withDemoUsers(true);
    central = SyncFixture.startCentral(config);
    link = new LinkRelay(config.endpoint());
    NodeSellingTest.MovableClock clock = new NodeSellingTest.MovableClock();
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), link.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    node = new PharmacyNode(nc, ReplicatorSessions.Fix.ALL, clock).start();
    assertTrue(node.awaitReady(60_000), "node ready: " + node.status().line());
    service = new LocalNodeService(node, false, clock);
    Session alice = service.login("till-1", "alice", "alice-demo".toCharArray());
    Session aliceAtTill2 = service.login("till-2", "alice", "alice-demo".toCharArray());

    LocalDate day0 = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    String a = SampleCatalogue.barcode(3);
    String b = SampleCatalogue.barcode(4);
    node.receive("receiving", a, "RA1", day0.plusDays(45).toString(), 20, 40);
    node.receive("receiving", b, "RB1", day0.plusDays(200).toString(), 10, 120);

    // day 0, till 1: 3 × A and 1 × B
    SaleInfo first = sell(alice, List.of(LineRequest.of(a, 3), LineRequest.of(b, 1)));
    // day 1: one A of day 0's sale comes back, till 2 sells 2 × A
    clock.advance(Duration.ofDays(1));
    service.refund(alice.token(), RefundRequest.of(first.receiptNumber(), List.of(new RefundRequest.Line(first.lines().get(0).lineId(), 1)),
        "wrong strength", PaymentMethod.CASH));
    sell(aliceAtTill2, List.of(LineRequest.of(a, 2)));
    // day 2 offline: 2 × B sold, a new batch of A received
    clock.advance(Duration.ofDays(1));
    link.setUp(false);
    await("node OFFLINE", 30_000, () -> node.state() == PharmacyNode.State.OFFLINE, () -> node.status().line());
    SaleInfo offline = sell(alice, List.of(LineRequest.of(b, 2)));
    assertTrue(!offline.atCentral(), "kept on the node");
    node.receive("receiving", a, "RA2", day0.plusDays(20).toString(), 5, 50);
    LocalDate day2 = day0.plusDays(2);
    List<String> offlineDays = nodeReport("sales", "--from", day0.toString(), "--to", day2.toString()).lines().toList();

    link.setUp(true);
    await("offline work merged", 60_000, () -> node.status().pendingCommits() == 0 && "MAIN".equals(node.status().branch()),
        () -> node.status().line());

    String[] days = { "--from", day0.toString(), "--to", day2.toString() };
    String sales = centralReport("sales", days);
    assertEquals(sales, nodeReport("sales", days), "central and the node print the same figures");
    assertEquals(String.join("\n", offlineDays), sales, "the merge changed none of the node's figures");
    assertEquals(centralReport("products", days), nodeReport("products", days));
    String[] onDay2 = { "--on", day2.toString() };
    assertEquals(centralReport("stock", onDay2), nodeReport("stock", onDay2));
    String[] expiry = { "--on", day2.toString(), "--days", "60" };
    assertEquals(centralReport("expiry", expiry), nodeReport("expiry", expiry));

    // the figures themselves, worked out from the prices the node charged and the costs it received at
    ProductInfo pa = node.product(a);
    ProductInfo pb = node.product(b);
    long refundVat = Money.vatIncluded(pa.priceMinor(), pa.vatBasisPoints());
    long vat0 = Money.vatIncluded(3 * pa.priceMinor(), pa.vatBasisPoints()) + Money.vatIncluded(pb.priceMinor(), pb.vatBasisPoints());
    List<String> lines = sales.lines().toList();
    assertEquals(5, lines.size(), sales);
    assertTrue(lines.get(1).startsWith("day date=" + day0 + " sales=1 refunds=0 units=4 gross=" + (3 * pa.priceMinor() + pb.priceMinor())
        + " refunded=0 revenue=" + (3 * pa.priceMinor() + pb.priceMinor()) + " vat=" + vat0 + " "), lines.get(1));
    assertTrue(lines.get(1).contains(" cost=" + (3 * 40 + 120) + " "), lines.get(1));
    assertTrue(lines.get(2).startsWith("day date=" + day0.plusDays(1) + " sales=1 refunds=1 units=1 gross=" + 2 * pa.priceMinor()
        + " refunded=" + pa.priceMinor() + " revenue=" + pa.priceMinor() + " vat="
        + (Money.vatIncluded(2 * pa.priceMinor(), pa.vatBasisPoints()) - refundVat) + " "), lines.get(2));
    assertTrue(lines.get(2).contains(" cost=40 "), "2 × 40 sold, 1 × 40 back: " + lines.get(2));
    assertTrue(lines.get(3).startsWith("day date=" + day2 + " sales=1 refunds=0 units=2 "), lines.get(3));
    assertTrue(lines.get(3).contains(" cost=240 "), lines.get(3));
    assertTrue(lines.get(4).startsWith("total sales=3 refunds=1 units=7 "), lines.get(4));

    // the till API gives the same numbers as the console prints
    ReportService.DaySales viaApi = service.salesByDay(alice.token(), day0, day2).get(1);
    assertTrue(lines.get(2).endsWith(" cost=" + viaApi.costMinor() + " margin=" + viaApi.marginMinor() + " marginBp="
        + viaApi.marginBasisPoints()), lines.get(2));
    ReportService.StockValue stock = service.stockValue(alice.token());
    List<BatchInfo> onHand = new java.util.ArrayList<>(node.stock(a));
    onHand.addAll(node.stock(b));
    assertEquals(onHand.stream().mapToLong(x -> x.quantity() * x.unitCostMinor()).sum(), stock.costMinor());
    assertEquals(List.of(16 + 5, 7), List.of(node.stock(a).stream().mapToInt(BatchInfo::quantity).sum(),
        node.stock(b).stream().mapToInt(BatchInfo::quantity).sum()), "A: 20 - 3 + 1 - 2 + 5 received; B: 10 - 1 - 2");
    assertTrue(centralReport("stock", onDay2).startsWith("report stock site=" + SITE + " on=" + day2 + " batches=3 units=28 cost="
        + (16 * 40 + 5 * 50 + 7 * 120) + " list=" + (21 * pa.priceMinor() + 7 * pb.priceMinor()) + " "));
  }

  private SaleInfo sell(Session s, List<LineRequest> lines) {
    long total = 0;
    for (LineRequest l : lines) {
      total += service.quote(s.token(), l).lineTotalMinor();
    }
    return service.sell(s.token(), SaleRequest.of(lines, List.of(PaymentRequest.card(total))));
  }

  private String centralReport(String kind, String... options) throws Exception {
    String[] args = new String[3 + options.length];
    args[0] = "report";
    args[1] = kind;
    args[2] = SITE;
    System.arraycopy(options, 0, args, 3, options.length);
    return new ServerCommands(central).apotheca(args);
  }

  private String nodeReport(String kind, String... options) throws Exception {
    String[] args = new String[2 + options.length];
    args[0] = "report";
    args[1] = kind;
    System.arraycopy(options, 0, args, 2, options.length);
    return new NodeCommands(node).apotheca(args);
  }
}
