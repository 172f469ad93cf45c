package org.apotheca.node.api;

/**
 * Why a counted quantity differs from what the books expected. Every difference a stocktake posts carries one;
 * {@link #OTHER} also needs a note.
 */
public enum AdjustmentReason {
  /** No reason given: only valid for a line without a difference. */
  NONE,
  /** Miscounted before (the books were right, an earlier count or receipt was wrong). */
  COUNT_ERROR,
  DAMAGED,
  EXPIRED,
  THEFT,
  /** More on the shelf than the books say. */
  FOUND,
  /** Sold without going through a till. */
  UNRECORDED_SALE,
  /** Needs a note saying what happened. */
  OTHER
}
