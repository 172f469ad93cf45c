package org.apotheca.node.api;

import java.util.List;

/**
 * A recorded sale.
 *
 * @param atCentral true once central has it (written through online, or merged after an outage)
 * @param changeMinor cash handed back
 */
public record SaleInfo(String saleId, String receiptNumber, long soldAt, String tillId, String username,
    List<Line> lines, List<PaymentRequest> payments, long totalMinor, long vatMinor, long changeMinor,
    long refundedMinor, boolean atCentral) {

  public SaleInfo {
    lines = List.copyOf(lines);
    payments = List.copyOf(payments);
  }

  /** One sold line with the batches it came from and how much of it was refunded since. */
  public record Line(String lineId, String barcode, String productName, int quantity, long unitPriceMinor,
      int vatBasisPoints, long lineTotalMinor, long vatMinor, List<Allocation> allocations, int refundedQuantity) {

    public Line {
      allocations = List.copyOf(allocations);
    }
  }
}
