package org.apotheca.node.api;

/**
 * Units that left (negative) or entered (positive) one batch in one document, with their value at cost.
 */
public record StockChange(String batchId, String barcode, String productName, String lot, String expiry, int quantity,
    long valueMinor) {
}
