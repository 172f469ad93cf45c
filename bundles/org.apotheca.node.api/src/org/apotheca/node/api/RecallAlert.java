package org.apotheca.node.api;

import java.util.List;

/** A recall that hits stock this pharmacy holds: every till shows it until the stock is gone or the recall lifted. */
public record RecallAlert(String recallNumber, String barcode, String productName, List<String> lots, int unitsOnHand,
    String reason, long issuedAt) {

  public RecallAlert {
    lots = List.copyOf(lots);
  }
}
