package org.apotheca.node.api;

/** What a controlled-drugs register entry records. */
public enum RegisterEntryKind {
  /** Received from a supplier (a goods receipt): balance up. */
  RECEIVED,
  /** Supplied to a patient (a dispensing): balance down. */
  SUPPLIED,
  /** Returned to the supplier: balance down. */
  RETURNED_TO_SUPPLIER,
  /** Destroyed (expired or damaged stock written off, witnessed): balance down. */
  DESTROYED,
  /** A dated note correcting an earlier entry; the balance stays. */
  CORRECTION_NOTE
}
