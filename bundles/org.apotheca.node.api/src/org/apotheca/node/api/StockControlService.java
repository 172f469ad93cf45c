package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;

/**
 * Stock control beside the till: stocktakes while the shop trades, supplier returns, the expiry report and expired-stock write-off.
 * <p>
 * Part of {@link NodeService}: the same contract holds (every write through the node's one ledger, durable when it
 * returns, idempotent by an id the caller chose, refusals with a {@link Refusal} code and one sentence).
 * <p>
 * Who may do what: a pharmacist or manager starts, finishes and cancels a stocktake and writes off expired stock;
 * anyone who works the counter (pharmacist, assistant, cashier, manager) counts; a pharmacist, assistant or manager
 * returns stock to a supplier. Anyone else gets {@link Refusal#NOT_ALLOWED}. Reads need no session.
 * <p>
 * Every stock change here is a signed stock movement of its own reason (STOCKTAKE, SUPPLIER_RETURN,
 * EXPIRED_WRITE_OFF) recorded with the user and the document's id; a controlled drug's supplier return or write-off
 * also makes its controlled-drugs register entry (RETURNED_TO_SUPPLIER / DESTROYED) in the same commit.
 */
public interface StockControlService {

  // ---- stocktake ----

  /**
   * Starts a stocktake: takes a snapshot of what the books hold of every batch in scope (the request's products, or
   * all), at this moment, and opens it for counting. The shop keeps trading: what moves afterwards is accounted for
   * at each batch's count (see {@link StocktakeLineInfo}).
   * <p>
   * Refuses: {@link Refusal#BAD_INPUT} (no id, no description, more than {@link StocktakeRequest#MAX_PRODUCTS}
   * products), {@link Refusal#FIELD_TOO_LONG}, {@link Refusal#UNKNOWN_BARCODE} for a code not in the catalogue,
   * {@link Refusal#NOT_ALLOWED}. Asking again with the same id returns the stocktake as it is (even if finished).
   */
  StocktakeInfo startStocktake(String token, StocktakeRequest request);

  /** Every stocktake of this pharmacy, newest first, without lines (the figures are filled in). */
  List<StocktakeInfo> stocktakes();

  /** One stocktake with all its lines. Refuses {@link Refusal#NOT_FOUND}. */
  StocktakeInfo stocktake(String stocktakeId);

  /**
   * Records a count of one batch on this till's sheet: the books' quantity at this moment is what the count is
   * compared with. Counting a batch again replaces its earlier count (a recount), from any till. A batch of a
   * product in scope received after the snapshot may be counted (expected at snapshot 0).
   * <p>
   * Refuses: {@link Refusal#NOT_FOUND} (no such stocktake), {@link Refusal#ALREADY_DONE} (finished or cancelled),
   * {@link Refusal#BAD_QUANTITY} (a negative count), {@link Refusal#NOT_IN_STOCK} (no such batch here, or the
   * batch's product is not part of this stocktake), {@link Refusal#LOT_NOT_HELD} (code and lot name no batch here),
   * {@link Refusal#UNKNOWN_BARCODE}, {@link Refusal#BAD_INPUT}, {@link Refusal#FIELD_TOO_LONG} (location),
   * {@link Refusal#NOT_ALLOWED}. A retry with the same count id returns the line as recorded then.
   *
   * @return the batch's line as it is after this count
   */
  StocktakeLineInfo countStock(String token, CountRequest request);

  /**
   * Finishes a stocktake: for every counted batch whose count differs from what the books held at the moment of its
   * count, one STOCKTAKE movement of the difference (so the batch ends at its count plus whatever moved after the
   * count), with the reason and note; all in one commit. Batches not counted are left as they are. A pharmacist or
   * manager only.
   * <p>
   * Refuses: {@link Refusal#NOT_FOUND}, {@link Refusal#ALREADY_DONE} (finished or cancelled before; also the answer to
   * a retry whose first attempt went through: read {@link #stocktake} then), {@link Refusal#BAD_INPUT} (a difference
   * without a reason, {@link AdjustmentReason#OTHER} without a note, a reason for a batch not in the stocktake),
   * {@link Refusal#FIELD_TOO_LONG} (note), {@link Refusal#NOT_ENOUGH_STOCK} (more left the batch after it was counted
   * than the count: count it again), {@link Refusal#NOT_ALLOWED}. Nothing is posted when refused.
   */
  StocktakeInfo finishStocktake(String token, FinishRequest request);

  /**
   * Gives a stocktake up: nothing is posted, counts are kept for the record. A pharmacist or manager only. Refuses
   * {@link Refusal#NOT_FOUND}, {@link Refusal#ALREADY_DONE} (finished, or cancelled before), {@link Refusal#NOT_ALLOWED}.
   */
  StocktakeInfo cancelStocktake(String token, String stocktakeId);

  // ---- supplier returns ----

  /**
   * Sends units of one batch back to a supplier: a SUPPLIER_RETURN movement (negative), the supplier and reason
   * recorded on it. A controlled drug also gets its RETURNED_TO_SUPPLIER register entry.
   * <p>
   * Refuses: {@link Refusal#NOT_IN_STOCK} (no such batch here), {@link Refusal#BAD_QUANTITY} (less than 1),
   * {@link Refusal#NOT_ENOUGH_STOCK} (more than on hand), {@link Refusal#BAD_INPUT} (no reason, no id),
   * {@link Refusal#FIELD_TOO_LONG}, {@link Refusal#NOT_ALLOWED}. A retry with the same return id returns what was
   * recorded.
   */
  SupplierReturnInfo returnToSupplier(String token, SupplierReturnRequest request);

  /** The supplier returns recorded on one business day (all tills), newest first. */
  List<SupplierReturnInfo> supplierReturns(LocalDate day);

  // ---- expiry ----

  /**
   * Batches on hand that have expired or expire within {@code days} (30, 60, 90 ...; 0: expired, and expiring
   * today), with totals per band at cost. Refuses {@link Refusal#BAD_INPUT} for days outside 0-3660.
   */
  ExpiryReport expiryReport(int days);

  /**
   * Writes expired batches down to zero: one EXPIRED_WRITE_OFF movement per batch, the reason on each, one commit.
   * Controlled drugs also get their DESTROYED register entry. A pharmacist or manager only.
   * <p>
   * Refuses: {@link Refusal#NOT_IN_STOCK} (no such batch, or nothing left of it), {@link Refusal#BAD_INPUT} (a batch
   * that has not expired, no reason, no expired stock at all), {@link Refusal#FIELD_TOO_LONG},
   * {@link Refusal#NOT_ALLOWED}. A retry with the same write-off id returns what was recorded.
   */
  WriteOffInfo writeOffExpired(String token, WriteOffRequest request);
}
