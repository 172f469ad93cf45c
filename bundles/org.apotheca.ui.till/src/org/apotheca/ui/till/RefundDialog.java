package org.apotheca.ui.till;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apotheca.node.api.Allocation;
import org.apotheca.node.api.PaymentMethod;
import org.apotheca.node.api.RefundInfo;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.SaleInfo;
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
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

/**
 * Refund of an earlier sale: the receipt number finds it, a quantity per line (at most what is left to refund), a
 * reason (required) and cash or card. The node puts the units back into the batches they came from.
 */
final class RefundDialog extends TillDialog {

  private Text receipt;
  private Composite linesBox;
  private final List<Spinner> quantities = new ArrayList<>();
  private Text reason;
  private Button cash;
  private Button card;
  private Label result;
  private SaleInfo sale;
  private String refundId;
  private boolean busy;
  private boolean refunded;

  RefundDialog(Shell parent) {
    super(parent, "Refund", "refund");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(2).margins(16, 12).spacing(12, 8).applyTo(area);
    heading(area, 2, "Refund");
    label(area, "&Receipt number");
    receipt = field(area, "refund.receipt", 260);
    receipt.setMessage("as printed on the receipt");
    receipt.addListener(SWT.Traverse, e -> {
      if (e.detail == SWT.TRAVERSE_RETURN) {
        e.doit = false; // Enter here looks the sale up; it does not refund yet
        find();
      }
    });

    linesBox = Ids.id(new Composite(area, SWT.NONE), "refund.lines");
    GridLayoutFactory.fillDefaults().numColumns(4).spacing(16, 6).applyTo(linesBox);
    GridDataFactory.fillDefaults().span(2, 1).grab(true, true).applyTo(linesBox);

    label(area, "Rea&son");
    reason = field(area, "refund.reason", 380);
    reason.setMessage("required, e.g. wrong strength dispensed");
    label(area, "Pay back");
    Composite how = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(2).spacing(16, 0).applyTo(how);
    cash = Ids.id(new Button(how, SWT.RADIO), "refund.cash");
    cash.setText("&Cash");
    cash.setFont(big);
    card = Ids.id(new Button(how, SWT.RADIO), "refund.card");
    card.setText("C&ard");
    card.setFont(big);
    cash.setSelection(true);

    message(area, 2);
    result = Ids.id(new Label(area, SWT.WRAP), "refund.result");
    result.setFont(bold);
    result.setForeground(Palette.get(area.getDisplay()).ok());
    GridDataFactory.fillDefaults().span(2, 1).hint(560, SWT.DEFAULT).applyTo(result);
    Label keys = new Label(area, SWT.WRAP);
    keys.setText("Enter in the receipt field finds the sale; Tab moves on; Enter refunds; Esc closes.");
    keys.setForeground(Palette.get(area.getDisplay()).muted());
    GridDataFactory.fillDefaults().span(2, 1).applyTo(keys);
    showLines();
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "Refund (Enter)", true), "refund.ok");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "refund.cancel");
  }

  private void find() {
    String number = receipt.getText().strip();
    if (number.isEmpty() || busy) {
      return;
    }
    busy = true;
    info("Looking for receipt " + number + "...");
    Async.call(getShell(), () -> Node.get().service().sale(number), s -> {
      busy = false;
      sale = s;
      refundId = UUID.randomUUID().toString();
      refunded = false;
      result.setText("");
      cash.setSelection(s.payments().isEmpty() || s.payments().get(0).method() == PaymentMethod.CASH);
      card.setSelection(!cash.getSelection());
      info("Sale of " + Money.format(s.totalMinor()) + " by " + s.username()
          + (s.refundedMinor() > 0 ? ", " + Money.format(s.refundedMinor()) + " refunded before" : "") + ".");
      showLines();
    }, e -> {
      busy = false;
      sale = null;
      showLines();
      error(e.getMessage());
      receipt.selectAll();
    });
  }

  private void showLines() {
    for (Control c : linesBox.getChildren()) {
      c.dispose();
    }
    quantities.clear();
    if (sale != null) {
      for (String h : new String[] { "Product", "Sold", "Refunded", "Refund now" }) {
        Label l = new Label(linesBox, SWT.NONE);
        l.setText(h);
        l.setFont(bold);
      }
      int i = 0;
      for (SaleInfo.Line line : sale.lines()) {
        label(linesBox, line.productName() + "  (" + Money.format(line.unitPriceMinor()) + " each)");
        label(linesBox, String.valueOf(line.quantity()));
        label(linesBox, String.valueOf(line.refundedQuantity()));
        Spinner q = Ids.id(new Spinner(linesBox, SWT.BORDER), "refund.qty." + i++);
        q.setFont(big);
        int left = line.quantity() - line.refundedQuantity();
        q.setValues(0, 0, Math.max(0, left), 0, 1, 1);
        q.setEnabled(left > 0);
        quantities.add(q);
      }
    }
    Shell shell = getShell();
    shell.layout(true, true);
    shell.setSize(shell.computeSize(Math.max(640, shell.getSize().x), SWT.DEFAULT));
    // grown with the sale's lines: centred again over the till
    org.eclipse.swt.graphics.Rectangle over = shell.getParent().getBounds();
    org.eclipse.swt.graphics.Point size = shell.getSize();
    shell.setLocation(over.x + Math.max(0, (over.width - size.x) / 2), over.y + Math.max(0, (over.height - size.y) / 3));
  }

  @Override
  protected void okPressed() {
    if (busy) {
      return;
    }
    if (refunded) {
      close();
      return;
    }
    if (sale == null) {
      if (receipt.getText().isBlank()) {
        error("Enter the receipt number first.");
        receipt.setFocus();
      } else {
        find();
      }
      return;
    }
    List<RefundRequest.Line> lines = new ArrayList<>();
    for (int i = 0; i < quantities.size(); i++) {
      int q = quantities.get(i).getSelection();
      if (q > 0) {
        lines.add(new RefundRequest.Line(sale.lines().get(i).lineId(), q));
      }
    }
    if (lines.isEmpty()) {
      error("Choose how many to refund on at least one line.");
      return;
    }
    if (reason.getText().isBlank()) {
      error("Give a reason for the refund.");
      reason.setFocus();
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    RefundRequest request = new RefundRequest(refundId, sale.receiptNumber(), lines, reason.getText().strip(),
        cash.getSelection() ? PaymentMethod.CASH : PaymentMethod.CARD);
    busy = true;
    info("Recording the refund...");
    Async.call(getShell(), () -> Node.get().service().refund(token, request), this::done, e -> {
      busy = false;
      error((e.refusal().isRequestRefused() ? "Not refunded: " : "Nothing was recorded: ") + e.getMessage());
    });
  }

  private void done(RefundInfo r) {
    busy = false;
    refunded = true;
    StringBuilder b = new StringBuilder("Refunded " + Money.format(r.totalMinor()) + " "
        + (r.method() == PaymentMethod.CASH ? "in cash" : "to the card") + ". Back to stock: ");
    List<String> parts = new ArrayList<>();
    for (Allocation a : r.returned()) {
      parts.add(a.quantity() + " to lot " + a.lot() + " (exp " + a.expiry() + ")");
    }
    b.append(String.join(", ", parts)).append('.');
    if (!r.atCentral()) {
      b.append(" Central gets it as soon as it can be reached.");
    }
    result.setText(b.toString());
    info("");
    getButton(IDialogConstants.OK_ID).setText("Close (Enter)");
    getButton(IDialogConstants.CANCEL_ID).setVisible(false);
    for (Spinner s : quantities) {
      s.setEnabled(false);
    }
    fit();
    getButton(IDialogConstants.OK_ID).setFocus();
  }

  @Override
  protected void cancelPressed() {
    if (!busy) {
      super.cancelPressed();
    }
  }
}
