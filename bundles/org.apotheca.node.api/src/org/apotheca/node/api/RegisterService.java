package org.apotheca.node.api;

import java.util.List;

/**
 * The controlled-drugs register: per drug, chronological, running balance; entries made only by receipts,
 * dispensings, supplier returns and write-offs, never typed; corrections are dated notes; a balance check against
 * stock.
 * <p>
 * Part of {@link NodeService}: the same contract holds (every write through the node's one ledger, durable when it
 * returns, idempotent by an id the caller chose, refusals with a {@link Refusal} code and one sentence).
 * <p>
 * There is no call that edits or deletes an entry, and the node has no code path that changes one once made. Reads
 * are open to pharmacists, assistants and managers; notes to pharmacists only.
 */
public interface RegisterService {

  /** Every controlled drug (schedule other than none) with a register at this pharmacy, by name. */
  List<RegisterDrug> registerDrugs(String token);

  /**
   * One drug's register, entries in the order they were made with their running balance (what the printed register
   * shows). {@link Refusal#UNKNOWN_BARCODE} for an unknown code; a controlled drug with no entries yet gives an empty
   * register; {@link Refusal#BAD_INPUT} for a product that is not a controlled drug.
   */
  DrugRegister register(String token, String code);

  /**
   * Appends a dated CORRECTION_NOTE entry pointing at the entry it corrects, on the drug's current page; the balance
   * stays as it is (pharmacist only). Refuses an unknown entry ({@link Refusal#NOT_FOUND}), blank text
   * ({@link Refusal#BAD_INPUT}). Idempotent by {@link RegisterNoteRequest#noteId()}.
   */
  RegisterEntry addRegisterNote(String token, RegisterNoteRequest request);

  /** For every controlled drug with a register or with stock: the register balance against stock on hand. */
  List<RegisterBalance> registerBalanceCheck(String token);
}
