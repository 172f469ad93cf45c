package org.apotheca.core.ledger;

import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.Refusal;

/**
 * A sale, receipt or other ledger operation was refused or failed; nothing of it was written. The message is
 * meant for the person at the till ("Not enough stock of ...", "Unknown barcode ..."), the {@link Refusal} code
 * for the program (tests and the UI match codes, never text).
 */
public class LedgerException extends NodeException {

  private static final long serialVersionUID = 1L;

  public LedgerException(Refusal refusal, String message) {
    super(refusal, message);
  }

  /** A failure: the request was fine but could not be stored (store or connection failure); it may be retried. */
  public LedgerException(String message, Throwable cause) {
    super(Refusal.NOT_RECORDED, message, cause);
  }

  public LedgerException(Refusal refusal, String message, Throwable cause) {
    super(refusal, message, cause);
  }

  /** True for a refusal of the request, false when storing it failed or the node could not do it now. */
  public boolean isRefusal() {
    return refusal().isRequestRefused();
  }
}
