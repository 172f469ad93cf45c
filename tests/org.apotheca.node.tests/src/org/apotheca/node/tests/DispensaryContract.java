package org.apotheca.node.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.node.api.ClinicalWarning;
import org.apotheca.node.api.DispenseLine;
import org.apotheca.node.api.DispenseRequest;
import org.apotheca.node.api.DispensingInfo;
import org.apotheca.node.api.DispensingLabel;
import org.apotheca.node.api.DrugRegister;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.PatientInfo;
import org.apotheca.node.api.PatientRequest;
import org.apotheca.node.api.PrescriberInfo;
import org.apotheca.node.api.PrescriberRequest;
import org.apotheca.node.api.PrescriptionInfo;
import org.apotheca.node.api.PrescriptionRequest;
import org.apotheca.node.api.PrescriptionStatus;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.RegisterBalance;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterEntryKind;
import org.apotheca.node.api.RegisterNoteRequest;
import org.apotheca.node.api.RegisterService;
import org.apotheca.node.api.Session;
import org.apotheca.node.api.WarningKind;
import org.apotheca.node.api.WarningOverrideRequest;
import org.apotheca.node.api.WarningSeverity;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The dispensary's and the controlled-drugs register's part of the node contract, mixed into
 * {@link NodeServiceContractTest} (so it runs against the node in process and across the LAN, on the same central,
 * node and sample stock). Products are the sample catalogue's: product i has ingredient i mod 32 (7 Amlodipine, 6
 * Metformin, 17 Warfarin, 19 Aspirin, 18 Clopidogrel, 2 Amoxicillin, 23 Morphine; 38 is Metformin again, another
 * strength); the first 20 are in stock.
 */
interface DispensaryContract {

  NodeService service();

  private Session as(String user) {
    return service().login("till-1", user, (user + "-demo").toCharArray());
  }

  private PatientInfo patient(Session s, String family, List<String> allergies) {
    return service().savePatient(s.token(), new PatientRequest(UUID.randomUUID().toString(), "Jo", family, LocalDate.of(1950, 3, 4),
        null, "1 High Street, Leeds", null, allergies, null));
  }

  private PrescriberInfo doctor(Session s) {
    return service().savePrescriber(s.token(), PrescriberRequest.create("Dr A Khan", "GMC 7012345", "Park Surgery", "2 Park Road, Leeds"));
  }

  private PrescriptionInfo prescribe(Session s, PatientInfo p, PrescriberInfo d, PrescriptionRequest.Item... items) {
    return service().savePrescription(s.token(), PrescriptionRequest.create(p.id(), d.id(), LocalDate.now().minusDays(1), List.of(items)));
  }

  private static PrescriptionRequest.Item item(int product, int quantity, boolean substitution) {
    return new PrescriptionRequest.Item(SampleCatalogue.barcode(product), quantity, "Take ONE daily", substitution);
  }

  private int onHand(int product) {
    return service().product(SampleCatalogue.barcode(product)).onHand();
  }

  @Test
  @Order(14)
  default void patientsAndPrescribersAreRecordedFoundAndCorrectedByAnAssistant() {
    Session bob = as("bob");
    PatientRequest asked = new PatientRequest(UUID.randomUUID().toString(), "Ada", "Lovelace", LocalDate.of(1940, 12, 10), "NHS 943 476 5919",
        "12 St James's Square, London", "020 7946 0000", List.of("Penicillin", "penicillin", "Aspirin"), "prefers large print");
    PatientInfo ada = service().savePatient(bob.token(), asked);
    assertEquals("Lovelace, Ada", ada.displayName());
    assertEquals(List.of("Penicillin", "Aspirin"), ada.allergies(), "the same allergy once");
    assertEquals(ada, service().patient(bob.token(), ada.id()));
    assertEquals(ada, service().savePatient(bob.token(), asked), "saving again changes nothing");
    PatientInfo moved = service().savePatient(bob.token(), new PatientRequest(ada.id(), "Ada", "Lovelace", asked.dateOfBirth(),
        asked.nationalId(), "1 New Road, York", null, List.of(), null));
    assertEquals("1 New Road, York", service().patient(bob.token(), ada.id()).address());
    assertEquals(List.of(), moved.allergies());
    assertTrue(service().findPatients(bob.token(), "lovel ada", 10).stream().anyMatch(p -> p.id().equals(ada.id())));
    assertTrue(service().findPatients(bob.token(), "1940-12", 10).stream().anyMatch(p -> p.id().equals(ada.id())));
    assertTrue(service().findPatients(bob.token(), "nobody-called-this", 10).isEmpty());

    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().savePatient(bob.token(), new PatientRequest(UUID.randomUUID()
        .toString(), "No", " ", null, null, null, null, List.of(), null)));
    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().savePatient(bob.token(), new PatientRequest(UUID.randomUUID()
        .toString(), "Not", "Born", LocalDate.now().plusDays(1), null, null, null, List.of(), null)));
    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().savePatient(bob.token(), new PatientRequest("patient-1", "A",
        "B", null, null, null, null, List.of(), null)));
    NodeServiceContractTest.refused(Refusal.FIELD_TOO_LONG, () -> service().savePatient(bob.token(), new PatientRequest(UUID
        .randomUUID().toString(), "A", "B".repeat(PatientRequest.MAX_NAME + 1), null, null, null, null, List.of(), null)));
    NodeServiceContractTest.refused(Refusal.NOT_FOUND, () -> service().patient(bob.token(), UUID.randomUUID().toString()));
    NodeServiceContractTest.refused(Refusal.NOT_LOGGED_IN, () -> service().findPatients("no-such-token", "lovelace", 10));

    PrescriberInfo khan = doctor(bob);
    assertTrue(service().findPrescribers(bob.token(), "park khan", 10).contains(khan));
    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().savePrescriber(bob.token(), PrescriberRequest.create("", null, null,
        null)));
  }

  @Test
  @Order(15)
  default void aPrescriptionIsDispensedInPartsKeepingWhatIsOwed() {
    Session bob = as("bob");
    Session alice = as("alice");
    PatientInfo p = patient(bob, "Partial", List.of());
    PrescriberInfo d = doctor(bob);
    PrescriptionInfo rx = prescribe(bob, p, d, item(7, 28, false), new PrescriptionRequest.Item(SampleCatalogue.barcode(6), 56,
        "Take ONE tablet twice a day with food", false));
    assertEquals(PrescriptionStatus.RECEIVED, rx.status());
    assertEquals(84, rx.owed());
    assertTrue(rx.number().startsWith("RX-till-1-"), rx.number());
    assertTrue(service().prescriptions(alice.token(), null).stream().anyMatch(x -> x.id().equals(rx.id())), "in the queue");
    assertEquals(List.of(rx.id()), service().prescriptions(alice.token(), p.id()).stream().map(PrescriptionInfo::id).toList());
    String amlodipine = rx.items().get(0).itemId();
    String metformin = rx.items().get(1).itemId();
    int amlodipineBefore = onHand(7);

    NodeServiceContractTest.refused(Refusal.NOT_ALLOWED, () -> service().dispense(bob.token(), DispenseRequest.of(rx.id(),
        List.of(DispenseLine.of(amlodipine, 10)))));
    assertEquals(List.of(), service().checkWarnings(alice.token(), rx.id(), List.of(DispenseLine.of(amlodipine, 10))));

    DispenseRequest first = DispenseRequest.of(rx.id(), List.of(DispenseLine.of(amlodipine, 10)));
    DispensingInfo part = service().dispense(alice.token(), first);
    assertEquals(PrescriptionStatus.PARTIALLY_DISPENSED, part.status());
    assertEquals("alice", part.pharmacist());
    assertEquals("Alice Pharmacist", part.pharmacistName());
    assertEquals(18, part.lines().get(0).owedAfter());
    assertEquals("L7A", part.lines().get(0).allocations().get(0).lot(), "FEFO: earliest expiry first");
    assertEquals(amlodipineBefore - 10, onHand(7));
    assertTrue(part.atCentral());
    assertEquals(part, service().dispense(alice.token(), first), "the same id again: recorded once");
    assertEquals(amlodipineBefore - 10, onHand(7));

    NodeServiceContractTest.refused(Refusal.BAD_QUANTITY, () -> service().dispense(alice.token(), DispenseRequest.of(rx.id(),
        List.of(DispenseLine.of(amlodipine, 19)))));
    NodeServiceContractTest.refused(Refusal.NOT_FOUND, () -> service().dispense(alice.token(), DispenseRequest.of(rx.id(),
        List.of(DispenseLine.of("no-such-item", 1)))));
    NodeServiceContractTest.refused(Refusal.NOT_FOUND, () -> service().dispense(alice.token(), DispenseRequest.of(UUID.randomUUID()
        .toString(), List.of(DispenseLine.of(amlodipine, 1)))));
    PrescriptionInfo owed = service().prescription(alice.token(), rx.id());
    assertEquals(PrescriptionStatus.PARTIALLY_DISPENSED, owed.status());
    assertEquals(List.of(18, 56), owed.items().stream().map(PrescriptionInfo.Item::owed).toList());
    NodeServiceContractTest.refused(Refusal.ALREADY_DONE, () -> service().savePrescription(bob.token(), new PrescriptionRequest(rx.id(),
        p.id(), d.id(), LocalDate.now(), List.of(item(7, 30, false)), 0, null)));

    DispensingInfo rest = service().dispense(alice.token(), DispenseRequest.of(rx.id(), List.of(DispenseLine.of(amlodipine, 18),
        DispenseLine.of(metformin, 56))));
    assertEquals(PrescriptionStatus.DISPENSED, rest.status());
    assertEquals(List.of(0, 0), rest.lines().stream().map(DispensingInfo.Line::owedAfter).toList());
    assertEquals(PrescriptionStatus.DISPENSED, service().prescription(alice.token(), rx.id()).status());
    assertFalse(service().prescriptions(alice.token(), null).stream().anyMatch(x -> x.id().equals(rx.id())), "out of the queue");
    NodeServiceContractTest.refused(Refusal.ALREADY_DONE, () -> service().dispense(alice.token(), DispenseRequest.of(rx.id(),
        List.of(DispenseLine.of(amlodipine, 1)))));

    assertEquals(List.of(rest.dispensingId(), part.dispensingId()), service().dispensingHistory(bob.token(), p.id()).stream()
        .map(DispensingInfo::dispensingId).toList(), "newest first");
    assertEquals(PrescriptionStatus.PARTIALLY_DISPENSED, service().dispensing(bob.token(), part.dispensingId()).status(),
        "as it was right after");
    DispensingLabel label = service().label(bob.token(), rest.dispensingId());
    assertEquals("Pharmacy " + NodeServiceContractTest.SITE, label.pharmacyName());
    assertEquals("Partial, Jo", label.patientName());
    assertEquals(rx.number(), label.prescriptionNumber());
    assertEquals("Alice Pharmacist", label.pharmacist());
    assertEquals(LocalDate.now(), label.date());
    assertEquals(List.of(18, 56), label.items().stream().map(DispensingLabel.Item::quantity).toList());
    assertEquals("Take ONE tablet twice a day with food", label.items().get(1).directions());
    assertFalse(label.items().get(1).lots().isEmpty());
  }

  @Test
  @Order(16)
  default void aSevereInteractionNeedsAPharmacistsOverrideWithAReason() {
    Session alice = as("alice");
    PatientInfo p = patient(alice, "Bleeding", List.of("amoxicillin"));
    PrescriberInfo d = doctor(alice);
    PrescriptionInfo warfarin = prescribe(alice, p, d, item(17, 28, false));
    service().dispense(alice.token(), DispenseRequest.of(warfarin.id(), List.of(DispenseLine.of(warfarin.items().get(0).itemId(), 28))));

    PrescriptionInfo aspirin = prescribe(alice, p, d, item(19, 28, false));
    List<DispenseLine> lines = List.of(DispenseLine.of(aspirin.items().get(0).itemId(), 28));
    List<ClinicalWarning> warnings = service().checkWarnings(alice.token(), aspirin.id(), lines);
    ClinicalWarning bleeding = warnings.get(0);
    assertEquals(WarningKind.INTERACTION, bleeding.kind());
    assertEquals(WarningSeverity.MAJOR, bleeding.severity());
    assertTrue(bleeding.needsOverride());
    assertTrue(bleeding.message().contains("Warfarin") && bleeding.message().contains("Aspirin"), bleeding.message());
    assertFalse(bleeding.advice().isBlank());
    int before = onHand(19);
    NodeServiceContractTest.refused(Refusal.OVERRIDE_REQUIRED, () -> service().dispense(alice.token(), DispenseRequest.of(aspirin.id(),
        lines)));
    NodeServiceContractTest.refused(Refusal.OVERRIDE_REQUIRED, () -> service().dispense(alice.token(), DispenseRequest.of(aspirin.id(),
        lines).withOverrides(List.of(new WarningOverrideRequest(bleeding.key(), "   ")))));
    assertEquals(before, onHand(19), "refused: nothing taken from stock");
    assertEquals(PrescriptionStatus.RECEIVED, service().prescription(alice.token(), aspirin.id()).status());

    DispensingInfo done = service().dispense(alice.token(), DispenseRequest.of(aspirin.id(), lines).withOverrides(List.of(
        new WarningOverrideRequest(bleeding.key(), "Cardiologist confirmed dual therapy for 3 months; INR checked weekly"))));
    assertEquals(1, done.overrides().size());
    DispensingInfo.OverrideInfo o = service().dispensing(alice.token(), done.dispensingId()).overrides().get(0);
    assertEquals(WarningKind.INTERACTION, o.kind());
    assertEquals(WarningSeverity.MAJOR, o.severity());
    assertEquals("alice", o.user());
    assertTrue(o.reason().startsWith("Cardiologist"));
    assertTrue(o.at() > 0);
    assertEquals(before - 28, onHand(19));

    // same class (ATC B01AC, antiplatelets): a moderate warning, no override needed
    PrescriptionInfo clopidogrel = prescribe(alice, p, d, item(18, 28, false));
    List<DispenseLine> cl = List.of(DispenseLine.of(clopidogrel.items().get(0).itemId(), 28));
    List<ClinicalWarning> duplicate = service().checkWarnings(alice.token(), clopidogrel.id(), cl);
    assertTrue(duplicate.stream().anyMatch(w -> w.kind() == WarningKind.DUPLICATE_THERAPY && !w.needsOverride()), duplicate.toString());
    assertTrue(duplicate.stream().noneMatch(ClinicalWarning::needsOverride), duplicate.toString());
    assertEquals(PrescriptionStatus.DISPENSED, service().dispense(alice.token(), DispenseRequest.of(clopidogrel.id(), cl)).status());

    // a recorded allergy is contraindicated
    PrescriptionInfo amoxicillin = prescribe(alice, p, d, item(2, 21, false));
    List<DispenseLine> am = List.of(DispenseLine.of(amoxicillin.items().get(0).itemId(), 21));
    ClinicalWarning allergy = service().checkWarnings(alice.token(), amoxicillin.id(), am).get(0);
    assertEquals(WarningKind.ALLERGY, allergy.kind());
    assertEquals(WarningSeverity.CONTRAINDICATED, allergy.severity());
    NodeServiceContractTest.refused(Refusal.OVERRIDE_REQUIRED, () -> service().dispense(alice.token(), DispenseRequest.of(
        amoxicillin.id(), am)));
  }

  @Test
  @Order(17)
  default void aGenericSubstituteNeedsPermissionAReasonAndTheSameIngredients() {
    Session alice = as("alice");
    service().receive(alice.token(), ReceiveRequest.of(SampleCatalogue.barcode(38), "G38", LocalDate.now().plusYears(1).toString(), 100,
        40, "Alliance Healthcare"));
    PatientInfo p = patient(alice, "Generic", List.of());
    PrescriberInfo d = doctor(alice);
    PrescriptionInfo rx = prescribe(alice, p, d, item(6, 28, true), item(7, 28, false));
    String metformin = rx.items().get(0).itemId();
    String amlodipine = rx.items().get(1).itemId();
    String generic = SampleCatalogue.barcode(38);
    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().dispense(alice.token(), DispenseRequest.of(rx.id(),
        List.of(new DispenseLine(metformin, 28, generic, " ")))));
    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().dispense(alice.token(), DispenseRequest.of(rx.id(),
        List.of(new DispenseLine(metformin, 28, SampleCatalogue.barcode(8), "out of stock")))));
    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().dispense(alice.token(), DispenseRequest.of(rx.id(),
        List.of(new DispenseLine(amlodipine, 28, SampleCatalogue.barcode(39), "out of stock")))));
    int before = onHand(38);
    DispensingInfo done = service().dispense(alice.token(), DispenseRequest.of(rx.id(), List.of(new DispenseLine(metformin, 28, generic,
        "Prescribed brand out of stock at the wholesaler"))));
    DispensingInfo.Line line = done.lines().get(0);
    assertTrue(line.substituted());
    assertEquals(generic, line.barcode());
    assertEquals("Prescribed brand out of stock at the wholesaler", line.substitutionReason());
    assertEquals(before - 28, onHand(38));
    assertEquals(0, service().prescription(alice.token(), rx.id()).items().get(0).owed());
    NodeServiceContractTest.refused(Refusal.NOT_FOUND, () -> prescribe(alice, new PatientInfo(UUID.randomUUID().toString(), "X", "Y",
        "Y, X", null, null, null, null, List.of(), null), d, item(6, 1, false)));
    NodeServiceContractTest.refused(Refusal.BAD_QUANTITY, () -> prescribe(alice, p, d, item(6, 0, false)));
    NodeServiceContractTest.refused(Refusal.UNKNOWN_BARCODE, () -> service().savePrescription(alice.token(), PrescriptionRequest.create(
        p.id(), d.id(), LocalDate.now(), List.of(new PrescriptionRequest.Item("4006381333931", 1, "as directed", false)))));
  }

  @Test
  @Order(18)
  default void controlledDrugsAreRegisteredByReceiptsAndDispensingsAndCorrectedOnlyByNotes() {
    Session alice = as("alice");
    Session bob = as("bob");
    String morphine = SampleCatalogue.barcode(23);
    service().receive(alice.token(), new ReceiveRequest(UUID.randomUUID().toString(), morphine, "M1", LocalDate.now().plusYears(2)
        .toString(), 50, 120, "Alliance Healthcare"));
    DrugRegister received = service().register(bob.token(), morphine);
    assertEquals(1, received.entries().size());
    RegisterEntry in = received.entries().get(0);
    assertEquals(RegisterEntryKind.RECEIVED, in.kind());
    assertEquals(50, in.quantity());
    assertEquals(50, in.balanceAfter());
    assertEquals("Alliance Healthcare", in.supplier());
    assertEquals(LocalDate.now(), in.date());
    assertEquals("alice", in.enteredBy());
    NodeServiceContractTest.refused(Refusal.NOT_ALLOWED, () -> service().quote(alice.token(), LineRequest.of(morphine, 1)));

    PatientInfo p = patient(bob, "Palliative", List.of());
    PrescriberInfo d = doctor(bob);
    PrescriptionInfo rx = prescribe(bob, p, d, item(23, 20, false));
    String item = rx.items().get(0).itemId();
    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().dispense(alice.token(), DispenseRequest.of(rx.id(),
        List.of(DispenseLine.of(item, 5))).withCollector(null, false, false, false, null)));
    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().dispense(alice.token(), DispenseRequest.of(rx.id(),
        List.of(DispenseLine.of(item, 5))).withCollector("John Smith", false, true, true, " ")));
    DispensingInfo first = service().dispense(alice.token(), DispenseRequest.of(rx.id(), List.of(DispenseLine.of(item, 5)))
        .withCollector("John Smith (son)", false, true, true, "driving licence"));
    assertEquals("John Smith (son)", first.collectorName());
    assertTrue(first.idChecked());
    service().dispense(alice.token(), DispenseRequest.of(rx.id(), List.of(DispenseLine.of(item, 15))));

    List<RegisterEntry> entries = service().register(alice.token(), morphine).entries();
    assertEquals(List.of(RegisterEntryKind.RECEIVED, RegisterEntryKind.SUPPLIED, RegisterEntryKind.SUPPLIED),
        entries.stream().map(RegisterEntry::kind).toList());
    assertEquals(List.of(50, 45, 30), entries.stream().map(RegisterEntry::balanceAfter).toList());
    RegisterEntry out = entries.get(1);
    assertEquals(5, out.quantity());
    assertEquals("Palliative, Jo", out.patientName());
    assertEquals("1 High Street, Leeds", out.patientAddress());
    assertEquals("Dr A Khan", out.prescriberName());
    assertEquals("John Smith (son)", out.collectorName());
    assertTrue(out.idRequested() && out.idChecked());
    assertEquals("driving licence", out.idEvidence());
    assertEquals(first.dispensingId(), out.documentId());
    assertTrue(entries.get(2).collectorIsPatient());
    assertEquals("Palliative, Jo", entries.get(2).collectorName());

    assertTrue(service().registerDrugs(bob.token()).stream().anyMatch(r -> r.barcode().equals(morphine) && r.balance() == 30
        && r.entries() == 3 && r.schedule().equals("SCHEDULE_2")));
    RegisterBalance balance = service().registerBalanceCheck(alice.token()).stream().filter(b -> b.barcode().equals(morphine)).findFirst()
        .orElseThrow();
    assertEquals(new RegisterBalance(balance.productId(), morphine, balance.productName(), "SCHEDULE_2", 30, 30, 0), balance);
    assertTrue(balance.agrees());

    RegisterNoteRequest note = RegisterNoteRequest.of(in.entryId(), "Invoice number is INV-20417, not the receipt id");
    NodeServiceContractTest.refused(Refusal.NOT_ALLOWED, () -> service().addRegisterNote(bob.token(), note));
    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().addRegisterNote(alice.token(), RegisterNoteRequest.of(in.entryId(),
        "  ")));
    NodeServiceContractTest.refused(Refusal.NOT_FOUND, () -> service().addRegisterNote(alice.token(), RegisterNoteRequest.of(UUID
        .randomUUID().toString(), "no such entry")));
    RegisterEntry correction = service().addRegisterNote(alice.token(), note);
    assertEquals(correction, service().addRegisterNote(alice.token(), note), "the same note id again: one note");
    assertEquals(RegisterEntryKind.CORRECTION_NOTE, correction.kind());
    assertEquals(in.entryId(), correction.correctsEntryId());
    assertEquals(0, correction.quantity());
    assertEquals(30, correction.balanceAfter(), "a note leaves the balance");
    assertEquals(note.text(), correction.note());
    List<RegisterEntry> after = service().register(alice.token(), morphine).entries();
    assertEquals(entries, after.subList(0, 3), "the corrected entry and every other stays as it was");
    assertEquals(4, after.size());

    NodeServiceContractTest.refused(Refusal.BAD_INPUT, () -> service().register(alice.token(), SampleCatalogue.barcode(7)));

    PrescriptionInfo old = service().savePrescription(bob.token(), PrescriptionRequest.create(p.id(), d.id(), LocalDate.now()
        .minusDays(29), List.of(item(23, 10, false))));
    NodeServiceContractTest.refused(Refusal.EXPIRED, () -> service().dispense(alice.token(), DispenseRequest.of(old.id(),
        List.of(DispenseLine.of(old.items().get(0).itemId(), 10)))));
    assertEquals(30, service().register(alice.token(), morphine).drug().balance(), "a refused dispensing writes no entry");
  }

  @Test
  @Order(19)
  default void theRegisterHasNoCallThatEditsOrRemovesAnEntry() {
    Set<String> calls = Arrays.stream(RegisterService.class.getDeclaredMethods()).map(Method::getName).collect(Collectors.toSet());
    assertEquals(Set.of("registerDrugs", "register", "addRegisterNote", "registerBalanceCheck"), calls);
    for (Method m : NodeService.class.getMethods()) {
      String name = m.getName().toLowerCase();
      boolean changes = name.startsWith("edit") || name.startsWith("update") || name.startsWith("delete") || name.startsWith("remove")
          || name.startsWith("correct") || name.startsWith("change");
      assertFalse(changes && (name.contains("register") || name.contains("entry")), "a call that changes the register: " + m);
    }
    assertThrows(UnsupportedOperationException.class, () -> service().register(as("alice").token(), SampleCatalogue.barcode(23))
        .entries().clear(), "what a read returns cannot be changed either");
  }
}
