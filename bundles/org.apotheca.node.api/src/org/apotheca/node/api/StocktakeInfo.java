package org.apotheca.node.api;

import java.util.List;

/**
 * A stocktake with its lines (or without them, in {@link StockControlService#stocktakes()}).
 * <p>
 * The figures the screen shows at a glance: {@code batches} lines (batches in the stocktake), of which
 * {@code counted} are counted and {@code differences} differ from what the books expected at the moment of their
 * count; {@code differenceUnits} and {@code differenceValueMinor} (at cost) sum those differences, signed
 * (negative: less on the shelf than on the books).
 *
 * @param productCodes the products it covers as requested; empty: the whole pharmacy
 * @param snapshotAt when the expected quantities were taken (the stocktake's start)
 * @param finishedAt when it was finished or cancelled, 0 while in progress
 * @param finishedBy who finished or cancelled it, null while in progress
 * @param lines earliest product name first, then expiry; empty in summaries
 * @param atCentral whether central has it as it is now
 */
public record StocktakeInfo(String stocktakeId, String description, Status status, List<String> productCodes, long snapshotAt,
    String startedBy, long finishedAt, String finishedBy, int batches, int counted, int differences, int differenceUnits,
    long differenceValueMinor, List<StocktakeLineInfo> lines, boolean atCentral) {

  public StocktakeInfo {
    productCodes = List.copyOf(productCodes);
    lines = List.copyOf(lines);
  }

  public enum Status {
    /** Counting; the shop may trade meanwhile. */
    IN_PROGRESS,
    /** Adjustments posted; nothing more can be counted. */
    FINISHED,
    /** Given up: nothing was posted. */
    CANCELLED
  }
}
