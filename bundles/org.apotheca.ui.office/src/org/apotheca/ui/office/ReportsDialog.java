package org.apotheca.ui.office;

import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;

final class ReportsDialog extends OfficeDialog {

  ReportsDialog(Shell parent) {
    super(parent, "Reports", "reports");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).applyTo(area);
    heading(area, 1, "Reports");
    BarChart c = new BarChart(area, "reports.sales", "Sales per day", "EUR", false, Palette.get(area.getDisplay()).ok(), bold);
    GridDataFactory.fillDefaults().grab(true, true).applyTo(c.control());
    c.show(new String[] { "1 Dec", "2 Dec" }, new double[] { 12.5, 30 }, "%.2f");
    message(area, 1);
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    createButton(parent, IDialogConstants.OK_ID, "Close (Enter)", true);
  }
}
