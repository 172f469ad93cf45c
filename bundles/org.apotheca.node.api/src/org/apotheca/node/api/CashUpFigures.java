package org.apotheca.node.api;

import java.time.LocalDate;

/**
 * What one till took on one business day, as the node holds it now (sales made while offline included), and what
 * should therefore be in its drawer.
 * <p>
 * {@code expectedCashMinor = openingFloatMinor + cashSalesMinor - cashRefundsMinor}: cash sales count what the sale
 * cost, not what was handed over (the change went back out of the drawer). Refunds count at the till that paid them
 * out, whichever till made the sale. {@code cardTotalMinor = cardSalesMinor - cardRefundsMinor} is what the card
 * terminal's end-of-day report should show.
 *
 * @param floatRecorded whether an opening float was recorded for this till and day ({@code openingFloatMinor} is 0
 *        otherwise)
 * @param sales number of sales, {@code refunds} number of refunds paid out at this till
 * @param salesTotalMinor all sales, any payment
 * @param notAtCentral sales and refunds of this till and day that central does not have yet (made offline)
 * @param closed whether the till's cash-up for the day is done; then {@code cashUp} is it, else null
 */
public record CashUpFigures(String tillId, LocalDate day, boolean floatRecorded, long openingFloatMinor, long cashSalesMinor,
    long cashRefundsMinor, long expectedCashMinor, long cardSalesMinor, long cardRefundsMinor, long cardTotalMinor,
    long refundsMinor, int sales, int refunds, long salesTotalMinor, int notAtCentral, boolean closed, CashUpInfo cashUp) {
}
