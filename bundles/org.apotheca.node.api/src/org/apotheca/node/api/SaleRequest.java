package org.apotheca.node.api;

import java.util.List;
import java.util.UUID;

/**
 * A basket being paid.
 *
 * @param saleId chosen by the till (a UUID) before the first attempt: a retry after a lost answer sends the same id
 *        and the node records the sale once
 */
public record SaleRequest(String saleId, List<LineRequest> lines, List<PaymentRequest> payments) {

  public SaleRequest {
    lines = List.copyOf(lines);
    payments = List.copyOf(payments);
  }

  public static SaleRequest of(List<LineRequest> lines, List<PaymentRequest> payments) {
    return new SaleRequest(UUID.randomUUID().toString(), lines, payments);
  }
}
