package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;

/**
 * Stock on hand that has expired or expires soon, valued at cost.
 *
 * @param today the node's business day the report was made on
 * @param days the horizon asked for
 * @param batches every batch on hand (quantity &gt; 0) that expired or expires within {@code days}, earliest expiry
 *        first; {@link BatchInfo#band()} says which band it is in
 * @param bands one total per band, in the order EXPIRED, DAYS_30, DAYS_60, DAYS_90 (LATER when days &gt; 90), bands
 *        with nothing in them included with zeros
 */
public record ExpiryReport(LocalDate today, int days, List<BatchInfo> batches, List<BandTotal> bands) {

  public ExpiryReport {
    batches = List.copyOf(batches);
    bands = List.copyOf(bands);
  }

  /** The batches, units and value at cost in one band. */
  public record BandTotal(BatchInfo.ExpiryBand band, int batches, int units, long valueMinor) {
  }
}
