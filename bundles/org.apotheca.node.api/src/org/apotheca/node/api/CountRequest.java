package org.apotheca.node.api;

import java.util.UUID;

/**
 * A count of one batch for a stocktake, recorded on this till's sheet.
 * <p>
 * The batch is named by {@code batchId}, or (when that is null) by the product's {@code code} and {@code lot} as
 * scanned. The moment of the count is when the node records it: send each count as soon as the shelf is counted.
 *
 * @param countId chosen by the caller before the first attempt: a retry with the same id records it once
 * @param countedQuantity units on the shelf, 0 or more
 * @param location where it was counted ("shelf B3"), optional, at most {@value #MAX_LOCATION} characters
 */
public record CountRequest(String countId, String stocktakeId, String batchId, String code, String lot, int countedQuantity,
    String location) {

  public static final int MAX_LOCATION = 40;

  public static CountRequest ofBatch(String stocktakeId, String batchId, int countedQuantity) {
    return new CountRequest(UUID.randomUUID().toString(), stocktakeId, batchId, null, null, countedQuantity, null);
  }

  public static CountRequest ofLot(String stocktakeId, String code, String lot, int countedQuantity) {
    return new CountRequest(UUID.randomUUID().toString(), stocktakeId, null, code, lot, countedQuantity, null);
  }
}
