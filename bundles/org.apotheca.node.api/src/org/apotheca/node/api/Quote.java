package org.apotheca.node.api;

import java.util.List;

/** A basket line priced and planned (FEFO) by the node, nothing written. */
public record Quote(ProductInfo product, LineRequest line, long unitPriceMinor, int vatBasisPoints, long lineTotalMinor,
    long vatMinor, List<Allocation> allocations) {

  public Quote {
    allocations = List.copyOf(allocations);
  }
}
