package org.apotheca.ui.till;

import java.io.IOException;
import java.nio.file.Path;

import org.apotheca.node.api.SaleInfo;
import org.apotheca.ui.Printouts;
import org.apotheca.ui.TextPdf;

/**
 * Where receipts are written: the system property {@value #PROPERTY}, else the preference
 * {@code org.apotheca.ui.till/receipts.dir}, else {@code receipts} in the workbench's -data folder, else
 * {@code ~/Apotheca/receipts}.
 */
public final class Receipts {

  public static final String PROPERTY = "apotheca.receipts.dir";

  private Receipts() {
  }

  public static Path folder() {
    return Printouts.folder(PROPERTY, "org.apotheca.ui.till", "receipts.dir", "receipts");
  }

  public static Path write(SaleInfo sale) throws IOException {
    String name = "receipt-" + Printouts.safe(sale.receiptNumber()) + ".pdf";
    return TextPdf.write(folder().resolve(name), "Receipt " + sale.receiptNumber(), ReceiptText.lines(sale));
  }
}
