package org.apotheca.node.api;

/**
 * What to dispense now against one prescription item.
 *
 * @param itemId the {@link PrescriptionInfo.Item#itemId()}
 * @param quantity units now, at least 1 and at most what is owed on the item; less keeps the rest owed
 * @param substituteCode null to supply the product as prescribed; else the barcode of the generic equivalent supplied
 *        instead (it must contain the same active ingredients, and the item must allow substitution)
 * @param substitutionReason required with a substitute ("prescribed brand out of stock"), ignored without one
 */
public record DispenseLine(String itemId, int quantity, String substituteCode, String substitutionReason) {

  public static DispenseLine of(String itemId, int quantity) {
    return new DispenseLine(itemId, quantity, null, null);
  }
}
