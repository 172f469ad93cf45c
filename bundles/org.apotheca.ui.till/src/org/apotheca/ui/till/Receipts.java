package org.apotheca.ui.till;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

import org.apotheca.node.api.SaleInfo;
import org.eclipse.core.runtime.Platform;
import org.eclipse.osgi.service.datalocation.Location;

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
    String p = System.getProperty(PROPERTY);
    if (p == null || p.isBlank()) {
      p = Platform.getPreferencesService().getString("org.apotheca.ui.till", "receipts.dir", null, null);
    }
    if (p != null && !p.isBlank()) {
      return Path.of(p.trim());
    }
    Location data = Platform.getInstanceLocation();
    if (data != null && data.isSet()) {
      try {
        URL url = data.getURL();
        return Path.of(url.toURI()).resolve("receipts");
      } catch (URISyntaxException | IllegalArgumentException e) {
        // a -data URL with spaces or of another scheme: fall back to the home folder
      }
    }
    return Path.of(System.getProperty("user.home"), "Apotheca", "receipts");
  }

  public static Path write(SaleInfo sale) throws IOException {
    String name = "receipt-" + sale.receiptNumber().replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf";
    return ReceiptPdf.write(folder().resolve(name), "Receipt " + sale.receiptNumber(), ReceiptText.lines(sale));
  }
}
