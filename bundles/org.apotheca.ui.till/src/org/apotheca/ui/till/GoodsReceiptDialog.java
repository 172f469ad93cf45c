package org.apotheca.ui.till;

import org.apotheca.gs1.Scan;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.ReceiveRequest;
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
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Goods receipt: one batch at a time. A GS1 DataMatrix scanned into the code field fills product, lot and expiry.
 * A lot longer than GS1 allows is refused here with a sentence and never sent.
 */
final class GoodsReceiptDialog extends TillDialog {

  private BarcodeField code;
  private Label product;
  private Text supplier;
  private Text lot;
  private Text expiry;
  private Text quantity;
  private Text cost;
  private Label result;
  private String receiptId;
  private boolean busy;
  private int lookup;

  GoodsReceiptDialog(Shell parent) {
    super(parent, "Receive goods", "receive");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(2).margins(16, 12).spacing(12, 8).applyTo(area);
    heading(area, 2, "Receive goods");
    label(area, "&Product code");
    code = new BarcodeField(area, SWT.BORDER);
    Ids.id(code.text(), "receive.code");
    code.text().setFont(big);
    code.text().setMessage("scan the pack (DataMatrix fills lot and expiry)");
    GridDataFactory.fillDefaults().hint(380, SWT.DEFAULT).applyTo(code.text());
    code.text().addListener(SWT.Traverse, e -> {
      if (e.detail == SWT.TRAVERSE_RETURN) {
        e.doit = false; // Enter after a scan fills the form; it does not receive yet
        scanned();
      }
    });
    new Label(area, SWT.NONE);
    product = Ids.id(new Label(area, SWT.WRAP), "receive.product");
    product.setFont(bold);
    GridDataFactory.fillDefaults().hint(380, SWT.DEFAULT).applyTo(product);
    label(area, "&Supplier");
    supplier = field(area, "receive.supplier", 380);
    label(area, "&Lot");
    lot = field(area, "receive.lot", 260);
    lot.setMessage("at most " + ReceiveRequest.MAX_LOT + " characters");
    label(area, "&Expiry");
    expiry = field(area, "receive.expiry", 160);
    expiry.setMessage("yyyy-MM-dd");
    label(area, "&Quantity");
    quantity = field(area, "receive.quantity", 120);
    label(area, "&Unit cost");
    cost = field(area, "receive.cost", 120);
    cost.setMessage("0.00");
    for (Text t : new Text[] { code.text(), lot, expiry, quantity, cost, supplier }) {
      t.addListener(SWT.Modify, e -> {
        receiptId = null; // another batch: a new receipt id
        if (!busy && message != null && !message.getText().isEmpty()) {
          info(""); // the complaint was about what has just been corrected
        }
      });
    }
    message(area, 2);
    result = Ids.id(new Label(area, SWT.WRAP), "receive.result");
    result.setFont(bold);
    result.setForeground(Palette.get(area.getDisplay()).ok());
    GridDataFactory.fillDefaults().span(2, 1).hint(520, SWT.DEFAULT).applyTo(result);
    Label keys = new Label(area, SWT.WRAP);
    keys.setText("Tab moves between fields \u00b7 Enter receives the batch \u00b7 Esc closes");
    keys.setForeground(Palette.get(area.getDisplay()).muted());
    GridDataFactory.fillDefaults().span(2, 1).applyTo(keys);
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "Receive (Enter)", true), "receive.ok");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "receive.cancel");
  }

  private void scanned() {
    Scanned read = readScan(code);
    if (read == null) {
      return;
    }
    Scan s = read.scan();
    if (s != null) {
      code.text().setText(s.gtin());
      if (s.lot() != null) {
        lot.setText(s.lot());
      }
      if (s.expiry() != null) {
        expiry.setText(s.expiry().toString());
      }
    }
    lookUp(read.code());
    (s != null && s.lot() != null && s.expiry() != null ? quantity : supplier.getText().isBlank() ? supplier : lot).setFocus();
  }

  private void lookUp(String productCode) {
    int seq = ++lookup;
    product.setText("");
    Async.call(product, () -> Node.get().service().product(productCode), p -> {
      if (seq == lookup) {
        product.setText(p.name() + " \u00b7 " + p.pack() + " \u00b7 " + p.onHand() + " on hand");
        info("");
      }
    }, e -> {
      if (seq == lookup) {
        error(e.getMessage());
      }
    });
  }

  @Override
  protected void okPressed() {
    if (busy) {
      return;
    }
    ReceiveRequest request;
    try {
      request = request();
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    busy = true;
    info("Receiving...");
    Async.call(getShell(), () -> Node.get().service().receive(token, request), this::received, e -> {
      busy = false;
      error((e.refusal().isRequestRefused() ? "Not received: " : "Nothing was recorded: ") + e.getMessage());
    });
  }

  private ReceiveRequest request() {
    String c = code.value().strip();
    if (c.isEmpty()) {
      code.text().setFocus();
      throw new IllegalArgumentException("Scan or type the product code.");
    }
    try {
      Scan s = Scans.read(c);
      if (s != null) {
        c = s.gtin();
      }
    } catch (IllegalArgumentException e) {
      code.text().setFocus();
      throw e;
    }
    String l = lot.getText().strip();
    if (l.isEmpty()) {
      lot.setFocus();
      throw new IllegalArgumentException("Enter the lot number printed on the pack.");
    }
    if (l.length() > ReceiveRequest.MAX_LOT) {
      lot.setFocus();
      lot.selectAll();
      throw new IllegalArgumentException("The lot number has " + l.length() + " characters; lot numbers have at most "
          + ReceiveRequest.MAX_LOT + ". Check it against the pack.");
    }
    String e = expiry.getText().strip();
    try {
      LocalDate.parse(e);
    } catch (DateTimeParseException ex) {
      expiry.setFocus();
      throw new IllegalArgumentException("Write the expiry date as year-month-day, e.g. 2027-03-31.");
    }
    int q;
    try {
      q = Integer.parseInt(quantity.getText().strip());
    } catch (NumberFormatException ex) {
      q = 0;
    }
    if (q < 1) {
      quantity.setFocus();
      throw new IllegalArgumentException("Enter how many units arrived (a whole number).");
    }
    long unitCost;
    try {
      unitCost = cost.getText().isBlank() ? 0 : Money.parse(cost.getText());
    } catch (IllegalArgumentException ex) {
      cost.setFocus();
      throw ex;
    }
    String s = supplier.getText().strip();
    if (s.length() > ReceiveRequest.MAX_SUPPLIER) {
      supplier.setFocus();
      throw new IllegalArgumentException("The supplier's name is too long: at most " + ReceiveRequest.MAX_SUPPLIER
          + " characters.");
    }
    if (receiptId == null) {
      receiptId = UUID.randomUUID().toString(); // kept for a retry of the same batch
    }
    return new ReceiveRequest(receiptId, c, l, e, q, unitCost, s);
  }

  private void received(BatchInfo b) {
    busy = false;
    result.setText("Received " + b.quantity() + " \u00d7 " + b.productName() + ", lot " + b.lot() + ", expires "
        + b.expiry() + ".");
    info("");
    // The next batch usually comes from the same supplier.
    code.text().setText("");
    lot.setText("");
    expiry.setText("");
    quantity.setText("");
    cost.setText("");
    product.setText("");
    receiptId = null;
    code.text().setFocus();
    fit();
  }

  @Override
  protected void cancelPressed() {
    if (!busy) {
      super.cancelPressed();
    }
  }
}
