package org.apotheca.node.api;

/** A non-trivial decision the node made while merging offline work (e.g. a sale that crossed a price change). */
public record Resolution(long at, String kind, String text) {
}
