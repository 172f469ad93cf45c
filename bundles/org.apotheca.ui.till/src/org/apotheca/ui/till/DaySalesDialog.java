package org.apotheca.ui.till;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

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
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;

/** Today's sales of the whole pharmacy, newest first, each saying whether central has it yet. */
final class DaySalesDialog extends TillDialog {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

  private Table sales;

  DaySalesDialog(Shell parent) {
    super(parent, "Today's sales", "sales");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).applyTo(area);
    heading(area, 1, "Today's sales");
    sales = table(area, "sales.table", "Time", 100, SWT.LEFT, "Receipt", 190, SWT.LEFT, "Till", 80, SWT.LEFT, "User",
        110, SWT.LEFT, "Total", 100, SWT.RIGHT, "Refunded", 100, SWT.RIGHT, "At central", 110, SWT.LEFT);
    GridDataFactory.fillDefaults().grab(true, true).hint(SWT.DEFAULT, 360).applyTo(sales);
    message(area, 1);
    info("Loading...");
    LocalDate today = LocalDate.now();
    Async.call(sales, () -> Node.get().service().sales(today), this::show, e -> error(e.getMessage()));
    return area;
  }

  private void show(List<SaleInfo> list) {
    Palette p = Palette.get(sales.getDisplay());
    long sum = 0;
    int waiting = 0;
    for (SaleInfo s : list) {
      TableItem item = new TableItem(sales, SWT.NONE);
      item.setText(new String[] { TIME.format(Instant.ofEpochMilli(s.soldAt()).atZone(ZoneId.systemDefault())),
          s.receiptNumber(), s.tillId(), s.username(), Money.format(s.totalMinor()),
          s.refundedMinor() == 0 ? "" : Money.format(s.refundedMinor()), s.atCentral() ? "Yes" : "Waiting" });
      if (!s.atCentral()) {
        item.setForeground(6, p.warn());
        waiting++;
      }
      sum += s.totalMinor() - s.refundedMinor();
    }
    info(list.size() + (list.size() == 1 ? " sale" : " sales") + " today, " + Money.format(sum) + " after refunds"
        + (waiting == 0 ? "; central has them all." : "; " + waiting + " waiting for central."));
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "Close (Enter)", true), "sales.ok");
  }
}
