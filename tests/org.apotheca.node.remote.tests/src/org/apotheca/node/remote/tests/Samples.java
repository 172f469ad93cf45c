package org.apotheca.node.remote.tests;

import java.util.List;
import java.util.Set;

import org.apotheca.node.api.Allocation;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeState;
import org.apotheca.node.api.PaymentMethod;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.RecallAlert;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.RefundInfo;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.Resolution;
import org.apotheca.node.api.Role;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.Session;

/**
 * Known values for the transport tests: every record of the API with every field set to something recognisable,
 * extremes of the number types, text in several scripts, and the nulls the API allows.
 */
final class Samples {

  /** Accents, a dash, CJK, an emoji (a surrogate pair), NUL (which modified UTF-8 writes as two bytes), Greek. */
  static final String UNICODE = "Ibuprofène 400 mg – 布洛芬 😀 \u0000 Ω";
  /** 3 bytes per char in UTF-8: more than one 64 KB writeUTF chunk and many Net4j buffers. */
  static final String LONG = "€".repeat(70_000) + " end";
  /** Not valid UTF-16 on its own, still a Java string: the protocol must not replace it with '?'. */
  static final String LONE_SURROGATE = "lot\uD800x";

  private Samples() {
  }

  static Allocation allocation(int i) {
    return new Allocation("batch-" + i, "LOT-" + i, "2027-03-" + (10 + i), i + 1);
  }

  static ProductInfo product(String name) {
    return new ProductInfo("p-1", "4006381333931", "04006381333931", name, "Ibuprofen", "20 tablets", 499, 2000, "",
        false, true, Integer.MAX_VALUE, Integer.MIN_VALUE);
  }

  static ProductInfo productWithNulls() {
    return new ProductInfo("p-2", null, null, UNICODE, null, null, Long.MIN_VALUE, 0, null, true, false, 0, -1);
  }

  static BatchInfo batch() {
    return new BatchInfo("b-1", "p-1", "4006381333931", UNICODE, LONE_SURROGATE, "2027-03-31", -3, 12, 40, 233,
        true, "R-2026-17", "Großhandel Süd", Long.MAX_VALUE, "bob");
  }

  static BatchInfo batchWithoutRecall() {
    return new BatchInfo("b-2", "p-1", "4006381333931", "Ibuprofen", "L2", "2028-01-31", 400, 1, 1, 0, false, null,
        null, 0, "");
  }

  static Session session(String tillId, String username) {
    return new Session("token-that-must-never-be-logged", username, UNICODE, Set.of(Role.values()), "0001", tillId);
  }

  static Quote quote(LineRequest line) {
    return new Quote(product("quoted"), line, 499, 2000, 998, 166, List.of(allocation(1), allocation(2)));
  }

  static SaleInfo sale(String saleId) {
    SaleInfo.Line first = new SaleInfo.Line("line-1", "4006381333931", UNICODE, 3, 499, 2000, 1497, 250,
        List.of(allocation(1), allocation(2)), 1);
    SaleInfo.Line second = new SaleInfo.Line("line-2", "0123456789012", "Plaster", 1, 0, 0, 0, 0, List.of(), 0);
    return new SaleInfo(saleId, "0001-20261130-0042", 1_796_000_000_000L, "till-1", "alice", List.of(first, second),
        List.of(PaymentRequest.cash(1000, 2000), PaymentRequest.card(497)), 1497, 250, 1000, 499, true);
  }

  static RefundInfo refund(RefundRequest request) {
    return new RefundInfo(request.refundId(), request.receiptNumber(), -1L, "alice", request.reason(), request.method(),
        499, List.of(allocation(3)), false);
  }

  static BatchInfo received(ReceiveRequest request) {
    return new BatchInfo("b-new", "p-1", request.code(), "Ibuprofen", request.lot(), request.expiry(), 365,
        request.quantity(), request.quantity(), request.unitCostMinor(), false, null, request.supplier(), 42L, "bob");
  }

  static NodeState state() {
    RecallAlert full = new RecallAlert("R-2026-17", "4006381333931", UNICODE, List.of("L1", LONE_SURROGATE), 5, LONG,
        1_796_000_000_000L);
    RecallAlert empty = new RecallAlert("R-2026-18", "", "", List.of(), 0, "", 0);
    return new NodeState("0001", NodeState.Connection.CATCHING_UP, 123L, null, 7, 456L, 789L, List.of(full, empty));
  }

  /** What a status bar polls every second: one recall alert, short texts (the state() sample carries 200 KB). */
  static NodeState typicalState() {
    return new NodeState("0001", NodeState.Connection.ONLINE, 1_796_000_000_000L, null, 0, 1_796_000_100_000L,
        1_796_000_050_000L, List.of(new RecallAlert("R-2026-17", "4006381333931", "Ibuprofen 400 mg 20 tablets",
            List.of("L1", "L2"), 5, "Contamination of lots L1 and L2", 1_796_000_000_000L)));
  }

  static List<Resolution> resolutions() {
    return List.of(new Resolution(1L, "price-changed", UNICODE), new Resolution(Long.MAX_VALUE, "", LONG));
  }

  static RefundRequest refundRequest() {
    return new RefundRequest("refund-1", "0001-20261130-0042",
        List.of(new RefundRequest.Line("line-1", 1), new RefundRequest.Line("line-2", 0)), UNICODE, PaymentMethod.CARD);
  }
}
