package org.apotheca.ui.till;

import java.io.IOException;
import java.nio.file.Path;

import org.apotheca.node.api.SaleInfo;
import org.apotheca.ui.Activator;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Money;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/** The node's answer to a sale: shown only once it is recorded. The PDF for printing is written at once. */
final class ReceiptDialog extends TillDialog {

  static final int OPEN_PDF_ID = IDialogConstants.CLIENT_ID + 1;

  private final SaleInfo sale;
  private Path pdf;
  private String pdfProblem;

  ReceiptDialog(Shell parent, SaleInfo sale) {
    super(parent, "Receipt " + sale.receiptNumber(), "receipt");
    this.sale = sale;
    try {
      pdf = Receipts.write(sale);
    } catch (IOException | RuntimeException e) {
      Activator.log("Writing the receipt PDF for " + sale.receiptNumber() + " failed", e);
      pdfProblem = "The PDF could not be written (" + Receipts.folder() + "): the sale is recorded all the same.";
    }
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).spacing(8, 8).applyTo(area);
    Palette p = Palette.get(area.getDisplay());

    Label done = Ids.id(new Label(area, SWT.NONE), "receipt.title");
    done.setText("Sale recorded \u2014 receipt " + sale.receiptNumber());
    done.setFont(huge);
    done.setForeground(p.ok());
    if (sale.changeMinor() > 0) {
      Label change = Ids.id(new Label(area, SWT.NONE), "receipt.change");
      change.setText("Change to give: " + Money.format(sale.changeMinor()));
      change.setFont(huge);
    }
    Label central = Ids.id(new Label(area, SWT.WRAP), "receipt.central");
    central.setText(sale.atCentral() ? "Central has this sale."
        : "Kept on the pharmacy node: it goes to central as soon as central can be reached.");
    central.setFont(bold);
    central.setForeground(sale.atCentral() ? p.ok() : p.warn());

    Text receipt = Ids.id(new Text(area, SWT.MULTI | SWT.READ_ONLY | SWT.BORDER | SWT.V_SCROLL), "receipt.text");
    receipt.setFont(JFaceResources.getTextFont());
    receipt.setText(String.join("\n", ReceiptText.lines(sale)));
    receipt.setBackground(area.getDisplay().getSystemColor(SWT.COLOR_WHITE));
    GridDataFactory.fillDefaults().grab(true, true).hint(SWT.DEFAULT, 320).applyTo(receipt);

    Label file = Ids.id(new Label(area, SWT.WRAP), "receipt.pdf");
    file.setText(pdf != null ? "PDF for printing: " + pdf : pdfProblem);
    file.setForeground(pdf != null ? p.muted() : p.danger());
    GridDataFactory.fillDefaults().hint(520, SWT.DEFAULT).applyTo(file);
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, OPEN_PDF_ID, "&Open PDF", false), "receipt.open").setEnabled(pdf != null);
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "Next customer (Enter)", true), "receipt.ok");
  }

  @Override
  protected void buttonPressed(int id) {
    if (id == OPEN_PDF_ID && pdf != null) {
      if (!Program.launch(pdf.toString())) {
        Label file = (Label) find(getShell(), "receipt.pdf");
        if (file != null) {
          file.setText("No PDF viewer on this computer: the receipt is at " + pdf);
        }
      }
      return;
    }
    super.buttonPressed(id);
  }

  private static Control find(Control c, String id) {
    if (id.equals(Ids.of(c))) {
      return c;
    }
    if (c instanceof Composite comp) {
      for (Control child : comp.getChildren()) {
        Control f = find(child, id);
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  Path pdf() {
    return pdf;
  }
}
