package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A prescription as captured from the paper or electronic form; saving it again with the same id replaces it as long
 * as nothing of it has been dispensed.
 *
 * @param prescriptionId a UUID the caller chose before the first attempt
 * @param issuedDate the date the prescriber signed it: not in the future
 * @param repeatsAllowed how many times the whole prescription may be dispensed again after the first (0: none);
 *        recorded and shown, repeat dispensing itself is not built yet
 */
public record PrescriptionRequest(String prescriptionId, String patientId, String prescriberId, LocalDate issuedDate,
    List<Item> items, int repeatsAllowed, String notes) {

  /** A prescription's items are one bounded list in the model. */
  public static final int MAX_ITEMS = 50;
  public static final int MAX_DIRECTIONS = 200;

  public PrescriptionRequest {
    items = items == null ? List.of() : List.copyOf(items);
  }

  public static PrescriptionRequest create(String patientId, String prescriberId, LocalDate issuedDate, List<Item> items) {
    return new PrescriptionRequest(UUID.randomUUID().toString(), patientId, prescriberId, issuedDate, items, 0, null);
  }

  /**
   * One prescribed medicine.
   *
   * @param code the product's barcode or internal code, as prescribed
   * @param quantity units prescribed (tablets, ml...), at least 1
   * @param directions dosage instructions for the label ("Take ONE tablet twice a day")
   * @param substitutionAllowed whether a generic equivalent may be supplied instead
   */
  public record Item(String code, int quantity, String directions, boolean substitutionAllowed) {
  }
}
