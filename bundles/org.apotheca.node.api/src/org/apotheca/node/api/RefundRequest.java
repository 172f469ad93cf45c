package org.apotheca.node.api;

import java.util.List;
import java.util.UUID;

/** Refund of some lines of an earlier sale, by its receipt number. */
public record RefundRequest(String refundId, String receiptNumber, List<Line> lines, String reason, PaymentMethod method) {

  public RefundRequest {
    lines = List.copyOf(lines);
  }

  public static RefundRequest of(String receiptNumber, List<Line> lines, String reason, PaymentMethod method) {
    return new RefundRequest(UUID.randomUUID().toString(), receiptNumber, lines, reason, method);
  }

  /** Units of one sale line to refund. */
  public record Line(String saleLineId, int quantity) {
  }
}
