package org.apotheca.node.api;

/**
 * One batch of a stocktake: what the books said at the snapshot, what moved since (sales, refunds, receipts,
 * returns, write-offs) up to the moment it was counted, and the count.
 * <p>
 * The rule: {@code expectedAtCount = expectedAtSnapshot + movedSinceSnapshot}, and
 * {@code difference = countedQuantity - expectedAtCount}. A pack sold while the count went on is in
 * {@code movedSinceSnapshot} if it was sold before the batch was counted, and in neither figure if after: it never
 * shows as a loss.
 *
 * @param expectedAtSnapshot units the books held when the stocktake started (0 for a batch received since)
 * @param movedSinceSnapshot signed units moved between the snapshot and the count; for a batch not counted yet,
 *        up to now
 * @param counted whether the batch has been counted; the other count fields are 0 / null until it is
 * @param countedAt when the node recorded the (latest) count: a recount replaces the earlier count
 * @param countedBy who counted, {@code tillId} at which till
 * @param difference counted minus expected at the count; 0 while not counted
 * @param differenceValueMinor {@code difference} at the batch's unit cost
 * @param reason why it differs, given when the stocktake is finished ({@link AdjustmentReason#NONE} before)
 * @param note the note given with the reason, or null
 */
public record StocktakeLineInfo(String batchId, String productId, String barcode, String productName, String lot, String expiry,
    long unitCostMinor, int expectedAtSnapshot, int movedSinceSnapshot, boolean counted, int countedQuantity, long countedAt,
    String countedBy, String tillId, int difference, long differenceValueMinor, AdjustmentReason reason, String note) {

  /** What the books held at the moment of the count (or now, while not counted). */
  public int expectedAtCount() {
    return expectedAtSnapshot + movedSinceSnapshot;
  }
}
