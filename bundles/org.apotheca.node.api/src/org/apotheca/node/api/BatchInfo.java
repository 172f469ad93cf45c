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
    EXPIRED, DAYS_30, DAYS_60, DAYS_90, LATER;

    /** The band of a batch this many days before its expiry (negative: expired). */
    public static ExpiryBand of(long daysToExpiry) {
      if (daysToExpiry < 0) {
        return EXPIRED;
      }
      return daysToExpiry <= 30 ? DAYS_30 : daysToExpiry <= 60 ? DAYS_60 : daysToExpiry <= 90 ? DAYS_90 : LATER;
    }
  }

  public ExpiryBand band() {
    return ExpiryBand.of(daysToExpiry);
  }
}
