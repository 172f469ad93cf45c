package org.apotheca.sync;

import java.time.LocalDate;
import java.util.logging.Logger;

import org.apotheca.core.sample.SampleCatalogue;

/**
 * Demo stock for a new pharmacy: two batches of each of the first N sample products, the earlier-expiring one
 * smaller, so FEFO is visible on the first sales. Only when the pharmacy has no stock at all.
 */
public final class SampleStock {

  private static final Logger LOG = Logger.getLogger(SampleStock.class.getName());

  /** Fixed, so the user guide can print a GS1 string that names a real demo lot with its real expiry. */
  public static final LocalDate LATER_LOTS_EXPIRE = LocalDate.of(2030, 12, 31);

  private SampleStock() {
  }

  /** Returns the number of batches received (0 if the pharmacy already had stock). */
  public static int receiveIfEmpty(PharmacyNode node, int products) {
    if (products <= 0 || node.hasStock()) {
      return 0;
    }
    LocalDate today = LocalDate.now();
    int batches = 0;
    for (int i = 0; i < products; i++) {
      String barcode = SampleCatalogue.barcode(i);
      node.receive("receiving", barcode, "L" + i + "A", today.plusDays(60 + i % 30).toString(), 20, 50 + i % 400);
      node.receive("receiving", barcode, "L" + i + "B", LATER_LOTS_EXPIRE.isAfter(today.plusDays(100)) ? LATER_LOTS_EXPIRE.toString()
          : today.plusDays(400 + i % 30).toString(), 100, 50 + i % 400);
      batches += 2;
    }
    int n = batches;
    LOG.info(() -> "Received sample stock: " + n + " batches of " + products + " products");
    return batches;
  }
}
