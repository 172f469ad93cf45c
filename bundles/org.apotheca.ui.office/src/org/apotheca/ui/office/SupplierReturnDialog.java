package org.apotheca.ui.office;

import java.util.List;
import java.util.UUID;

import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.Role;
import org.apotheca.node.api.SupplierReturnInfo;
import org.apotheca.node.api.SupplierReturnRequest;
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
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * Sends units of one batch back to its supplier: scan the pack, choose the lot, type how many and why. The supplier
 * is the one the batch came from unless another is typed.
 */
final class SupplierReturnDialog extends OfficeDialog {

  private BarcodeField code;
  private Table batches;
  private Text quantity;
  private Text supplier;
  private Text reason;
  private Label result;
  private List<BatchInfo> shown = List.of();
  private String returnId;
  private boolean busy;

  SupplierReturnDialog(Shell parent) {
    super(parent, "Supplier return", "return");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(2).margins(16, 12).spacing(12, 8).applyTo(area);
    heading(area, 2, "Return to the supplier");
    label(area, "&Product code");
    code = new BarcodeField(area, SWT.BORDER);
    Ids.id(code.text(), "return.code");
    code.text().setFont(big);
    code.text().setMessage("scan the pack (its DataMatrix chooses the lot)");
    GridDataFactory.fillDefaults().hint(380, SWT.DEFAULT).applyTo(code.text());
    code.text().addListener(SWT.Traverse, e -> {
      if (e.detail == SWT.TRAVERSE_RETURN) {
        e.doit = false;
        find();
      }
    });
    batches = table(area, "return.batches", "Product", 300, SWT.LEFT, "Lot", 110, SWT.LEFT, "Expiry", 110, SWT.LEFT,
        "On hand", 90, SWT.RIGHT, "Unit cost", 100, SWT.RIGHT, "Supplier", 180, SWT.LEFT);
    GridDataFactory.fillDefaults().span(2, 1).grab(true, true).hint(SWT.DEFAULT, 200).applyTo(batches);
    stretchFirstColumn(batches);
    batches.addListener(SWT.Selection, e -> chosen());
    label(area, "&Quantity");
    quantity = field(area, "return.quantity", 120);
    quantity.addListener(SWT.KeyDown, e -> {
      if (e.keyCode == SWT.ARROW_UP || e.keyCode == SWT.ARROW_DOWN) {
        e.doit = false; // another lot of the same product without leaving the field
        int n = batches.getItemCount();
        if (n > 0) {
          int i = Math.max(0, Math.min(n - 1, batches.getSelectionIndex() + (e.keyCode == SWT.ARROW_DOWN ? 1 : -1)));
          batches.setSelection(i);
          chosen();
        }
      }
    });
    label(area, "&Supplier");
    supplier = field(area, "return.supplier", 380);
    supplier.setTextLimit(ReceiveRequest.MAX_SUPPLIER);
    supplier.setMessage("the batch's supplier when empty");
    label(area, "&Reason");
    reason = field(area, "return.reason", 420);
    reason.setTextLimit(200);
    reason.setMessage("required, e.g. damaged in transit, short-dated");
    for (Text t : new Text[] { quantity, supplier, reason }) {
      t.addListener(SWT.Modify, e -> returnId = null);
      t.addListener(SWT.Traverse, e -> {
        if (e.detail == SWT.TRAVERSE_RETURN && t != reason) {
          e.doit = false; // Enter moves on; in the reason it returns the units
          (t == quantity ? supplier : reason).setFocus();
        }
      });
    }
    Label role = Ids.id(new Label(area, SWT.WRAP), "return.role");
    role.setFont(bold);
    role.setForeground(Palette.get(area.getDisplay()).warn());
    GridDataFactory.fillDefaults().span(2, 1).applyTo(role);
    if (!may(Role.PHARMACIST, Role.ASSISTANT, Role.MANAGER)) {
      role.setText(onlyWho("return stock to a supplier", Role.PHARMACIST, Role.ASSISTANT, Role.MANAGER));
    }
    message(area, 2);
    result = Ids.id(new Label(area, SWT.WRAP), "return.result");
    result.setFont(bold);
    result.setForeground(Palette.get(area.getDisplay()).ok());
    GridDataFactory.fillDefaults().span(2, 1).applyTo(result);
    keys(area, 2, "Scan, Enter \u00b7 \u2191 \u2193 lot \u00b7 Enter moves on \u00b7 Enter in the reason returns the units \u00b7 Esc close");
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "Return (Enter)", true), "return.ok");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "return.close");
    getButton(IDialogConstants.OK_ID).setEnabled(may(Role.PHARMACIST, Role.ASSISTANT, Role.MANAGER));
  }

  private void find() {
    Scanned read = readScan(code);
    if (read == null) {
      return;
    }
    String c = read.code();
    String lot = read.scan() == null ? null : read.scan().lot();
    info("Looking up " + c + "...");
    Async.call(batches, () -> Node.get().service().batches(c), list -> {
      shown = list;
      batches.removeAll();
      int pick = 0;
      for (int i = 0; i < list.size(); i++) {
        BatchInfo b = list.get(i);
        TableItem item = new TableItem(batches, SWT.NONE);
        item.setText(new String[] { b.productName(), b.lot(), b.expiry(), String.valueOf(b.quantity()),
            Money.format(b.unitCostMinor()), b.supplier() == null ? "" : b.supplier() });
        if (b.lot().equals(lot)) {
          pick = i;
        }
      }
      if (list.isEmpty()) {
        error("No stock of that product here.");
        code.text().selectAll();
        return;
      }
      batches.setSelection(pick);
      chosen();
      info(list.size() == 1 ? "" : list.size() + " lots: \u2191 \u2193 in the quantity field choose the lot.");
      quantity.setFocus();
    }, e -> {
      error(e.getMessage());
      code.text().selectAll();
    });
  }

  private BatchInfo selected() {
    int i = batches.getSelectionIndex();
    return i < 0 || i >= shown.size() ? null : shown.get(i);
  }

  private void chosen() {
    returnId = null;
    BatchInfo b = selected();
    if (b != null) {
      supplier.setMessage(b.supplier() == null ? "supplier" : b.supplier() + " (the batch's supplier)");
    }
  }

  @Override
  protected void okPressed() {
    if (busy) {
      return;
    }
    BatchInfo b = selected();
    if (b == null) {
      error("Scan the pack first.");
      code.text().setFocus();
      return;
    }
    int q;
    try {
      q = Integer.parseInt(quantity.getText().strip());
    } catch (NumberFormatException e) {
      q = 0;
    }
    if (q < 1) {
      error("Type how many units go back (a whole number).");
      quantity.setFocus();
      return;
    }
    if (reason.getText().isBlank()) {
      error("Give the reason for the return.");
      reason.setFocus();
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    if (returnId == null) {
      returnId = UUID.randomUUID().toString(); // the same id for a retry after a failure of the link
    }
    SupplierReturnRequest request = new SupplierReturnRequest(returnId, b.batchId(), q, supplier.getText().strip(),
        reason.getText().strip());
    busy = true;
    info("Recording the return...");
    Async.call(getShell(), () -> Node.get().service().returnToSupplier(token, request), this::returned, e -> {
      busy = false;
      if (e.refusal().isRequestRefused()) {
        returnId = null;
      }
      error((e.refusal().isRequestRefused() ? "Not returned: " : "Nothing was recorded: ") + e.getMessage());
    });
  }

  private void returned(SupplierReturnInfo r) {
    busy = false;
    returnId = null;
    result.setText("Returned " + r.quantity() + " \u00d7 " + r.productName() + " lot " + r.lot() + " to " + r.supplier()
        + " (" + Money.format(r.valueMinor()) + " to be credited)." + (r.atCentral() ? "" : " Central gets it when it can be reached."));
    info("");
    code.text().setText("");
    quantity.setText("");
    reason.setText("");
    batches.removeAll();
    shown = List.of();
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
