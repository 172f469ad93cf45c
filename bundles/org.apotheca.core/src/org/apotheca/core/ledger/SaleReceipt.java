package org.apotheca.core.ledger;

import java.util.List;

/** What the till prints once a sale is durable: the sale's id, receipt number, what was taken from which batch. */
public record SaleReceipt(String saleId, String receiptNumber, String barcode, String productName, int quantity,
    long unitPriceMinor, long totalMinor, List<Allocation> allocations, boolean offline) {

  /** Units taken from one batch (FEFO: earliest expiry first). */
  public record Allocation(String batchId, String lotNumber, String expiryDate, int quantity) {
  }

  /** The console's one-line form: {@code sale id=<uuid> receipt=<n> total=<minor> lots=L1:2,L2:1}. */
  public String line() {
    StringBuilder lots = new StringBuilder();
    for (Allocation a : allocations) {
      lots.append(lots.length() == 0 ? "" : ",").append(a.lotNumber()).append(':').append(a.quantity());
    }
    return "sale id=" + saleId + " receipt=" + receiptNumber + " barcode=" + barcode + " quantity=" + quantity
        + " total=" + totalMinor + " lots=" + lots + (offline ? " offline=yes" : "");
  }
}
