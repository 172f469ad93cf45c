package org.apotheca.node.api;

/**
 * A recorded supplier return.
 *
 * @param valueMinor units times the batch's unit cost: what the supplier should credit
 * @param atCentral whether central has it yet
 */
public record SupplierReturnInfo(String returnId, String batchId, String barcode, String productName, String lot, String expiry,
    int quantity, String supplier, String reason, long returnedAt, String username, long valueMinor, boolean atCentral) {
}
