package org.apotheca.node.api;

/** Units of a line taken from (or returned to) one batch. */
public record Allocation(String batchId, String lot, String expiry, int quantity) {
}
