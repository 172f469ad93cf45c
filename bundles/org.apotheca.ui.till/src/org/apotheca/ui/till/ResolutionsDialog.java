package org.apotheca.ui.till;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.apotheca.node.api.Resolution;
import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Node;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;

/** What the node decided while bringing offline work to central (a sale that crossed a price change, ...). */
final class ResolutionsDialog extends TillDialog {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private Table table;

  ResolutionsDialog(Shell parent) {
    super(parent, "Merge notes", "resolutions");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).applyTo(area);
    heading(area, 1, "Merge notes");
    table = table(area, "resolutions.table", "When", 150, SWT.LEFT, "Kind", 160, SWT.LEFT, "What happened", 560, SWT.LEFT);
    GridDataFactory.fillDefaults().grab(true, true).hint(SWT.DEFAULT, 320).applyTo(table);
    message(area, 1);
    Async.call(table, () -> Node.get().service().resolutions(), this::show, e -> error(e.getMessage()));
    return area;
  }

  private void show(List<Resolution> list) {
    for (int i = list.size() - 1; i >= 0; i--) { // newest first: the one the pharmacist asks about
      Resolution r = list.get(i);
      TableItem item = new TableItem(table, SWT.NONE);
      item.setText(new String[] { WHEN.format(Instant.ofEpochMilli(r.at()).atZone(ZoneId.systemDefault())), r.kind(), r.text() });
    }
    info(list.isEmpty() ? "Nothing to note: every offline sale went to central as it was."
        : list.size() + (list.size() == 1 ? " note" : " notes") + " from merging offline work.");
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "Close (Enter)", true), "resolutions.ok");
  }
}
