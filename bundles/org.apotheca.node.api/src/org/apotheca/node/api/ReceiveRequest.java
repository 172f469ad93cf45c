package org.apotheca.node.api;

import java.util.UUID;

/**
 * Goods received: one batch of one product.
 *
 * @param expiry ISO date
 * @param unitCostMinor what the pharmacy paid per unit, in minor units
 */
public record ReceiveRequest(String receiptId, String code, String lot, String expiry, int quantity, long unitCostMinor,
    String supplier) {

  /** The longest lot number GS1 allows (AI 10): anything longer is refused, never stored. */
  public static final int MAX_LOT = 20;
  public static final int MAX_SUPPLIER = 60;

  public static ReceiveRequest of(String code, String lot, String expiry, int quantity, long unitCostMinor, String supplier) {
    return new ReceiveRequest(UUID.randomUUID().toString(), code, lot, expiry, quantity, unitCostMinor, supplier);
  }
}
