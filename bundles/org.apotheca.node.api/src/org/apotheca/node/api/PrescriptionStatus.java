package org.apotheca.node.api;

/** Where a prescription stands. */
public enum PrescriptionStatus {
  /** Captured (by an assistant or a pharmacist), nothing dispensed yet: can still be corrected. */
  RECEIVED,
  /** Some of it dispensed, the rest owed to the patient. */
  PARTIALLY_DISPENSED,
  /** Everything prescribed has been dispensed. */
  DISPENSED,
  CANCELLED
}
