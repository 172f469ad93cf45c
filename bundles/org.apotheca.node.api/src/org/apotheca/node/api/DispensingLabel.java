package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;

/**
 * What a dispensing label shows, one {@link Item} per medicine supplied (the UI prints one label each, as text or PDF).
 *
 * @param pharmacyName and {@code pharmacyAddress}, {@code pharmacyPhone}: from central's card of this pharmacy
 * @param pharmacist display name of the pharmacist who dispensed
 */
public record DispensingLabel(String dispensingId, String pharmacyName, String pharmacyAddress, String pharmacyPhone,
    String patientName, String patientAddress, LocalDate date, String prescriptionNumber, String pharmacist,
    List<Item> items) {

  public DispensingLabel {
    items = List.copyOf(items);
  }

  /** One medicine: "28 Amlodipine 5 mg tablets", its directions, its batch(es). */
  public record Item(String productName, int quantity, String directions, String lots, String expiry) {
  }
}
