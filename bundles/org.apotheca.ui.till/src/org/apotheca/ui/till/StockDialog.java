package org.apotheca.ui.till;

import java.util.List;

import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Money;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;

/** A product's batches on hand, earliest expiry first, coloured by how soon they expire; recalled lots marked. */
final class StockDialog extends TillDialog {

  private final String code;
  private Label product;
  private Table batches;

  StockDialog(Shell parent, String code) {
    super(parent, "Stock", "stock");
    this.code = code;
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).spacing(8, 8).applyTo(area);
    product = Ids.id(new Label(area, SWT.WRAP), "stock.product");
    product.setFont(bold);
    product.setText("Looking up " + code + "...");
    GridDataFactory.fillDefaults().grab(true, false).hint(760, SWT.DEFAULT).applyTo(product);
    batches = table(area, "stock.batches", "Lot", 160, SWT.LEFT, "Expiry", 120, SWT.LEFT, "Days left", 100, SWT.RIGHT,
        "On hand", 90, SWT.RIGHT, "Received", 90, SWT.RIGHT, "Supplier", 170, SWT.LEFT, "Recall", 130, SWT.LEFT);
    GridDataFactory.fillDefaults().grab(true, true).hint(SWT.DEFAULT, 260).applyTo(batches);
    Palette p = Palette.get(area.getDisplay());
    Composite legend = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(4).spacing(14, 0).applyTo(legend);
    swatch(legend, "Expired", p.expired());
    swatch(legend, "30 days or less", p.days30());
    swatch(legend, "60 days or less", p.days60());
    swatch(legend, "90 days or less", p.days90());
    message(area, 1);
    load();
    return area;
  }

  private void swatch(Composite parent, String text, Color colour) {
    Label l = new Label(parent, SWT.NONE);
    l.setText("  " + text + "  ");
    l.setBackground(colour);
  }

  private void load() {
    Async.call(batches, () -> {
      ProductInfo p = Node.get().service().product(code);
      return new Object[] { p, Node.get().service().batches(code) };
    }, r -> show((ProductInfo) r[0], castBatches(r[1])), e -> {
      product.setText(code);
      error(e.getMessage());
    });
  }

  @SuppressWarnings("unchecked")
  private static List<BatchInfo> castBatches(Object o) {
    return (List<BatchInfo>) o;
  }

  private void show(ProductInfo p, List<BatchInfo> list) {
    getShell().setText("Stock: " + p.name());
    product.setText(p.name() + "  \u00b7  " + p.barcode() + "  \u00b7  " + Money.format(p.priceMinor()) + "  \u00b7  "
        + p.onHand() + " on hand, " + p.sellable() + " can be sold" + (p.recalled() ? "  \u00b7  RECALLED" : "")
        + (p.withdrawn() ? "  \u00b7  WITHDRAWN" : ""));
    Palette c = Palette.get(batches.getDisplay());
    for (BatchInfo b : list) {
      TableItem item = new TableItem(batches, SWT.NONE);
      item.setText(new String[] { b.lot(), b.expiry(), b.daysToExpiry() < 0 ? "expired" : String.valueOf(b.daysToExpiry()),
          String.valueOf(b.quantity()), String.valueOf(b.quantityReceived()), b.supplier() == null ? "" : b.supplier(),
          b.recall() == null ? (b.quarantined() ? "quarantined" : "") : "RECALL " + b.recall() });
      Color bg = switch (b.band()) {
        case EXPIRED -> c.expired();
        case DAYS_30 -> c.days30();
        case DAYS_60 -> c.days60();
        case DAYS_90 -> c.days90();
        case LATER -> null;
      };
      item.setBackground(bg);
      if (b.recall() != null) {
        item.setForeground(c.danger());
        item.setFont(bold);
      }
      item.setData("band", b.band().name());
    }
    info(list.isEmpty() ? "No batches on hand." : list.size() + (list.size() == 1 ? " batch" : " batches") + " on hand.");
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "Close (Enter)", true), "stock.ok");
  }
}
