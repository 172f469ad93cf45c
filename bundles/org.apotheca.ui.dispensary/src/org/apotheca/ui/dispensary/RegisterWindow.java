package org.apotheca.ui.dispensary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.apotheca.node.api.DrugRegister;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.RegisterDrug;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterEntryKind;
import org.apotheca.node.api.Role;
import org.apotheca.node.api.Session;
import org.apotheca.ui.Activator;
import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * The controlled-drugs register: the drugs with their balance, and per drug every entry in the order it was made
 * with its running balance, who it came from or went to, who collected and whether ID was checked. Entries are made
 * by goods receipts and dispensings only; nothing here can change or remove one: a mistake is answered by a dated
 * correction note (pharmacists). Printable as PDF; the balance check compares every register with the stock.
 */
final class RegisterWindow extends Form {

  static final int NOTE_ID = IDialogConstants.CLIENT_ID + 1;
  static final int PRINT_ID = IDialogConstants.CLIENT_ID + 2;
  static final int CHECK_ID = IDialogConstants.CLIENT_ID + 3;
  static final int OPEN_ID = IDialogConstants.CLIENT_ID + 4;

  private final boolean pharmacist;
  private Table drugsTable;
  private Label drugTitle;
  private Table entriesTable;
  private Label printed;
  private Label detail;
  private List<RegisterDrug> drugs = List.of();
  /** The drugs the filter lets through, in the table's order. */
  private List<RegisterDrug> visible = List.of();
  private Text filter;
  private DrugRegister shown;
  private Path pdf;
  private int loadSeq;

  RegisterWindow(Shell parent) {
    super(parent, "Controlled drugs register", "register", true);
    Session s = Node.get().session();
    pharmacist = s != null && s.has(Role.PHARMACIST);
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(1).margins(12, 8).spacing(8, 6).applyTo(area);
    heading(area, 1, "Controlled drugs register");
    Label l = label(area, "&Drugs (type to narrow the list \u00b7 \u2191 \u2193 choose; the register of the chosen drug is shown below)");
    GridDataFactory.fillDefaults().applyTo(l);
    filter = field(area, "register.filter", 420);
    filter.setMessage("part of the drug's name");
    filter.addListener(SWT.Modify, e -> showDrugs(shownProductId()));
    filter.addListener(SWT.KeyDown, e -> {
      if (e.keyCode == SWT.ARROW_DOWN || e.keyCode == SWT.ARROW_UP) {
        e.doit = false;
        drugsTable.setFocus();
      }
    });
    onEnter(filter, () -> drugsTable.setFocus());
    drugsTable = table(area, "register.drugs", "Drug", 420, SWT.LEFT, "Schedule", 100, SWT.LEFT, "Balance", 100, SWT.RIGHT,
        "Entries", 90, SWT.RIGHT, "Last entry", 170, SWT.LEFT);
    Picker.fill(drugsTable, 0);
    // six rows: a pharmacy keeps a few dozen controlled drugs, the filter finds the rest
    GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, drugsTable.getItemHeight() * 6 + drugsTable.getHeaderHeight())
        .applyTo(drugsTable);
    drugsTable.addListener(SWT.Selection, e -> loadSelected());
    onEnter(drugsTable, () -> entriesTable.setFocus());

    drugTitle = Ids.id(new Label(area, SWT.WRAP), "register.drug");
    drugTitle.setFont(huge);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(drugTitle);
    entriesTable = table(area, "register.entries", "Date", 112, SWT.LEFT, "Entry", 110, SWT.LEFT, "In", 50, SWT.RIGHT, "Out", 50,
        SWT.RIGHT, "Balance", 82, SWT.RIGHT, "From / supplied to", 300, SWT.LEFT, "Prescriber", 130, SWT.LEFT, "Collected by", 190,
        SWT.LEFT, "By", 70, SWT.LEFT, "Central", 80, SWT.LEFT);
    Picker.fill(entriesTable, 5);
    GridDataFactory.fillDefaults().grab(true, true).applyTo(entriesTable);
    onEnter(entriesTable, () -> {
      Button note = getButton(NOTE_ID);
      if (note != null && note.isEnabled()) {
        buttonPressed(NOTE_ID);
      }
    });

    entriesTable.addListener(SWT.Selection, e -> showDetail());
    detail = Ids.id(new Label(area, SWT.WRAP), "register.detail");
    detail.setFont(bold);
    GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(detail);
    printed = Ids.id(new Label(area, SWT.WRAP), "register.pdf");
    printed.setForeground(Palette.get(area.getDisplay()).muted());
    GridDataFactory.fillDefaults().grab(true, false).applyTo(printed);
    message(area, 1);
    keys(area, 1, "Entries are made by goods receipts and dispensings and are never changed: a mistake gets a dated correction note"
        + (pharmacist ? " (Alt+N, or Enter on the entry)" : " (a pharmacist adds it)")
        + " \u00b7 Alt+P print to PDF \u00b7 Alt+B balance check \u00b7 Esc close");
    loadDrugs(null);
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Button note = Ids.id(createButton(parent, NOTE_ID, "Add correction &note\u2026", false), "register.note");
    note.setEnabled(pharmacist);
    note.setToolTipText(pharmacist ? "A dated note on the chosen entry" : "Only a pharmacist adds notes to the register");
    Ids.id(createButton(parent, PRINT_ID, "&Print (PDF)", false), "register.print");
    Ids.id(createButton(parent, OPEN_ID, "&Open PDF", false), "register.open").setEnabled(false);
    Ids.id(createButton(parent, CHECK_ID, "&Balance check\u2026", false), "register.check");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "register.close");
  }

  @Override
  protected void buttonPressed(int buttonId) {
    switch (buttonId) {
      case NOTE_ID -> note();
      case PRINT_ID -> print();
      case OPEN_ID -> {
        if (pdf != null && !Program.launch(pdf.toString())) {
          printed.setText("No PDF viewer on this computer: the register is at " + pdf);
        }
      }
      case CHECK_ID -> new BalanceForm(getShell()).open();
      default -> super.buttonPressed(buttonId);
    }
  }

  private void loadDrugs(String keepProductId) {
    String t = tokenOrSay();
    if (t == null) {
      return;
    }
    info("Reading the register...");
    Async.call(drugsTable, () -> Node.get().service().registerDrugs(t), list -> {
      drugs = list;
      if (list.isEmpty()) {
        drugsTable.removeAll();
        drugTitle.setText("No controlled drug has a register here yet.");
        info("Receiving a controlled drug (F7 at the till) opens its register.");
        return;
      }
      info(list.size() + (list.size() == 1 ? " controlled drug" : " controlled drugs") + " in the register.");
      showDrugs(keepProductId);
      drugsTable.setFocus();
    }, e -> error(e.getMessage()));
  }

  /** The drugs whose name holds the filter's text; the one with {@code keepProductId} stays chosen if it is shown. */
  private void showDrugs(String keepProductId) {
    String part = filter.getText().strip().toLowerCase(Locale.ROOT);
    visible = drugs.stream().filter(d -> d.productName().toLowerCase(Locale.ROOT).contains(part)).toList();
    drugsTable.removeAll();
    int select = 0;
    for (int i = 0; i < visible.size(); i++) {
      RegisterDrug d = visible.get(i);
      new TableItem(drugsTable, SWT.NONE).setText(new String[] { d.productName(), DispensaryTexts.schedule(d.schedule()),
          String.valueOf(d.balance()), String.valueOf(d.entries()), DispensaryTexts.dayTime(d.lastEntryAt()) });
      if (d.productId().equals(keepProductId)) {
        select = i;
      }
    }
    if (visible.isEmpty()) {
      if (!drugs.isEmpty()) {
        info("No controlled drug here has \u201c" + filter.getText().strip() + "\u201d in its name.");
      }
      return;
    }
    drugsTable.setSelection(select);
    loadSelected();
  }

  private String shownProductId() {
    int i = drugsTable.getSelectionIndex();
    return i < 0 || i >= visible.size() ? null : visible.get(i).productId();
  }

  private void loadSelected() {
    int i = drugsTable.getSelectionIndex();
    if (i < 0 || i >= visible.size()) {
      return;
    }
    RegisterDrug d = visible.get(i);
    String t = tokenOrSay();
    if (t == null) {
      return;
    }
    int mine = ++loadSeq;
    Async.call(entriesTable, () -> Node.get().service().register(t, d.barcode()), r -> {
      if (mine == loadSeq) {
        show(r);
      }
    }, e -> error(e.getMessage()));
  }

  private void show(DrugRegister r) {
    shown = r;
    getShell().setText("Controlled drugs register: " + r.drug().productName());
    drugTitle.setText(r.drug().productName() + "  \u00b7  " + DispensaryTexts.schedule(r.drug().schedule()) + "  \u00b7  balance "
        + r.drug().balance());
    entriesTable.removeAll();
    Palette p = Palette.get(entriesTable.getDisplay());
    for (RegisterEntry e : r.entries()) {
      TableItem item = new TableItem(entriesTable, SWT.NONE);
      boolean in = e.kind() == RegisterEntryKind.RECEIVED;
      boolean note = e.kind() == RegisterEntryKind.CORRECTION_NOTE;
      item.setText(new String[] { String.valueOf(e.date()), note ? "Note" : DispensaryTexts.kind(e.kind()), in ? String.valueOf(e.quantity()) : "", in || note ? "" : String.valueOf(e.quantity()),
          String.valueOf(e.balanceAfter()), note ? "\u21b3 on " + describe(e.correctsEntryId()) + ": " + e.note() : DispensaryTexts.party(e),
          DispensaryTexts.nz(e.prescriberName()), DispensaryTexts.collector(e), e.enteredBy(), e.atCentral() ? "Yes" : "Waiting" });
      item.setData(e);
      if (note) {
        item.setForeground(p.warn());
        item.setFont(bold);
      }
    }
    if (entriesTable.getItemCount() > 0) {
      entriesTable.setSelection(entriesTable.getItemCount() - 1);
      entriesTable.showSelection();
    }
    showDetail();
    info(r.entries().size() + (r.entries().size() == 1 ? " entry" : " entries") + "; balance " + r.drug().balance() + ".");
  }

  /** The chosen entry in full, as the printed register would have it. */
  private void showDetail() {
    int i = entriesTable.getSelectionIndex();
    if (i < 0) {
      detail.setText("");
      return;
    }
    RegisterEntry e = (RegisterEntry) entriesTable.getItem(i).getData();
    StringBuilder b = new StringBuilder();
    b.append(DispensaryTexts.kind(e.kind())).append(" \u00b7 ").append(e.date()).append(" \u00b7 entered ")
        .append(DispensaryTexts.dayTime(e.enteredAt())).append(" by ").append(e.enteredByName() == null ? e.enteredBy() : e.enteredByName());
    if (e.kind() == RegisterEntryKind.CORRECTION_NOTE) {
      b.append("\nNote on the ").append(describe(e.correctsEntryId())).append(": ").append(e.note());
    } else {
      b.append(" \u00b7 ").append(e.quantity()).append(e.kind() == RegisterEntryKind.RECEIVED ? " in" : " out").append(" \u00b7 balance ")
          .append(e.balanceAfter()).append("\n").append(DispensaryTexts.party(e));
      if (e.kind() == RegisterEntryKind.SUPPLIED) {
        b.append("\nPrescriber: ").append(DispensaryTexts.join(e.prescriberName(), e.prescriberAddress())).append(" \u00b7 collected by ")
            .append(DispensaryTexts.collector(e));
      }
    }
    detail.setText(b.toString());
    detail.setForeground(e.kind() == RegisterEntryKind.CORRECTION_NOTE ? Palette.get(detail.getDisplay()).warn() : null);
    detail.getParent().layout(true);
  }

  /** "the entry of 2026-12-01 (Supplied 10)" for the entry a note corrects. */
  private String describe(String entryId) {
    if (shown != null) {
      for (RegisterEntry e : shown.entries()) {
        if (e.entryId().equals(entryId)) {
          return DispensaryTexts.kind(e.kind()).toLowerCase() + " " + (e.quantity() == 0 ? "" : e.quantity() + " ") + "of " + e.date();
        }
      }
    }
    return "an entry";
  }

  private RegisterEntry selectedEntry() {
    int i = entriesTable.getSelectionIndex();
    return i < 0 ? null : (RegisterEntry) entriesTable.getItem(i).getData();
  }

  private void note() {
    if (!pharmacist) {
      error("Only a pharmacist adds notes to the register.");
      return;
    }
    RegisterEntry e = selectedEntry();
    if (e == null) {
      error("Choose the entry the note corrects (\u2191 \u2193 in the register), then Alt+N.");
      return;
    }
    NoteForm f = new NoteForm(getShell(), shown.drug().productName(), e);
    if (f.open() == Window.OK && f.saved() != null) {
      info("Note added to the register on " + f.saved().date() + ".");
      loadDrugs(shown.drug().productId());
    }
  }

  private void print() {
    if (shown == null) {
      error("Choose a drug first.");
      return;
    }
    DrugRegister r = shown;
    String pharmacy = "Pharmacy " + (Node.get().session() == null ? "" : Node.get().session().siteId());
    Async.call(printed, () -> {
      try {
        return DispensaryPrintouts.writeRegister(r, pharmacy);
      } catch (IOException | RuntimeException ex) {
        Activator.log("Writing the register PDF failed", ex);
        throw new NodeException(Refusal.NOT_RECORDED, "The register PDF could not be written to " + DispensaryPrintouts.folder() + ".");
      }
    }, file -> {
      pdf = file;
      printed.setText("Register PDF for printing: " + file);
      getButton(OPEN_ID).setEnabled(true);
      info("Printed " + r.entries().size() + (r.entries().size() == 1 ? " entry" : " entries") + " of " + r.drug().productName() + ".");
    }, e -> error(e.getMessage()));
  }

}
