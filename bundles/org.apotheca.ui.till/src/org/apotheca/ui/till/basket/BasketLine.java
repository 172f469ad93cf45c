package org.apotheca.ui.till.basket;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apotheca.node.api.Allocation;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.Quote;

/** One basket line: what was asked for, as the node priced and planned it. Immutable; edits replace the line. */
public record BasketLine(String id, Quote quote) {

  public LineRequest request() {
    return quote.line();
  }

  public int quantity() {
    return quote.line().quantity();
  }

  public String name() {
    return quote.product().name();
  }

  /** A line from a plain barcode (no lot given) grows when the same product is scanned again. */
  public boolean mergesWith(String gtin, String lot) {
    return lot == null && quote.line().lot() == null && quote.product().gtin().equals(gtin);
  }

  /** The lots the node plans to take the units from, earliest expiry first. */
  public String lots() {
    Set<String> lots = new LinkedHashSet<>();
    for (Allocation a : quote.allocations()) {
      lots.add(a.lot());
    }
    if (lots.isEmpty() && quote.line().lot() != null) {
      lots.add(quote.line().lot());
    }
    return String.join(", ", lots);
  }

  public BasketLine with(Quote q) {
    return new BasketLine(id, q);
  }
}
