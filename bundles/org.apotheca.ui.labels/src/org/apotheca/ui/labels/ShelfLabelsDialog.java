package org.apotheca.ui.labels;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apotheca.gs1.Scan;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.ui.Async;
import org.apotheca.ui.BarcodeField;
import org.apotheca.ui.Ids;
import org.apotheca.ui.KeyPresses;
import org.apotheca.ui.Money;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.apotheca.ui.till.Scans;
import org.apotheca.ui.till.TillDialog;
import org.eclipse.core.runtime.ILog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;

/**
 * Shelf labels: scan a pack or type a name (the till's scan-or-search), each Enter adds a label, Alt+P prints them
 * all. Node calls and file writing run in the background; a newer keystroke's search replaces an older one's.
 */
final class ShelfLabelsDialog extends TillDialog {

  static final int PRINT_ID = IDialogConstants.CLIENT_ID + 1;
  private static final int SEARCH_LIMIT = 30;
  private static final int SEARCH_DELAY_MS = 120;

  private BarcodeField scan;
  private Table found;
  private Table chosen;
  private Label summary;
  private final List<ProductInfo> matches = new ArrayList<>();
  private final List<ShelfLabel> labels = new ArrayList<>();
  /** The text the match list was found for: Enter takes from the list only while the field still says that. */
  private String shownFor = "";
  private int searchSeq;
  private boolean printing;
  private boolean placed;
  private final Runnable runSearch = () -> search(false);
  private final KeyPresses presses = new KeyPresses();

  ShelfLabelsDialog(Shell parent) {
    super(parent, "Shelf labels", "labels");
  }

  @Override
  protected Point getInitialSize() {
    Rectangle over = getParentShell().getBounds();
    return new Point(Math.max(760, over.width * 4 / 5), Math.max(520, over.height * 4 / 5));
  }

  /** Centred over the till, like the back office's windows. */
  @Override
  protected Point getInitialLocation(Point size) {
    Rectangle over = getParentShell().getBounds();
    return new Point(over.x + Math.max(0, (over.width - size.x) / 2), over.y + Math.max(0, (over.height - size.y) / 2));
  }

  /**
   * JFace skips the initial size once the shell was resized while its contents were made: the first sentence (where
   * the labels go) must not grow the window before it has its size.
   */
  @Override
  protected void initializeBounds() {
    super.initializeBounds();
    placed = true;
  }

  @Override
  protected void fit() {
    if (placed) {
      super.fit();
    }
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).spacing(8, 8).applyTo(area);
    heading(area, 1, "Shelf labels");

    scan = new BarcodeField(area, SWT.BORDER | SWT.SEARCH | SWT.ICON_SEARCH);
    Ids.id(scan.text(), "labels.scan");
    scan.text().setFont(big);
    scan.text().setMessage("Scan a pack, or type a name or ingredient");
    GridDataFactory.fillDefaults().grab(true, false).applyTo(scan.text());
    scan.text().addListener(SWT.Modify, e -> {
      searchSeq++;
      e.display.timerExec(SEARCH_DELAY_MS, runSearch);
    });
    scan.text().addListener(SWT.Traverse, this::traverse);
    scan.text().addListener(SWT.KeyDown, this::key);
    scan.text().addListener(SWT.KeyUp, presses::repeated);

    found = table(area, "labels.found", "Product", 380, SWT.LEFT, "Pack", 150, SWT.LEFT, "Price", 90, SWT.RIGHT,
        "Barcode", 160, SWT.LEFT);
    GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, 150).exclude(true).applyTo(found);
    found.setVisible(false);
    fillFirst(found);
    found.addListener(SWT.DefaultSelection, e -> enter());

    chosen = table(area, "labels.chosen", "Product", 380, SWT.LEFT, "Pack", 150, SWT.LEFT, "Price", 90, SWT.RIGHT,
        "Barcode", 160, SWT.LEFT, "Labels", 80, SWT.RIGHT);
    GridDataFactory.fillDefaults().grab(true, true).hint(SWT.DEFAULT, 200).applyTo(chosen);
    fillFirst(chosen);

    summary = Ids.id(new Label(area, SWT.NONE), "labels.summary");
    summary.setFont(big);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(summary);
    message(area, 1);
    Label keys = Ids.id(new Label(area, SWT.WRAP), "labels.keys");
    keys.setText("Scan or type a name, Enter adds a label \u00b7 \u2191 \u2193 choose \u00b7 +/\u2212 labels of the chosen line"
        + " \u00b7 Del remove it \u00b7 Alt+P print \u00b7 Esc close");
    keys.setForeground(Palette.get(area.getDisplay()).muted());
    GridDataFactory.fillDefaults().grab(true, false).hint(500, SWT.DEFAULT).applyTo(keys);
    info(ShelfLabelPrintouts.zplFolder() == null ? "Labels are printed as a PDF in " + ShelfLabelPrintouts.folder() + "."
        : "Labels go to the label printer (" + ShelfLabelPrintouts.zplFolder() + ") and as a PDF to "
            + ShelfLabelPrintouts.folder() + ".");
    refresh(-1);
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, PRINT_ID, "&Print labels", false), "labels.print");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "labels.close");
    refresh(-1);
  }

  @Override
  protected void buttonPressed(int buttonId) {
    if (buttonId == PRINT_ID) {
      print();
    } else {
      super.buttonPressed(buttonId);
    }
  }

  @Override
  protected void okPressed() {
    // Enter belongs to the scan field
  }

  // ---- keys ----

  private void traverse(Event e) {
    if (e.detail == SWT.TRAVERSE_RETURN) {
      e.doit = false;
      e.detail = SWT.TRAVERSE_NONE;
      enter();
    } else if (e.detail == SWT.TRAVERSE_ESCAPE && found.getVisible()) {
      e.doit = false; // Esc closes the list first, the window after
      e.detail = SWT.TRAVERSE_NONE;
      searchSeq++;
      showMatches(List.of(), "");
    }
  }

  private void key(Event e) {
    boolean empty = scan.value().isEmpty();
    Runnable action = null;
    if (e.keyCode == SWT.ARROW_DOWN || e.keyCode == SWT.ARROW_UP) {
      int by = e.keyCode == SWT.ARROW_DOWN ? 1 : -1;
      action = () -> move(found.getVisible() ? found : chosen, by);
    } else if (empty && (e.character == '+' || e.character == '-')) {
      int by = e.character == '+' ? 1 : -1;
      action = () -> step(by);
    } else if (empty && e.keyCode == SWT.DEL) {
      action = this::remove;
    }
    boolean repeated = presses.repeated(e); // fed every KeyDown, so it knows the last press
    if (action != null) {
      e.doit = false;
      if (!repeated) { // GTK reports some presses twice: one press, one label more
        action.run();
      }
    }
  }

  private static void move(Table t, int by) {
    int n = t.getItemCount();
    if (n > 0) {
      int i = t.getSelectionIndex();
      t.setSelection(Math.max(0, Math.min(n - 1, i < 0 ? 0 : i + by)));
      t.showSelection();
    }
  }

  // ---- scan and search ----

  private void enter() {
    String text = scan.value().strip();
    if (text.isEmpty()) {
      return;
    }
    Scan code;
    try {
      code = Scans.read(text);
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      scan.text().selectAll();
      return;
    }
    if (code != null) {
      // the field empties at once for the next scan; the text comes back if the node does not know the code
      scan.text().setText("");
      Async.call(chosen, () -> Node.get().service().product(code.gtin()), this::add, e -> {
        error(e.getMessage());
        if (scan.value().isEmpty()) {
          scan.text().setText(text);
          scan.text().selectAll();
        }
      });
      return;
    }
    int i = found.getVisible() ? found.getSelectionIndex() : -1;
    if (i >= 0 && i < matches.size() && text.equals(shownFor)) {
      take(matches.get(i));
    } else {
      search(true); // typed faster than the list came: the first match of this text
    }
  }

  private void search(boolean takeFirst) {
    if (scan.text().isDisposed()) {
      return;
    }
    String text = scan.value().strip();
    int seq = ++searchSeq;
    if (text.isEmpty() || Scans.looksLikeScan(text)) {
      showMatches(List.of(), "");
      return;
    }
    Async.call(found, () -> Node.get().service().search(text, SEARCH_LIMIT), list -> {
      if (seq != searchSeq) {
        return; // a newer keystroke asked already
      }
      if (takeFirst && !list.isEmpty()) {
        take(list.get(0));
      } else if (takeFirst) {
        error("No product matches \u201c" + text + "\u201d.");
      } else {
        showMatches(list, text);
      }
    }, e -> {
      if (seq == searchSeq) {
        error(e.getMessage());
      }
    });
  }

  private void showMatches(List<ProductInfo> list, String text) {
    matches.clear();
    matches.addAll(list);
    shownFor = text;
    found.removeAll();
    for (ProductInfo p : list) {
      new TableItem(found, SWT.NONE).setText(new String[] { p.name(), p.pack(), Money.format(p.priceMinor()), p.barcode() });
    }
    if (!list.isEmpty()) {
      found.setSelection(0);
    }
    boolean shown = !list.isEmpty();
    if (found.getVisible() != shown) {
      ((GridData) found.getLayoutData()).exclude = !shown;
      found.setVisible(shown);
      found.getParent().layout(true, true);
    }
  }

  private void take(ProductInfo p) {
    scan.text().setText("");
    showMatches(List.of(), "");
    add(p);
  }

  // ---- the labels ----

  private void add(ProductInfo p) {
    if (p == null) {
      error("No product in the catalogue has that code.");
      return;
    }
    if (p.withdrawn()) {
      error(p.name() + " is withdrawn from the catalogue: it gets no shelf label.");
      return;
    }
    for (int i = 0; i < labels.size(); i++) {
      if (labels.get(i).barcode().equals(p.barcode())) {
        setCopies(i, labels.get(i).copies() + 1);
        return;
      }
    }
    labels.add(ShelfLabel.of(p));
    refresh(labels.size() - 1);
    info("Label added: " + p.name() + ".");
  }

  private void step(int delta) {
    int i = chosen.getSelectionIndex();
    if (i < 0 || i >= labels.size()) {
      error(labels.isEmpty() ? "No labels yet: scan a pack or type a name." : "Choose a line first (\u2191 \u2193).");
      return;
    }
    int n = labels.get(i).copies() + delta;
    if (n < 1) {
      error("One label already: press Delete to take the line out.");
      return;
    }
    setCopies(i, n);
  }

  private void setCopies(int i, int n) {
    if (n > ShelfLabel.MAX_COPIES) {
      error("At most " + ShelfLabel.MAX_COPIES + " labels of one product at a time.");
      return;
    }
    ShelfLabel l = labels.get(i).withCopies(n);
    labels.set(i, l);
    refresh(i);
    info(n + (n == 1 ? " label" : " labels") + " of " + l.name() + ".");
  }

  private void remove() {
    int i = chosen.getSelectionIndex();
    if (i < 0 || i >= labels.size()) {
      error(labels.isEmpty() ? "No labels yet: scan a pack or type a name." : "Choose a line first (\u2191 \u2193).");
      return;
    }
    ShelfLabel l = labels.remove(i);
    refresh(Math.min(i, labels.size() - 1));
    info("Taken out: " + l.name() + ".");
  }

  private void refresh(int select) {
    if (chosen == null || chosen.isDisposed()) {
      return;
    }
    chosen.removeAll();
    for (ShelfLabel l : labels) {
      new TableItem(chosen, SWT.NONE).setText(new String[] { l.name(), l.pack(), Money.format(l.priceMinor()), l.barcode(),
          String.valueOf(l.copies()) });
    }
    if (select >= 0 && select < labels.size()) {
      chosen.setSelection(select);
      chosen.showSelection();
    }
    int count = labels.stream().mapToInt(ShelfLabel::copies).sum();
    summary.setText(labels.isEmpty() ? "No labels yet"
        : count + (count == 1 ? " label" : " labels") + " for " + labels.size() + (labels.size() == 1 ? " product" : " products"));
    Button print = getButton(PRINT_ID);
    if (print != null) {
      print.setEnabled(!labels.isEmpty() && !printing);
    }
  }

  // ---- printing ----

  private void print() {
    if (labels.isEmpty() || printing) {
      return;
    }
    List<ShelfLabel> batch = List.copyOf(labels);
    printing = true;
    refresh(chosen.getSelectionIndex());
    info("Printing...");
    Async.call(chosen, () -> {
      try {
        return ShelfLabelPrintouts.write(batch);
      } catch (IOException | RuntimeException e) {
        ILog.of(ShelfLabelsDialog.class).error("Writing shelf labels failed", e);
        return null;
      }
    }, printed -> {
      printing = false;
      if (printed == null) {
        refresh(chosen.getSelectionIndex());
        error("The labels could not be written (" + ShelfLabelPrintouts.folder()
            + (ShelfLabelPrintouts.zplFolder() == null ? "" : " or " + ShelfLabelPrintouts.zplFolder())
            + "): check the folder exists and may be written. The list is kept.");
        return;
      }
      labels.clear();
      refresh(-1);
      info("Printed " + printed.labels() + (printed.labels() == 1 ? " label" : " labels") + " as " + printed.pdf()
          + (printed.zpl() == null ? "." : ", and for the label printer as " + printed.zpl() + "."));
      scan.text().setFocus();
    }, e -> {
      printing = false;
      refresh(chosen.getSelectionIndex());
      error(e.getMessage());
    });
  }

  /** The product name gets the width the other columns leave (GTK stretches the last one). */
  private static void fillFirst(Table table) {
    table.addListener(SWT.Resize, e -> {
      int others = 0;
      for (int i = 1; i < table.getColumnCount(); i++) {
        others += (Integer) table.getColumn(i).getData(COLUMN_WIDTH);
      }
      table.getColumn(0).setWidth(Math.max(200, table.getClientArea().width - others));
    });
  }
}
