package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;

/**
 * A recorded cash-up: the figures as they were when the till was closed, the count and the difference.
 *
 * @param differenceMinor {@code countedCashMinor - expectedCashMinor}: negative when cash is missing
 * @param closedBy the user who closed it
 * @param note why counted and expected differ (null when they do not)
 */
public record CashUpInfo(String cashUpId, String tillId, LocalDate day, long closedAt, String closedBy, long openingFloatMinor,
    long expectedCashMinor, long countedCashMinor, long differenceMinor, long cardTotalMinor, List<DenominationCount> counted,
    String note, boolean atCentral) {

  public CashUpInfo {
    counted = List.copyOf(counted);
  }
}
