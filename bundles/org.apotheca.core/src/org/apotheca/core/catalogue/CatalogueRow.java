package org.apotheca.core.catalogue;

import org.apotheca.model.money.Money;

/**
 * One product as the catalogue screens show it: a flat, immutable snapshot read from the catalogue
 * repository, so that UI code never holds live CDO objects across threads.
 *
 * @param listPriceMinor list price in minor currency units (cents)
 * @param vatRateBasisPoints VAT in hundredths of a percent (2000 = 20 %)
 * @param schedule controlled-drug schedule, "" when the product is not controlled
 */
public record CatalogueRow(String id, String barcode, String name, String ingredient, String packSize,
    long listPriceMinor, int vatRateBasisPoints, String schedule) {

  /** "12.34" for 1234: display only; money is never held as a floating point number. */
  public static String formatMinor(long minor) {
    return Money.toPlainString(minor, 2);
  }

  public String vatPercent() {
    return (vatRateBasisPoints / 100) + (vatRateBasisPoints % 100 == 0 ? "" : "." + String.format("%02d", vatRateBasisPoints % 100)) + " %";
  }
}
