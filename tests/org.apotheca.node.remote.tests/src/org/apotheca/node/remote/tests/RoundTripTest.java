package org.apotheca.node.remote.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeState;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.ReportService;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.junit.jupiter.api.Test;

/**
 * Every operation across a real Net4j TCP connection: the arguments arrive at the node as the till sent them, and
 * the answer arrives at the till equal (records compare every component, lists every element) to what the node
 * returned.
 */
class RoundTripTest extends TillOnLoopback {

  private static final String TOKEN = "token-that-must-never-be-logged";

  @Test
  void login() {
    char[] password = "pässwörd 😀".toCharArray();
    Session session = till.login("till-7", Samples.UNICODE, password);

    assertEquals(Samples.session("till-7", Samples.UNICODE), session);
    assertEquals(TOKEN, session.token());
    List<Object> args = node.lastCall("login").args();
    assertEquals("till-7", args.get(0));
    assertEquals(Samples.UNICODE, args.get(1));
    assertArrayEquals("pässwörd 😀".toCharArray(), (char[]) args.get(2));
    assertArrayEquals("pässwörd 😀".toCharArray(), password, "the caller's array is the caller's to wipe");
  }

  @Test
  void logoutAndSession() {
    till.logout("tok-ü");
    assertEquals(List.of("tok-ü"), node.lastCall("logout").args());

    assertEquals(Samples.session("till-1", "alice"), till.session(TOKEN));
    assertEquals(List.of(TOKEN), node.lastCall("session").args());
  }

  @Test
  void searchProductAndBatches() {
    assertEquals(List.of(Samples.product(Samples.UNICODE), Samples.productWithNulls()), till.search(Samples.UNICODE, 25));
    assertEquals(List.of(Samples.UNICODE, 25), node.lastCall("search").args());

    assertEquals(Samples.product(Samples.LONE_SURROGATE), till.product(Samples.LONE_SURROGATE));
    assertEquals(List.of(Samples.LONE_SURROGATE), node.lastCall("product").args());

    assertEquals(List.of(Samples.batch(), Samples.batchWithoutRecall()), till.batches("4006381333931"));
    assertEquals(List.of("4006381333931"), node.lastCall("batches").args());
  }

  @Test
  void longTextsAndLongListsCrossWhole() {
    List<ProductInfo> many = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      many.add(Samples.product("product " + i + " " + Samples.UNICODE));
    }
    node.on("search", a -> many);

    assertEquals(many, till.search(Samples.LONG, Integer.MAX_VALUE));
    assertEquals(List.of(Samples.LONG, Integer.MAX_VALUE), node.lastCall("search").args());
    node.on("search", a -> List.of());
    assertEquals(List.of(), till.search("", 0));
  }

  @Test
  void quoteWithAndWithoutLot() {
    LineRequest fefo = LineRequest.of("4006381333931", 2);
    assertEquals(Samples.quote(fefo), till.quote(TOKEN, fefo));
    assertEquals(List.of(TOKEN, fefo), node.lastCall("quote").args());
    assertNull(((LineRequest) node.lastCall("quote").args().get(1)).lot());

    LineRequest scanned = new LineRequest("(01)04006381333931", Samples.LONE_SURROGATE, "2027-03-31", -1);
    assertEquals(Samples.quote(scanned), till.quote(TOKEN, scanned));
    assertEquals(scanned, node.lastCall("quote").args().get(1));
  }

  @Test
  void sellAndReadSales() {
    SaleRequest request = new SaleRequest("sale-ü-1",
        List.of(LineRequest.of("4006381333931", 3), new LineRequest("0123456789012", "L9", "2027-01-31", 1)),
        List.of(PaymentRequest.cash(1000, 2000), PaymentRequest.card(497)));
    SaleInfo sold = till.sell(TOKEN, request);

    assertEquals(Samples.sale("sale-ü-1"), sold);
    assertEquals(List.of(TOKEN, request), node.lastCall("sell").args());

    assertEquals(Samples.sale("sale-for-0001-20261130-0042"), till.sale("0001-20261130-0042"));
    assertEquals(List.of(Samples.sale("s-1"), Samples.sale("s-2")), till.sales(LocalDate.of(2026, 11, 30)));
    assertEquals(List.of(LocalDate.of(2026, 11, 30)), node.lastCall("sales").args());
    till.sales(LocalDate.MIN);
    assertEquals(LocalDate.MIN, node.lastCall("sales").args().get(0));
    till.sales(LocalDate.MAX);
    assertEquals(LocalDate.MAX, node.lastCall("sales").args().get(0));
  }

  @Test
  void refundAndReceive() {
    RefundRequest refund = Samples.refundRequest();
    assertEquals(Samples.refund(refund), till.refund(TOKEN, refund));
    assertEquals(List.of(TOKEN, refund), node.lastCall("refund").args());

    ReceiveRequest receipt = new ReceiveRequest("receipt-1", "4006381333931", "LOT-7", "2028-02-29", 40, 233,
        "Großhandel Süd 😀");
    assertEquals(Samples.received(receipt), till.receive(TOKEN, receipt));
    assertEquals(List.of(TOKEN, receipt), node.lastCall("receive").args());
  }

  @Test
  void reportsCrossWholeNegativeFiguresAndMissingNamesIncluded() {
    LocalDate from = LocalDate.of(2026, 11, 1);
    LocalDate to = LocalDate.of(2026, 11, 30);
    List<ReportService.DaySales> days = List.of(
        new ReportService.DaySales(from, 3, 1, 7, 12_345, 450, 11_895, 1_982, 9_913, 6_000, 3_913, 3_947),
        new ReportService.DaySales(to, 0, 2, -3, 0, 900, -900, -150, -750, -120, -630, 8_400));
    node.on("salesByDay", a -> days);
    assertEquals(days, till.salesByDay(TOKEN, from, to));
    assertEquals(List.of(TOKEN, from, to), node.lastCall("salesByDay").args());

    List<ReportService.ProductSales> products = List.of(new ReportService.ProductSales(1, "p-1", null, "Ibuprofen 200 mg 😀", 4, 1_000,
        166, 834, 160, 674, 8_082), new ReportService.ProductSales(2, "p-2", "5000010000026", null, 1, 1_000, 48, 952, 100, 852, 8_950));
    node.on("salesByProduct", a -> products);
    assertEquals(products, till.salesByProduct(TOKEN, from, to, 25));
    assertEquals(List.of(TOKEN, from, to, 25), node.lastCall("salesByProduct").args());

    ReportService.StockBand expired = new ReportService.StockBand(BatchInfo.ExpiryBand.EXPIRED, 1, 5, 500, 6_185);
    ReportService.StockValue value = new ReportService.StockValue(to, 2, 15, 900, 37_365, List.of(
        new ReportService.ProductStock("p-2", "5000010000026", "Beta", 1, 5, 500, 6_185)), List.of(expired));
    node.on("stockValue", a -> value);
    assertEquals(value, till.stockValue(TOKEN));

    ReportService.ExpiringStock expiring = new ReportService.ExpiringStock(to, 60, List.of(expired), List.of(
        new ReportService.ExpiringBatch("b-1", "p-2", "5000010000026", "Beta", "LB1", to.minusDays(1), -1, BatchInfo.ExpiryBand.EXPIRED,
            5, 500, 6_185)));
    node.on("expiringStock", a -> expiring);
    assertEquals(expiring, till.expiringStock(TOKEN, 60));
    assertEquals(List.of(TOKEN, 60), node.lastCall("expiringStock").args());
  }

  @Test
  void stateAndResolutions() {
    assertEquals(Samples.state(), till.state());
    assertEquals(Samples.resolutions(), till.resolutions());
    assertEquals(1, node.calls("state").size());
    assertEquals(1, node.calls("resolutions").size());
  }

  @Test
  void nullsCrossWhereTheApiAllowsThem() {
    node.on("product", a -> null);
    assertNull(till.product("no such"));

    node.on("state", a -> new NodeState(null, NodeState.Connection.OFFLINE,
        0, null, 0, 0, 0, List.of()));
    assertEquals(new NodeState(null, NodeState.Connection.OFFLINE, 0, null,
        0, 0, 0, List.of()), till.state());

    till.quote(null, new LineRequest(null, null, null, 0));
    assertEquals(Arrays.asList(null, new LineRequest(null, null, null, 0)), node.lastCall("quote").args());
  }

  @Test
  void textLongerThanTheProtocolCarriesIsRefusedBeforeSending() {
    NodeException e = assertThrows(NodeException.class, () -> till.search("x".repeat(2_000_000), 1));
    assertEquals(Refusal.FIELD_TOO_LONG, e.refusal());
    assertTrue(node.calls("search").isEmpty(), "nothing reached the node");
    assertEquals(Samples.state(), till.state(), "and the link is fine");
  }
}
