package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;

/**
 * A recorded prescription with what is still owed on each item.
 *
 * @param number the pharmacy's prescription number ({@code RX-<till>-<yyyyMMdd>-<n>}), printed on labels
 * @param atCentral true once central has it
 */
public record PrescriptionInfo(String id, String number, String patientId, String patientName, String prescriberId,
    String prescriberName, LocalDate issuedDate, long receivedAt, PrescriptionStatus status,
    int repeatsAllowed, int repeatsDispensed, String notes, List<Item> items, boolean atCentral) {

  public PrescriptionInfo {
    items = List.copyOf(items);
  }

  /** Units still owed over all items. */
  public int owed() {
    return items.stream().mapToInt(Item::owed).sum();
  }

  /**
   * One prescribed item.
   *
   * @param schedule controlled-drug schedule of the prescribed product, "" when not controlled
   * @param owed {@code quantityPrescribed - quantityDispensed}
   */
  public record Item(String itemId, String productId, String barcode, String productName, String schedule,
      int quantityPrescribed, int quantityDispensed, int owed, String directions, boolean substitutionAllowed) {
  }
}
