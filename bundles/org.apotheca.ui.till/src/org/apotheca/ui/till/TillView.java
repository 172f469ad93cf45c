package org.apotheca.ui.till;

import org.apotheca.gs1.Scan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.RecallAlert;
import org.apotheca.node.api.Role;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.Session;
import org.apotheca.ui.Async;
import org.apotheca.ui.BarcodeField;
import org.apotheca.ui.Ids;
import org.apotheca.ui.KeyPresses;
import org.apotheca.ui.Money;
import org.apotheca.ui.Node;
import org.apotheca.ui.NodeSnapshot;
import org.apotheca.ui.NodeStatus;
import org.apotheca.ui.Palette;
import org.apotheca.ui.StatusTexts;
import org.apotheca.ui.till.basket.AddLineCommand;
import org.apotheca.ui.till.basket.Basket;
import org.apotheca.ui.till.basket.BasketCommand;
import org.apotheca.ui.till.basket.BasketLine;
import org.apotheca.ui.till.basket.ChangeQuantityCommand;
import org.apotheca.ui.till.basket.CommandStack;
import org.apotheca.ui.till.basket.RemoveLineCommand;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.FontDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.part.ViewPart;

/**
 * The till: one field that always has the focus (scan or type), the basket, the totals, and a key for everything.
 * Basket edits are commands ({@link CommandStack}); each runs only after the node has quoted it, one at a time in
 * the order they were asked for, so a quick burst of scans adds up exactly.
 */
public class TillView extends ViewPart {

  public static final String ID = "org.apotheca.ui.till.view";

  static final int SEARCH_LIMIT = 50;
  static final int SEARCH_DELAY_MS = 100;
  static final int MAX_QUANTITY = 9999;
  private static final Pattern NUMBER = Pattern.compile("\\d{1,4}");
  private static final String WIDTH = "apotheca.width";

  static final String KEYS = "Enter add \u00b7 3* quantity for next scan \u00b7 +/\u2212 or F4 quantity \u00b7 Del remove line"
      + " \u00b7 Ctrl+Z undo \u00b7 Ctrl+Y redo \u00b7 F12 pay \u00b7 F9 refund \u00b7 F6 stock \u00b7 F7 receive goods"
      + " \u00b7 F8 day's sales \u00b7 Ctrl+R merge notes \u00b7 Esc clear \u00b7 Ctrl+L lock";

  private final TillScreens screens = new TillScreens();
  private final Basket basket = new Basket();
  private final CommandStack stack = new CommandStack(basket);
  private final Deque<Runnable> ops = new ArrayDeque<>();
  private boolean opRunning;

  private LocalResourceManager resources;
  private Display display;
  private Composite root;
  private Composite banner;
  private Label bannerText;
  private Label user;
  private Label nextLabel;
  private BarcodeField scan;
  private Label message;
  private Label help;
  private Table search;
  private Table lines;
  private Label total;
  private Label vat;
  private Label units;
  private Font bigFont;

  private String basketOwner;
  private Integer nextQuantity;
  private String saleId;
  private List<ProductInfo> matches = List.of();
  private int searchSeq;
  private boolean modal;
  private final KeyPresses presses = new KeyPresses();

  private final Listener keys = this::onKey;
  private final Listener keyUps = e -> presses.repeated(e);
  private final Consumer<NodeSnapshot> onState = this::showRecalls;
  private final Consumer<Session> onSession = this::sessionChanged;
  private final Runnable runSearch = this::runSearch;

  @Override
  public void createPartControl(Composite parent) {
    display = parent.getDisplay();
    resources = new LocalResourceManager(JFaceResources.getResources(), parent);
    Font base = JFaceResources.getDefaultFont();
    int h = base.getFontData()[0].getHeight();
    bigFont = resources.create(FontDescriptor.createFrom(base).setHeight(h + 4));
    Font boldBig = resources.create(FontDescriptor.createFrom(base).setHeight(h + 4).setStyle(SWT.BOLD));
    Font huge = resources.create(FontDescriptor.createFrom(base).setHeight(h + 18).setStyle(SWT.BOLD));
    Font fieldFont = resources.create(FontDescriptor.createFrom(base).setHeight(h + 10));
    Font small = resources.create(FontDescriptor.createFrom(base).setHeight(Math.max(8, h - 1)));
    Palette palette = Palette.get(display);

    root = parent;
    parent.setLayout(GridLayoutFactory.fillDefaults().margins(10, 8).spacing(6, 6).create());

    banner = Ids.id(new Composite(parent, SWT.NONE), "till.recall");
    banner.setBackground(palette.danger());
    GridLayoutFactory.fillDefaults().margins(10, 8).applyTo(banner);
    GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(banner);
    banner.setVisible(false);
    bannerText = Ids.id(new Label(banner, SWT.WRAP), "till.recall.text");
    bannerText.setFont(boldBig);
    bannerText.setBackground(palette.danger());
    bannerText.setForeground(display.getSystemColor(SWT.COLOR_WHITE));
    GridDataFactory.fillDefaults().grab(true, false).hint(600, SWT.DEFAULT).applyTo(bannerText);

    Composite head = new Composite(parent, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(2).applyTo(head);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(head);
    user = Ids.id(new Label(head, SWT.NONE), "till.user");
    user.setFont(boldBig);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(user);
    nextLabel = Ids.id(new Label(head, SWT.RIGHT), "till.next");
    nextLabel.setFont(boldBig);
    nextLabel.setForeground(palette.warn());
    GridDataFactory.fillDefaults().hint(260, SWT.DEFAULT).applyTo(nextLabel);

    scan = new BarcodeField(parent, SWT.BORDER | SWT.SEARCH | SWT.ICON_SEARCH);
    Text field = Ids.id(scan.text(), "till.scan");
    field.setFont(fieldFont);
    field.setMessage("Scan, or type a name or ingredient");
    GridDataFactory.fillDefaults().grab(true, false).applyTo(field);
    field.addListener(SWT.DefaultSelection, e -> enter());
    field.addListener(SWT.Modify, e -> display.timerExec(SEARCH_DELAY_MS, runSearch));

    message = Ids.id(new Label(parent, SWT.WRAP), "till.message");
    message.setFont(boldBig);
    GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(message);
    message.setVisible(false);

    search = Ids.id(new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE), "till.search");
    search.setFont(bigFont);
    search.setHeaderVisible(true);
    search.setLinesVisible(true);
    column(search, "Product", 380, SWT.LEFT);
    column(search, "Active ingredient", 200, SWT.LEFT);
    column(search, "Pack", 110, SWT.LEFT);
    column(search, "Price", 100, SWT.RIGHT);
    column(search, "On hand", 100, SWT.RIGHT);
    GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, 220).exclude(true).applyTo(search);
    fillFirstColumn(search);
    search.setVisible(false);
    search.addListener(SWT.DefaultSelection, e -> enter());
    search.addListener(SWT.FocusIn, e -> refocusSoon());

    lines = Ids.id(new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE), "till.basket");
    lines.setFont(bigFont);
    lines.setHeaderVisible(true);
    lines.setLinesVisible(true);
    column(lines, "Product", 380, SWT.LEFT);
    column(lines, "Lot", 170, SWT.LEFT);
    column(lines, "Qty", 70, SWT.RIGHT);
    column(lines, "Unit price", 120, SWT.RIGHT);
    column(lines, "VAT", 80, SWT.RIGHT);
    column(lines, "Total", 130, SWT.RIGHT);
    GridDataFactory.fillDefaults().grab(true, true).applyTo(lines);
    fillFirstColumn(lines);
    lines.addListener(SWT.FocusIn, e -> refocusSoon());

    Composite totals = new Composite(parent, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(3).spacing(24, 0).applyTo(totals);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(totals);
    units = Ids.id(new Label(totals, SWT.NONE), "till.units");
    units.setFont(bigFont);
    GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.END).applyTo(units);
    vat = Ids.id(new Label(totals, SWT.RIGHT), "till.vat");
    vat.setFont(bigFont);
    GridDataFactory.fillDefaults().align(SWT.END, SWT.END).applyTo(vat);
    total = Ids.id(new Label(totals, SWT.RIGHT), "till.total");
    total.setFont(huge);
    GridDataFactory.fillDefaults().align(SWT.END, SWT.END).hint(320, SWT.DEFAULT).applyTo(total);

    help = Ids.id(new Label(parent, SWT.WRAP), "till.keys");
    help.setText(KEYS + screens.legend(Set.of()));
    help.setFont(small);
    help.setForeground(palette.muted());
    GridDataFactory.fillDefaults().grab(true, false).hint(600, SWT.DEFAULT).applyTo(help);

    basket.addListener(this::basketChanged);
    basketChanged();
    display.addFilter(SWT.KeyDown, keys);
    display.addFilter(SWT.KeyUp, keyUps);
    NodeStatus.get().addListener(onState);
    Node.get().addSessionListener(onSession);
    sessionChanged(Node.get().session());
    showRecalls(NodeStatus.get().current());
    parent.addDisposeListener(e -> {
      display.removeFilter(SWT.KeyDown, keys);
      display.removeFilter(SWT.KeyUp, keyUps);
      NodeStatus.get().removeListener(onState);
      Node.get().removeSessionListener(onSession);
      OpenSale.set(false);
    });
  }

  /** The product name gets whatever width the other columns leave, so long names are not cut. */
  private static void fillFirstColumn(Table table) {
    // GTK stretches the last column to the edge, so the others' widths are the ones they were made with.
    table.addListener(SWT.Resize, e -> {
      int others = 0;
      for (int i = 1; i < table.getColumnCount(); i++) {
        others += (Integer) table.getColumn(i).getData(WIDTH);
      }
      table.getColumn(0).setWidth(Math.max(200, table.getClientArea().width - others));
    });
  }

  private static void column(Table table, String title, int width, int align) {
    TableColumn c = new TableColumn(table, align);
    c.setText(title);
    c.setWidth(width);
    c.setData(WIDTH, width);
  }

  @Override
  public void setFocus() {
    scan.text().setFocus();
  }

  private void refocusSoon() {
    display.asyncExec(() -> {
      if (!scan.text().isDisposed() && !modal) {
        scan.text().setFocus();
      }
    });
  }

  // ---- people ----

  private void sessionChanged(Session s) {
    if (user.isDisposed()) {
      return;
    }
    help.setText(KEYS + screens.legend(s == null ? Set.of() : s.roles()));
    if (s == null) {
      user.setText("Locked");
      return;
    }
    if (basketOwner != null && !basketOwner.equals(s.username())) {
      // Another person's basket is not theirs to sell: it is kept only for the person who built it.
      stack.clear();
      basket.clear();
      clearMessage();
    }
    basketOwner = s.username();
    String roles = String.join(", ", s.roles().stream().map(r -> r.word()).sorted().toList());
    user.setText(s.displayName() + " (" + roles + ") \u00b7 " + s.tillId());
    user.getParent().layout(true);
  }

  // ---- keys ----

  /** True when a key belongs to the till: the till is showing, its window is active and no dialog is open. */
  private boolean live(Event e) {
    return !modal && root.isVisible() && e.widget instanceof org.eclipse.swt.widgets.Control c && !c.isDisposed()
        && c.getShell() == root.getShell() && display.getActiveShell() == root.getShell()
        && Node.get().session() != null;
  }

  private void onKey(Event e) {
    if (!live(e)) {
      return;
    }
    int mods = e.stateMask & SWT.MODIFIER_MASK;
    Runnable action = null;
    String text = scan.value();
    if (mods == 0) {
      action = switch (e.keyCode) {
        case SWT.F12 -> this::pay;
        case SWT.F9 -> this::refund;
        case SWT.F6 -> this::stock;
        case SWT.F7 -> this::receive;
        case SWT.F8 -> this::daySales;
        case SWT.F4 -> this::askQuantity;
        case SWT.ESC -> this::escape;
        case SWT.ARROW_DOWN -> () -> move(1);
        case SWT.ARROW_UP -> () -> move(-1);
        case SWT.DEL -> text.isEmpty() ? this::removeSelected : null;
        default -> screens.has(e.keyCode, roles()) ? screen(e.keyCode) : null;
      };
    } else if (mods == SWT.CTRL) {
      action = switch (e.keyCode) {
        case 'z' -> this::undo;
        case 'y' -> this::redo;
        case 'r' -> this::resolutions;
        default -> screens.has(SWT.CTRL | e.keyCode, roles()) ? screen(SWT.CTRL | e.keyCode) : null;
      };
    } else if (mods == SWT.SHIFT && screens.has(SWT.SHIFT | e.keyCode, roles())) {
      action = screen(SWT.SHIFT | e.keyCode);
    }
    if (action == null && (mods & (SWT.CTRL | SWT.ALT)) == 0) {
      if ((e.character == '+' || e.character == '-') && text.isEmpty()) {
        int delta = e.character == '+' ? 1 : -1;
        action = () -> step(delta);
      } else if (e.character == '*' && NUMBER.matcher(text).matches()) {
        action = () -> setNextQuantity(Integer.parseInt(text));
      } else if (e.character == '*' && text.isEmpty()) {
        action = () -> { };
      }
    }
    if (action == null) {
      return;
    }
    e.doit = false;
    e.type = SWT.None;
    if (presses.repeated(e)) {
      return;
    }
    action.run();
  }

  private void escape() {
    scan.text().setText("");
    nextQuantity = null;
    showNext();
    clearMessage();
    hideSearch();
  }

  private void move(int by) {
    Table t = search.getVisible() ? search : lines;
    int n = t.getItemCount();
    if (n == 0) {
      return;
    }
    int i = t.getSelectionIndex();
    t.setSelection(Math.max(0, Math.min(n - 1, i < 0 ? (by > 0 ? 0 : n - 1) : i + by)));
    t.showSelection();
  }

  private void setNextQuantity(int q) {
    if (q < 1 || q > MAX_QUANTITY) {
      error("The quantity must be between 1 and " + MAX_QUANTITY + ".");
      return;
    }
    nextQuantity = q;
    scan.text().setText("");
    showNext();
  }

  private void showNext() {
    nextLabel.setText(nextQuantity == null ? "" : "Next scan: " + nextQuantity + " \u00d7");
  }

  // ---- scanning and searching ----

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
    int quantity = nextQuantity == null ? 1 : nextQuantity;
    if (code != null) {
      take(text);
      add(code.gtin(), code.gtin(), code.lot(), code.expiry() == null ? null : code.expiry().toString(), quantity, text);
      return;
    }
    int i = search.getVisible() ? search.getSelectionIndex() : -1;
    if (i < 0 || i >= matches.size()) {
      error(search.getVisible() || !matches.isEmpty() ? "Choose a product with \u2191 \u2193 and press Enter."
          : "No product matches \u201c" + text + "\u201d yet: wait for the list or check the spelling.");
      return;
    }
    ProductInfo p = matches.get(i);
    take(text);
    add(p.barcode(), p.gtin(), null, null, quantity, text);
  }

  /** Empties the field for the next scan; the text comes back if the node refuses. */
  private void take(String text) {
    scan.text().setText("");
    hideSearch();
    nextQuantity = null;
    showNext();
  }

  private void add(String code, String gtin, String lot, String expiry, int quantity, String typed) {
    enqueue(() -> {
      BasketLine same = basket.mergeable(gtin, lot);
      if (same != null) {
        LineRequest r = same.request();
        quote(new LineRequest(r.code(), null, null, Math.min(MAX_QUANTITY, r.quantity() + quantity)), typed,
            q -> new ChangeQuantityCommand(same, q));
      } else {
        quote(new LineRequest(code, lot, expiry, quantity), typed,
            q -> new AddLineCommand(new BasketLine(UUID.randomUUID().toString(), q)));
      }
    });
  }

  /** Asks the node for a quote, then applies the command made from it; refusals go to the message strip. */
  private void quote(LineRequest request, String typed, Function<Quote, BasketCommand> command) {
    String token;
    try {
      token = Node.get().token();
    } catch (NodeException e) {
      error(e.getMessage());
      done();
      return;
    }
    Async.call(root, () -> Node.get().service().quote(token, request), q -> {
      BasketCommand c = command.apply(q);
      stack.execute(c);
      select(c);
      info(capital(c.describe()) + ".");
      done();
    }, e -> {
      error(e.getMessage());
      if (typed != null && scan.value().isEmpty()) {
        scan.text().setText(typed);
        scan.text().selectAll();
      }
      done();
    });
  }

  private void enqueue(Runnable op) {
    ops.add(op);
    if (!opRunning) {
      done();
    }
  }

  private void done() {
    Runnable next = ops.poll();
    opRunning = next != null;
    if (next != null) {
      next.run();
    }
  }

  private void runSearch() {
    if (scan.text().isDisposed()) {
      return;
    }
    String text = scan.value().strip();
    int seq = ++searchSeq;
    if (text.isEmpty() || Scans.looksLikeScan(text) || NUMBER.matcher(text).matches() && text.length() < 3) {
      hideSearch();
      return;
    }
    Async.call(search, () -> Node.get().service().search(text, SEARCH_LIMIT), found -> {
      if (seq != searchSeq || !scan.value().strip().equals(text)) {
        return; // a newer keystroke asked already: this answer is stale
      }
      showMatches(found);
    }, e -> {
      if (seq == searchSeq) {
        error(e.getMessage());
      }
    });
  }

  private void showMatches(List<ProductInfo> found) {
    matches = found;
    search.removeAll();
    for (ProductInfo p : found) {
      TableItem item = new TableItem(search, SWT.NONE);
      item.setText(new String[] { p.name(), p.ingredient(), p.pack(), Money.format(p.priceMinor()),
          p.sellable() == p.onHand() ? String.valueOf(p.onHand()) : p.sellable() + " of " + p.onHand() });
      if (p.sellable() == 0) {
        item.setForeground(Palette.get(display).muted());
      }
    }
    if (!found.isEmpty()) {
      search.setSelection(0);
    }
    setShown(search, true);
    if (found.isEmpty()) {
      info("No product matches \u201c" + scan.value().strip() + "\u201d.");
    } else {
      clearMessage();
    }
  }

  private void hideSearch() {
    searchSeq++;
    matches = List.of();
    if (search.getVisible()) {
      search.removeAll();
      setShown(search, false);
    }
  }

  // ---- basket edits ----

  private BasketLine selected() {
    int i = lines.getSelectionIndex();
    return i < 0 || i >= basket.size() ? null : basket.lines().get(i);
  }

  private void step(int delta) {
    BasketLine l = selected();
    if (l == null) {
      error("Select a line first (\u2191 \u2193).");
      return;
    }
    int q = l.quantity() + delta;
    if (q < 1) {
      error("The quantity is 1 already: press Delete to take the line out.");
      return;
    }
    changeQuantity(l, q);
  }

  private void changeQuantity(BasketLine line, int q) {
    enqueue(() -> {
      BasketLine now = basket.line(line.id());
      if (now == null) {
        done();
        return;
      }
      LineRequest r = now.request();
      quote(new LineRequest(r.code(), r.lot(), r.expiry(), q), null, quote -> new ChangeQuantityCommand(now, quote));
    });
  }

  private void askQuantity() {
    BasketLine l = selected();
    if (l == null) {
      error("Select a line first (\u2191 \u2193), then press F4.");
      return;
    }
    modal = true;
    try {
      var dialog = new org.eclipse.jface.dialogs.InputDialog(root.getShell(), "Quantity",
          "How many of " + l.name() + "?", String.valueOf(l.quantity()), s -> {
            if (!NUMBER.matcher(s.strip()).matches() || Integer.parseInt(s.strip()) < 1) {
              return "A whole number from 1 to " + MAX_QUANTITY + ".";
            }
            return null;
          }) {
        @Override
        protected org.eclipse.swt.widgets.Control createDialogArea(Composite parent) {
          org.eclipse.swt.widgets.Control area = super.createDialogArea(parent);
          Ids.id(getText(), "quantity.value");
          return area;
        }
      };
      if (dialog.open() == Window.OK) {
        changeQuantity(l, Integer.parseInt(dialog.getValue().strip()));
      }
    } finally {
      modal = false;
      setFocus();
    }
  }

  private void removeSelected() {
    BasketLine l = selected();
    if (l == null) {
      error(basket.isEmpty() ? "The basket is empty." : "Select a line first (\u2191 \u2193).");
      return;
    }
    enqueue(() -> {
      if (basket.line(l.id()) != null) {
        RemoveLineCommand c = new RemoveLineCommand(l);
        stack.execute(c);
        info(capital(c.describe()) + ". Ctrl+Z puts it back.");
      }
      done();
    });
  }

  private void undo() {
    enqueue(() -> {
      BasketCommand c = stack.undo();
      if (c == null) {
        info("Nothing to undo.");
      } else {
        select(c);
        info("Undone: " + c.describe() + ".");
      }
      done();
    });
  }

  private void redo() {
    enqueue(() -> {
      BasketCommand c = stack.redo();
      if (c == null) {
        info("Nothing to redo.");
      } else {
        select(c);
        info("Done again: " + c.describe() + ".");
      }
      done();
    });
  }

  /** Selects the line an edit was about, if it is (still) in the basket. */
  private void select(BasketCommand c) {
    int i = basket.indexOf(c.lineId());
    if (i >= 0) {
      lines.setSelection(i);
      lines.showSelection();
    }
  }

  private void basketChanged() {
    if (lines.isDisposed()) {
      return;
    }
    saleId = null; // a different basket is a different sale
    OpenSale.set(!basket.isEmpty());
    int keep = lines.getSelectionIndex();
    lines.removeAll();
    for (BasketLine l : basket.lines()) {
      Quote q = l.quote();
      TableItem item = new TableItem(lines, SWT.NONE);
      item.setText(new String[] { l.name(), l.lots(), String.valueOf(l.quantity()), Money.format(q.unitPriceMinor()),
          Money.vat(q.vatBasisPoints()), Money.format(q.lineTotalMinor()) });
    }
    if (lines.getItemCount() > 0) {
      lines.setSelection(Math.max(0, Math.min(keep, lines.getItemCount() - 1)));
    }
    total.setText("Total " + Money.format(basket.totalMinor()));
    vat.setText("VAT included " + Money.format(basket.vatMinor()));
    int n = basket.units();
    units.setText(basket.isEmpty() ? "Basket empty" : n + (n == 1 ? " item" : " items") + " on " + basket.size()
        + (basket.size() == 1 ? " line" : " lines"));
    total.getParent().layout(true);
  }

  // ---- payment ----

  private void pay() {
    if (basket.isEmpty()) {
      error("The basket is empty: scan a product first.");
      return;
    }
    if (opRunning) {
      info("Still asking the node about the last scan: press F12 again in a moment.");
      return;
    }
    NodeSnapshot s = NodeStatus.get().current();
    if (!s.canSell()) {
      error(StatusTexts.cannotSell(s, Node.get().choice().where()));
      return;
    }
    if (saleId == null) {
      saleId = UUID.randomUUID().toString(); // chosen once: a retry re-sends it and the node records one sale
    }
    List<LineRequest> request = new ArrayList<>();
    for (BasketLine l : basket.lines()) {
      request.add(l.request());
    }
    SaleInfo sale;
    modal = true;
    try {
      PaymentDialog dialog = new PaymentDialog(root.getShell(), saleId, request, basket.totalMinor(), basket.vatMinor());
      dialog.open();
      sale = dialog.sale();
      if (sale == null) {
        info(dialog.failed() ? "Payment not finished: nothing was recorded. The basket is kept."
            : "Payment cancelled: nothing was recorded.");
        return;
      }
      stack.clear();
      basket.clear();
      saleId = null;
      clearMessage();
      new ReceiptDialog(root.getShell(), sale).open();
      info("Sale recorded: receipt " + sale.receiptNumber() + ".");
    } finally {
      modal = false;
      setFocus();
    }
  }

  private void refund() {
    dialog(() -> new RefundDialog(root.getShell()).open());
  }

  private void stock() {
    String code = null;
    String text = scan.value().strip();
    int i = search.getVisible() ? search.getSelectionIndex() : -1;
    if (i >= 0 && i < matches.size()) {
      code = matches.get(i).barcode();
    } else if (!text.isEmpty()) {
      try {
        Scan s = Scans.read(text);
        code = s == null ? null : s.gtin();
      } catch (IllegalArgumentException e) {
        error(e.getMessage());
        return;
      }
    }
    if (code == null && selected() != null) {
      code = selected().request().code();
    }
    if (code == null) {
      error("Scan or search a product (or select a basket line), then press F6.");
      return;
    }
    String c = code;
    dialog(() -> new StockDialog(root.getShell(), c).open());
  }

  private void receive() {
    dialog(() -> new GoodsReceiptDialog(root.getShell()).open());
  }

  private void daySales() {
    dialog(() -> new DaySalesDialog(root.getShell()).open());
  }

  private void resolutions() {
    dialog(() -> new ResolutionsDialog(root.getShell()).open());
  }

  /** A window another bundle contributes on this key, modifier included (TillScreens). */
  private Runnable screen(int keyCode) {
    return () -> dialog(() -> {
      if (!screens.open(keyCode, roles(), root.getShell())) {
        error("That window could not be opened: the details are in the log.");
      }
    });
  }

  private static Set<Role> roles() {
    Session s = Node.get().session();
    return s == null ? Set.of() : s.roles();
  }

  private void dialog(Runnable open) {
    modal = true;
    try {
      open.run();
    } finally {
      modal = false;
      setFocus();
    }
  }

  // ---- messages and banner ----

  private void error(String text) {
    showMessage(text, true);
  }

  private void info(String text) {
    showMessage(text, false);
  }

  private void showMessage(String text, boolean error) {
    if (message.isDisposed()) {
      return;
    }
    Palette p = Palette.get(display);
    message.setText(" " + text);
    message.setData("apotheca.error", error);
    message.setBackground(error ? p.dangerBackground() : p.okBackground());
    message.setForeground(error ? p.danger() : display.getSystemColor(SWT.COLOR_BLACK));
    setShown(message, true);
  }

  private void clearMessage() {
    if (!message.isDisposed() && message.getVisible()) {
      message.setText("");
      setShown(message, false);
    }
  }

  private void showRecalls(NodeSnapshot s) {
    if (banner.isDisposed()) {
      return;
    }
    List<RecallAlert> alerts = s.state() == null ? List.of() : s.state().recallAlerts();
    StringBuilder b = new StringBuilder();
    for (RecallAlert a : alerts) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(recallText(a));
    }
    String text = b.toString();
    if (!text.equals(bannerText.getText()) || banner.getVisible() != !alerts.isEmpty()) {
      bannerText.setText(text);
      setShown(banner, !alerts.isEmpty());
    }
  }

  /** "RECALL R-2026-001: Paracetamol 500mg lots L1, L2 — 24 units on hand: do not sell". */
  public static String recallText(RecallAlert a) {
    return "RECALL " + a.recallNumber() + ": " + a.productName() + (a.lots().size() == 1 ? " lot " : " lots ")
        + String.join(", ", a.lots()) + " \u2014 " + a.unitsOnHand() + (a.unitsOnHand() == 1 ? " unit" : " units")
        + " on hand: do not sell";
  }

  private void setShown(org.eclipse.swt.widgets.Control c, boolean shown) {
    ((org.eclipse.swt.layout.GridData) c.getLayoutData()).exclude = !shown;
    c.setVisible(shown);
    root.layout(true, true);
  }

  private static String capital(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
