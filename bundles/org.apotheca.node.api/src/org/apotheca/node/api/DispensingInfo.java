package org.apotheca.node.api;

import java.util.List;

/**
 * A recorded dispensing.
 *
 * @param pharmacist user name of the pharmacist who dispensed; {@code pharmacistName} as shown
 * @param collectorName who collected, {@code collectorIsPatient} and {@code idChecked}: as the controlled-drugs register
 *        recorded them; null and false for a dispensing without a controlled drug (only the register keeps them)
 * @param status the prescription's status right after this dispensing
 * @param atCentral true once central has it
 */
public record DispensingInfo(String dispensingId, String prescriptionId, String prescriptionNumber, String patientId,
    String patientName, long dispensedAt, String pharmacist, String pharmacistName, List<Line> lines,
    List<OverrideInfo> overrides, String collectorName, boolean collectorIsPatient, boolean idChecked,
    PrescriptionStatus status, boolean atCentral) {

  public DispensingInfo {
    lines = List.copyOf(lines);
    overrides = List.copyOf(overrides);
  }

  /**
   * One item supplied.
   *
   * @param barcode and {@code productName}: the product actually supplied (the substitute, if any)
   * @param owedAfter units of the item still owed after this dispensing
   */
  public record Line(String recordId, String itemId, String barcode, String productName, String schedule, int quantity,
      boolean substituted, String substitutionReason, String directions, List<Allocation> allocations, int owedAfter) {

    public Line {
      allocations = List.copyOf(allocations);
    }
  }

  /** A warning the pharmacist overrode, with the recorded reason, who and when. */
  public record OverrideInfo(WarningKind kind, WarningSeverity severity, String message, String reason, String user,
      long at) {
  }
}
