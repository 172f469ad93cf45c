package org.apotheca.node.api;

import java.util.UUID;

/**
 * Units of one batch sent back to a supplier.
 *
 * @param returnId chosen by the caller before the first attempt: a retry with the same id records it once
 * @param supplier who takes it back (defaults to the supplier the batch came from when blank), at most
 *        {@link ReceiveRequest#MAX_SUPPLIER} characters
 * @param reason why (damaged, short-dated, wrong item, recall ...), required, at most 200 characters
 */
public record SupplierReturnRequest(String returnId, String batchId, int quantity, String supplier, String reason) {

  public static SupplierReturnRequest of(String batchId, int quantity, String supplier, String reason) {
    return new SupplierReturnRequest(UUID.randomUUID().toString(), batchId, quantity, supplier, reason);
  }
}
