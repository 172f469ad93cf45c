package org.apotheca.node.api;

import java.util.List;

/**
 * A recorded expired-stock write-off.
 *
 * @param lines one per batch, quantities negative (units taken out), value at cost
 * @param units and {@code valueMinor}: the totals, positive
 */
public record WriteOffInfo(String writeOffId, long writtenOffAt, String username, String reason, List<StockChange> lines,
    int units, long valueMinor, boolean atCentral) {

  public WriteOffInfo {
    lines = List.copyOf(lines);
  }
}
