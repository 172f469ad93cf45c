package org.apotheca.ui.till;

import java.util.List;

import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Money;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Takes payment: cash (change shown as the amount is typed), card, or card and cash. Enter records the sale with the
 * till's sale id; only the node's answer closes the dialog. A failure keeps it open and says that nothing was
 * recorded; Enter tries again with the same id, so a sale whose answer was lost is recorded once.
 */
final class PaymentDialog extends TillDialog {

  private enum Mode {
    CASH, CARD, SPLIT
  }

  private final String saleId;
  private final List<LineRequest> lines;
  private final long totalMinor;
  private final long vatMinor;
  private Mode mode = Mode.CASH;
  private Button cash;
  private Button card;
  private Button split;
  private Label cardLabel;
  private Text cardAmount;
  private Label cashLabel;
  private Text tendered;
  private Label change;
  private boolean sending;
  private boolean failed;
  private SaleInfo sale;

  PaymentDialog(Shell parent, String saleId, List<LineRequest> lines, long totalMinor, long vatMinor) {
    super(parent, "Payment", "pay");
    this.saleId = saleId;
    this.lines = lines;
    this.totalMinor = totalMinor;
    this.vatMinor = vatMinor;
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(2).margins(16, 12).spacing(12, 10).applyTo(area);

    Label t = Ids.id(new Label(area, SWT.NONE), "pay.total");
    t.setText("To pay " + Money.format(totalMinor));
    t.setFont(huge);
    GridDataFactory.fillDefaults().span(2, 1).applyTo(t);
    Label v = new Label(area, SWT.NONE);
    v.setText("VAT included " + Money.format(vatMinor));
    v.setFont(big);
    GridDataFactory.fillDefaults().span(2, 1).applyTo(v);

    Composite modes = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(3).spacing(18, 0).applyTo(modes);
    GridDataFactory.fillDefaults().span(2, 1).applyTo(modes);
    cash = radio(modes, "&Cash", "pay.cash", Mode.CASH);
    card = radio(modes, "C&ard", "pay.card", Mode.CARD);
    split = radio(modes, "&Split: card + cash", "pay.split", Mode.SPLIT);
    cash.setSelection(true);

    cardLabel = label(area, "Card amount");
    cardAmount = field(area, "pay.cardAmount", 180);
    cashLabel = label(area, "Cash handed over");
    tendered = field(area, "pay.tendered", 180);
    tendered.setMessage(Money.format(totalMinor));
    cardAmount.addListener(SWT.Modify, e -> showChange());
    tendered.addListener(SWT.Modify, e -> showChange());

    change = Ids.id(new Label(area, SWT.NONE), "pay.change");
    change.setFont(huge);
    GridDataFactory.fillDefaults().span(2, 1).grab(true, false).applyTo(change);

    message(area, 2);
    Label keys = new Label(area, SWT.WRAP);
    keys.setText("Alt+C cash \u00b7 Alt+A card \u00b7 Alt+S split \u00b7 Enter records the sale \u00b7 Esc goes back to the basket");
    keys.setForeground(Palette.get(area.getDisplay()).muted());
    GridDataFactory.fillDefaults().span(2, 1).hint(520, SWT.DEFAULT).applyTo(keys);
    setMode(Mode.CASH);
    return area;
  }

  private Button radio(Composite parent, String text, String id, Mode m) {
    Button b = Ids.id(new Button(parent, SWT.RADIO), id);
    b.setText(text);
    b.setFont(bold);
    b.addListener(SWT.Selection, e -> {
      if (b.getSelection()) {
        setMode(m);
      }
    });
    return b;
  }

  private void setMode(Mode m) {
    mode = m;
    cash.setSelection(m == Mode.CASH);
    card.setSelection(m == Mode.CARD);
    split.setSelection(m == Mode.SPLIT);
    boolean withCard = m == Mode.SPLIT;
    boolean withCash = m != Mode.CARD;
    cardLabel.setEnabled(withCard);
    cardAmount.setEnabled(withCard);
    cashLabel.setEnabled(withCash);
    tendered.setEnabled(withCash);
    showChange();
    (withCard ? cardAmount : withCash ? tendered : card).setFocus();
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Button ok = createButton(parent, IDialogConstants.OK_ID, "Record sale (Enter)", true);
    Ids.id(ok, "pay.ok");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Back (Esc)", false), "pay.cancel");
  }

  /** The payments as typed, or IllegalArgumentException with a sentence for the person at the till. */
  List<PaymentRequest> payments() {
    return switch (mode) {
      case CARD -> List.of(PaymentRequest.card(totalMinor));
      case CASH -> {
        long given = tendered.getText().isBlank() ? totalMinor : Money.parse(tendered.getText());
        if (given < totalMinor) {
          throw new IllegalArgumentException("Not enough cash: " + Money.format(totalMinor - given) + " short.");
        }
        yield List.of(PaymentRequest.cash(totalMinor, given));
      }
      case SPLIT -> {
        long onCard = cardAmount.getText().isBlank() ? 0 : Money.parse(cardAmount.getText());
        if (onCard <= 0 || onCard >= totalMinor) {
          throw new IllegalArgumentException("Enter the card part: more than 0 and less than " + Money.format(totalMinor) + ".");
        }
        long rest = totalMinor - onCard;
        long given = tendered.getText().isBlank() ? rest : Money.parse(tendered.getText());
        if (given < rest) {
          throw new IllegalArgumentException("Not enough cash for the rest: " + Money.format(rest - given) + " short.");
        }
        yield List.of(PaymentRequest.card(onCard), PaymentRequest.cash(rest, given));
      }
    };
  }

  private void showChange() {
    if (change == null || change.isDisposed()) {
      return;
    }
    try {
      List<PaymentRequest> p = payments();
      long back = p.stream().mapToLong(r -> r.tenderedMinor() - r.amountMinor()).sum();
      String rest = mode == Mode.SPLIT ? "Cash part " + Money.format(p.get(1).amountMinor()) + " \u00b7 " : "";
      change.setText(mode == Mode.CARD ? "Card " + Money.format(totalMinor) : rest + "Change " + Money.format(back));
      change.setForeground(change.getDisplay().getSystemColor(SWT.COLOR_BLACK));
      if (!sending) {
        info("");
      }
    } catch (IllegalArgumentException e) {
      change.setText("");
      error(e.getMessage());
    }
    change.getParent().layout(true);
  }

  @Override
  protected void okPressed() {
    if (sending) {
      return;
    }
    List<PaymentRequest> payments;
    try {
      payments = payments();
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    sending = true;
    enable(false);
    info("Recording the sale...");
    SaleRequest request = new SaleRequest(saleId, lines, payments);
    Async.call(getShell(), () -> Node.get().service().sell(token, request), s -> {
      sale = s;
      sending = false;
      close();
    }, e -> {
      sending = false;
      failed = true;
      enable(true);
      error(e.refusal().isRequestRefused() ? "Not recorded: " + e.getMessage()
          : "Nothing was recorded: " + e.getMessage() + " Press Enter to try again.");
    });
  }

  @Override
  protected void cancelPressed() {
    if (!sending) { // the answer is on its way: closing now would hide a recorded sale
      super.cancelPressed();
    }
  }

  @Override
  protected void handleShellCloseEvent() {
    cancelPressed();
  }

  private void enable(boolean on) {
    for (Control c : new Control[] { cash, card, split, tendered, cardAmount, getButton(IDialogConstants.OK_ID),
        getButton(IDialogConstants.CANCEL_ID) }) {
      c.setEnabled(on);
    }
    if (on) {
      setMode(mode);
    }
  }

  SaleInfo sale() {
    return sale;
  }

  boolean failed() {
    return failed;
  }
}
