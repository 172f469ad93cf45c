package org.apotheca.ui.office;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apotheca.gs1.Scan;
import org.apotheca.node.api.AdjustmentReason;
import org.apotheca.node.api.CountRequest;
import org.apotheca.node.api.FinishRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.Role;
import org.apotheca.node.api.StocktakeInfo;
import org.apotheca.node.api.StocktakeLineInfo;
import org.apotheca.node.api.StocktakeRequest;
import org.apotheca.ui.Async;
import org.apotheca.ui.BarcodeField;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Money;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * Stocktake while the shop trades: start one (the node takes its snapshot), count batch by batch by scanning the
 * pack and typing the number on the shelf, see for each batch what the books held at the start, what moved since
 * (sales during the count) and the difference, give a reason for every difference, finish. Expiry report and supplier
 * returns open from here.
 */
final class StocktakeDialog extends OfficeDialog {

  static final int FINISH_ID = IDialogConstants.CLIENT_ID + 1;
  static final int EXPIRY_ID = IDialogConstants.CLIENT_ID + 2;
  static final int RETURN_ID = IDialogConstants.CLIENT_ID + 3;
  private static final int REFRESH_MS = 5_000;
  /** A whole-store count has thousands of lines: reading them all every few seconds would load the node, so F5 does. */
  private static final int AUTO_REFRESH_MAX_LINES = 1_000;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

  private Label summary;
  private Composite startBox;
  private Text description;
  private Text products;
  private Button start;
  private Composite countBox;
  private BarcodeField scan;
  private Text counted;
  private Label chosen;
  private Table table;
  private Combo reason;
  private Text note;
  private Label roleNote;

  private StocktakeInfo stocktake;
  private List<StocktakeLineInfo> lines = List.of();
  private final Map<String, FinishRequest.LineReason> reasons = new HashMap<>();
  private String startId;
  private CountRequest pendingCount;
  private boolean busy;
  private boolean showingReason;

  StocktakeDialog(Shell parent) {
    super(parent, "Stocktake", "stocktake");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).spacing(8, 8).applyTo(area);
    heading(area, 1, "Stocktake");
    summary = Ids.id(new Label(area, SWT.WRAP), "stocktake.summary");
    summary.setFont(bold);
    summary.setText("Looking for a stocktake in progress...");
    GridDataFactory.fillDefaults().grab(true, false).hint(600, SWT.DEFAULT).applyTo(summary);

    startBox = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(5).spacing(10, 6).applyTo(startBox);
    GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(startBox);
    startBox.setVisible(false);
    label(startBox, "&What is counted");
    description = field(startBox, "stocktake.description", 260);
    description.setText("Full store");
    description.setTextLimit(StocktakeRequest.MAX_DESCRIPTION);
    label(startBox, "&Products");
    products = field(startBox, "stocktake.products", 320);
    products.setMessage("barcodes, or empty for every product");
    start = Ids.id(new Button(startBox, SWT.PUSH), "stocktake.start");
    start.setText("&Start stocktake");
    start.setFont(big);
    start.addListener(SWT.Selection, e -> startStocktake());
    for (Text t : new Text[] { description, products }) {
      t.addListener(SWT.Traverse, e -> {
        if (e.detail == SWT.TRAVERSE_RETURN) {
          e.doit = false;
          if (t == description) {
            products.setFocus();
          } else {
            startStocktake();
          }
        }
      });
    }

    countBox = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(5).spacing(10, 6).applyTo(countBox);
    GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(countBox);
    countBox.setVisible(false);
    label(countBox, "S&can");
    scan = new BarcodeField(countBox, SWT.BORDER);
    Ids.id(scan.text(), "stocktake.scan");
    scan.text().setFont(big);
    scan.text().setMessage("the pack's DataMatrix, or its barcode");
    GridDataFactory.fillDefaults().hint(360, SWT.DEFAULT).applyTo(scan.text());
    scan.text().addListener(SWT.Traverse, e -> {
      if (e.detail == SWT.TRAVERSE_RETURN) {
        e.doit = false;
        scanned();
      }
    });
    label(countBox, "Co&unted");
    counted = field(countBox, "stocktake.counted", 100);
    counted.setMessage("units");
    counted.addListener(SWT.Traverse, e -> {
      if (e.detail == SWT.TRAVERSE_RETURN) {
        e.doit = false;
        count();
      }
    });
    counted.addListener(SWT.KeyDown, e -> {
      if (e.keyCode == SWT.ARROW_UP || e.keyCode == SWT.ARROW_DOWN) {
        e.doit = false; // the next lot of the same product without leaving the field
        moveSelection(e.keyCode == SWT.ARROW_DOWN ? 1 : -1);
      }
    });
    counted.addListener(SWT.Modify, e -> pendingCount = null);
    chosen = Ids.id(new Label(countBox, SWT.WRAP), "stocktake.chosen");
    chosen.setFont(bold);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(chosen);

    table = table(area, "stocktake.lines", "Product", 300, SWT.LEFT, "Lot", 90, SWT.LEFT, "Expiry", 105, SWT.LEFT,
        "At start", 80, SWT.RIGHT, "Moved since", 110, SWT.RIGHT, "Expected", 90, SWT.RIGHT, "Counted", 85, SWT.RIGHT,
        "Difference", 95, SWT.RIGHT, "Value", 80, SWT.RIGHT, "Reason", 120, SWT.LEFT);
    GridDataFactory.fillDefaults().grab(true, true).hint(SWT.DEFAULT, 240).applyTo(table);
    stretchFirstColumn(table);
    table.addListener(SWT.Selection, e -> showReason());
    table.addListener(SWT.DefaultSelection, e -> counted.setFocus());

    Composite reasonBox = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(4).spacing(10, 6).applyTo(reasonBox);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(reasonBox);
    label(reasonBox, "&Reason for the difference");
    reason = Ids.id(new Combo(reasonBox, SWT.READ_ONLY | SWT.DROP_DOWN), "stocktake.reason");
    reason.setFont(big);
    for (AdjustmentReason r : Reasons.CHOICES) {
      reason.add(Reasons.word(r));
    }
    reason.select(0);
    label(reasonBox, "N&ote");
    note = field(reasonBox, "stocktake.note", 380);
    note.setTextLimit(FinishRequest.MAX_NOTE);
    note.setMessage("required with Other");
    reason.addListener(SWT.Selection, e -> reasonChanged());
    note.addListener(SWT.Modify, e -> reasonChanged());
    for (Control c : new Control[] { reason, note }) {
      c.addListener(SWT.Traverse, e -> {
        if (e.detail == SWT.TRAVERSE_RETURN) {
          e.doit = false; // Enter moves on: reason, note, then the next line with a difference
          if (c == reason) {
            note.setFocus();
          } else {
            nextDifference();
          }
        }
      });
    }

    Palette p = Palette.get(area.getDisplay());
    roleNote = Ids.id(new Label(area, SWT.WRAP), "stocktake.role");
    roleNote.setForeground(p.warn());
    roleNote.setFont(bold);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(roleNote);
    if (!may(Role.PHARMACIST, Role.MANAGER)) {
      roleNote.setText(onlyWho("start or finish a stocktake", Role.PHARMACIST, Role.MANAGER));
    }
    message(area, 1);
    keys(area, 1, "Scan a pack, Enter \u00b7 type the units counted, Enter \u00b7 \u2191 \u2193 another lot \u00b7 Alt+R reason,"
        + " Enter moves on \u00b7 Alt+F finish \u00b7 Alt+X expiry report \u00b7 Alt+T supplier return \u00b7 F5 refresh \u00b7 Esc close");
    onKey(SWT.F5, () -> load(stocktake == null ? null : stocktake.stocktakeId()));
    load(null);
    area.getDisplay().timerExec(REFRESH_MS, this::refreshLater);
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, EXPIRY_ID, "E&xpiry report...", false), "stocktake.expiry");
    Ids.id(createButton(parent, RETURN_ID, "Supplier re&turn...", false), "stocktake.return");
    Ids.id(createButton(parent, FINISH_ID, "&Finish stocktake", false), "stocktake.finish");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "stocktake.close");
    getButton(FINISH_ID).setEnabled(false);
  }

  @Override
  protected void buttonPressed(int id) {
    switch (id) {
      case FINISH_ID -> finish();
      case EXPIRY_ID -> {
        new ExpiryDialog(getShell()).open();
        load(stocktake == null ? null : stocktake.stocktakeId());
      }
      case RETURN_ID -> {
        new SupplierReturnDialog(getShell()).open();
        load(stocktake == null ? null : stocktake.stocktakeId());
      }
      default -> super.buttonPressed(id);
    }
  }

  @Override
  protected void okPressed() {
    // Enter belongs to the fields (they move on); the window closes with Esc only
  }

  // ---- loading ----

  private void refreshLater() {
    Shell s = getShell();
    if (s == null || s.isDisposed()) {
      return;
    }
    // what moved since the snapshot changes while the shop trades: the window follows it
    if (!busy && stocktake != null && stocktake.status() == StocktakeInfo.Status.IN_PROGRESS
        && lines.size() <= AUTO_REFRESH_MAX_LINES) {
      load(stocktake.stocktakeId());
    }
    s.getDisplay().timerExec(REFRESH_MS, this::refreshLater);
  }

  /** Reads the stocktake (or finds the one in progress when {@code id} is null) and shows it. */
  private void load(String id) {
    Async.call(summary, () -> {
      if (id != null) {
        return Node.get().service().stocktake(id);
      }
      for (StocktakeInfo s : Node.get().service().stocktakes()) {
        if (s.status() == StocktakeInfo.Status.IN_PROGRESS) {
          return Node.get().service().stocktake(s.stocktakeId());
        }
      }
      return null;
    }, this::show, e -> error(e.getMessage()));
  }

  private void show(StocktakeInfo s) {
    stocktake = s;
    boolean counting = s != null && s.status() == StocktakeInfo.Status.IN_PROGRESS;
    setShown(startBox, s == null || !counting);
    setShown(countBox, counting);
    if (s == null || !counting) {
      lines = s == null ? List.of() : s.lines();
      if (s == null) {
        summary.setText("No stocktake in progress. Start one: the node notes what the books hold of every batch now,"
            + " and the shop can go on selling while you count.");
      }
    }
    if (s != null) {
      lines = s.lines();
      summary.setText(summaryText(s));
    }
    fillTable();
    boolean manager = may(Role.PHARMACIST, Role.MANAGER);
    start.setEnabled(manager && !busy);
    getButton(FINISH_ID).setEnabled(manager && counting);
    roleNote.setText(manager ? "" : onlyWho("start or finish a stocktake", Role.PHARMACIST, Role.MANAGER)
        + (counting ? " You can count." : ""));
    if (counting && !busy && !scan.text().isFocusControl() && !counted.isFocusControl() && !table.isFocusControl()
        && !reason.isFocusControl() && !note.isFocusControl()) {
      scan.text().setFocus();
    } else if (!counting && manager && !busy && !description.isFocusControl() && !products.isFocusControl()) {
      description.setFocus();
    }
    getShell().layout(true, true);
  }

  static String summaryText(StocktakeInfo s) {
    String head = "\u201c" + s.description() + "\u201d started " + time(s.snapshotAt()) + " by " + s.startedBy();
    String figures = s.counted() + " of " + s.batches() + " batches counted, " + s.differences()
        + (s.differences() == 1 ? " difference" : " differences") + (s.differences() == 0 ? ""
            : " (" + signed(s.differenceUnits()) + " units, " + signedMoney(s.differenceValueMinor()) + " at cost)");
    String central = s.atCentral() ? "Central has it." : "Central gets it when it can be reached.";
    return switch (s.status()) {
      case IN_PROGRESS -> head + " \u2014 " + figures + ". " + central;
      case FINISHED -> head + ", finished " + time(s.finishedAt()) + " by " + s.finishedBy() + " \u2014 " + figures
          + " posted. " + central;
      case CANCELLED -> head + ", cancelled " + time(s.finishedAt()) + " by " + s.finishedBy() + ": nothing was posted.";
    };
  }

  private void fillTable() {
    String keep = selectedBatch();
    table.removeAll();
    Palette p = Palette.get(table.getDisplay());
    for (StocktakeLineInfo l : lines) {
      TableItem item = new TableItem(table, SWT.NONE);
      FinishRequest.LineReason r = reasons.get(l.batchId());
      AdjustmentReason shown = r != null ? r.reason() : l.reason();
      item.setText(new String[] { l.productName(), l.lot(), l.expiry(), String.valueOf(l.expectedAtSnapshot()),
          l.movedSinceSnapshot() == 0 ? "" : signed(l.movedSinceSnapshot()), String.valueOf(l.expectedAtCount()),
          l.counted() ? String.valueOf(l.countedQuantity()) : "", l.counted() ? signed(l.difference()) : "",
          l.counted() && l.difference() != 0 ? signedMoney(l.differenceValueMinor()) : "",
          l.difference() == 0 ? "" : Reasons.shortWord(shown) });
      item.setData(l);
      if (l.counted()) {
        item.setBackground(l.difference() == 0 ? p.okBackground() : p.dangerBackground());
        if (l.difference() != 0) {
          item.setForeground(7, p.danger());
        }
      }
    }
    select(keep);
  }

  // ---- starting ----

  private void startStocktake() {
    if (busy || !start.isEnabled()) {
      return;
    }
    String d = description.getText().strip();
    if (d.isEmpty()) {
      error("Say what is counted, e.g. \u201cFull store\u201d or \u201cShelf B\u201d.");
      description.setFocus();
      return;
    }
    List<String> codes = Arrays.stream(products.getText().split("[\\s,;]+")).filter(c -> !c.isBlank()).toList();
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    if (startId == null) {
      startId = UUID.randomUUID().toString(); // kept for a retry after a failure of the node or the link
    }
    StocktakeRequest request = new StocktakeRequest(startId, d, codes);
    busy = true;
    info("Starting: the node notes what the books hold now...");
    Async.call(getShell(), () -> Node.get().service().startStocktake(token, request), s -> {
      busy = false;
      startId = null;
      reasons.clear();
      info("Stocktake started. Scan the first pack.");
      show(s);
      scan.text().setFocus();
    }, e -> {
      busy = false;
      if (e.refusal().isRequestRefused()) {
        startId = null;
      }
      error((e.refusal().isRequestRefused() ? "Not started: " : "Nothing was recorded: ") + e.getMessage());
      start.setEnabled(may(Role.PHARMACIST, Role.MANAGER));
    });
  }

  // ---- counting ----

  private void scanned() {
    Scanned read = readScan(scan);
    if (read == null) {
      return;
    }
    Scan s = read.scan();
    if (s == null) {
      error("That is not a barcode: scan the pack, or type its barcode.");
      scan.text().selectAll();
      return;
    }
    List<Integer> ofProduct = new ArrayList<>();
    int exact = -1;
    for (int i = 0; i < lines.size(); i++) {
      StocktakeLineInfo l = lines.get(i);
      if (sameProduct(l.barcode(), s.gtin())) {
        ofProduct.add(i);
        if (s.lot() != null && s.lot().equals(l.lot())) {
          exact = i;
        }
      }
    }
    pendingCount = null;
    if (exact >= 0) {
      choose(exact);
    } else if (s.lot() != null) {
      // a lot received since the start is not in the list yet: the node knows it by code and lot
      table.deselectAll();
      chosen.setData(new String[] { s.gtin(), s.lot() });
      chosen.setText("Lot " + s.lot() + ": not in the list yet (received since the start?). Type the units counted.");
      counted.setFocus();
      counted.selectAll();
      info("");
      return;
    } else if (ofProduct.isEmpty()) {
      error("No batch of that product is part of this stocktake.");
      scan.text().selectAll();
      return;
    } else {
      int first = ofProduct.stream().filter(i -> !lines.get(i).counted()).findFirst().orElse(ofProduct.get(0));
      choose(first);
      if (ofProduct.size() > 1) {
        info(ofProduct.size() + " lots of this product: \u2191 \u2193 choose the lot you are counting (or scan the pack's DataMatrix).");
      }
    }
    counted.setFocus();
    counted.selectAll();
  }

  private void choose(int index) {
    table.setSelection(index);
    table.showSelection();
    chosen.setData(null);
    StocktakeLineInfo l = lines.get(index);
    chosen.setText(l.productName() + " \u00b7 lot " + l.lot() + " \u00b7 exp " + l.expiry() + " \u00b7 books now "
        + l.expectedAtCount());
    showReason();
    if (message != null && !message.getText().startsWith("\u2191") && !message.getText().contains("lots of")) {
      info("");
    }
  }

  private void moveSelection(int by) {
    int n = table.getItemCount();
    if (n == 0) {
      return;
    }
    int i = table.getSelectionIndex();
    choose(Math.max(0, Math.min(n - 1, i < 0 ? 0 : i + by)));
  }

  private static boolean sameProduct(String barcode, String gtin) {
    if (barcode == null || gtin == null) {
      return false;
    }
    String a = "0".repeat(Math.max(0, 14 - barcode.length())) + barcode;
    String b = "0".repeat(Math.max(0, 14 - gtin.length())) + gtin;
    return a.equals(b);
  }

  private void count() {
    if (busy || stocktake == null) {
      return;
    }
    int q;
    try {
      q = Integer.parseInt(counted.getText().strip());
    } catch (NumberFormatException e) {
      q = -1;
    }
    if (q < 0) {
      error("Type how many units are on the shelf (a whole number, 0 if none).");
      counted.selectAll();
      return;
    }
    StocktakeLineInfo line = selectedLine();
    String[] byLot = (String[]) chosen.getData();
    if (line == null && byLot == null) {
      error("Scan the pack first (or choose the line with \u2191 \u2193).");
      scan.text().setFocus();
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    if (pendingCount == null) {
      pendingCount = line != null
          ? CountRequest.ofBatch(stocktake.stocktakeId(), line.batchId(), q)
          : CountRequest.ofLot(stocktake.stocktakeId(), byLot[0], byLot[1], q);
    }
    CountRequest request = pendingCount;
    busy = true;
    String what = line != null ? line.productName() + " lot " + line.lot() : "lot " + byLot[1];
    info("Recording " + q + " of " + what + "...");
    Async.call(getShell(), () -> Node.get().service().countStock(token, request), l -> {
      busy = false;
      pendingCount = null;
      info("Counted " + l.countedQuantity() + " of " + l.productName() + " lot " + l.lot() + ": "
          + (l.difference() == 0 ? "as the books say" + (l.movedSinceSnapshot() == 0 ? "."
              : " (" + signed(l.movedSinceSnapshot()) + " moved since the start).")
              : signed(l.difference()) + " against the books: give a reason before finishing."));
      counted.setText("");
      pendingCount = null;
      scan.text().setText("");
      chosen.setText("");
      chosen.setData(null);
      scan.text().setFocus();
      load(stocktake.stocktakeId());
      select(l.batchId());
    }, e -> {
      busy = false;
      if (e.refusal().isRequestRefused()) {
        pendingCount = null;
      }
      error((e.refusal().isRequestRefused() ? "Not counted: " : "Nothing was recorded: ") + e.getMessage());
    });
  }

  // ---- reasons and finishing ----

  private StocktakeLineInfo selectedLine() {
    int i = table.getSelectionIndex();
    return i < 0 || i >= table.getItemCount() ? null : (StocktakeLineInfo) table.getItem(i).getData();
  }

  private String selectedBatch() {
    StocktakeLineInfo l = selectedLine();
    return l == null ? null : l.batchId();
  }

  private void select(String batchId) {
    if (batchId == null) {
      return;
    }
    for (int i = 0; i < table.getItemCount(); i++) {
      if (batchId.equals(((StocktakeLineInfo) table.getItem(i).getData()).batchId())) {
        table.setSelection(i);
        showReason();
        return;
      }
    }
  }

  private void showReason() {
    StocktakeLineInfo l = selectedLine();
    boolean differs = l != null && l.counted() && l.difference() != 0;
    boolean open = stocktake != null && stocktake.status() == StocktakeInfo.Status.IN_PROGRESS;
    showingReason = true;
    try {
      FinishRequest.LineReason r = l == null ? null : reasons.get(l.batchId());
      AdjustmentReason now = r != null ? r.reason() : l == null ? AdjustmentReason.NONE : l.reason();
      reason.select(Arrays.asList(Reasons.CHOICES).indexOf(now == null ? AdjustmentReason.NONE : now));
      note.setText(r != null && r.note() != null ? r.note() : l != null && l.note() != null ? l.note() : "");
    } finally {
      showingReason = false;
    }
    reason.setEnabled(differs && open);
    note.setEnabled(differs && open);
  }

  private void reasonChanged() {
    StocktakeLineInfo l = selectedLine();
    if (showingReason || l == null) {
      return;
    }
    AdjustmentReason r = Reasons.CHOICES[Math.max(0, reason.getSelectionIndex())];
    String n = note.getText().strip();
    reasons.put(l.batchId(), new FinishRequest.LineReason(l.batchId(), r, n.isEmpty() ? null : n));
    int i = table.getSelectionIndex();
    table.getItem(i).setText(9, Reasons.shortWord(r));
  }

  /** The next counted line with a difference and no reason yet, or null. */
  private int missingReason() {
    for (int i = 0; i < table.getItemCount(); i++) {
      StocktakeLineInfo l = (StocktakeLineInfo) table.getItem(i).getData();
      FinishRequest.LineReason r = reasons.get(l.batchId());
      if (l.counted() && l.difference() != 0 && (r == null || r.reason() == AdjustmentReason.NONE
          || r.reason() == AdjustmentReason.OTHER && r.note() == null)) {
        return i;
      }
    }
    return -1;
  }

  private void nextDifference() {
    int i = missingReason();
    if (i >= 0) {
      choose(i);
      reason.setFocus();
    } else {
      info("Every difference has its reason: Alt+F finishes the stocktake.");
      getButton(FINISH_ID).setFocus();
    }
  }

  private void finish() {
    if (busy || stocktake == null || stocktake.status() != StocktakeInfo.Status.IN_PROGRESS) {
      return;
    }
    if (!may(Role.PHARMACIST, Role.MANAGER)) {
      error(onlyWho("finish a stocktake", Role.PHARMACIST, Role.MANAGER));
      return;
    }
    int missing = missingReason();
    if (missing >= 0) {
      StocktakeLineInfo l = (StocktakeLineInfo) table.getItem(missing).getData();
      choose(missing);
      error("Give a reason for each difference: " + l.productName() + " lot " + l.lot() + " is "
          + signed(l.difference()) + " against the books" + (reasons.containsKey(l.batchId())
              && reasons.get(l.batchId()).reason() == AdjustmentReason.OTHER ? " and \u201cOther\u201d needs a note." : "."));
      reason.setFocus();
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    List<FinishRequest.LineReason> given = new ArrayList<>();
    for (StocktakeLineInfo l : lines) {
      FinishRequest.LineReason r = reasons.get(l.batchId());
      if (l.counted() && l.difference() != 0 && r != null) {
        given.add(r);
      }
    }
    String id = stocktake.stocktakeId();
    FinishRequest request = new FinishRequest(id, given);
    busy = true;
    info("Finishing: posting the differences...");
    Async.call(getShell(), () -> Node.get().service().finishStocktake(token, request), s -> {
      busy = false;
      reasons.clear();
      show(s);
      info("Stocktake finished: " + s.differences() + (s.differences() == 1 ? " difference" : " differences")
          + " posted to stock.");
      getButton(IDialogConstants.CANCEL_ID).setFocus();
    }, e -> {
      busy = false;
      if (e.refusal() == Refusal.ALREADY_DONE) {
        load(id); // a retry whose first attempt went through: show what was recorded
      }
      error((e.refusal().isRequestRefused() ? "Not finished: " : "Nothing was recorded: ") + e.getMessage());
      if (e.refusal() == Refusal.NOT_ENOUGH_STOCK) {
        load(id);
      }
    });
  }

  // ---- helpers ----

  private void setShown(Control c, boolean shown) {
    ((org.eclipse.swt.layout.GridData) c.getLayoutData()).exclude = !shown;
    c.setVisible(shown);
  }

  static String signed(int n) {
    return n > 0 ? "+" + n : n < 0 ? "\u2212" + -n : "0";
  }

  static String signedMoney(long minor) {
    return minor > 0 ? "+" + Money.format(minor) : minor < 0 ? "\u2212" + Money.format(-minor) : Money.format(0);
  }

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(ZoneId.systemDefault()));
  }
}
