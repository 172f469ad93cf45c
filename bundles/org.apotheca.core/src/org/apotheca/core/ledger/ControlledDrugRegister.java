package org.apotheca.core.ledger;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apotheca.core.ResourceRoots;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.ControlledDrugEntry;
import org.apotheca.model.ControlledDrugSchedule;
import org.apotheca.model.Product;
import org.apotheca.model.RegisterEntryKind;
import org.apotheca.model.RegisterPage;
import org.apotheca.model.StockBatch;
import org.apotheca.model.ownership.Bounds;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.node.api.DrugRegister;
import org.apotheca.node.api.RegisterBalance;
import org.apotheca.node.api.RegisterDrug;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterNoteRequest;
import org.apotheca.node.api.Refusal;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.revision.CDORevision;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.transaction.CDOTransaction;

/**
 * The controlled-drugs register of one pharmacy (modelled on the UK Misuse of Drugs Regulations 2001, reg. 19): one
 * register per drug (product), on pages of one calendar month each ({@code /sites/<id>/cd-register/<productId>/
 * <yyyy-MM>}, a continuation page {@code <yyyy-MM>-p002} when a month fills one), chronological, the running balance
 * carried from page to page.
 * <p>
 * <b>Append-only.</b> Entries are made only by the ledger's own operations in the same commit as the stock they
 * record: a goods receipt ({@link #received}), a dispensing ({@link #supplied}), a supplier return
 * ({@link #returnedToSupplier}) and a write-off ({@link #destroyed}); a pharmacist's dated correction note
 * ({@link #addNote}) points at the entry it corrects. This class creates entries and never sets a feature of one it
 * did not create in the same call; nothing in the ledger has a path that edits or removes one, and the ledger's
 * {@link AppendOnlyGuard} refuses any commit that would. The register writes nothing itself: every method adds to
 * the ledger's open transaction and the ledger commits (or rolls back) the whole operation.
 */
public final class ControlledDrugRegister {

  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;
  static final int ENTRIES_PER_PAGE = Bounds.max(ApothecaPackage.Literals.REGISTER_PAGE__ENTRIES);

  private final SiteLedger ledger;
  /** productId → the drug's pages in order, loaded when first needed; dropped when the ledger re-reads. */
  private final Map<String, List<RegisterPage>> pages = new HashMap<>();

  ControlledDrugRegister(SiteLedger ledger) {
    this.ledger = ledger;
  }

  /** Forgets what it read: after a rollback or a branch switch, pages may have gone or come. */
  void reset() {
    pages.clear();
  }

  static boolean controlled(Product p) {
    return p != null && p.getSchedule() != null && p.getSchedule() != ControlledDrugSchedule.NONE;
  }

  // ---- entries, made by the ledger's operations (same transaction, no commit here) ----

  /** RECEIVED: a goods receipt of a controlled drug. Does nothing for other products. */
  ControlledDrugEntry received(Product product, StockBatch batch, String receiptId, String supplier, int quantity, String userName,
      String displayName, long at) {
    if (!controlled(product)) {
      return null;
    }
    ControlledDrugEntry e = entry(RegisterEntryKind.RECEIVED, quantity, userName, displayName, at);
    e.setSupplierName(supplier);
    e.setInvoiceNumber(receiptId);
    e.setGoodsReceiptId(receiptId);
    e.setNote("lot " + batch.getLotNumber() + ", expiry " + batch.getExpiryDate());
    return append(product, e, quantity);
  }

  /** What a SUPPLIED entry records about the person and the prescription. */
  record Supply(String patientId, String patientName, String patientAddress, String prescriberName, String prescriberAddress,
      String collectorName, boolean collectorIsPatient, boolean idRequested, boolean idChecked, String idEvidence,
      String dispensingRecordId, String prescriptionNumber) {
  }

  /** SUPPLIED: a dispensing of a controlled drug. Does nothing for other products. */
  ControlledDrugEntry supplied(Product product, int quantity, Supply s, String userName, String displayName, long at) {
    if (!controlled(product)) {
      return null;
    }
    ControlledDrugEntry e = entry(RegisterEntryKind.SUPPLIED, quantity, userName, displayName, at);
    e.setPatientId(s.patientId());
    e.setPatientName(s.patientName());
    e.setPatientAddress(s.patientAddress());
    e.setPrescriberName(s.prescriberName());
    e.setPrescriberAddress(s.prescriberAddress());
    e.setCollectorName(s.collectorName());
    e.setCollectorIsPatient(s.collectorIsPatient());
    e.setIdRequested(s.idRequested());
    e.setIdChecked(s.idChecked());
    e.setIdEvidence(s.idEvidence());
    e.setDispensingRecordId(s.dispensingRecordId());
    e.setNote("prescription " + s.prescriptionNumber());
    return append(product, e, -quantity);
  }

  /**
   * RETURNED_TO_SUPPLIER: stock of a controlled drug sent back to its supplier (the stock work calls it in the same
   * transaction as the stock movement). Does nothing and returns null for a product that is not controlled.
   *
   * @param productId the catalogue product's id
   * @param quantity units returned, at least 1
   * @param documentId the supplier return (shown as the entry's document / invoice reference)
   * @param note e.g. the supplier's return authorisation, or null
   */
  ControlledDrugEntry returnedToSupplier(String productId, int quantity, String supplierName, String documentId, String note,
      String userName, String displayName, long at) {
    Product product = ledger.productById(productId);
    if (!controlled(product)) {
      return null;
    }
    checkUnits(quantity);
    ControlledDrugEntry e = entry(RegisterEntryKind.RETURNED_TO_SUPPLIER, quantity, userName, displayName, at);
    e.setSupplierName(supplierName);
    e.setInvoiceNumber(documentId);
    e.setNote(note);
    return append(product, e, -quantity);
  }

  /**
   * DESTROYED: expired or damaged stock of a controlled drug written off (the stock work calls it in the same
   * transaction as the stock movement). Does nothing and returns null for a product that is not controlled.
   *
   * @param documentId the write-off (shown as the entry's document reference)
   * @param note why, and who witnessed the destruction
   */
  ControlledDrugEntry destroyed(String productId, int quantity, String documentId, String note, String userName, String displayName,
      long at) {
    Product product = ledger.productById(productId);
    if (!controlled(product)) {
      return null;
    }
    checkUnits(quantity);
    ControlledDrugEntry e = entry(RegisterEntryKind.DESTROYED, quantity, userName, displayName, at);
    e.setInvoiceNumber(documentId);
    e.setNote(note);
    return append(product, e, -quantity);
  }

  private static void checkUnits(int quantity) {
    if (quantity < 1) {
      throw new LedgerException(Refusal.BAD_QUANTITY, "A register entry moves at least one unit (got " + quantity + ")");
    }
  }

  /** A pharmacist's dated correction note; commits (it is an operation of its own). Idempotent by note id. */
  public RegisterEntry addNote(RegisterNoteRequest request, String userName, String displayName) {
    synchronized (ledger) {
      return note(request, userName, displayName);
    }
  }

  private RegisterEntry note(RegisterNoteRequest request, String userName, String displayName) {
    if (request == null) {
      throw new LedgerException(Refusal.BAD_INPUT, "No note given");
    }
    String noteId = SiteLedger.documentId(request.noteId(), "note");
    String text = request.text() == null ? "" : request.text().strip();
    if (text.isEmpty()) {
      throw new LedgerException(Refusal.BAD_INPUT, "Write what the note corrects");
    }
    if (text.length() > RegisterNoteRequest.MAX_TEXT) {
      throw new LedgerException(Refusal.FIELD_TOO_LONG, "A note has at most " + RegisterNoteRequest.MAX_TEXT + " characters");
    }
    ControlledDrugEntry done = findEntry(noteId);
    if (done != null) {
      return info(done);
    }
    ControlledDrugEntry corrected = request.entryId() == null ? null : findEntry(request.entryId());
    if (corrected == null) {
      throw new LedgerException(Refusal.NOT_FOUND, "No register entry " + request.entryId() + " at this pharmacy");
    }
    RegisterPage page = (RegisterPage) corrected.eContainer();
    long now = ledger.clock().millis();
    try {
      ControlledDrugEntry note = entry(RegisterEntryKind.CORRECTION_NOTE, 0, userName, displayName, now);
      note.setId(noteId);
      note.setNote(text);
      note.setCorrects(corrected);
      append(page.getProductId(), page.getBarcode(), page.getProductName(), note, 0);
      ledger.commit("register note on " + page.getProductName());
    } catch (Exception e) {
      LedgerException failure = ledger.failed("The note was not recorded", e);
      ControlledDrugEntry recorded = findEntry(noteId);
      if (recorded != null) {
        return info(recorded);
      }
      throw failure;
    }
    return info(findEntry(noteId));
  }

  private ControlledDrugEntry entry(RegisterEntryKind kind, int quantity, String userName, String displayName, long at) {
    ControlledDrugEntry e = Ownership.stamp(F.createControlledDrugEntry(), ledger.siteId());
    e.setKind(kind);
    e.setTransactionDate(LocalDate.now(ledger.clock()).toString());
    e.setEnteredAt(at);
    e.setQuantity(quantity);
    e.setEnteredByUserId(userName);
    e.setEnteredByName(displayName == null ? userName : displayName);
    return e;
  }

  private ControlledDrugEntry append(Product product, ControlledDrugEntry e, int change) {
    return append(product.getId(), SiteLedger.primaryBarcode(product), product.getName(), e, change);
  }

  /** Puts the entry on the drug's current page (a new one at a new month or when full), with the running balance. */
  private ControlledDrugEntry append(String productId, String barcode, String name, ControlledDrugEntry e, int change) {
    List<RegisterPage> drug = pages(productId);
    RegisterPage last = drug.isEmpty() ? null : drug.get(drug.size() - 1);
    int balance = last == null ? 0 : balance(last);
    // A supply out of stock the register never received (stock from before the register) is still recorded: the
    // balance goes below zero and the balance check shows the difference, rather than a supply going unrecorded.
    String month = YearMonth.now(ledger.clock()).toString();
    RegisterPage page = last;
    if (page == null || !page.getMonth().equals(month) || page.getEntries().size() >= ENTRIES_PER_PAGE) {
      page = Ownership.stamp(F.createRegisterPage(), ledger.siteId());
      page.setProductId(productId);
      page.setBarcode(barcode);
      page.setProductName(name);
      page.setMonth(month);
      page.setOpeningBalance(balance);
      int sameMonth = (int) drug.stream().filter(p -> p.getMonth().equals(month)).count();
      String path = folder(productId) + "/" + month + (sameMonth == 0 ? "" : String.format("-p%03d", sameMonth + 1));
      ledger.tx().createResource(path).getContents().add(page);
      drug.add(page);
    }
    e.setBalanceAfter(balance + change);
    page.getEntries().add(e);
    return e;
  }

  private static int balance(RegisterPage page) {
    List<ControlledDrugEntry> entries = page.getEntries();
    return entries.isEmpty() ? page.getOpeningBalance() : entries.get(entries.size() - 1).getBalanceAfter();
  }

  private String folder(String productId) {
    return root() + "/" + productId;
  }

  private String root() {
    return "/sites/" + ledger.siteId() + "/cd-register";
  }

  private List<RegisterPage> pages(String productId) {
    List<RegisterPage> list = pages.get(productId);
    if (list == null) {
      list = new ArrayList<>(ResourceRoots.of(ledger.tx(), folder(productId), RegisterPage.class));
      pages.put(productId, list);
    }
    return list;
  }

  /** Product ids with a register here. */
  private List<String> drugIds() {
    CDOTransaction tx = ledger.tx();
    List<String> ids = new ArrayList<>();
    if (tx.hasResource(root()) && tx.getResourceNode(root()) instanceof CDOResourceFolder f) {
      for (CDOResourceNode n : f.getNodes()) {
        if (n instanceof CDOResourceFolder) {
          ids.add(n.getName());
        }
      }
    }
    return ids;
  }

  private ControlledDrugEntry findEntry(String entryId) {
    if (entryId == null || entryId.isBlank()) {
      return null;
    }
    for (String productId : drugIds()) {
      for (RegisterPage page : pages(productId)) {
        for (ControlledDrugEntry e : page.getEntries()) {
          if (entryId.equals(e.getId())) {
            return e;
          }
        }
      }
    }
    return null;
  }

  // ---- reads ----

  /** Every drug with a register here, by name. */
  public List<RegisterDrug> drugs() {
    synchronized (ledger) {
      return allDrugs();
    }
  }

  private List<RegisterDrug> allDrugs() {
    List<RegisterDrug> result = new ArrayList<>();
    for (String productId : drugIds()) {
      List<RegisterPage> drug = pages(productId);
      if (!drug.isEmpty()) {
        result.add(drug(productId, drug));
      }
    }
    result.sort(Comparator.comparing(RegisterDrug::productName, String.CASE_INSENSITIVE_ORDER));
    return result;
  }

  private RegisterDrug drug(String productId, List<RegisterPage> drug) {
    RegisterPage last = drug.get(drug.size() - 1);
    Product p = ledger.productById(productId);
    int entries = drug.stream().mapToInt(pg -> pg.getEntries().size()).sum();
    long lastAt = 0;
    for (RegisterPage pg : drug) {
      for (ControlledDrugEntry e : pg.getEntries()) {
        lastAt = Math.max(lastAt, e.getEnteredAt());
      }
    }
    return new RegisterDrug(productId, last.getBarcode(), p == null ? last.getProductName() : p.getName(), schedule(p), balance(last),
        entries, lastAt);
  }

  /** One drug's register, entries in the order made, across its pages. */
  public DrugRegister register(String code) {
    synchronized (ledger) {
      return registerOf(ledger.product(code, null));
    }
  }

  private DrugRegister registerOf(Product product) {
    if (!controlled(product)) {
      throw new LedgerException(Refusal.BAD_INPUT, product.getName() + " is not a controlled drug: it has no register");
    }
    List<RegisterPage> drug = pages(product.getId());
    List<RegisterEntry> entries = new ArrayList<>();
    for (RegisterPage page : drug) {
      for (ControlledDrugEntry e : page.getEntries()) {
        entries.add(info(e));
      }
    }
    RegisterDrug header = drug.isEmpty()
        ? new RegisterDrug(product.getId(), SiteLedger.primaryBarcode(product), product.getName(), schedule(product), 0, 0, 0)
        : drug(product.getId(), drug);
    return new DrugRegister(header, entries);
  }

  /** Register balance against stock on hand, for every controlled drug with a register or with stock. */
  /** The register balance against stock on hand, per controlled drug. */
  public List<RegisterBalance> balanceCheck() {
    synchronized (ledger) {
      return balances();
    }
  }

  private List<RegisterBalance> balances() {
    Map<String, RegisterBalance> result = new java.util.TreeMap<>();
    java.util.Set<String> ids = new java.util.LinkedHashSet<>(drugIds());
    ids.addAll(ledger.stockedProductIds());
    for (String productId : ids) {
      Product p = ledger.productById(productId);
      List<RegisterPage> drug = pages(productId);
      if (!controlled(p) && drug.isEmpty()) {
        continue;
      }
      int registered = drug.isEmpty() ? 0 : balance(drug.get(drug.size() - 1));
      int onHand = ledger.onHand(productId);
      String name = p != null ? p.getName() : drug.get(0).getProductName();
      String barcode = p != null ? SiteLedger.primaryBarcode(p) : drug.get(0).getBarcode();
      result.put(name + "\u0000" + productId, new RegisterBalance(productId, barcode, name, schedule(p), registered, onHand,
          onHand - registered));
    }
    return new ArrayList<>(result.values());
  }

  private static String schedule(Product p) {
    return p == null || p.getSchedule() == null || p.getSchedule() == ControlledDrugSchedule.NONE ? "" : p.getSchedule().getLiteral();
  }

  RegisterEntry info(ControlledDrugEntry e) {
    RegisterPage page = (RegisterPage) e.eContainer();
    String document = switch (e.getKind()) {
    case RECEIVED -> e.getGoodsReceiptId();
    case SUPPLIED -> dispensingOf(e.getDispensingRecordId());
    case RETURNED_TO_SUPPLIER, DESTROYED -> e.getInvoiceNumber();
    default -> null;
    };
    return new RegisterEntry(e.getId(), page.getMonth(), org.apotheca.node.api.RegisterEntryKind.valueOf(e.getKind().getName()),
        e.getTransactionDate() == null ? null : LocalDate.parse(e.getTransactionDate()), e.getEnteredAt(), e.getQuantity(),
        e.getBalanceAfter(), e.getSupplierName(), e.getInvoiceNumber(), e.getPatientName(), e.getPatientAddress(), e.getPrescriberName(),
        e.getPrescriberAddress(), e.getCollectorName(), e.isCollectorIsPatient(), e.isIdRequested(), e.isIdChecked(), e.getIdEvidence(),
        e.getEnteredByUserId(), e.getEnteredByName(), document, e.getNote(), e.getCorrects() == null ? null : e.getCorrects().getId(),
        atCentral(e));
  }

  /** A dispensing record's id is {@code <dispensingId>-<line>}: the dispensing is what staff look up. */
  static String dispensingOf(String recordId) {
    if (recordId == null) {
      return null;
    }
    int dash = recordId.lastIndexOf('-');
    return dash > 0 ? recordId.substring(0, dash) : recordId;
  }

  /** The SUPPLIED entries made for the records of a dispensing, by record id (for its collector and ID details). */
  Map<String, ControlledDrugEntry> suppliedFor(String productId, String dispensingId) {
    Map<String, ControlledDrugEntry> result = new HashMap<>();
    for (RegisterPage page : pages(productId)) {
      for (ControlledDrugEntry e : page.getEntries()) {
        if (e.getKind() == RegisterEntryKind.SUPPLIED && dispensingId.equals(dispensingOf(e.getDispensingRecordId()))) {
          result.put(e.getDispensingRecordId(), e);
        }
      }
    }
    return result;
  }

  private static boolean atCentral(CDOObject o) {
    CDORevision rev = o.cdoRevision();
    return rev != null && !rev.getBranch().isLocal();
  }
}
