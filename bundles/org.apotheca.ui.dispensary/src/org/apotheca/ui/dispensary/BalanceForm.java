package org.apotheca.ui.dispensary;

import java.util.List;

import org.apotheca.node.api.RegisterBalance;
import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
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

/** Every controlled drug's register balance against the stock on hand; differences in red. */
final class BalanceForm extends Form {

  private Label summary;
  private Table table;

  BalanceForm(Shell parent) {
    super(parent, "Register balance check", "balance", false);
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).spacing(8, 8).applyTo(area);
    heading(area, 1, "Register balance check");
    summary = Ids.id(new Label(area, SWT.WRAP), "balance.summary");
    summary.setFont(bold);
    summary.setText("Comparing the register with the stock...");
    GridDataFactory.fillDefaults().grab(true, false).hint(760, SWT.DEFAULT).applyTo(summary);
    table = table(area, "balance.table", "Drug", 400, SWT.LEFT, "Schedule", 90, SWT.LEFT, "Register", 100, SWT.RIGHT, "In stock",
        100, SWT.RIGHT, "Difference", 110, SWT.RIGHT);
    GridDataFactory.fillDefaults().grab(true, true).hint(SWT.DEFAULT, 240).applyTo(table);
    message(area, 1);
    String t = tokenOrSay();
    if (t != null) {
      Async.call(table, () -> Node.get().service().registerBalanceCheck(t), this::show, e -> error(e.getMessage()));
    }
    return area;
  }

  private void show(List<RegisterBalance> list) {
    Palette p = Palette.get(table.getDisplay());
    int differences = 0;
    for (RegisterBalance b : list) {
      TableItem item = new TableItem(table, SWT.NONE);
      item.setText(new String[] { b.productName(), DispensaryTexts.schedule(b.schedule()), String.valueOf(b.registerBalance()),
          String.valueOf(b.onHand()), b.agrees() ? "agrees" : (b.difference() > 0 ? "+" : "") + b.difference() });
      if (!b.agrees()) {
        differences++;
        item.setForeground(p.danger());
        item.setFont(bold);
      }
    }
    summary.setText(list.isEmpty() ? "No controlled drug in the register or in stock."
        : differences == 0 ? (list.size() == 1 ? "The register agrees" : "All " + list.size() + " registers agree") + " with the stock."
        : differences + (differences == 1 ? " drug differs" : " drugs differ")
            + " between register and stock: count the stock, and explain the difference with a note on the register.");
    summary.setForeground(differences == 0 ? p.ok() : p.danger());
    fit();
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "Close (Enter)", true), "balance.ok");
  }
}
