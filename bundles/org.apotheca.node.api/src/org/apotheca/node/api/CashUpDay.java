package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;

/**
 * The whole pharmacy's cash on one business day: each till that sold, refunded, recorded a float or was cashed up
 * that day, and the pharmacy's totals.
 *
 * @param tills one per till, by till id; each says whether it is closed
 * @param expectedCashMinor the sum over the tills of expected cash (now, for tills still open)
 * @param countedCashMinor the sum over the closed tills of counted cash; {@code differenceMinor} of their differences
 * @param openTills tills not cashed up yet
 */
public record CashUpDay(LocalDate day, List<CashUpFigures> tills, long expectedCashMinor, long countedCashMinor,
    long differenceMinor, long cardTotalMinor, long salesTotalMinor, long refundsMinor, int sales, int openTills) {

  public CashUpDay {
    tills = List.copyOf(tills);
  }
}
