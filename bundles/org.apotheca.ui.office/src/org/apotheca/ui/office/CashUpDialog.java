package org.apotheca.ui.office;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apotheca.node.api.CashUpDay;
import org.apotheca.node.api.CashUpFigures;
import org.apotheca.node.api.CashUpInfo;
import org.apotheca.node.api.CashUpRequest;
import org.apotheca.node.api.DenominationCount;
import org.apotheca.node.api.FloatRequest;
import org.apotheca.node.api.Role;
import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Money;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Cash-up of one till's day: the takings as the node holds them (offline sales included), the opening float, the
 * drawer counted note by note and coin by coin with the totals as you type, the difference against the expected cash
 * (a note is required when there is one), and who closes it. One cash-up per till and day.
 */
final class CashUpDialog extends OfficeDialog {

  /** Euro notes and coins, largest first: the order a drawer is counted in. */
  static final long[] NOTES = { 50000, 20000, 10000, 5000, 2000, 1000, 500 };
  static final long[] COINS = { 200, 100, 50, 20, 10, 5, 2, 1 };
  private static final int REFRESH_MS = 5_000;

  private Combo till;
  private Label state;
  private Text openingFloat;
  private Label cashSales;
  private Label cashRefunds;
  private Label expected;
  private Label cardSales;
  private Label cardRefunds;
  private Label cardTotal;
  private Label trade;
  private final List<Text> counts = new ArrayList<>();
  private final List<Label> lineTotals = new ArrayList<>();
  private Label counted;
  private Label difference;
  private Text note;
  private Label closer;
  private Label roleNote;

  private CashUpFigures figures;
  private String cashUpId;
  private boolean busy;

  CashUpDialog(Shell parent) {
    super(parent, "Cash-up", "cashup");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(3).margins(16, 12).spacing(16, 8).equalWidth(false).applyTo(area);
    heading(area, 1, "Cash-up");
    Composite which = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 0).applyTo(which);
    GridDataFactory.fillDefaults().span(2, 1).align(SWT.END, SWT.CENTER).applyTo(which);
    label(which, "T&ill");
    till = Ids.id(new Combo(which, SWT.READ_ONLY | SWT.DROP_DOWN), "cashup.till");
    till.setFont(big);
    till.add(Node.get().tillId());
    till.select(0);
    till.addListener(SWT.Selection, e -> {
      cashUpId = null;
      load();
    });
    state = Ids.id(new Label(area, SWT.WRAP), "cashup.state");
    state.setFont(bold);
    GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(state);

    Group takings = new Group(area, SWT.NONE);
    takings.setText("Takings");
    takings.setFont(bold);
    GridLayoutFactory.swtDefaults().numColumns(2).spacing(16, 6).applyTo(takings);
    GridDataFactory.fillDefaults().grab(true, true).applyTo(takings);
    label(takings, "Opening &float");
    openingFloat = field(takings, "cashup.float", 120);
    openingFloat.setMessage("0.00");
    openingFloat.addListener(SWT.Modify, e -> {
      cashUpId = null;
      totals();
    });
    openingFloat.addListener(SWT.Traverse, e -> {
      if (e.detail == SWT.TRAVERSE_RETURN) {
        e.doit = false;
        recordFloat();
      }
    });
    cashSales = figure(takings, "Cash sales", "cashup.cashSales");
    cashRefunds = figure(takings, "Cash refunds", "cashup.cashRefunds");
    expected = figure(takings, "Expected in the drawer", "cashup.expected");
    expected.setFont(title);
    cardSales = figure(takings, "Card sales", "cashup.cardSales");
    cardRefunds = figure(takings, "Card refunds", "cashup.cardRefunds");
    cardTotal = figure(takings, "Card total (terminal)", "cashup.cardTotal");
    cardTotal.setFont(bold);
    trade = Ids.id(new Label(takings, SWT.WRAP), "cashup.trade");
    GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(260, SWT.DEFAULT).applyTo(trade);

    denominations(area, "Notes", NOTES);
    denominations(area, "Coins", COINS);

    Composite result = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(4).spacing(24, 6).applyTo(result);
    GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(result);
    counted = Ids.id(new Label(result, SWT.NONE), "cashup.counted");
    counted.setFont(title);
    GridDataFactory.fillDefaults().hint(300, SWT.DEFAULT).applyTo(counted);
    difference = Ids.id(new Label(result, SWT.NONE), "cashup.difference");
    difference.setFont(title);
    GridDataFactory.fillDefaults().hint(360, SWT.DEFAULT).applyTo(difference);
    closer = Ids.id(new Label(result, SWT.WRAP), "cashup.closer");
    closer.setFont(big);
    GridDataFactory.fillDefaults().span(2, 1).grab(true, false).applyTo(closer);

    Composite noteBox = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(2).spacing(10, 0).applyTo(noteBox);
    GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(noteBox);
    label(noteBox, "&Note");
    note = field(noteBox, "cashup.note", 560);
    note.setTextLimit(CashUpRequest.MAX_NOTE);
    note.setMessage("required when counted and expected differ: what happened?");
    note.addListener(SWT.Modify, e -> cashUpId = null);
    note.addListener(SWT.Traverse, e -> {
      if (e.detail == SWT.TRAVERSE_RETURN) {
        e.doit = false;
        okPressed();
      }
    });

    roleNote = Ids.id(new Label(area, SWT.WRAP), "cashup.role");
    roleNote.setFont(bold);
    roleNote.setForeground(Palette.get(area.getDisplay()).warn());
    GridDataFactory.fillDefaults().span(3, 1).applyTo(roleNote);
    message(area, 3);
    keys(area, 3, "Enter moves on: float, then each note and coin, then the note \u00b7 Enter in the note closes the cash-up"
        + " \u00b7 Alt+I another till \u00b7 F5 refresh \u00b7 Esc close");
    onKey(SWT.F5, this::load);
    totals();
    load();
    area.getDisplay().timerExec(REFRESH_MS, this::refreshLater);
    return area;
  }

  private Label figure(Composite parent, String name, String id) {
    Label l = new Label(parent, SWT.NONE);
    l.setText(name);
    l.setFont(big);
    Label v = Ids.id(new Label(parent, SWT.RIGHT), id);
    v.setFont(big);
    GridDataFactory.fillDefaults().grab(true, false).hint(130, SWT.DEFAULT).applyTo(v);
    return v;
  }

  private void denominations(Composite parent, String name, long[] values) {
    Group g = new Group(parent, SWT.NONE);
    g.setText(name);
    g.setFont(bold);
    GridLayoutFactory.swtDefaults().numColumns(3).spacing(12, 4).applyTo(g);
    GridDataFactory.fillDefaults().grab(true, true).applyTo(g);
    for (long v : values) {
      Label face = new Label(g, SWT.RIGHT);
      face.setText(face(v));
      face.setFont(bold);
      GridDataFactory.fillDefaults().hint(70, SWT.DEFAULT).applyTo(face);
      Text count = field(g, "cashup.count." + v, 70);
      count.setMessage("0");
      count.setData(v);
      Label total = Ids.id(new Label(g, SWT.RIGHT), "cashup.total." + v);
      total.setFont(big);
      GridDataFactory.fillDefaults().hint(100, SWT.DEFAULT).applyTo(total);
      counts.add(count);
      lineTotals.add(total);
      count.addListener(SWT.Modify, e -> {
        cashUpId = null;
        totals();
      });
      count.addListener(SWT.Traverse, e -> {
        if (e.detail == SWT.TRAVERSE_RETURN) {
          e.doit = false; // Enter moves on to the next note or coin, after the last to the note
          int i = counts.indexOf(count);
          (i + 1 < NOTES.length + COINS.length ? counts.get(i + 1) : note).setFocus();
        }
      });
    }
  }

  /** "€50" for a note, "€2" or "50c" for a coin. */
  static String face(long minor) {
    return minor >= 100 ? "\u20ac" + minor / 100 : minor + "c";
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "&Close the cash-up", false), "cashup.ok");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close window (Esc)", false), "cashup.cancel");
    getButton(IDialogConstants.OK_ID).setEnabled(false);
  }

  // ---- figures ----

  private String tillId() {
    return till.getText();
  }

  private void refreshLater() {
    Shell s = getShell();
    if (s == null || s.isDisposed()) {
      return;
    }
    // takings grow while the shop trades (other tills, sales on this one's node): the expected cash follows
    if (!busy && figures != null && !figures.closed()) {
      load();
    }
    s.getDisplay().timerExec(REFRESH_MS, this::refreshLater);
  }

  private void load() {
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    String t = tillId();
    Async.call(till, () -> new Object[] { Node.get().service().cashUpFigures(token, t, null),
        Node.get().service().cashUps(null) }, r -> {
          CashUpDay day = (CashUpDay) r[1];
          Set<String> tills = new LinkedHashSet<>();
          tills.add(Node.get().tillId());
          day.tills().forEach(f -> tills.add(f.tillId()));
          if (!List.of(till.getItems()).equals(new ArrayList<>(tills))) {
            String keep = till.getText();
            till.setItems(tills.toArray(String[]::new));
            till.select(Math.max(0, new ArrayList<>(tills).indexOf(keep)));
          }
          show((CashUpFigures) r[0]);
        }, e -> error(e.getMessage()));
  }

  private void show(CashUpFigures f) {
    if (!f.tillId().equals(tillId())) {
      return; // an answer for the till shown before
    }
    boolean first = figures == null || !figures.tillId().equals(f.tillId()) || figures.closed() != f.closed();
    figures = f;
    cashSales.setText(Money.format(f.cashSalesMinor()));
    cashRefunds.setText(f.cashRefundsMinor() == 0 ? "0.00" : "\u2212" + Money.format(f.cashRefundsMinor()));
    expected.setText(Money.format(f.expectedCashMinor()));
    cardSales.setText(Money.format(f.cardSalesMinor()));
    cardRefunds.setText(f.cardRefundsMinor() == 0 ? "0.00" : "\u2212" + Money.format(f.cardRefundsMinor()));
    cardTotal.setText(Money.format(f.cardTotalMinor()));
    trade.setText(f.sales() + (f.sales() == 1 ? " sale, " : " sales, ") + f.refunds()
        + (f.refunds() == 1 ? " refund" : " refunds") + " (" + Money.format(f.salesTotalMinor()) + " sold)"
        + (f.notAtCentral() == 0 ? "" : "; " + f.notAtCentral() + " not at central yet"));
    if (first && f.floatRecorded() && !openingFloat.isFocusControl()) {
      openingFloat.setText(Money.format(f.openingFloatMinor()));
    }
    boolean manager = may(Role.PHARMACIST, Role.MANAGER);
    if (f.closed()) {
      CashUpInfo c = f.cashUp();
      state.setText(f.tillId() + " on " + f.day() + " is cashed up: closed " + StocktakeDialog.time(c.closedAt()) + " by "
          + c.closedBy() + "." + (c.atCentral() ? " Central has it." : " Central gets it when it can be reached."));
      state.setForeground(Palette.get(state.getDisplay()).ok());
      // the takings above are live: a till that sold after its cash-up shows what the recorded count does not hold
      long after = f.expectedCashMinor() - c.expectedCashMinor();
      if (after != 0) {
        state.setText(state.getText() + " Since then: " + (after > 0 ? "" : "\u2212") + Money.format(Math.abs(after))
            + " in cash, not in this cash-up.");
        state.setForeground(Palette.get(state.getDisplay()).warn());
      }
      if (first) {
        openingFloat.setText(Money.format(c.openingFloatMinor()));
        for (Text t : counts) {
          long v = (Long) t.getData();
          t.setText(c.counted().stream().filter(d -> d.denominationMinor() == v).findFirst()
              .map(d -> String.valueOf(d.count())).orElse(""));
        }
        note.setText(c.note() == null ? "" : c.note());
      }
      expected.setText(Money.format(c.expectedCashMinor()));
      closer.setText("Closed by " + c.closedBy());
    } else {
      state.setText(f.tillId() + " on " + f.day() + ": open. Count the drawer, then close the cash-up.");
      state.setForeground(state.getDisplay().getSystemColor(SWT.COLOR_BLACK));
      closer.setText(manager ? "Closing as " + Node.get().session().displayName() : "");
    }
    // read-only, not disabled: a closed cash-up's figures are the record and must read black, not like placeholders
    for (Text t : counts) {
      t.setEditable(!f.closed());
    }
    openingFloat.setEditable(!f.closed());
    note.setEditable(!f.closed());
    getButton(IDialogConstants.OK_ID).setEnabled(manager && !f.closed() && !busy);
    roleNote.setText(manager || f.closed() ? "" : onlyWho("close a cash-up", Role.PHARMACIST, Role.MANAGER)
        + " You can record the float and count.");
    totals();
    if (first && !f.closed()) {
      (f.floatRecorded() ? counts.get(0) : openingFloat).setFocus();
    }
    getShell().layout(true, true);
  }

  /** Counted cash and the difference, as the person types. */
  private void totals() {
    long sum = 0;
    for (int i = 0; i < counts.size(); i++) {
      int n = count(counts.get(i));
      long v = (Long) counts.get(i).getData();
      lineTotals.get(i).setText(n <= 0 ? "" : Money.format(n * v));
      sum += Math.max(0, n) * v;
    }
    counted.setText("Counted " + Money.format(sum));
    Palette p = Palette.get(counted.getDisplay());
    if (figures == null) {
      difference.setText("");
      return;
    }
    long expectedNow = figures.closed() ? figures.cashUp().expectedCashMinor() : expectedCash();
    long d = sum - expectedNow;
    difference.setText(d == 0 ? "No difference" : (d < 0 ? "Short " : "Over ") + Money.format(Math.abs(d)));
    difference.setForeground(d == 0 ? p.ok() : p.danger());
  }

  /** The node's expected cash with the float as typed now (the node adds the float to the takings the same way). */
  private long expectedCash() {
    long typedFloat;
    try {
      typedFloat = openingFloat.getText().isBlank() ? 0 : Money.parse(openingFloat.getText());
    } catch (IllegalArgumentException e) {
      typedFloat = figures.openingFloatMinor();
    }
    return figures.expectedCashMinor() - figures.openingFloatMinor() + typedFloat;
  }

  private static int count(Text t) {
    String s = t.getText().strip();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // ---- writing ----

  private void recordFloat() {
    if (busy || figures == null || figures.closed()) {
      return;
    }
    long amount;
    try {
      amount = openingFloat.getText().isBlank() ? 0 : Money.parse(openingFloat.getText());
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      openingFloat.selectAll();
      return;
    }
    if (figures.floatRecorded() && figures.openingFloatMinor() == amount) {
      counts.get(0).setFocus();
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    busy = true;
    info("Recording the float...");
    FloatRequest request = new FloatRequest(tillId(), null, amount);
    Async.call(getShell(), () -> Node.get().service().recordFloat(token, request), f -> {
      busy = false;
      info("Opening float of " + Money.format(f.openingFloatMinor()) + " recorded.");
      show(f);
      counts.get(0).setFocus();
    }, e -> {
      busy = false;
      error((e.refusal().isRequestRefused() ? "Float not recorded: " : "Nothing was recorded: ") + e.getMessage());
    });
  }

  @Override
  protected void okPressed() {
    if (busy || figures == null || figures.closed()) {
      return;
    }
    if (!may(Role.PHARMACIST, Role.MANAGER)) {
      error(onlyWho("close a cash-up", Role.PHARMACIST, Role.MANAGER));
      return;
    }
    List<DenominationCount> drawer = new ArrayList<>();
    for (Text t : counts) {
      int n = count(t);
      if (n < 0) {
        error("Type how many of each note and coin, as a whole number.");
        t.setFocus();
        t.selectAll();
        return;
      }
      if (n > 0) {
        drawer.add(new DenominationCount((Long) t.getData(), n));
      }
    }
    long floatMinor;
    try {
      floatMinor = openingFloat.getText().isBlank() ? 0 : Money.parse(openingFloat.getText());
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      openingFloat.setFocus();
      return;
    }
    long sum = drawer.stream().mapToLong(DenominationCount::totalMinor).sum();
    long d = sum - expectedCash();
    if (d != 0 && note.getText().isBlank()) {
      error("The drawer is " + (d < 0 ? "short by " : "over by ") + Money.format(Math.abs(d))
          + ": write a note saying what happened before closing.");
      note.setFocus();
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    if (cashUpId == null) {
      cashUpId = UUID.randomUUID().toString(); // the same id for a retry after a failure of the link
    }
    CashUpRequest request = new CashUpRequest(cashUpId, tillId(), null, floatMinor, drawer,
        note.getText().isBlank() ? null : note.getText().strip());
    busy = true;
    getButton(IDialogConstants.OK_ID).setEnabled(false);
    info("Closing the cash-up...");
    Async.call(getShell(), () -> Node.get().service().closeCashUp(token, request), c -> {
      busy = false;
      info("Cash-up closed: counted " + Money.format(c.countedCashMinor()) + ", expected " + Money.format(c.expectedCashMinor())
          + (c.differenceMinor() == 0 ? ", no difference." : ", " + (c.differenceMinor() < 0 ? "short " : "over ")
              + Money.format(Math.abs(c.differenceMinor())) + "."));
      load();
      getButton(IDialogConstants.CANCEL_ID).setFocus();
    }, e -> {
      busy = false;
      if (e.refusal().isRequestRefused()) {
        cashUpId = null;
      }
      error((e.refusal().isRequestRefused() ? "Not closed: " : "Nothing was recorded: ") + e.getMessage());
      getButton(IDialogConstants.OK_ID).setEnabled(true);
    });
  }

  @Override
  protected void cancelPressed() {
    if (!busy) {
      super.cancelPressed();
    }
  }
}
