package org.apotheca.node.api;

/** Why the node refused or could not do what a till asked. Tests and the UI match these, never message text. */
public enum Refusal {
  // input
  BAD_INPUT,
  FIELD_TOO_LONG,
  BAD_QUANTITY,
  BAD_PAYMENT,
  // catalogue
  UNKNOWN_BARCODE,
  WITHDRAWN,
  RECALLED,
  // stock
  NOT_IN_STOCK,
  NOT_ENOUGH_STOCK,
  EXPIRED,
  LOT_NOT_HELD,
  LOT_EXPIRY_MISMATCH,
  // documents
  SALE_NOT_FOUND,
  REFUND_TOO_LARGE,
  /** A patient, prescriber, prescription, stocktake or other document the request names does not exist here. */
  NOT_FOUND,
  /** The document was finished before (a finalised prescription, a completed stocktake, a closed cash-up). */
  ALREADY_DONE,
  // dispensing
  /** A severe warning stands and no pharmacist override with a reason was given for it. */
  OVERRIDE_REQUIRED,
  // people
  LOGIN_FAILED,
  USER_DISABLED,
  NOT_LOGGED_IN,
  NOT_ALLOWED,
  // the node itself
  NODE_NOT_READY,
  NODE_UNREACHABLE,
  /** The request was fine but storing it failed; nothing was recorded and it may be tried again. */
  NOT_RECORDED;

  /** Refusals of the request itself; the others are failures of the node or the link, worth a retry. */
  public boolean isRequestRefused() {
    return this != NODE_NOT_READY && this != NODE_UNREACHABLE && this != NOT_RECORDED;
  }
}
