package org.apotheca.core.ledger;

/**
 * A sale, receipt or other ledger operation was refused or failed; nothing of it was written. The message is
 * meant for the person at the till ("Not enough stock of ...", "Unknown barcode ...").
 */
public class LedgerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean refused;

  /** A refusal: the request itself cannot be done (unknown barcode, no stock, bad quantity). */
  public LedgerException(String message) {
    super(message);
    this.refused = true;
  }

  /** A failure: the request was fine but could not be stored (store or connection failure); it may be retried. */
  public LedgerException(String message, Throwable cause) {
    super(message, cause);
    this.refused = false;
  }

  /** True for a refusal of the request, false when storing it failed. */
  public boolean isRefusal() {
    return refused;
  }
}
