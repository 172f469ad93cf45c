package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;

import org.apotheca.node.api.DispensingLabel;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterEntryKind;
import org.apotheca.ui.dispensary.DispensaryTexts;
import org.junit.jupiter.api.Test;

/** What the dispensary says and prints, without a workbench: schedules, register lines, labels. */
class DispensaryTextsTest {

  @Test
  void schedulesAreShortAndNonControlledProductsSayNothing() {
    assertEquals("CD2", DispensaryTexts.schedule("SCHEDULE_2"));
    assertEquals("CD4-1", DispensaryTexts.schedule("SCHEDULE_4_PART_1"));
    assertEquals("", DispensaryTexts.schedule(""));
    assertEquals("", DispensaryTexts.schedule("NONE"));
    assertEquals("", DispensaryTexts.schedule(null));
  }

  @Test
  void aSupplyNamesThePatientTheCollectorAndTheIdCheck() {
    RegisterEntry supplied = entry(RegisterEntryKind.SUPPLIED, 10, 40, "John Doe", false, true, true, "driving licence", null);
    assertEquals("John Doe, ID: driving licence", DispensaryTexts.collector(supplied));
    assertEquals("Doe, Jane, 12 High Street, prescription RX-1", DispensaryTexts.party(supplied));
    RegisterEntry byPatient = entry(RegisterEntryKind.SUPPLIED, 5, 35, null, true, false, false, null, null);
    assertEquals("Patient, ID not asked", DispensaryTexts.collector(byPatient));
    String line = DispensaryTexts.registerLine(supplied);
    assertTrue(line.startsWith("2026-12-01 Supplied") && line.contains("   10      40  "), line);
    assertEquals("", DispensaryTexts.collector(entry(RegisterEntryKind.RECEIVED, 50, 50, null, false, false, false, null, null)));
  }

  @Test
  void aNoteKeepsTheBalanceAndSaysItsText() {
    RegisterEntry note = entry(RegisterEntryKind.CORRECTION_NOTE, 0, 40, null, false, false, false, null, "Collector was John A. Doe");
    String line = DispensaryTexts.registerLine(note);
    assertTrue(line.contains("Correction note") && line.contains("     40  Collector was John A. Doe"), line);
  }

  @Test
  void aLabelPerMedicineWithDirectionsWrappedToTheLabelWidth() {
    DispensingLabel label = new DispensingLabel("d-1", "High Street Pharmacy", "1 High Street, Leeds", "0113 000000", "Doe, Jane",
        null, LocalDate.of(2026, 12, 1), "RX-1", "Alice Pharmacist",
        List.of(new DispensingLabel.Item("Warfarin 5 mg tablets", 28, "Take as directed by the anticoagulant clinic, in the evening",
            "L17A", "2027-02-16"), new DispensingLabel.Item("Aspirin 75 mg tablets", 28, "", "L19A", "2027-02-18")));
    List<List<String>> labels = DispensaryTexts.labels(label);
    assertEquals(2, labels.size());
    List<String> first = labels.get(0);
    assertEquals("28 x Warfarin 5 mg tablets", first.get(0));
    assertTrue(first.stream().allMatch(l -> l.length() <= 44 || l.startsWith("28 x")), first.toString());
    assertTrue(first.contains("Keep out of the sight and reach of children."), first.toString());
    assertTrue(String.join("\n", first).contains("Doe, Jane") && String.join("\n", first).contains("2026-12-01"), first.toString());
    assertTrue(labels.get(1).contains("Use as directed."), "no directions: the standard words");
    assertTrue(DispensaryTexts.labelText(label).contains("-".repeat(44)), "a rule between labels");
  }

  private static RegisterEntry entry(RegisterEntryKind kind, int quantity, int balance, String collector, boolean collectorIsPatient,
      boolean idRequested, boolean idChecked, String evidence, String note) {
    return new RegisterEntry("e-1", "2026-12", kind, LocalDate.of(2026, 12, 1), 0, quantity, balance, "Alliance", "r-1",
        "Doe, Jane", "12 High Street", "Ann Smith", null, collector, collectorIsPatient, idRequested, idChecked, evidence, "alice",
        "Alice Pharmacist", "doc-1", note != null ? note : kind == RegisterEntryKind.SUPPLIED ? "prescription RX-1" : null, null, true);
  }
}
