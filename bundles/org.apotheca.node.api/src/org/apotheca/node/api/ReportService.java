package org.apotheca.node.api;

/**
 * The pharmacy's figures: sales per day and per product, margin, stock value, expiring stock (central computes the same per pharmacy).
 * <p>
 * Part of {@link NodeService}: the same contract holds (every write through the node's one ledger, durable when it
 * returns, idempotent by an id the caller chose, refusals with a {@link Refusal} code and one sentence).
 */
public interface ReportService {
}
