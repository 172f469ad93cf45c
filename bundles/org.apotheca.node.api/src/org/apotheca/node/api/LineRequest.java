package org.apotheca.node.api;

/**
 * One basket line as the till asks for it.
 *
 * @param code the product's barcode (any of EAN-13, UPC-A, GTIN-14) or internal code
 * @param lot null for FEFO over every batch; a lot (from a GS1 scan) to sell only that lot
 * @param expiry null, or the ISO expiry date the scan carried: checked against the batch on the shelf
 */
public record LineRequest(String code, String lot, String expiry, int quantity) {

  public static LineRequest of(String code, int quantity) {
    return new LineRequest(code, null, null, quantity);
  }
}
