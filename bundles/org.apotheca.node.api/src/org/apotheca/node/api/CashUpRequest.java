package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Closes one till's business day.
 *
 * @param cashUpId chosen by the caller before the first attempt: a retry with the same id returns the recorded cash-up
 * @param day null: the node's business day today
 * @param openingFloatMinor the float the day started with; when one was recorded with
 *        {@link CashUpService#recordFloat} it must be the same
 * @param counted the drawer's notes and coins; their sum is the counted cash
 * @param note required when counted and expected cash differ, at most {@value #MAX_NOTE} characters
 */
public record CashUpRequest(String cashUpId, String tillId, LocalDate day, long openingFloatMinor, List<DenominationCount> counted,
    String note) {

  public static final int MAX_NOTE = 200;
  /** Distinct denominations in one count: far more than any currency has. */
  public static final int MAX_DENOMINATIONS = 30;

  public CashUpRequest {
    counted = counted == null ? List.of() : List.copyOf(counted);
  }

  public static CashUpRequest of(String tillId, LocalDate day, long openingFloatMinor, List<DenominationCount> counted, String note) {
    return new CashUpRequest(UUID.randomUUID().toString(), tillId, day, openingFloatMinor, counted, note);
  }
}
