package org.apotheca.node.api;

/**
 * One batch (lot) of a product on hand.
 *
 * @param expiry ISO date ("2027-03-31")
 * @param daysToExpiry negative when expired
 * @param recall the recall number covering this lot, or null
 */
public record BatchInfo(String batchId, String productId, String barcode, String productName, String lot, String expiry,
    int daysToExpiry, int quantity, int quantityReceived, long unitCostMinor, boolean quarantined, String recall,
    String supplier, long receivedAt, String receivedBy) {

  /** Expired, or ≤ 30 / 60 / 90 days to go, or fine: how the till colours a batch. */
  public enum ExpiryBand {
    EXPIRED, DAYS_30, DAYS_60, DAYS_90, LATER
  }

  public ExpiryBand band() {
    if (daysToExpiry < 0) {
      return ExpiryBand.EXPIRED;
    }
    return daysToExpiry <= 30 ? ExpiryBand.DAYS_30 : daysToExpiry <= 60 ? ExpiryBand.DAYS_60
        : daysToExpiry <= 90 ? ExpiryBand.DAYS_90 : ExpiryBand.LATER;
  }
}
