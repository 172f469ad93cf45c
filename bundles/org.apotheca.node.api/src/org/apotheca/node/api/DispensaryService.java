package org.apotheca.node.api;

import java.util.List;

/**
 * The dispensary: patients and prescribers, prescriptions, dispensing with interaction and duplicate-therapy warnings
 * and recorded overrides, labels, a patient's history.
 * <p>
 * Part of {@link NodeService}: the same contract holds (every write through the node's one ledger, durable when it
 * returns, idempotent by an id the caller chose, refusals with a {@link Refusal} code and one sentence).
 * <p>
 * Patient data is personal: every call, reads too, takes a session token. Reads and preparation (patients,
 * prescribers, prescriptions, warnings) are open to pharmacists and assistants; {@link #dispense} to pharmacists only.
 * Any other role gets {@link Refusal#NOT_ALLOWED}, an unknown or expired token {@link Refusal#NOT_LOGGED_IN}.
 * Free text is stripped; a field longer than its limit (the records' {@code MAX_...}) is refused with
 * {@link Refusal#FIELD_TOO_LONG}, never cut.
 */
public interface DispensaryService {

  // ---- patients and prescribers ----

  /**
   * Patients whose family name, given name, national id or date of birth (ISO) contains every word of {@code text}
   * (without case), best matches first (family name starting with the first word), at most {@code limit} (≤ 200).
   * Blank text: none.
   */
  List<PatientInfo> findPatients(String token, String text, int limit);

  /** The patient with this id; {@link Refusal#NOT_FOUND} when none. */
  PatientInfo patient(String token, String patientId);

  /**
   * Creates the patient, or replaces every field of the one with this id. Refuses without a family name
   * ({@link Refusal#BAD_INPUT}), a patient id that is not a UUID, a date of birth in the future, more than
   * {@link PatientRequest#MAX_ALLERGIES} allergies. Saving the same request twice changes nothing the second time.
   */
  PatientInfo savePatient(String token, PatientRequest request);

  /** Prescribers whose name, practice or registration number contains every word of {@code text}, at most {@code limit}. */
  List<PrescriberInfo> findPrescribers(String token, String text, int limit);

  /** Creates the prescriber or replaces the details of the one with this id; refuses without a name. */
  PrescriberInfo savePrescriber(String token, PrescriberRequest request);

  // ---- prescriptions ----

  /**
   * Records a prescription (an assistant may prepare it), or replaces the one with this id while nothing of it is
   * dispensed ({@link Refusal#ALREADY_DONE} after). Refuses: unknown patient or prescriber ({@link Refusal#NOT_FOUND}),
   * no items or more than {@link PrescriptionRequest#MAX_ITEMS}, an unknown product ({@link Refusal#UNKNOWN_BARCODE}),
   * a quantity below 1 ({@link Refusal#BAD_QUANTITY}), an issue date in the future or missing, negative repeats. Nothing
   * is taken from stock.
   */
  PrescriptionInfo savePrescription(String token, PrescriptionRequest request);

  /** The prescription with this id and what it still owes; {@link Refusal#NOT_FOUND} when none. */
  PrescriptionInfo prescription(String token, String prescriptionId);

  /**
   * A patient's prescriptions, newest first; with {@code patientId} null, the pharmacy's prescriptions that still owe
   * something (RECEIVED or PARTIALLY_DISPENSED, the dispensary's queue), oldest first.
   */
  List<PrescriptionInfo> prescriptions(String token, String patientId);

  /**
   * The warnings {@link #dispense} would raise for these lines, nothing written: each line's product (the substitute
   * when one is given) against the other lines, and against everything dispensed to the patient in the last
   * {@link #RECENT_DAYS} days (other than earlier supplies of the same item); interactions from the catalogue's
   * rules, duplicate therapy (same ingredient, or same ATC class at level 4: the first five characters of the ATC
   * code) and the patient's recorded allergies. Most severe first. Refuses what dispense would refuse about the lines
   * themselves (unknown item, bad quantity, bad substitute).
   */
  List<ClinicalWarning> checkWarnings(String token, String prescriptionId, List<DispenseLine> lines);

  /** How far back a patient's dispensings count as current medicines for {@link #checkWarnings}. */
  int RECENT_DAYS = 90;

  /**
   * Dispenses the lines (pharmacist only: {@link Refusal#NOT_ALLOWED} for anyone else) in one commit: stock taken FEFO
   * like a sale (movements with reason DISPENSING), each item's owed balance reduced, the prescription's status set
   * (PARTIALLY_DISPENSED while anything is owed, DISPENSED after), overrides recorded with the user and the time, a
   * SUPPLIED entry appended to the controlled-drugs register for each line of a scheduled product.
   * <p>
   * Refuses, with nothing written: a standing MAJOR or CONTRAINDICATED warning without an override giving a reason
   * ({@link Refusal#OVERRIDE_REQUIRED}, the message names the warning); more than is owed on an item
   * ({@link Refusal#BAD_QUANTITY}); a substitute without a reason, on an item that does not allow substitution, or
   * with different active ingredients ({@link Refusal#BAD_INPUT}); a controlled drug without who collects or with ID
   * checked but no evidence named ({@link Refusal#BAD_INPUT}); a fully dispensed or cancelled prescription
   * ({@link Refusal#ALREADY_DONE}); a prescription past its validity ({@link Refusal#EXPIRED}: six months from the
   * issue date, 28 days for a schedule 2, 3 or 4 controlled drug); an unknown prescription or item
   * ({@link Refusal#NOT_FOUND}); the stock refusals of
   * a sale (NOT_ENOUGH_STOCK, EXPIRED, RECALLED, WITHDRAWN...). Idempotent by {@link DispenseRequest#dispensingId()}:
   * the same id again returns the recorded dispensing.
   */
  DispensingInfo dispense(String token, DispenseRequest request);

  /** A recorded dispensing; {@link Refusal#NOT_FOUND} when none. */
  DispensingInfo dispensing(String token, String dispensingId);

  /** Everything dispensed to the patient, newest first ({@link Refusal#NOT_FOUND} for an unknown patient). */
  List<DispensingInfo> dispensingHistory(String token, String patientId);

  /** The label of a recorded dispensing, one item per medicine supplied; {@link Refusal#NOT_FOUND} when none. */
  DispensingLabel label(String token, String dispensingId);
}
