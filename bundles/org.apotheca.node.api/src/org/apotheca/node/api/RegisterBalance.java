package org.apotheca.node.api;

/**
 * A controlled drug's register balance against the stock on hand.
 *
 * @param registerBalance the register's running balance
 * @param onHand units in stock (every batch, expired and quarantined ones too)
 * @param difference {@code onHand - registerBalance}: 0 when they agree
 */
public record RegisterBalance(String productId, String barcode, String productName, String schedule, int registerBalance,
    int onHand, int difference) {

  public boolean agrees() {
    return difference == 0;
  }
}
