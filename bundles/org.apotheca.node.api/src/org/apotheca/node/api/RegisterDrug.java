package org.apotheca.node.api;

/**
 * A controlled drug with a register here (one per product: drug, strength and form).
 *
 * @param schedule "SCHEDULE_2"...
 * @param balance the register's running balance after its last entry
 * @param entries how many entries its register holds (notes included)
 * @param lastEntryAt when the last entry was made, epoch millis
 */
public record RegisterDrug(String productId, String barcode, String productName, String schedule, int balance, int entries,
    long lastEntryAt) {
}
