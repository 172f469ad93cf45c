package org.apotheca.node.api;

import java.util.List;
import java.util.UUID;

/**
 * A dispensing: some or all of what a prescription still owes, in one go.
 *
 * @param dispensingId chosen by the caller before the first attempt: a retry with the same id returns the recorded
 *        dispensing
 * @param overrides one per standing MAJOR or CONTRAINDICATED warning (see {@link DispensaryService#checkWarnings})
 * @param collectorName who collects; required for a controlled drug unless {@code collectorIsPatient}
 * @param idRequested whether evidence of identity was asked of the collector (controlled drugs)
 * @param idChecked whether it was provided and checked
 * @param idEvidence what was seen ("driving licence"), required when {@code idChecked}
 */
public record DispenseRequest(String dispensingId, String prescriptionId, List<DispenseLine> lines,
    List<WarningOverrideRequest> overrides, String collectorName, boolean collectorIsPatient, boolean idRequested,
    boolean idChecked, String idEvidence) {

  public static final int MAX_REASON = 200;

  public DispenseRequest {
    lines = lines == null ? List.of() : List.copyOf(lines);
    overrides = overrides == null ? List.of() : List.copyOf(overrides);
  }

  /** Collected by the patient, no ID asked, no overrides. */
  public static DispenseRequest of(String prescriptionId, List<DispenseLine> lines) {
    return new DispenseRequest(UUID.randomUUID().toString(), prescriptionId, lines, List.of(), null, true, false, false, null);
  }

  public DispenseRequest withOverrides(List<WarningOverrideRequest> more) {
    return new DispenseRequest(dispensingId, prescriptionId, lines, more, collectorName, collectorIsPatient, idRequested, idChecked,
        idEvidence);
  }

  public DispenseRequest withCollector(String name, boolean isPatient, boolean requested, boolean checked, String evidence) {
    return new DispenseRequest(dispensingId, prescriptionId, lines, overrides, name, isPatient, requested, checked, evidence);
  }
}
