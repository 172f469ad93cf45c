package org.apotheca.node.api;

import java.time.LocalDate;

/**
 * Cash-up at the end of a till's day: opening float, expected against counted cash, card totals, refunds, the difference with a note and the closing user.
 * <p>
 * Part of {@link NodeService}: the same contract holds (every write through the node's one ledger, durable when it
 * returns, idempotent by an id the caller chose, refusals with a {@link Refusal} code and one sentence).
 * <p>
 * Each till has its own cash-up per business day, computed from that till's own sales and refunds as the node holds
 * them (made online or offline: the node's ledger has them all); {@link #cashUps} adds them up for the pharmacy.
 * Who may: anyone who works the counter (pharmacist, assistant, cashier, manager) records a float and reads the
 * figures; a pharmacist or manager closes a till's cash-up, for any till of the pharmacy.
 */
public interface CashUpService {

  /**
   * A till's takings of a day so far and the cash its drawer should hold ({@link CashUpFigures}).
   *
   * @param tillId null: the session's till
   * @param day null: today
   *        Refuses {@link Refusal#BAD_INPUT} (bad till id, a day in the future), {@link Refusal#NOT_ALLOWED},
   *        {@link Refusal#NOT_LOGGED_IN}.
   */
  CashUpFigures cashUpFigures(String token, String tillId, LocalDate day);

  /**
   * Records the opening float of a till's day (recording it again before the cash-up replaces it). Refuses
   * {@link Refusal#ALREADY_DONE} once the till's day is cashed up, {@link Refusal#BAD_INPUT} (negative, too large,
   * bad till id, a day in the future), {@link Refusal#NOT_ALLOWED}.
   *
   * @return the till's figures with the float
   */
  CashUpFigures recordFloat(String token, FloatRequest request);

  /**
   * Closes a till's business day: expected cash as in {@link CashUpFigures} at this moment, counted cash the sum of
   * the denominations, the difference (counted - expected), the card total, the note and the closing user, one
   * commit. One cash-up per till and day.
   * <p>
   * Refuses: {@link Refusal#ALREADY_DONE} (the till's day was cashed up before under another id),
   * {@link Refusal#BAD_INPUT} (a difference without a note, a denomination of 0 or less, a float that differs from
   * the one recorded, a day in the future, bad till id, no id), {@link Refusal#BAD_QUANTITY} (a negative count),
   * {@link Refusal#FIELD_TOO_LONG} (note), {@link Refusal#NOT_ALLOWED}. A retry with the same cash-up id returns the
   * recorded cash-up.
   */
  CashUpInfo closeCashUp(String token, CashUpRequest request);

  /** Every till's figures and cash-up of a business day (null: today) and the pharmacy's totals. */
  CashUpDay cashUps(LocalDate day);
}
