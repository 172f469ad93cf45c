package org.apotheca.node.api;

import java.time.LocalDate;

/**
 * The cash put in a till's drawer at the start of a business day.
 *
 * @param day null: the node's business day today
 */
public record FloatRequest(String tillId, LocalDate day, long openingFloatMinor) {
}
