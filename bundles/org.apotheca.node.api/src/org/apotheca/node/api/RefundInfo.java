package org.apotheca.node.api;

import java.util.List;

/** A recorded refund: what went back to which batch, at the price paid. */
public record RefundInfo(String refundId, String saleReceiptNumber, long refundedAt, String username, String reason,
    PaymentMethod method, long totalMinor, List<Allocation> returned, boolean atCentral) {

  public RefundInfo {
    returned = List.copyOf(returned);
  }
}
