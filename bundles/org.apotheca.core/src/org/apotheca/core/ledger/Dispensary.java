package org.apotheca.core.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apotheca.core.ResourceRoots;
import org.apotheca.core.catalogue.CatalogueIndex;
import org.apotheca.model.ActiveIngredient;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.ControlledDrugEntry;
import org.apotheca.model.DispensaryDay;
import org.apotheca.model.DispensingRecord;
import org.apotheca.model.InteractionSeverity;
import org.apotheca.model.MovementReason;
import org.apotheca.model.Patient;
import org.apotheca.model.PatientBucket;
import org.apotheca.model.Prescriber;
import org.apotheca.model.PrescriberBucket;
import org.apotheca.model.Prescription;
import org.apotheca.model.PrescriptionItem;
import org.apotheca.model.Product;
import org.apotheca.model.StockMovement;
import org.apotheca.model.WarningOverride;
import org.apotheca.model.ownership.Bounds;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.node.api.Allocation;
import org.apotheca.node.api.ClinicalWarning;
import org.apotheca.node.api.DispenseLine;
import org.apotheca.node.api.DispenseRequest;
import org.apotheca.node.api.DispensaryService;
import org.apotheca.node.api.DispensingInfo;
import org.apotheca.node.api.DispensingLabel;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.PatientInfo;
import org.apotheca.node.api.PatientRequest;
import org.apotheca.node.api.PrescriberInfo;
import org.apotheca.node.api.PrescriberRequest;
import org.apotheca.node.api.PrescriptionInfo;
import org.apotheca.node.api.PrescriptionRequest;
import org.apotheca.node.api.PrescriptionStatus;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.WarningKind;
import org.apotheca.node.api.WarningOverrideRequest;
import org.apotheca.node.api.WarningSeverity;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.revision.CDORevision;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.transaction.CDOTransaction;

/**
 * The dispensary's part of the site ledger: patients and prescribers, prescriptions, dispensing with its clinical
 * warnings and overrides, labels and history. Every method runs under the ledger's lock and every write is one
 * commit of the ledger's transaction, like a sale: a dispensing takes its stock FEFO through the ledger's planner and
 * movements, and appends its controlled-drugs register entries in the same commit.
 * <p>
 * Where things live: patients in buckets by the first two hex digits of their id ({@code /sites/<id>/patients/<xx>}),
 * prescribers by the first one; prescriptions and dispensing records in the dispensing till's journal of the day
 * ({@code /sites/<id>/dispensary/<day>/<till>-<part>}). A later dispensing of an older prescription is recorded in
 * that later day's journal and updates the prescription's owed balance where it lives.
 * <p>
 * A dispensing of several lines is one {@link DispensingRecord} per line, with ids {@code <dispensingId>-<n>}; its
 * stock movements carry the dispensing id as document and the record id as line.
 */
public final class Dispensary {

  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;
  private static final int PATIENTS_PER_BUCKET = Bounds.max(ApothecaPackage.Literals.PATIENT_BUCKET__PATIENTS);
  private static final int PRESCRIBERS_PER_BUCKET = Bounds.max(ApothecaPackage.Literals.PRESCRIBER_BUCKET__PRESCRIBERS);
  private static final int PRESCRIPTIONS_PER_JOURNAL = Bounds.max(ApothecaPackage.Literals.DISPENSARY_DAY__PRESCRIPTIONS);
  private static final int RECORDS_PER_JOURNAL = Bounds.max(ApothecaPackage.Literals.DISPENSARY_DAY__DISPENSING_RECORDS);
  private static final int OVERRIDES_PER_RECORD = Bounds.max(ApothecaPackage.Literals.DISPENSING_RECORD__WARNING_OVERRIDES);
  private static final int MAX_REPEATS = 12;
  /** How long a prescription may be dispensed against after its issue date (UK: six months). */
  static final int VALID_MONTHS = 6;
  /** Schedule 2, 3 and 4 controlled drugs: 28 days from the issue date (UK Misuse of Drugs Regulations). */
  static final int CONTROLLED_VALID_DAYS = 28;
  private static final int MAX_SHORT = 60;
  private static final int MAX_SEARCH = 200;

  private final SiteLedger ledger;
  /** Prescriptions by id and dispensing records by dispensing id, read once from the journals; dropped on re-read. */
  private Map<String, Prescription> prescriptions;
  private Map<String, List<DispensingRecord>> dispensings;
  /** Records by prescription id, and the ids of each patient's prescriptions: what warnings and history walk. */
  private Map<String, List<DispensingRecord>> byPrescription;
  private Map<String, Set<String>> prescriptionsOfPatient;

  Dispensary(SiteLedger ledger) {
    this.ledger = ledger;
  }

  void reset() {
    prescriptions = null;
    dispensings = null;
    byPrescription = null;
    prescriptionsOfPatient = null;
  }

  // ---- patients ----

  public List<PatientInfo> findPatients(String text, int limit) {
    synchronized (ledger) {
      String[] words = words(text);
      if (words.length == 0 || limit <= 0) {
        return List.of();
      }
      List<Patient> first = new ArrayList<>();
      List<Patient> rest = new ArrayList<>();
      for (PatientBucket b : ResourceRoots.of(ledger.tx(), folder("patients"), PatientBucket.class)) {
        for (Patient p : b.getPatients()) {
          String family = lower(p.getFamilyName());
          String hay = family + " " + lower(p.getGivenName()) + " " + lower(p.getNationalId()) + " " + lower(p.getDateOfBirth());
          boolean all = true;
          for (String w : words) {
            all &= hay.contains(w);
          }
          if (all) {
            (family.startsWith(words[0]) ? first : rest).add(p);
          }
        }
      }
      Comparator<Patient> byName = Comparator.comparing((Patient p) -> lower(p.getFamilyName())).thenComparing(p -> lower(p.getGivenName()));
      first.sort(byName);
      rest.sort(byName);
      first.addAll(rest);
      return first.stream().limit(Math.min(limit, MAX_SEARCH)).map(Dispensary::info).toList();
    }
  }

  public PatientInfo patient(String patientId) {
    synchronized (ledger) {
      return info(requirePatient(patientId));
    }
  }

  public PatientInfo savePatient(String userName, PatientRequest r) {
    synchronized (ledger) {
      if (r == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "No patient given");
      }
      String id = uuid(r.patientId(), "patient");
      String family = text(r.familyName(), "The family name", PatientRequest.MAX_NAME, true);
      String given = text(r.givenName(), "The given name", PatientRequest.MAX_NAME, false);
      String nationalId = text(r.nationalId(), "The national health number", MAX_SHORT, false);
      String address = text(r.address(), "The address", PatientRequest.MAX_ADDRESS, false);
      String phone = text(r.phone(), "The phone number", MAX_SHORT, false);
      String notes = text(r.notes(), "The notes", PatientRequest.MAX_NOTES, false);
      if (r.dateOfBirth() != null && r.dateOfBirth().isAfter(LocalDate.now(ledger.clock()))) {
        throw new LedgerException(Refusal.BAD_INPUT, "The date of birth " + r.dateOfBirth() + " is in the future");
      }
      if (r.allergies().size() > PatientRequest.MAX_ALLERGIES) {
        throw new LedgerException(Refusal.BAD_INPUT, "At most " + PatientRequest.MAX_ALLERGIES + " allergies can be recorded");
      }
      List<String> allergies = new ArrayList<>();
      for (String a : r.allergies()) {
        String name = text(a, "An allergy", MAX_SHORT, false);
        if (name != null && allergies.stream().noneMatch(name::equalsIgnoreCase)) {
          allergies.add(name);
        }
      }
      String dob = r.dateOfBirth() == null ? null : r.dateOfBirth().toString();
      Patient p = findPatient(id);
      try {
        if (p == null) {
          PatientBucket bucket = patientBucket(folder("patients") + "/" + id.substring(0, 2), id.substring(0, 2));
          if (bucket.getPatients().size() >= PATIENTS_PER_BUCKET) {
            throw new LedgerException(Refusal.NOT_RECORDED, "This pharmacy's patient list is full in this range: call support");
          }
          p = Ownership.stamp(F.createPatient(), ledger.siteId());
          p.setId(id);
          bucket.getPatients().add(p);
        } else if (same(p.getFamilyName(), family) && same(p.getGivenName(), given) && same(p.getDateOfBirth(), dob)
            && same(p.getNationalId(), nationalId) && same(p.getAddress(), address) && same(p.getPhone(), phone)
            && same(p.getNotes(), notes) && p.getAllergyIngredientIds().equals(allergies)) {
          return info(p);
        }
        p.setFamilyName(family);
        p.setGivenName(given);
        p.setDateOfBirth(dob);
        p.setNationalId(nationalId);
        p.setAddress(address);
        p.setPhone(phone);
        p.setNotes(notes);
        p.getAllergyIngredientIds().clear();
        p.getAllergyIngredientIds().addAll(allergies);
        ledger.commit("patient " + id + " by " + userName);
      } catch (Exception e) {
        throw ledger.failed("The patient was not saved", e);
      }
      return info(p);
    }
  }

  private PatientBucket patientBucket(String path, String key) {
    CDOTransaction tx = ledger.tx();
    if (tx.hasResource(path)) {
      return (PatientBucket) tx.getResource(path).getContents().get(0);
    }
    PatientBucket b = Ownership.stamp(F.createPatientBucket(), ledger.siteId());
    b.setBucketKey(key);
    tx.createResource(path).getContents().add(b);
    return b;
  }

  private Patient findPatient(String id) {
    if (id == null || id.length() < 2) {
      return null;
    }
    String path = folder("patients") + "/" + id.substring(0, 2).toLowerCase(Locale.ROOT);
    if (!ledger.tx().hasResource(path)) {
      return null;
    }
    for (Patient p : ((PatientBucket) ledger.tx().getResource(path).getContents().get(0)).getPatients()) {
      if (id.equals(p.getId())) {
        return p;
      }
    }
    return null;
  }

  private Patient requirePatient(String id) {
    Patient p = findPatient(id);
    if (p == null) {
      throw new LedgerException(Refusal.NOT_FOUND, "No patient " + id + " at this pharmacy");
    }
    return p;
  }

  static PatientInfo info(Patient p) {
    return new PatientInfo(p.getId(), p.getGivenName(), p.getFamilyName(), displayName(p), p.getDateOfBirth() == null ? null
        : LocalDate.parse(p.getDateOfBirth()), p.getNationalId(), p.getAddress(), p.getPhone(), List.copyOf(p.getAllergyIngredientIds()),
        p.getNotes());
  }

  static String displayName(Patient p) {
    return p.getGivenName() == null || p.getGivenName().isBlank() ? p.getFamilyName() : p.getFamilyName() + ", " + p.getGivenName();
  }

  // ---- prescribers ----

  public List<PrescriberInfo> findPrescribers(String text, int limit) {
    synchronized (ledger) {
      String[] words = words(text);
      if (words.length == 0 || limit <= 0) {
        return List.of();
      }
      List<Prescriber> found = new ArrayList<>();
      for (PrescriberBucket b : ResourceRoots.of(ledger.tx(), folder("prescribers"), PrescriberBucket.class)) {
        for (Prescriber p : b.getPrescribers()) {
          String hay = lower(p.getName()) + " " + lower(p.getPractice()) + " " + lower(p.getRegistrationNumber());
          boolean all = true;
          for (String w : words) {
            all &= hay.contains(w);
          }
          if (all) {
            found.add(p);
          }
        }
      }
      found.sort(Comparator.comparing((Prescriber p) -> lower(p.getName())));
      return found.stream().limit(Math.min(limit, MAX_SEARCH)).map(Dispensary::info).toList();
    }
  }

  public PrescriberInfo savePrescriber(String userName, PrescriberRequest r) {
    synchronized (ledger) {
      if (r == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "No prescriber given");
      }
      String id = uuid(r.prescriberId(), "prescriber");
      String name = text(r.name(), "The prescriber's name", PatientRequest.MAX_NAME, true);
      String registration = text(r.registrationNumber(), "The registration number", MAX_SHORT, false);
      String practice = text(r.practice(), "The practice", PatientRequest.MAX_NAME, false);
      String address = text(r.address(), "The address", PatientRequest.MAX_ADDRESS, false);
      String phone = text(r.phone(), "The phone number", MAX_SHORT, false);
      Prescriber p = findPrescriber(id);
      try {
        if (p == null) {
          String path = folder("prescribers") + "/" + id.substring(0, 1);
          CDOTransaction tx = ledger.tx();
          PrescriberBucket bucket;
          if (tx.hasResource(path)) {
            bucket = (PrescriberBucket) tx.getResource(path).getContents().get(0);
          } else {
            bucket = Ownership.stamp(F.createPrescriberBucket(), ledger.siteId());
            bucket.setBucketKey(id.substring(0, 1));
            tx.createResource(path).getContents().add(bucket);
          }
          if (bucket.getPrescribers().size() >= PRESCRIBERS_PER_BUCKET) {
            throw new LedgerException(Refusal.NOT_RECORDED, "This pharmacy's prescriber list is full in this range: call support");
          }
          p = Ownership.stamp(F.createPrescriber(), ledger.siteId());
          p.setId(id);
          bucket.getPrescribers().add(p);
        } else if (same(p.getName(), name) && same(p.getRegistrationNumber(), registration) && same(p.getPractice(), practice)
            && same(p.getAddress(), address) && same(p.getPhone(), phone)) {
          return info(p);
        }
        p.setName(name);
        p.setRegistrationNumber(registration);
        p.setPractice(practice);
        p.setAddress(address);
        p.setPhone(phone);
        ledger.commit("prescriber " + id + " by " + userName);
      } catch (Exception e) {
        throw ledger.failed("The prescriber was not saved", e);
      }
      return info(p);
    }
  }

  private Prescriber findPrescriber(String id) {
    if (id == null || id.isEmpty()) {
      return null;
    }
    String path = folder("prescribers") + "/" + id.substring(0, 1).toLowerCase(Locale.ROOT);
    if (!ledger.tx().hasResource(path)) {
      return null;
    }
    for (Prescriber p : ((PrescriberBucket) ledger.tx().getResource(path).getContents().get(0)).getPrescribers()) {
      if (id.equals(p.getId())) {
        return p;
      }
    }
    return null;
  }

  static PrescriberInfo info(Prescriber p) {
    return new PrescriberInfo(p.getId(), p.getName(), p.getRegistrationNumber(), p.getPractice(), p.getAddress(), p.getPhone());
  }

  // ---- prescriptions ----

  public PrescriptionInfo savePrescription(String tillId, String userName, PrescriptionRequest r) {
    synchronized (ledger) {
      SiteLedger.checkTill(tillId);
      if (r == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "No prescription given");
      }
      String id = uuid(r.prescriptionId(), "prescription");
      Patient patient = findPatient(r.patientId());
      if (patient == null) {
        throw new LedgerException(Refusal.NOT_FOUND, "No patient " + r.patientId() + " at this pharmacy: save the patient first");
      }
      Prescriber prescriber = findPrescriber(r.prescriberId());
      if (prescriber == null) {
        throw new LedgerException(Refusal.NOT_FOUND, "No prescriber " + r.prescriberId() + " at this pharmacy: save the prescriber first");
      }
      LocalDate today = LocalDate.now(ledger.clock());
      if (r.issuedDate() == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "Give the date the prescription was issued");
      }
      if (r.issuedDate().isAfter(today)) {
        throw new LedgerException(Refusal.BAD_INPUT, "The issue date " + r.issuedDate() + " is in the future");
      }
      if (r.items().isEmpty()) {
        throw new LedgerException(Refusal.BAD_INPUT, "A prescription needs at least one item");
      }
      if (r.items().size() > PrescriptionRequest.MAX_ITEMS) {
        throw new LedgerException(Refusal.BAD_INPUT, "A prescription has at most " + PrescriptionRequest.MAX_ITEMS + " items");
      }
      if (r.repeatsAllowed() < 0 || r.repeatsAllowed() > MAX_REPEATS) {
        throw new LedgerException(Refusal.BAD_INPUT, "Repeats must be between 0 and " + MAX_REPEATS);
      }
      String notes = text(r.notes(), "The notes", PatientRequest.MAX_NOTES, false);
      List<Product> products = new ArrayList<>();
      List<String> directions = new ArrayList<>();
      for (PrescriptionRequest.Item item : r.items()) {
        if (item == null) {
          throw new LedgerException(Refusal.BAD_INPUT, "A prescription item is missing");
        }
        Product p = ledger.product(item.code(), null);
        FefoPlan.checkQuantity(item.quantity());
        products.add(p);
        directions.add(text(item.directions(), "The directions for " + p.getName(), PrescriptionRequest.MAX_DIRECTIONS, true));
      }
      load();
      Prescription rx = prescriptions.get(id);
      boolean fresh = rx == null;
      if (!fresh) {
        if (rx.getItems().stream().anyMatch(i -> i.getQuantityDispensed() > 0)
            || rx.getStatus() != org.apotheca.model.PrescriptionStatus.RECEIVED) {
          throw new LedgerException(Refusal.ALREADY_DONE, "Prescription " + number(rx) + " has been dispensed from: it cannot be changed");
        }
        if (unchanged(rx, patient, prescriber, r, products, directions, notes)) {
          return info(rx);
        }
      }
      try {
        if (fresh) {
          rx = Ownership.stamp(F.createPrescription(), ledger.siteId());
          rx.setId(id);
          rx.setReceivedAt(ledger.clock().millis());
          rx.setStatus(org.apotheca.model.PrescriptionStatus.RECEIVED);
          journal(tillId, today, true, 1).getPrescriptions().add(rx);
        }
        rx.setPatient(patient);
        rx.setPrescriber(prescriber);
        rx.setIssuedDate(r.issuedDate().toString());
        rx.setRepeatsAllowed(r.repeatsAllowed());
        rx.setNotes(notes);
        rx.getItems().clear();
        for (int i = 0; i < products.size(); i++) {
          Product p = products.get(i);
          PrescriptionRequest.Item asked = r.items().get(i);
          PrescriptionItem item = Ownership.stamp(F.createPrescriptionItem(), ledger.siteId());
          item.setProductId(p.getId());
          item.setBarcode(asked.code().strip());
          item.setProductName(p.getName());
          item.setQuantityPrescribed(asked.quantity());
          item.setDirections(directions.get(i));
          item.setSubstitutionAllowed(asked.substitutionAllowed());
          rx.getItems().add(item);
        }
        ledger.commit("prescription " + number(rx) + " by " + userName);
      } catch (Exception e) {
        throw ledger.failed("The prescription was not saved", e);
      }
      prescriptions.put(id, rx);
      for (Set<String> ids : prescriptionsOfPatient.values()) {
        ids.remove(id); // a corrected prescription may name another patient
      }
      indexPrescription(rx);
      return info(rx);
    }
  }

  private static boolean unchanged(Prescription rx, Patient patient, Prescriber prescriber, PrescriptionRequest r, List<Product> products,
      List<String> directions, String notes) {
    if (rx.getPatient() != patient || rx.getPrescriber() != prescriber || !r.issuedDate().toString().equals(rx.getIssuedDate())
        || rx.getRepeatsAllowed() != r.repeatsAllowed() || !same(rx.getNotes(), notes) || rx.getItems().size() != products.size()) {
      return false;
    }
    for (int i = 0; i < products.size(); i++) {
      PrescriptionItem item = rx.getItems().get(i);
      PrescriptionRequest.Item asked = r.items().get(i);
      if (!item.getProductId().equals(products.get(i).getId()) || item.getQuantityPrescribed() != asked.quantity()
          || !same(item.getDirections(), directions.get(i)) || item.isSubstitutionAllowed() != asked.substitutionAllowed()) {
        return false;
      }
    }
    return true;
  }

  public PrescriptionInfo prescription(String prescriptionId) {
    synchronized (ledger) {
      return info(requirePrescription(prescriptionId));
    }
  }

  public List<PrescriptionInfo> prescriptions(String patientId) {
    synchronized (ledger) {
      load();
      List<Prescription> found = new ArrayList<>();
      if (patientId == null) {
        for (Prescription rx : prescriptions.values()) {
          if (rx.getStatus() == org.apotheca.model.PrescriptionStatus.RECEIVED
              || rx.getStatus() == org.apotheca.model.PrescriptionStatus.PARTIALLY_DISPENSED) {
            found.add(rx);
          }
        }
        found.sort(Comparator.comparingLong(Prescription::getReceivedAt));
      } else {
        requirePatient(patientId);
        for (String id : prescriptionsOfPatient.getOrDefault(patientId, Set.of())) {
          found.add(prescriptions.get(id));
        }
        found.sort(Comparator.comparingLong(Prescription::getReceivedAt).reversed());
      }
      return found.stream().map(this::info).toList();
    }
  }

  private Prescription requirePrescription(String id) {
    load();
    Prescription rx = id == null ? null : prescriptions.get(id);
    if (rx == null) {
      throw new LedgerException(Refusal.NOT_FOUND, "No prescription " + id + " at this pharmacy");
    }
    return rx;
  }

  PrescriptionInfo info(Prescription rx) {
    List<PrescriptionInfo.Item> items = new ArrayList<>();
    for (PrescriptionItem i : rx.getItems()) {
      items.add(new PrescriptionInfo.Item(i.getId(), i.getProductId(), i.getBarcode(), i.getProductName(), schedule(i.getBarcode()),
          i.getQuantityPrescribed(), i.getQuantityDispensed(), i.getQuantityPrescribed() - i.getQuantityDispensed(), i.getDirections(),
          i.isSubstitutionAllowed()));
    }
    Patient patient = rx.getPatient();
    Prescriber prescriber = rx.getPrescriber();
    return new PrescriptionInfo(rx.getId(), number(rx), patient == null ? null : patient.getId(), patient == null ? null
        : displayName(patient), prescriber == null ? null : prescriber.getId(), prescriber == null ? null : prescriber.getName(),
        LocalDate.parse(rx.getIssuedDate()), rx.getReceivedAt(), PrescriptionStatus.valueOf(rx.getStatus().getName()),
        rx.getRepeatsAllowed(), rx.getRepeatsDispensed(), rx.getNotes(), items, atCentral(rx));
  }

  /** RX-<till>-<yyyyMMdd>-<n>: where it was captured, in the order captured (journals only ever grow). */
  static String number(Prescription rx) {
    DispensaryDay day = (DispensaryDay) rx.eContainer();
    int n = day.getPart() * PRESCRIPTIONS_PER_JOURNAL + day.getPrescriptions().indexOf(rx) + 1;
    return "RX-" + day.getTillId() + "-" + day.getBusinessDate().replace("-", "") + "-" + n;
  }

  private String schedule(String code) {
    Product p = code == null ? null : ledger.catalogue().find(code);
    return ControlledDrugRegister.controlled(p) ? p.getSchedule().getLiteral() : "";
  }

  // ---- warnings ----

  /** A dispense line checked against its prescription: the item, the product supplied, the units. */
  private record Resolved(DispenseLine line, PrescriptionItem item, Product product, boolean substituted, String reason) {
  }

  public List<ClinicalWarning> checkWarnings(String prescriptionId, List<DispenseLine> lines) {
    synchronized (ledger) {
      Prescription rx = requirePrescription(prescriptionId);
      return warnings(rx, resolve(rx, lines));
    }
  }

  private List<Resolved> resolve(Prescription rx, List<DispenseLine> lines) {
    if (lines == null || lines.isEmpty()) {
      throw new LedgerException(Refusal.BAD_INPUT, "Choose at least one item to dispense");
    }
    List<Resolved> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (DispenseLine l : lines) {
      if (l == null || l.itemId() == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "A dispensing line names no prescription item");
      }
      PrescriptionItem item = rx.getItems().stream().filter(i -> i.getId().equals(l.itemId())).findFirst().orElseThrow(
          () -> new LedgerException(Refusal.NOT_FOUND, "Prescription " + number(rx) + " has no item " + l.itemId()));
      if (!seen.add(item.getId())) {
        throw new LedgerException(Refusal.BAD_INPUT, item.getProductName() + " is named twice: one line per item");
      }
      FefoPlan.checkQuantity(l.quantity());
      int owed = item.getQuantityPrescribed() - item.getQuantityDispensed();
      if (l.quantity() > owed) {
        throw new LedgerException(Refusal.BAD_QUANTITY, "Only " + owed + " of " + item.getProductName() + " are still owed on "
            + number(rx) + " (" + item.getQuantityPrescribed() + " prescribed, " + item.getQuantityDispensed() + " dispensed)");
      }
      Product prescribed = ledger.product(item.getBarcode(), null);
      if (l.substituteCode() == null || l.substituteCode().isBlank()) {
        result.add(new Resolved(l, item, prescribed, false, null));
        continue;
      }
      Product substitute = ledger.product(l.substituteCode(), null);
      if (substitute.getId().equals(prescribed.getId())) {
        result.add(new Resolved(l, item, prescribed, false, null));
        continue;
      }
      if (!item.isSubstitutionAllowed()) {
        throw new LedgerException(Refusal.BAD_INPUT, "The prescriber did not allow substitution of " + item.getProductName()
            + ": supply it as prescribed");
      }
      String reason = text(l.substitutionReason(), "The substitution reason", DispenseRequest.MAX_REASON, false);
      if (reason == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "Say why " + substitute.getName() + " is supplied instead of " + item.getProductName());
      }
      if (!ingredientIds(substitute).equals(ingredientIds(prescribed)) || ingredientIds(substitute).isEmpty()) {
        throw new LedgerException(Refusal.BAD_INPUT, substitute.getName() + " is not a generic equivalent of " + item.getProductName()
            + ": its active ingredients differ");
      }
      result.add(new Resolved(l, item, substitute, true, reason));
    }
    return result;
  }

  /** A prescription is dispensed only while it is valid: six months, 28 days for most controlled drugs. */
  private void checkValid(Prescription rx, List<Resolved> lines) {
    LocalDate issued = LocalDate.parse(rx.getIssuedDate());
    LocalDate today = LocalDate.now(ledger.clock());
    if (today.isAfter(issued.plusMonths(VALID_MONTHS))) {
      throw new LedgerException(Refusal.EXPIRED, "Prescription " + number(rx) + " was issued on " + issued + ": it expired on "
          + issued.plusMonths(VALID_MONTHS) + " and cannot be dispensed any more");
    }
    for (Resolved l : lines) {
      org.apotheca.model.ControlledDrugSchedule schedule = l.product().getSchedule();
      boolean shortLived = schedule != null && schedule != org.apotheca.model.ControlledDrugSchedule.NONE
          && schedule != org.apotheca.model.ControlledDrugSchedule.SCHEDULE_5;
      if (shortLived && today.isAfter(issued.plusDays(CONTROLLED_VALID_DAYS))) {
        throw new LedgerException(Refusal.EXPIRED, l.product().getName() + " is a controlled drug: prescription " + number(rx)
            + " issued on " + issued + " was valid for it until " + issued.plusDays(CONTROLLED_VALID_DAYS));
      }
    }
  }

  private static Set<String> ingredientIds(Product p) {
    Set<String> ids = new HashSet<>();
    for (ActiveIngredient ai : p.getIngredients()) {
      ids.add(ai.getId());
    }
    return ids;
  }

  private List<ClinicalWarning> warnings(Prescription rx, List<Resolved> lines) {
    List<ClinicalCheck.Medicine> now = new ArrayList<>();
    Set<String> itemsNow = new HashSet<>();
    for (Resolved r : lines) {
      now.add(medicine(r.item().getId(), r.product(), r.product().getName()));
      itemsNow.add(r.item().getId());
    }
    List<ClinicalCheck.Medicine> current = new ArrayList<>();
    for (PrescriptionItem other : rx.getItems()) {
      if (!itemsNow.contains(other.getId())) {
        Product p = ledger.catalogue().find(other.getBarcode());
        if (p != null) {
          current.add(medicine(null, p, other.getProductName() + " (also on this prescription)"));
        }
      }
    }
    Patient patient = rx.getPatient();
    long since = ledger.clock().millis() - DispensaryService.RECENT_DAYS * 86_400_000L;
    load();
    for (DispensingRecord d : patient == null ? List.<DispensingRecord>of() : recordsOf(patient)) {
      if (d.getPrescription() == rx || d.getDispensedAt() < since) {
        continue; // this prescription's items are counted above, as prescribed
      }
      Product p = ledger.catalogue().find(d.getBarcode());
      if (p != null) {
        current.add(medicine(null, p, d.getProductName() + ", dispensed " + day(d.getDispensedAt())));
      }
    }
    Set<String> allergies = new HashSet<>(patient == null ? List.of() : patient.getAllergyIngredientIds());
    CatalogueIndex catalogue = ledger.catalogue();
    return ClinicalCheck.check(now, current, allergies, catalogue::interactions);
  }

  private static ClinicalCheck.Medicine medicine(String itemId, Product p, String description) {
    List<ClinicalCheck.Ingredient> ingredients = new ArrayList<>();
    for (ActiveIngredient ai : p.getIngredients()) {
      ingredients.add(new ClinicalCheck.Ingredient(ai.getId(), ai.getName()));
    }
    return new ClinicalCheck.Medicine(itemId, description, ingredients, p.getAtcCode());
  }

  // ---- dispensing ----

  public DispensingInfo dispense(String tillId, String userName, String displayName, DispenseRequest r) {
    synchronized (ledger) {
      SiteLedger.checkTill(tillId);
      if (r == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "Nothing to dispense");
      }
      String dispensingId = SiteLedger.documentId(r.dispensingId(), "dispensing");
      if (dispensingId.length() > 56) {
        throw new LedgerException(Refusal.BAD_INPUT, "The till sent no valid id for this dispensing: restart the till");
      }
      load();
      List<DispensingRecord> done = dispensings.get(dispensingId);
      if (done != null) {
        return info(dispensingId, done);
      }
      Prescription rx = requirePrescription(r.prescriptionId());
      if (rx.getStatus() == org.apotheca.model.PrescriptionStatus.DISPENSED
          || rx.getStatus() == org.apotheca.model.PrescriptionStatus.CANCELLED) {
        throw new LedgerException(Refusal.ALREADY_DONE, "Prescription " + number(rx) + " is " + rx.getStatus().getLiteral().toLowerCase(
            Locale.ROOT).replace('_', ' ') + ": nothing is owed on it");
      }
      List<Resolved> lines = resolve(rx, r.lines());
      checkValid(rx, lines);
      if (lines.size() > RECORDS_PER_JOURNAL) {
        throw new LedgerException(Refusal.BAD_INPUT, "Too many lines in one dispensing");
      }
      List<ClinicalWarning> warnings = warnings(rx, lines);
      Map<String, String> reasons = new HashMap<>();
      for (WarningOverrideRequest o : r.overrides()) {
        if (o != null && o.warningKey() != null) {
          String reason = text(o.reason(), "An override reason", DispenseRequest.MAX_REASON, false);
          if (reason != null) {
            reasons.put(o.warningKey(), reason);
          }
        }
      }
      List<ClinicalWarning> overridden = new ArrayList<>();
      for (ClinicalWarning w : warnings) {
        if (reasons.containsKey(w.key())) {
          overridden.add(w);
        } else if (w.needsOverride()) {
          throw new LedgerException(Refusal.OVERRIDE_REQUIRED, w.message() + ". A " + w.severity().name().toLowerCase(Locale.ROOT)
              + " warning: dispensing needs a pharmacist's override with a reason");
        }
      }
      boolean controlled = lines.stream().anyMatch(l -> ControlledDrugRegister.controlled(l.product()));
      String collector = text(r.collectorName(), "The collector's name", PatientRequest.MAX_NAME, false);
      String evidence = text(r.idEvidence(), "The ID evidence", MAX_SHORT, false);
      if (controlled && collector == null && !r.collectorIsPatient()) {
        throw new LedgerException(Refusal.BAD_INPUT, "A controlled drug is being supplied: record who collects it");
      }
      if (controlled && r.idChecked() && evidence == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "Say what proof of identity was seen (e.g. driving licence)");
      }
      Patient patient = rx.getPatient();
      if (r.collectorIsPatient() && collector == null && patient != null) {
        collector = displayName(patient);
      }
      Map<String, Integer> taken = new HashMap<>();
      List<List<FefoPlan.Take>> plans = new ArrayList<>();
      for (Resolved l : lines) {
        plans.add(ledger.plan(new LineRequest(SiteLedger.primaryBarcode(l.product()), null, null, l.line().quantity()), taken));
      }
      LocalDate today = LocalDate.now(ledger.clock());
      long now = ledger.clock().millis();
      List<DispensingRecord> records = new ArrayList<>();
      try {
        DispensaryDay journal = journal(tillId, today, false, lines.size());
        for (int i = 0; i < lines.size(); i++) {
          Resolved l = lines.get(i);
          DispensingRecord d = Ownership.stamp(F.createDispensingRecord(), ledger.siteId());
          d.setId(dispensingId + "-" + (i + 1));
          d.setPrescription(rx);
          d.setItem(l.item());
          d.setDispensedAt(now);
          d.setProductId(l.product().getId());
          d.setBarcode(SiteLedger.primaryBarcode(l.product()));
          d.setProductName(l.product().getName());
          d.setQuantity(l.line().quantity());
          d.setSubstituted(l.substituted());
          d.setSubstitutionReason(l.reason());
          d.setPharmacistUserId(userName);
          d.setPharmacistName(displayName == null ? userName : displayName);
          journal.getDispensingRecords().add(d);
          records.add(d);
          for (FefoPlan.Take t : plans.get(i)) {
            if (d.getBatch() == null) {
              d.setBatch(ledger.batch(l.product().getId(), t.batch().id()));
            }
            ledger.moveStock(tillId, userName, today, l.product().getId(), t.batch().id(), -t.quantity(), MovementReason.DISPENSING,
                dispensingId, d.getId(), now);
          }
          l.item().setQuantityDispensed(l.item().getQuantityDispensed() + l.line().quantity());
        }
        for (ClinicalWarning w : overridden) {
          DispensingRecord d = records.stream().filter(x -> x.getItem().getId().equals(w.itemId())).findFirst().orElse(records.get(0));
          if (d.getWarningOverrides().size() >= OVERRIDES_PER_RECORD) {
            d = records.stream().filter(x -> x.getWarningOverrides().size() < OVERRIDES_PER_RECORD).findFirst().orElseThrow(
                () -> new LedgerException(Refusal.BAD_INPUT, "Too many warnings overridden in one dispensing: dispense fewer lines at once"));
          }
          WarningOverride o = Ownership.stamp(F.createWarningOverride(), ledger.siteId());
          o.setKind(org.apotheca.model.WarningKind.get(w.kind().name()));
          o.setSeverity(InteractionSeverity.get(w.severity().name()));
          o.setMessage(w.message());
          o.setReason(reasons.get(w.key()));
          o.setOverriddenByUserId(userName);
          o.setOverriddenAt(now);
          d.getWarningOverrides().add(o);
        }
        boolean owing = rx.getItems().stream().anyMatch(i -> i.getQuantityDispensed() < i.getQuantityPrescribed());
        rx.setStatus(owing ? org.apotheca.model.PrescriptionStatus.PARTIALLY_DISPENSED : org.apotheca.model.PrescriptionStatus.DISPENSED);
        Prescriber prescriber = rx.getPrescriber();
        for (int i = 0; i < lines.size(); i++) {
          Resolved l = lines.get(i);
          ledger.register().supplied(l.product(), l.line().quantity(), new ControlledDrugRegister.Supply(patient == null ? null
              : patient.getId(), patient == null ? null : displayName(patient), patient == null ? null : patient.getAddress(),
              prescriber == null ? null : prescriber.getName(), prescriber == null ? null : prescriber.getAddress(), collector,
              r.collectorIsPatient(), r.idRequested(), r.idChecked(), evidence, records.get(i).getId(), number(rx)), userName,
              displayName, now);
        }
        ledger.commit("dispensing " + number(rx));
      } catch (Exception e) {
        LedgerException failure = ledger.failed("Dispensing of " + lines.size() + " item(s) was not recorded", e);
        List<DispensingRecord> recorded = findRecords(tillId, today, dispensingId);
        if (!recorded.isEmpty()) { // committed although the commit reported a failure: see SiteLedger.sell
          return info(dispensingId, recorded);
        }
        throw failure;
      }
      dispensings.put(dispensingId, records);
      indexRecords(records);
      return info(dispensingId, records);
    }
  }

  public DispensingInfo dispensing(String dispensingId) {
    synchronized (ledger) {
      load();
      List<DispensingRecord> records = dispensingId == null ? null : dispensings.get(dispensingId);
      if (records == null) {
        throw new LedgerException(Refusal.NOT_FOUND, "No dispensing " + dispensingId + " at this pharmacy");
      }
      return info(dispensingId, records);
    }
  }

  public List<DispensingInfo> history(String patientId) {
    synchronized (ledger) {
      Patient patient = requirePatient(patientId);
      load();
      Set<String> ids = new java.util.LinkedHashSet<>();
      for (DispensingRecord r : recordsOf(patient)) {
        ids.add(ControlledDrugRegister.dispensingOf(r.getId()));
      }
      List<DispensingInfo> result = new ArrayList<>();
      for (String id : ids) {
        result.add(info(id, dispensings.get(id)));
      }
      result.sort(Comparator.comparingLong(DispensingInfo::dispensedAt).reversed().thenComparing(DispensingInfo::dispensingId));
      return result;
    }
  }

  public DispensingLabel label(String dispensingId) {
    synchronized (ledger) {
      DispensingInfo d = dispensing(dispensingId);
      Prescription rx = prescriptions.get(d.prescriptionId());
      Patient patient = rx.getPatient();
      CatalogueIndex.SiteCard card = ledger.catalogue().siteCard(ledger.siteId());
      List<DispensingLabel.Item> items = new ArrayList<>();
      for (DispensingInfo.Line l : d.lines()) {
        List<String> lots = new ArrayList<>();
        String expiry = null;
        for (Allocation a : l.allocations()) {
          lots.add(a.lot());
          expiry = expiry == null || a.expiry().compareTo(expiry) < 0 ? a.expiry() : expiry;
        }
        items.add(new DispensingLabel.Item(l.productName(), l.quantity(), l.directions(), String.join(", ", lots), expiry));
      }
      return new DispensingLabel(dispensingId, card == null ? "Pharmacy " + ledger.siteId() : card.name(), card == null ? null
          : card.address(), card == null ? null : card.phone(), d.patientName(), patient == null ? null : patient.getAddress(),
          day(d.dispensedAt()), d.prescriptionNumber(), d.pharmacistName(), items);
    }
  }

  private DispensingInfo info(String dispensingId, List<DispensingRecord> records) {
    load();
    DispensingRecord first = records.get(0);
    Prescription rx = first.getPrescription();
    Patient patient = rx.getPatient();
    long at = first.getDispensedAt();
    LocalDate day = LocalDate.parse(((DispensaryDay) first.eContainer()).getBusinessDate());
    Map<String, List<StockMovement>> moves = new HashMap<>();
    for (StockMovement m : ledger.movementsOf(day, dispensingId)) {
      moves.computeIfAbsent(m.getDocumentLineId(), k -> new ArrayList<>()).add(m);
    }
    // how much of each item was dispensed up to and including this dispensing
    Map<String, Integer> upTo = new HashMap<>();
    for (DispensingRecord d : byPrescription.getOrDefault(rx.getId(), records)) {
      if (d.getDispensedAt() <= at) {
        upTo.merge(d.getItem().getId(), d.getQuantity(), Integer::sum);
      }
    }
    List<DispensingInfo.Line> lines = new ArrayList<>();
    List<DispensingInfo.OverrideInfo> overrides = new ArrayList<>();
    String collector = null;
    boolean collectorIsPatient = false;
    boolean idChecked = false;
    for (DispensingRecord d : records) {
      PrescriptionItem item = d.getItem();
      List<Allocation> allocations = new ArrayList<>();
      for (StockMovement m : moves.getOrDefault(d.getId(), List.of())) {
        allocations.add(new Allocation(m.getBatch().getId(), m.getBatch().getLotNumber(), m.getBatch().getExpiryDate(), -m.getQuantity()));
      }
      lines.add(new DispensingInfo.Line(d.getId(), item.getId(), d.getBarcode(), d.getProductName(), schedule(d.getBarcode()),
          d.getQuantity(), d.isSubstituted(), d.getSubstitutionReason(), item.getDirections(), allocations,
          item.getQuantityPrescribed() - upTo.getOrDefault(item.getId(), 0)));
      for (WarningOverride o : d.getWarningOverrides()) {
        overrides.add(new DispensingInfo.OverrideInfo(WarningKind.valueOf(o.getKind().getName()),
            WarningSeverity.valueOf(o.getSeverity().getName()), o.getMessage(), o.getReason(), o.getOverriddenByUserId(),
            o.getOverriddenAt()));
      }
      if (collector == null && !schedule(d.getBarcode()).isEmpty()) {
        ControlledDrugEntry e = ledger.register().suppliedFor(d.getProductId(), dispensingId).get(d.getId());
        if (e != null) {
          collector = e.getCollectorName();
          collectorIsPatient = e.isCollectorIsPatient();
          idChecked = e.isIdChecked();
        }
      }
    }
    boolean owing = false;
    for (PrescriptionItem i : rx.getItems()) {
      owing |= upTo.getOrDefault(i.getId(), 0) < i.getQuantityPrescribed();
    }
    return new DispensingInfo(dispensingId, rx.getId(), number(rx), patient == null ? null : patient.getId(), patient == null ? null
        : displayName(patient), at, first.getPharmacistUserId(), first.getPharmacistName(), lines, overrides, collector,
        collectorIsPatient, idChecked, owing ? PrescriptionStatus.PARTIALLY_DISPENSED : PrescriptionStatus.DISPENSED, atCentral(first));
  }

  // ---- journals ----

  /** Reads every dispensary journal once (prescriptions by id, records by dispensing). */
  private void load() {
    if (prescriptions != null) {
      return;
    }
    Map<String, Prescription> rxs = new HashMap<>();
    Map<String, List<DispensingRecord>> ds = new LinkedHashMap<>();
    CDOTransaction tx = ledger.tx();
    String root = folder("dispensary");
    if (tx.hasResource(root) && tx.getResourceNode(root) instanceof CDOResourceFolder days) {
      List<String> names = new ArrayList<>();
      for (CDOResourceNode n : days.getNodes()) {
        if (n instanceof CDOResourceFolder) {
          names.add(n.getName());
        }
      }
      names.sort(null);
      for (String dayName : names) {
        for (DispensaryDay d : ResourceRoots.of(tx, root + "/" + dayName, DispensaryDay.class)) {
          for (Prescription rx : d.getPrescriptions()) {
            rxs.put(rx.getId(), rx);
          }
          for (DispensingRecord r : d.getDispensingRecords()) {
            ds.computeIfAbsent(ControlledDrugRegister.dispensingOf(r.getId()), k -> new ArrayList<>()).add(r);
          }
        }
      }
    }
    prescriptions = rxs;
    dispensings = ds;
    byPrescription = new HashMap<>();
    prescriptionsOfPatient = new HashMap<>();
    for (Prescription rx : rxs.values()) {
      indexPrescription(rx);
    }
    for (List<DispensingRecord> records : ds.values()) {
      indexRecords(records);
    }
  }

  private void indexPrescription(Prescription rx) {
    if (rx.getPatient() != null) {
      prescriptionsOfPatient.computeIfAbsent(rx.getPatient().getId(), k -> new java.util.LinkedHashSet<>()).add(rx.getId());
    }
  }

  private void indexRecords(List<DispensingRecord> records) {
    for (DispensingRecord r : records) {
      if (r.getPrescription() != null) {
        byPrescription.computeIfAbsent(r.getPrescription().getId(), k -> new ArrayList<>()).add(r);
      }
    }
  }

  /** Every record of the patient's prescriptions. */
  private List<DispensingRecord> recordsOf(Patient patient) {
    List<DispensingRecord> result = new ArrayList<>();
    for (String rxId : prescriptionsOfPatient.getOrDefault(patient.getId(), Set.of())) {
      result.addAll(byPrescription.getOrDefault(rxId, List.of()));
    }
    return result;
  }

  private List<DispensingRecord> findRecords(String tillId, LocalDate day, String dispensingId) {
    List<DispensingRecord> result = new ArrayList<>();
    for (int part = 0;; part++) {
      String path = journalPath(day, tillId, part);
      if (!ledger.tx().hasResource(path)) {
        return result;
      }
      for (DispensingRecord r : ((DispensaryDay) ledger.tx().getResource(path).getContents().get(0)).getDispensingRecords()) {
        if (dispensingId.equals(ControlledDrugRegister.dispensingOf(r.getId()))) {
          result.add(r);
        }
      }
    }
  }

  private String journalPath(LocalDate day, String tillId, int part) {
    return folder("dispensary") + "/" + day + "/" + tillId + "-" + part;
  }

  /** The till's dispensary journal of the day with room for one prescription, or for {@code records} records. */
  private DispensaryDay journal(String tillId, LocalDate day, boolean forPrescription, int records) {
    for (int part = 0;; part++) {
      String path = journalPath(day, tillId, part);
      if (ledger.tx().hasResource(path)) {
        DispensaryDay d = (DispensaryDay) ledger.tx().getResource(path).getContents().get(0);
        if (forPrescription ? d.getPrescriptions().size() < PRESCRIPTIONS_PER_JOURNAL
            : d.getDispensingRecords().size() + records <= RECORDS_PER_JOURNAL) {
          return d;
        }
        continue;
      }
      DispensaryDay d = Ownership.stamp(F.createDispensaryDay(), ledger.siteId());
      d.setTillId(tillId);
      d.setBusinessDate(day.toString());
      d.setPart(part);
      ledger.tx().createResource(path).getContents().add(d);
      return d;
    }
  }

  // ---- small things ----

  private String folder(String name) {
    return "/sites/" + ledger.siteId() + "/" + name;
  }

  private LocalDate day(long millis) {
    return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ledger.clock().getZone());
  }

  private static String uuid(String id, String what) {
    try {
      if (id != null && UUID.fromString(id).toString().equals(id)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw new LedgerException(Refusal.BAD_INPUT, "The till sent no valid id for this " + what + ": restart the till");
  }

  /** Stripped text, null when blank; refused when required and blank or when longer than {@code max}. */
  private static String text(String value, String what, int max, boolean required) {
    String v = value == null ? "" : value.strip();
    if (v.isEmpty()) {
      if (required) {
        throw new LedgerException(Refusal.BAD_INPUT, what + " is required");
      }
      return null;
    }
    if (v.length() > max) {
      throw new LedgerException(Refusal.FIELD_TOO_LONG, what + " has at most " + max + " characters (got " + v.length() + ")");
    }
    return v;
  }

  private static String[] words(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  private static boolean same(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  private static boolean atCentral(CDOObject o) {
    CDORevision rev = o.cdoRevision();
    return rev != null && !rev.getBranch().isLocal();
  }
}
