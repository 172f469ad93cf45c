package org.apotheca.ui.dispensary;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.apotheca.gs1.Gs1;
import org.apotheca.gs1.Scan;
import org.apotheca.node.api.ClinicalWarning;
import org.apotheca.node.api.DispenseLine;
import org.apotheca.node.api.DispenseRequest;
import org.apotheca.node.api.DispensingInfo;
import org.apotheca.node.api.DispensingLabel;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.PatientInfo;
import org.apotheca.node.api.PrescriberInfo;
import org.apotheca.node.api.PrescriptionInfo;
import org.apotheca.node.api.PrescriptionRequest;
import org.apotheca.node.api.PrescriptionStatus;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.Role;
import org.apotheca.node.api.Session;
import org.apotheca.node.api.WarningOverrideRequest;
import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * The dispensary, one screen: on the left the patient (found or created), their open prescriptions and what they
 * were dispensed; on the right the prescription (prescriber, items with quantity, directions and substitution), what
 * to dispense now per item (all or part, a generic instead with a reason), the warnings, and the actions. An
 * assistant captures and saves; only a pharmacist dispenses (the node refuses anyone else too). Severe warnings need
 * the pharmacist's override with a reason, a controlled drug the collector and the ID check, before anything is
 * dispensed; afterwards the label is shown and its PDF written.
 */
final class DispensaryWindow extends Form {

  static final int SAVE_ID = IDialogConstants.CLIENT_ID + 1;
  static final int CHECK_ID = IDialogConstants.CLIENT_ID + 2;
  static final int DISPENSE_ID = IDialogConstants.CLIENT_ID + 3;
  static final int NEW_ID = IDialogConstants.CLIENT_ID + 4;
  static final int NEW_PATIENT_ID = IDialogConstants.CLIENT_ID + 5;
  static final int NEW_PRESCRIBER_ID = IDialogConstants.CLIENT_ID + 6;

  /** One item of the prescription on screen: as captured, as recorded, and what to dispense of it now. */
  static final class Item {
    String code;
    String name;
    String schedule;
    int quantity;
    String directions;
    boolean substitutionAllowed;
    String itemId;
    int dispensed;
    int owed;
    int now;
    String substituteCode;
    String substituteName;
    String substituteSchedule;
    String reason = "";

    int owedOrPrescribed() {
      return itemId == null ? quantity : owed;
    }
  }

  private final boolean pharmacist;
  private final String who;

  private Picker<PatientInfo> patientPicker;
  private Label patientCard;
  private Table prescriptionsTable;
  private Table historyTable;
  private Picker<PrescriberInfo> prescriberPicker;
  private Label prescriberCard;
  private Text issued;
  private Text repeats;
  private Label rxState;
  private Picker<ProductInfo> productPicker;
  private Text quantity;
  private Text directions;
  private Button substitution;
  private Table itemsTable;
  private Label nowLabel;
  private Text now;
  private Picker<ProductInfo> substitutePicker;
  private Text reason;
  private Table warningsTable;
  private Label warningDetail;

  private PatientInfo patient;
  private PrescriberInfo prescriber;
  private List<PrescriptionInfo> patientPrescriptions = List.of();
  private PrescriptionInfo saved;
  private boolean changed;
  private String prescriptionId;
  private ProductInfo pendingProduct;
  private final List<Item> items = new ArrayList<>();
  private List<ClinicalWarning> warnings = List.of();
  private final Map<String, String> overrides = new LinkedHashMap<>();
  private String dispensingId;
  private boolean busy;
  private boolean warnedUnsaved;

  DispensaryWindow(Shell parent) {
    super(parent, "Dispensary", "disp", true);
    Session s = Node.get().session();
    pharmacist = s != null && s.has(Role.PHARMACIST);
    who = s == null ? "" : s.displayName();
  }

  private static NodeService node() {
    return Node.get().service();
  }

  private static String token() {
    return Node.get().token();
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(2).margins(12, 8).spacing(12, 6).equalWidth(false).applyTo(area);
    Label head = heading(area, 2, "Dispensary \u2014 " + who + (pharmacist ? " (pharmacist)" : " (prepares; a pharmacist dispenses)"));
    head.setFont(title);

    Composite left = group(area, "Patient", 2);
    GridDataFactory.fillDefaults().grab(false, true).hint(420, SWT.DEFAULT).applyTo(left);
    Composite right = group(area, "Prescription", 4);
    GridDataFactory.fillDefaults().grab(true, true).applyTo(right);
    buildPatient(left);
    buildPrescription(right);

    message(area, 2);
    keys(area, 2, "Enter moves on \u00b7 \u2191 \u2193 choose in a list \u00b7 Alt+T patient \u00b7 Alt+N new patient \u00b7 Alt+R prescriber"
        + " \u00b7 Alt+B new prescriber \u00b7 Alt+U product \u00b7 Del removes the chosen item \u00b7 Alt+O dispense now \u00b7 Alt+L supply a"
        + " generic instead \u00b7 Alt+S save \u00b7 Alt+W check warnings \u00b7 Alt+D dispense \u00b7 Alt+E new prescription \u00b7 Esc close");
    showItems();
    showRxState();
    return area;
  }

  private Composite group(Composite parent, String text, int columns) {
    Group g = new Group(parent, SWT.NONE);
    g.setText(text);
    g.setFont(bold);
    GridLayoutFactory.swtDefaults().numColumns(columns).margins(8, 6).spacing(8, 6).applyTo(g);
    return g;
  }

  // ---- the patient ----

  private void buildPatient(Composite left) {
    label(left, "Pa&tient");
    patientPicker = new Picker<>(left, this, "disp.patient", "name or date of birth",
        text -> () -> node().findPatients(token(), text, 20),
        p -> new String[] { p.displayName(), p.dateOfBirth() == null ? "" : p.dateOfBirth().toString(), String.join(", ", p.allergies()) },
        this::choosePatient, e -> error(e.getMessage()), () -> prescriberPicker.field().setFocus(),
        "Name", 220, SWT.LEFT, "Born", 100, SWT.LEFT, "Allergies", 120, SWT.LEFT);
    patientCard = Ids.id(new Label(left, SWT.WRAP), "disp.patient.card");
    patientCard.setFont(bold);
    patientCard.setText("No patient chosen: find one, or Alt+N for a new patient.");
    GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(440, SWT.DEFAULT).applyTo(patientCard);

    Label rx = label(left, "Open and recent prescriptions (Enter opens one)");
    GridDataFactory.fillDefaults().span(2, 1).applyTo(rx);
    prescriptionsTable = table(left, "disp.prescriptions", "Prescription", 200, SWT.LEFT, "Status", 125, SWT.LEFT, "Owed", 60,
        SWT.RIGHT);
    Picker.fillFirst(prescriptionsTable);
    GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(SWT.DEFAULT, 120).applyTo(prescriptionsTable);
    prescriptionsTable.addListener(SWT.DefaultSelection, e -> openSelectedPrescription());
    onEnter(prescriptionsTable, this::openSelectedPrescription);

    Label history = label(left, "Dispensing history");
    GridDataFactory.fillDefaults().span(2, 1).applyTo(history);
    historyTable = table(left, "disp.history", "Medicine", 190, SWT.LEFT, "Qty", 45, SWT.RIGHT, "Date", 150, SWT.LEFT, "By", 60,
        SWT.LEFT);
    Picker.fillFirst(historyTable);
    GridDataFactory.fillDefaults().span(2, 1).grab(true, true).hint(SWT.DEFAULT, 120).applyTo(historyTable);
  }

  private void choosePatient(PatientInfo p) {
    patient = p;
    patientCard.setText(DispensaryTexts.patientCard(p));
    patientCard.setForeground(p.allergies().isEmpty() ? null : Palette.get(patientCard.getDisplay()).danger());
    changed = true;
    warnings = List.of();
    showWarnings();
    loadPatient();
    prescriberPicker.field().setFocus();
    if (prescriber == null) {
      info("Patient " + p.displayName() + ". Now the prescriber (Alt+R), or open one of the prescriptions listed.");
    } else {
      info("Patient " + p.displayName() + ".");
    }
    fit();
  }

  private void loadPatient() {
    if (patient == null) {
      return;
    }
    String id = patient.id();
    String t;
    try {
      t = token();
    } catch (NodeException e) {
      error(e.getMessage());
      return;
    }
    Async.call(historyTable, () -> new Object[] { node().prescriptions(t, id), node().dispensingHistory(t, id) }, r -> {
      if (patient == null || !patient.id().equals(id)) {
        return;
      }
      showPrescriptions(cast(r[0]));
      showHistory(cast(r[1]));
    }, e -> error(e.getMessage()));
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> cast(Object o) {
    return (List<T>) o;
  }

  private void showPrescriptions(List<PrescriptionInfo> list) {
    patientPrescriptions = list;
    prescriptionsTable.removeAll();
    Palette p = Palette.get(prescriptionsTable.getDisplay());
    for (PrescriptionInfo rx : list) {
      TableItem item = new TableItem(prescriptionsTable, SWT.NONE);
      item.setText(new String[] { rx.number(), status(rx.status()), String.valueOf(rx.owed()) });
      if (rx.owed() > 0 && rx.status() != PrescriptionStatus.CANCELLED) {
        item.setForeground(2, p.warn());
        item.setFont(2, bold);
      }
    }
  }

  private void showHistory(List<DispensingInfo> list) {
    historyTable.removeAll();
    for (DispensingInfo d : list) {
      for (DispensingInfo.Line l : d.lines()) {
        TableItem item = new TableItem(historyTable, SWT.NONE);
        item.setText(new String[] { l.productName() + (l.substituted() ? " (generic)" : ""), String.valueOf(l.quantity()),
            DispensaryTexts.dayTime(d.dispensedAt()) + (d.atCentral() ? "" : " *"), d.pharmacist() });
      }
    }
  }

  static String status(PrescriptionStatus s) {
    return switch (s) {
      case RECEIVED -> "Not dispensed";
      case PARTIALLY_DISPENSED -> "Part owed";
      case DISPENSED -> "Dispensed";
      case CANCELLED -> "Cancelled";
    };
  }

  private void openSelectedPrescription() {
    int i = prescriptionsTable.getSelectionIndex();
    if (i < 0 || i >= patientPrescriptions.size()) {
      error("Choose a prescription with \u2191 \u2193 first.");
      return;
    }
    showPrescription(patientPrescriptions.get(i));
    itemsTable.setFocus();
    info("Prescription " + saved.number() + ": " + (saved.owed() == 0 ? "nothing is owed on it."
        : saved.owed() + " owed. Choose how many to dispense now, then Alt+D."));
  }

  // ---- the prescription ----

  private void buildPrescription(Composite right) {
    label(right, "P&rescriber");
    prescriberPicker = new Picker<>(right, this, "disp.prescriber", "name, practice or registration number",
        text -> () -> node().findPrescribers(token(), text, 20), p -> new String[] { p.name(), nz(p.practice()), nz(p.registrationNumber()) },
        this::choosePrescriber, e -> error(e.getMessage()), () -> issued.setFocus(),
        "Name", 220, SWT.LEFT, "Practice", 200, SWT.LEFT, "Registration", 120, SWT.LEFT);
    ((org.eclipse.swt.layout.GridData) prescriberPicker.field().getLayoutData()).horizontalSpan = 3;
    prescriberCard = Ids.id(new Label(right, SWT.WRAP), "disp.prescriber.card");
    prescriberCard.setFont(bold);
    prescriberCard.setText("No prescriber chosen (Alt+B for a new one).");
    GridDataFactory.fillDefaults().span(4, 1).grab(true, false).applyTo(prescriberCard);

    label(right, "&Issued");
    issued = field(right, "disp.issued", 130);
    issued.setText(LocalDate.now().toString());
    issued.setMessage("yyyy-MM-dd");
    label(right, "Re&peats allowed");
    repeats = field(right, "disp.repeats", 60);
    repeats.setText("0");
    onEnter(issued, () -> repeats.setFocus());
    onEnter(repeats, () -> productPicker.field().setFocus());
    issued.addListener(SWT.Modify, e -> changed = true);
    repeats.addListener(SWT.Modify, e -> changed = true);

    label(right, "Prod&uct");
    productPicker = new Picker<>(right, this, "disp.product", "scan, or type a name or ingredient", this::productSearch,
        p -> new String[] { p.name(), DispensaryTexts.schedule(p.schedule()), String.valueOf(p.sellable()) }, this::chooseProduct,
        e -> error(e.getMessage()), () -> {
          if (!items.isEmpty()) {
            itemsTable.setFocus();
          }
        }, "Product", 420, SWT.LEFT, "CD", 60, SWT.LEFT, "In stock", 90, SWT.RIGHT);
    ((org.eclipse.swt.layout.GridData) productPicker.field().getLayoutData()).horizontalSpan = 3;
    Composite entry = new Composite(right, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(5).spacing(8, 0).applyTo(entry);
    GridDataFactory.fillDefaults().span(4, 1).grab(true, false).applyTo(entry);
    label(entry, "&Quantity");
    quantity = field(entry, "disp.quantity", 60);
    label(entry, "Dire&ctions");
    directions = field(entry, "disp.directions", 300);
    directions.setMessage("e.g. Take ONE tablet daily");
    directions.setTextLimit(PrescriptionRequest.MAX_DIRECTIONS);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(directions);
    substitution = check(entry, "disp.substitution", "&Generic allowed");
    substitution.setSelection(true);
    onEnter(quantity, () -> directions.setFocus());
    onEnter(directions, () -> substitution.setFocus());
    onEnter(substitution, this::addItem);

    itemsTable = table(right, "disp.items", "Item", 300, SWT.LEFT, "CD", 48, SWT.LEFT, "Rx qty", 70, SWT.RIGHT, "Given", 65,
        SWT.RIGHT, "Owed", 62, SWT.RIGHT, "Now", 55, SWT.RIGHT, "Generic", 82, SWT.LEFT, "Directions", 170, SWT.LEFT);
    Picker.fillFirst(itemsTable);
    GridDataFactory.fillDefaults().span(4, 1).grab(true, true).hint(SWT.DEFAULT, 110).minSize(0, 90).applyTo(itemsTable);
    itemsTable.addListener(SWT.Selection, e -> showNow());
    onEnter(itemsTable, () -> now.setFocus());
    itemsTable.addListener(SWT.KeyDown, e -> {
      if (e.keyCode == SWT.DEL) {
        removeItem();
      }
    });

    Composite plan = new Composite(right, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(4).spacing(8, 4).applyTo(plan);
    GridDataFactory.fillDefaults().span(4, 1).grab(true, false).applyTo(plan);
    nowLabel = label(plan, "Dispense n&ow");
    now = field(plan, "disp.now", 60);
    Label insteadLabel = label(plan, "Supp&ly instead");
    GridDataFactory.fillDefaults().align(SWT.END, SWT.CENTER).applyTo(insteadLabel);
    substitutePicker = new Picker<>(plan, this, "disp.substitute", "only when supplying a generic: scan or search",
        this::productSearch, p -> new String[] { p.name(), DispensaryTexts.schedule(p.schedule()), String.valueOf(p.sellable()) },
        this::chooseSubstitute, e -> error(e.getMessage()), () -> reason.setFocus(),
        "Product", 420, SWT.LEFT, "CD", 60, SWT.LEFT, "In stock", 90, SWT.RIGHT);
    label(plan, "Re&ason");
    reason = field(plan, "disp.reason", 300);
    reason.setMessage("why the generic (required with one)");
    GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(reason);
    onEnter(now, this::applyNow);
    onEnter(reason, this::applyReason);

    rxState = Ids.id(new Label(right, SWT.WRAP), "disp.rx");
    rxState.setFont(bold);
    GridDataFactory.fillDefaults().span(4, 1).grab(true, false).applyTo(rxState);

    warningsTable = table(right, "disp.warnings", "Severity", 175, SWT.LEFT, "Warning", 300, SWT.LEFT, "Override", 230, SWT.LEFT);
    Picker.fill(warningsTable, 1);
    GridDataFactory.fillDefaults().span(4, 1).grab(true, false).hint(SWT.DEFAULT, 78).applyTo(warningsTable);
    warningsTable.addListener(SWT.Selection, e -> showWarningDetail());
    warningDetail = Ids.id(new Label(right, SWT.WRAP), "disp.warning.detail");
    warningDetail.setFont(bold);
    GridDataFactory.fillDefaults().span(4, 1).grab(true, false).hint(300, SWT.DEFAULT).applyTo(warningDetail);
  }

  private Callable<List<ProductInfo>> productSearch(String text) {
    String code = code(text);
    if (code != null) {
      return () -> List.of(node().product(code));
    }
    return () -> node().search(text, 20);
  }

  /** The product code in a scan (EAN-13, GTIN-14, a GS1 DataMatrix), or null when the text is a search. */
  private static String code(String text) {
    if (!text.matches("\\d{8,14}") && !text.startsWith("]") && !text.startsWith("(0") && text.indexOf(Gs1.GS) < 0) {
      return null;
    }
    try {
      Scan s = Gs1.parse(text);
      return s.gtin();
    } catch (RuntimeException e) {
      return text;
    }
  }

  private void choosePrescriber(PrescriberInfo p) {
    prescriber = p;
    prescriberCard.setText(p.name() + (p.practice() == null || p.practice().isBlank() ? "" : "  \u00b7  " + p.practice())
        + (p.registrationNumber() == null || p.registrationNumber().isBlank() ? "" : "  \u00b7  reg. " + p.registrationNumber()));
    changed = true;
    issued.setFocus();
    issued.selectAll();
  }

  private void chooseProduct(ProductInfo p) {
    pendingProduct = p;
    productPicker.setQuietly(p.name());
    quantity.setFocus();
    quantity.selectAll();
    info(p.name() + (DispensaryTexts.controlled(p.schedule()) ? " \u2014 controlled drug (" + DispensaryTexts.schedule(p.schedule())
        + "): the register records its supply" : "") + ". Quantity, directions, then Enter.");
  }

  private void addItem() {
    if (saved != null && saved.status() != PrescriptionStatus.RECEIVED) {
      error("Prescription " + saved.number() + " has been dispensed from: its items cannot change. Alt+E starts a new one.");
      return;
    }
    ProductInfo p = pendingProduct;
    if (p == null || !p.name().equals(productPicker.field().getText())) {
      productPicker.field().setFocus();
      error("Choose the product first: scan it, or type its name and choose it with \u2191 \u2193 and Enter.");
      return;
    }
    int q = number(quantity.getText());
    if (q < 1) {
      quantity.setFocus();
      quantity.selectAll();
      error("Enter the quantity prescribed (a whole number, at least 1).");
      return;
    }
    Item i = new Item();
    i.code = p.barcode();
    i.name = p.name();
    i.schedule = p.schedule();
    i.quantity = q;
    i.now = q;
    i.directions = directions.getText().strip();
    i.substitutionAllowed = substitution.getSelection();
    items.add(i);
    changed = true;
    warnedUnsaved = false;
    pendingProduct = null;
    productPicker.setQuietly("");
    quantity.setText("");
    directions.setText("");
    substitution.setSelection(true);
    showItems();
    itemsTable.setSelection(items.size() - 1);
    showNow();
    productPicker.field().setFocus();
    info("Added " + q + " \u00d7 " + i.name + ". Next product, or Alt+S to save" + (pharmacist ? ", Alt+D to dispense." : "."));
  }

  private void removeItem() {
    int i = itemsTable.getSelectionIndex();
    if (i < 0 || i >= items.size()) {
      return;
    }
    if (items.get(i).itemId != null && saved != null && saved.status() != PrescriptionStatus.RECEIVED) {
      error("Dispensed from already: the item stays on the prescription.");
      return;
    }
    Item gone = items.remove(i);
    changed = true;
    showItems();
    info("Took " + gone.name + " off the prescription.");
  }

  private Item selectedItem() {
    int i = itemsTable.getSelectionIndex();
    return i < 0 || i >= items.size() ? null : items.get(i);
  }

  private void showNow() {
    Item i = selectedItem();
    boolean any = i != null;
    now.setEnabled(any);
    substitutePicker.field().setEnabled(any && i.substitutionAllowed);
    reason.setEnabled(any && i.substitutionAllowed);
    if (!any) {
      now.setText("");
      reason.setText("");
      nowLabel.setText("Dispense n&ow");
      return;
    }
    now.setText(String.valueOf(i.now));
    reason.setText(i.reason);
    nowLabel.setText("Dispense n&ow (of " + i.owedOrPrescribed() + ")");
    nowLabel.getParent().layout(true);
  }

  private void applyNow() {
    Item i = selectedItem();
    if (i == null) {
      return;
    }
    int q = number(now.getText());
    if (q < 0 || q > i.owedOrPrescribed()) {
      now.selectAll();
      error("Dispense from 0 to " + i.owedOrPrescribed() + " of " + i.name + " now.");
      return;
    }
    i.now = q;
    dispensingId = null; // another plan: another dispensing
    showItems();
    info(q == i.owedOrPrescribed() ? "All " + q + " of " + i.name + " now."
        : q + " of " + i.name + " now; " + (i.owedOrPrescribed() - q) + " will stay owed.");
    if (i.substitutionAllowed) {
      substitutePicker.field().setFocus();
    } else {
      nextItemOrActions();
    }
  }

  private void chooseSubstitute(ProductInfo p) {
    Item i = selectedItem();
    if (i == null) {
      return;
    }
    i.substituteCode = p.barcode();
    i.substituteName = p.name();
    i.substituteSchedule = p.schedule();
    dispensingId = null;
    showItems();
    reason.setFocus();
    info("Supplying " + p.name() + " instead of " + i.name + ": give the reason, then Enter.");
  }

  private void applyReason() {
    Item i = selectedItem();
    if (i == null) {
      return;
    }
    i.reason = reason.getText().strip();
    if (i.reason.isEmpty() && i.substituteCode != null) {
      // an empty reason with the generic chosen takes the generic back off
      i.substituteCode = null;
      i.substituteName = null;
      i.substituteSchedule = null;
      info("Supplying " + i.name + " as prescribed.");
    }
    dispensingId = null;
    showItems();
    nextItemOrActions();
  }

  private void nextItemOrActions() {
    int i = itemsTable.getSelectionIndex();
    if (i + 1 < items.size()) {
      itemsTable.setSelection(i + 1);
      showNow();
      now.setFocus();
      now.selectAll();
    } else {
      Button next = getButton(pharmacist ? DISPENSE_ID : SAVE_ID);
      if (next != null && next.isEnabled()) {
        next.setFocus();
      }
    }
  }

  private void showItems() {
    int keep = itemsTable.getSelectionIndex();
    itemsTable.removeAll();
    Palette p = Palette.get(itemsTable.getDisplay());
    for (Item i : items) {
      TableItem row = new TableItem(itemsTable, SWT.NONE);
      String generic = i.substituteName != null ? "instead" : i.substitutionAllowed ? "allowed" : "no";
      row.setText(new String[] { i.substituteName != null ? i.substituteName + " (for " + i.name + ")" : i.name, DispensaryTexts.schedule(i.schedule), String.valueOf(i.quantity),
          String.valueOf(i.dispensed), String.valueOf(i.owedOrPrescribed()), String.valueOf(i.now), generic, nz(i.directions) });
      if (i.now < i.owedOrPrescribed()) {
        row.setForeground(4, p.warn());
        row.setFont(4, bold);
      }
      if (DispensaryTexts.controlled(i.schedule)) {
        row.setFont(1, bold);
      }
    }
    if (!items.isEmpty()) {
      itemsTable.setSelection(Math.max(0, Math.min(keep, items.size() - 1)));
    }
    showNow();
    showRxState();
  }

  private void showRxState() {
    if (rxState == null || rxState.isDisposed()) {
      return;
    }
    String text;
    if (saved == null) {
      text = items.isEmpty() ? "New prescription: choose the patient and the prescriber, then add the items."
          : "New prescription, not saved yet (Alt+S)" + (pharmacist ? "; Alt+D saves and dispenses." : ".");
    } else {
      int owed = items.stream().mapToInt(i -> i.owed).sum();
      text = "Prescription " + saved.number() + " \u00b7 " + status(saved.status()) + (owed > 0 ? " \u00b7 " + owed + " owed" : "")
          + (changed ? " \u00b7 changed, not saved" : " \u00b7 saved")
          + (saved.atCentral() ? "" : " \u00b7 waiting for central");
    }
    if (!pharmacist) {
      text += saved == null || changed ? " \u00b7 a pharmacist dispenses: save it for them" : " \u00b7 for a pharmacist to dispense";
    }
    rxState.setText(text);
    rxState.getParent().layout(true);
  }

  private void showPrescription(PrescriptionInfo rx) {
    saved = rx;
    prescriptionId = rx.id();
    changed = false;
    dispensingId = null;
    overrides.clear();
    warnings = List.of();
    items.clear();
    for (PrescriptionInfo.Item it : rx.items()) {
      Item i = new Item();
      i.code = it.barcode();
      i.name = it.productName();
      i.schedule = it.schedule();
      i.quantity = it.quantityPrescribed();
      i.directions = it.directions();
      i.substitutionAllowed = it.substitutionAllowed();
      i.itemId = it.itemId();
      i.dispensed = it.quantityDispensed();
      i.owed = it.owed();
      i.now = it.owed();
      items.add(i);
    }
    if (prescriber == null || !prescriber.id().equals(rx.prescriberId())) {
      prescriber = new PrescriberInfo(rx.prescriberId(), rx.prescriberName(), null, null, null, null);
      prescriberCard.setText(rx.prescriberName());
    }
    issued.setText(String.valueOf(rx.issuedDate()));
    repeats.setText(String.valueOf(rx.repeatsAllowed()));
    changed = false;
    showItems();
    showWarnings();
  }

  private void newPrescription() {
    saved = null;
    prescriptionId = null;
    changed = false;
    dispensingId = null;
    overrides.clear();
    warnings = List.of();
    items.clear();
    issued.setText(LocalDate.now().toString());
    repeats.setText("0");
    showItems();
    showWarnings();
    (patient == null ? patientPicker.field() : productPicker.field()).setFocus();
    info("New prescription" + (patient == null ? ": find the patient first." : " for " + patient.displayName() + "."));
  }

  // ---- warnings ----

  private void showWarnings() {
    warningsTable.removeAll();
    Palette p = Palette.get(warningsTable.getDisplay());
    for (ClinicalWarning w : warnings) {
      TableItem row = new TableItem(warningsTable, SWT.NONE);
      String o = overrides.get(w.key());
      row.setText(new String[] { DispensaryTexts.warningTitle(w), w.message(),
          w.needsOverride() ? (o == null ? "needs a pharmacist" : "overridden: " + o) : "for information" });
      if (w.needsOverride()) {
        row.setForeground(o == null ? p.danger() : p.warn());
        row.setFont(bold);
      }
    }
    if (warnings.isEmpty()) {
      new TableItem(warningsTable, SWT.NONE).setText(new String[] { "", "None found yet (Alt+W checks)", "" });
    } else {
      // the most severe first: the one the pharmacist must read
      warningsTable.setSelection(0);
    }
    showWarningDetail();
  }

  /** The chosen warning in full: what it is with, and what to do. */
  private void showWarningDetail() {
    int i = warningsTable.getSelectionIndex();
    if (i < 0 || i >= warnings.size()) {
      warningDetail.setText("");
    } else {
      ClinicalWarning w = warnings.get(i);
      warningDetail.setText(DispensaryTexts.warningTitle(w) + ": " + w.message()
          + (w.otherMedicine() == null || w.otherMedicine().isBlank() || w.message().contains(w.otherMedicine()) ? ""
              : " (with " + w.otherMedicine() + ")")
          + (w.advice() == null || w.advice().isBlank() ? "" : ". " + w.advice() + "."));
      warningDetail.setForeground(w.needsOverride() ? Palette.get(warningDetail.getDisplay()).danger() : null);
    }
    warningDetail.getParent().layout(true);
  }

  // ---- actions ----

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, NEW_PATIENT_ID, "&New patient\u2026", false), "disp.newPatient");
    Ids.id(createButton(parent, NEW_PRESCRIBER_ID, "New prescri&ber\u2026", false), "disp.newPrescriber");
    Ids.id(createButton(parent, NEW_ID, "N&ew prescription", false), "disp.new");
    Ids.id(createButton(parent, SAVE_ID, "&Save prescription", false), "disp.save");
    Ids.id(createButton(parent, CHECK_ID, "Check &warnings", false), "disp.check");
    Button dispense = Ids.id(createButton(parent, DISPENSE_ID, "&Dispense\u2026", false), "disp.dispense");
    dispense.setEnabled(pharmacist);
    dispense.setToolTipText(pharmacist ? "Dispense what is planned under Now" : "Only a pharmacist can dispense");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "disp.close");
  }

  @Override
  protected void buttonPressed(int buttonId) {
    if (busy && buttonId != IDialogConstants.CANCEL_ID) {
      info("Still waiting for the pharmacy node...");
      return;
    }
    switch (buttonId) {
      case NEW_PATIENT_ID -> newPatient();
      case NEW_PRESCRIBER_ID -> newPrescriber();
      case NEW_ID -> newPrescription();
      case SAVE_ID -> save(null);
      case CHECK_ID -> save(rx -> check(false));
      case DISPENSE_ID -> {
        if (!pharmacist) {
          error("Only a pharmacist can dispense: save the prescription for the pharmacist to check.");
          return;
        }
        save(rx -> check(true));
      }
      default -> super.buttonPressed(buttonId);
    }
  }

  @Override
  protected void cancelPressed() {
    if (busy) {
      return;
    }
    boolean unsaved = !items.isEmpty() && (saved == null || changed);
    if (unsaved && !warnedUnsaved) {
      warnedUnsaved = true;
      error("The prescription is not saved: Alt+S saves it, Esc again closes without saving.");
      return;
    }
    super.cancelPressed();
  }

  /** True when this window was closed meanwhile (the till locked while a form was open). */
  private boolean gone() {
    return getShell() == null || getShell().isDisposed();
  }

  private void newPatient() {
    PatientForm f = new PatientForm(getShell(), patientPicker.field().getText());
    if (f.open() == Window.OK && f.saved() != null) {
      patientPicker.setQuietly("");
      choosePatient(f.saved());
      newPrescription();
      prescriberPicker.field().setFocus();
      info("Patient " + f.saved().displayName() + " saved. Now the prescriber (Alt+R).");
    }
  }

  private void newPrescriber() {
    PrescriberForm f = new PrescriberForm(getShell(), prescriberPicker.field().getText());
    if (f.open() == Window.OK && f.saved() != null) {
      prescriberPicker.setQuietly("");
      choosePrescriber(f.saved());
      info("Prescriber " + f.saved().name() + " saved.");
    }
  }

  /** Saves the prescription when it is new or changed, then runs {@code then} with it (null: just save). */
  private void save(java.util.function.Consumer<PrescriptionInfo> then) {
    if (saved != null && !changed) {
      if (then != null) {
        then.accept(saved);
      } else {
        info("Prescription " + saved.number() + " is saved.");
      }
      return;
    }
    PrescriptionRequest request;
    try {
      request = request();
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return;
    }
    String t = tokenOrSay();
    if (t == null) {
      return;
    }
    busy = true;
    info("Saving the prescription...");
    Async.call(getShell(), () -> node().savePrescription(t, request), rx -> {
      busy = false;
      List<Item> before = new ArrayList<>(items);
      showPrescription(rx);
      // the plan typed before saving (part now, a generic) survives the save
      for (int k = 0; k < items.size() && k < before.size(); k++) {
        Item was = before.get(k);
        Item is = items.get(k);
        is.now = Math.min(was.now, is.owed);
        is.substituteCode = was.substituteCode;
        is.substituteName = was.substituteName;
        is.substituteSchedule = was.substituteSchedule;
        is.reason = was.reason;
      }
      showItems();
      loadPatient();
      if (then != null) {
        then.accept(rx);
      } else {
        info("Prescription " + rx.number() + " saved" + (pharmacist ? ": Alt+D dispenses it." : " for the pharmacist to check and dispense."));
      }
    }, e -> {
      busy = false;
      error("Not saved: " + e.getMessage());
    });
  }

  private PrescriptionRequest request() {
    if (patient == null) {
      patientPicker.field().setFocus();
      throw new IllegalArgumentException("Find the patient first (Alt+T), or make a new one (Alt+N).");
    }
    if (prescriber == null) {
      prescriberPicker.field().setFocus();
      throw new IllegalArgumentException("Choose the prescriber (Alt+R), or make a new one (Alt+B).");
    }
    LocalDate date;
    try {
      date = LocalDate.parse(issued.getText().strip());
    } catch (DateTimeParseException e) {
      issued.setFocus();
      throw new IllegalArgumentException("Write the date the prescription was issued as year-month-day, e.g. " + LocalDate.now() + ".");
    }
    int r = number(repeats.getText());
    if (r < 0) {
      repeats.setFocus();
      throw new IllegalArgumentException("Repeats: a whole number, 0 when none.");
    }
    if (items.isEmpty()) {
      productPicker.field().setFocus();
      throw new IllegalArgumentException("Add at least one item (Alt+U).");
    }
    if (saved != null && saved.status() != PrescriptionStatus.RECEIVED) {
      throw new IllegalArgumentException("Prescription " + saved.number() + " has been dispensed from: it cannot change.");
    }
    List<PrescriptionRequest.Item> list = new ArrayList<>();
    for (Item i : items) {
      list.add(new PrescriptionRequest.Item(i.code, i.quantity, i.directions, i.substitutionAllowed));
    }
    if (prescriptionId == null) {
      prescriptionId = UUID.randomUUID().toString(); // kept for a retry: the node records one prescription
    }
    return new PrescriptionRequest(prescriptionId, patient.id(), prescriber.id(), date, list, r, null);
  }

  private List<DispenseLine> lines() {
    List<DispenseLine> out = new ArrayList<>();
    for (Item i : items) {
      if (i.itemId != null && i.now > 0) {
        out.add(new DispenseLine(i.itemId, i.now, i.substituteCode, i.substituteCode == null ? null : i.reason));
      }
    }
    return out;
  }

  /** Asks the node for the warnings of what is planned; with {@code thenDispense}, goes on to dispense. */
  private void check(boolean thenDispense) {
    List<DispenseLine> lines = lines();
    if (lines.isEmpty()) {
      error(saved != null && saved.owed() == 0 ? "Nothing is owed on prescription " + saved.number() + "."
          : "Nothing to dispense: every item has 0 under Now.");
      return;
    }
    String t = tokenOrSay();
    if (t == null) {
      return;
    }
    String rxId = saved.id();
    busy = true;
    info("Checking interactions, duplicate therapy and allergies...");
    Async.call(getShell(), () -> node().checkWarnings(t, rxId, lines), found -> {
      busy = false;
      warnings = found;
      overrides.keySet().retainAll(found.stream().map(ClinicalWarning::key).collect(Collectors.toSet()));
      showWarnings();
      long severe = found.stream().filter(ClinicalWarning::needsOverride).count();
      if (!thenDispense) {
        info(found.isEmpty() ? "No warnings." : found.size() + (found.size() == 1 ? " warning" : " warnings")
            + (severe > 0 ? ", " + severe + " needing a pharmacist's override" : "") + ".");
        return;
      }
      dispense(lines);
    }, e -> {
      busy = false;
      error(e.getMessage());
    });
  }

  private void dispense(List<DispenseLine> lines) {
    List<ClinicalWarning> standing = warnings.stream().filter(w -> w.needsOverride() && !overrides.containsKey(w.key())).toList();
    if (!standing.isEmpty()) {
      OverrideForm f = new OverrideForm(getShell(), standing);
      if (f.open() != Window.OK || f.overrides() == null || gone()) {
        info("Not dispensed: the warnings stand.");
        return;
      }
      for (WarningOverrideRequest o : f.overrides()) {
        overrides.put(o.warningKey(), o.reason());
      }
      showWarnings();
    }
    List<String> controlled = new ArrayList<>();
    for (Item i : items) {
      if (i.itemId != null && i.now > 0
          && DispensaryTexts.controlled(i.substituteCode != null ? i.substituteSchedule : i.schedule)) {
        controlled.add(i.now + " \u00d7 " + (i.substituteName != null ? i.substituteName : i.name));
      }
    }
    CollectionForm.Collection collection = null;
    if (!controlled.isEmpty()) {
      CollectionForm f = new CollectionForm(getShell(), String.join("\n", controlled));
      if (f.open() != Window.OK || f.result() == null || gone()) {
        info("Not dispensed.");
        return;
      }
      collection = f.result();
    }
    List<WarningOverrideRequest> given = new ArrayList<>();
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      given.add(new WarningOverrideRequest(o.getKey(), o.getValue()));
    }
    if (dispensingId == null) {
      dispensingId = UUID.randomUUID().toString(); // the same for a retry: the node dispenses once
    }
    DispenseRequest request = new DispenseRequest(dispensingId, saved.id(), lines, given,
        collection == null ? null : collection.name(), collection == null || collection.isPatient(),
        collection != null && collection.idRequested(), collection != null && collection.idChecked(),
        collection == null ? null : collection.evidence());
    String t = tokenOrSay();
    if (t == null) {
      return;
    }
    busy = true;
    info("Dispensing...");
    Async.call(getShell(), () -> {
      DispensingInfo d = node().dispense(t, request);
      DispensingLabel l = node().label(t, d.dispensingId());
      PrescriptionInfo rx = node().prescription(t, d.prescriptionId());
      return new Object[] { d, l, rx };
    }, r -> {
      busy = false;
      dispensingId = null;
      DispensingInfo d = (DispensingInfo) r[0];
      showPrescription((PrescriptionInfo) r[2]);
      loadPatient();
      int owed = saved.owed();
      info("Dispensed " + d.prescriptionNumber() + (owed > 0 ? ": " + owed + " still owed." : ": nothing more owed."));
      new LabelForm(getShell(), d, (DispensingLabel) r[1]).open();
      if (gone()) {
        return;
      }
      (owed > 0 ? itemsTable : patientPicker.field()).setFocus();
    }, e -> {
      busy = false;
      if (e.refusal() == Refusal.OVERRIDE_REQUIRED) {
        dispensingId = null;
        error(e.getMessage() + " Check the warnings again (Alt+W).");
      } else {
        error((e.refusal().isRequestRefused() ? "Not dispensed: " : "Nothing was recorded: ") + e.getMessage());
      }
    });
  }

  private static int number(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
