package org.apotheca.node.api;

/**
 * A catalogue product as the node holds it now, with this pharmacy's stock of it.
 *
 * @param gtin the primary barcode as 14 digits; {@code barcode} as printed (EAN-13 usually)
 * @param priceMinor list price in minor units (cents), VAT included
 * @param vatBasisPoints VAT rate in hundredths of a percent (2000 = 20 %)
 * @param schedule controlled-drug schedule, "" when not controlled
 * @param onHand units on hand, any state; {@code sellable} excludes expired, recalled and quarantined ones
 */
public record ProductInfo(String id, String barcode, String gtin, String name, String ingredient, String pack,
    long priceMinor, int vatBasisPoints, String schedule, boolean withdrawn, boolean recalled, int onHand, int sellable) {
}
