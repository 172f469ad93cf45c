package org.apotheca.ui.office;

import java.util.List;

import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.ExpiryReport;
import org.apotheca.node.api.Role;
import org.apotheca.node.api.WriteOffInfo;
import org.apotheca.node.api.WriteOffRequest;
import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Money;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * The expiry report: every batch on hand that has expired or expires within 30, 60 or 90 days, coloured as in the
 * till's stock window, with totals per band at cost; expired batches are written off from here (to be destroyed).
 */
final class ExpiryDialog extends OfficeDialog {

  static final int WRITE_OFF_ID = IDialogConstants.CLIENT_ID + 10;

  private final Button[] horizons = new Button[3];
  private Table table;
  private Label bands;
  private Text reason;
  private Label result;
  private Label roleNote;
  private ExpiryReport report;
  private String writeOffId;
  private boolean busy;

  ExpiryDialog(Shell parent) {
    super(parent, "Expiry report", "expiry");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).spacing(8, 8).applyTo(area);
    heading(area, 1, "Expiry report");
    Composite choice = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(4).spacing(16, 0).applyTo(choice);
    label(choice, "Expiring within");
    int[] days = { 30, 60, 90 };
    for (int i = 0; i < 3; i++) {
      int d = days[i];
      horizons[i] = Ids.id(new Button(choice, SWT.RADIO), "expiry.days" + d);
      horizons[i].setText("&" + d + " days");
      horizons[i].setFont(big);
      horizons[i].addListener(SWT.Selection, e -> {
        if (((Button) e.widget).getSelection()) {
          load(d);
        }
      });
    }
    horizons[2].setSelection(true);
    table = table(area, "expiry.batches", "Product", 320, SWT.LEFT, "Lot", 110, SWT.LEFT, "Expiry", 110, SWT.LEFT,
        "Days left", 100, SWT.RIGHT, "On hand", 90, SWT.RIGHT, "Value at cost", 130, SWT.RIGHT, "Supplier", 160, SWT.LEFT);
    GridDataFactory.fillDefaults().grab(true, true).hint(SWT.DEFAULT, 260).applyTo(table);
    stretchFirstColumn(table);
    bands = Ids.id(new Label(area, SWT.WRAP), "expiry.bands");
    bands.setFont(bold);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(bands);

    Composite off = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(2).spacing(10, 0).applyTo(off);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(off);
    label(off, "&Reason for the write-off");
    reason = field(off, "expiry.reason", 420);
    reason.setText("Expired, sent for destruction");
    reason.setTextLimit(200);
    reason.addListener(SWT.Modify, e -> writeOffId = null);
    roleNote = Ids.id(new Label(area, SWT.WRAP), "expiry.role");
    roleNote.setFont(bold);
    roleNote.setForeground(Palette.get(area.getDisplay()).warn());
    GridDataFactory.fillDefaults().grab(true, false).applyTo(roleNote);
    message(area, 1);
    result = Ids.id(new Label(area, SWT.WRAP), "expiry.result");
    result.setFont(bold);
    result.setForeground(Palette.get(area.getDisplay()).ok());
    GridDataFactory.fillDefaults().grab(true, false).applyTo(result);
    keys(area, 1, "Alt+3 / Alt+6 / Alt+9 30, 60 or 90 days \u00b7 Alt+W write off the expired batches \u00b7 Esc close");
    load(90);
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, WRITE_OFF_ID, "&Write off expired", false), "expiry.writeoff");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", true), "expiry.close");
    getButton(WRITE_OFF_ID).setEnabled(false);
  }

  @Override
  protected void buttonPressed(int id) {
    if (id == WRITE_OFF_ID) {
      writeOff();
    } else {
      super.buttonPressed(id);
    }
  }

  private void load(int days) {
    info("Loading...");
    Async.call(table, () -> Node.get().service().expiryReport(days), this::show, e -> error(e.getMessage()));
  }

  private void show(ExpiryReport r) {
    report = r;
    table.removeAll();
    Palette p = Palette.get(table.getDisplay());
    for (BatchInfo b : r.batches()) {
      TableItem item = new TableItem(table, SWT.NONE);
      item.setText(new String[] { b.productName(), b.lot(), b.expiry(),
          b.daysToExpiry() < 0 ? "expired" : String.valueOf(b.daysToExpiry()), String.valueOf(b.quantity()),
          Money.format(b.quantity() * b.unitCostMinor()), b.supplier() == null ? "" : b.supplier() });
      item.setBackground(colour(p, b.band()));
      item.setData(b);
    }
    StringBuilder t = new StringBuilder();
    for (ExpiryReport.BandTotal band : r.bands()) {
      if (t.length() > 0) {
        t.append("   \u00b7   ");
      }
      t.append(bandName(band.band())).append(": ").append(band.units()).append(band.units() == 1 ? " unit" : " units")
          .append(" in ").append(band.batches()).append(band.batches() == 1 ? " batch, " : " batches, ")
          .append(Money.format(band.valueMinor()));
    }
    bands.setText(t.toString());
    int expired = expiredBatches().size();
    boolean may = may(Role.PHARMACIST, Role.MANAGER);
    getButton(WRITE_OFF_ID).setEnabled(may && expired > 0 && !busy);
    roleNote.setText(may ? "" : onlyWho("write off expired stock", Role.PHARMACIST, Role.MANAGER));
    info(r.batches().isEmpty() ? "Nothing expires within " + r.days() + " days."
        : r.batches().size() + (r.batches().size() == 1 ? " batch" : " batches") + " within " + r.days() + " days"
            + (expired == 0 ? "; none has expired." : "; " + expired + " expired: Alt+W writes them off."));
    getShell().layout(true, true);
  }

  private List<BatchInfo> expiredBatches() {
    return report == null ? List.of()
        : report.batches().stream().filter(b -> b.band() == BatchInfo.ExpiryBand.EXPIRED).toList();
  }

  static String bandName(BatchInfo.ExpiryBand band) {
    return switch (band) {
      case EXPIRED -> "Expired";
      case DAYS_30 -> "within 30 days";
      case DAYS_60 -> "in 31 to 60 days";
      case DAYS_90 -> "in 61 to 90 days";
      case LATER -> "Later";
    };
  }

  static Color colour(Palette p, BatchInfo.ExpiryBand band) {
    return switch (band) {
      case EXPIRED -> p.expired();
      case DAYS_30 -> p.days30();
      case DAYS_60 -> p.days60();
      case DAYS_90 -> p.days90();
      case LATER -> null;
    };
  }

  private void writeOff() {
    List<BatchInfo> expired = expiredBatches();
    if (busy || expired.isEmpty()) {
      return;
    }
    if (reason.getText().isBlank()) {
      error("Give a reason for the write-off.");
      reason.setFocus();
      return;
    }
    int units = expired.stream().mapToInt(BatchInfo::quantity).sum();
    long value = expired.stream().mapToLong(b -> b.quantity() * b.unitCostMinor()).sum();
    if (!MessageDialog.openConfirm(getShell(), "Write off expired stock", "Write off " + units + " units in "
        + expired.size() + (expired.size() == 1 ? " batch" : " batches") + " (" + Money.format(value)
        + " at cost)? They leave the stock for destruction; this cannot be undone.")) {
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    if (writeOffId == null) {
      writeOffId = java.util.UUID.randomUUID().toString(); // the same id for a retry after a failure of the link
    }
    WriteOffRequest request = new WriteOffRequest(writeOffId, expired.stream().map(BatchInfo::batchId).toList(),
        reason.getText().strip());
    busy = true;
    getButton(WRITE_OFF_ID).setEnabled(false);
    info("Writing off...");
    Async.call(getShell(), () -> Node.get().service().writeOffExpired(token, request), this::writtenOff, e -> {
      busy = false;
      if (e.refusal().isRequestRefused()) {
        writeOffId = null;
      }
      error((e.refusal().isRequestRefused() ? "Not written off: " : "Nothing was recorded: ") + e.getMessage());
      getButton(WRITE_OFF_ID).setEnabled(true);
    });
  }

  private void writtenOff(WriteOffInfo w) {
    busy = false;
    writeOffId = null;
    result.setText("Written off " + w.units() + (w.units() == 1 ? " unit" : " units") + " in " + w.lines().size()
        + (w.lines().size() == 1 ? " batch" : " batches") + " (" + Money.format(w.valueMinor()) + " at cost) by "
        + w.username() + "." + (w.atCentral() ? "" : " Central gets it when it can be reached."));
    int days = horizons[0].getSelection() ? 30 : horizons[1].getSelection() ? 60 : 90;
    load(days);
    getButton(IDialogConstants.CANCEL_ID).setFocus(); // the write-off button is disabled now: Enter or Esc closes
    fit();
  }
}
