package org.apotheca.node.api;

/**
 * Stock control beside the till: stocktakes while the shop trades, supplier returns, the expiry report and expired-stock write-off.
 * <p>
 * Part of {@link NodeService}: the same contract holds (every write through the node's one ledger, durable when it
 * returns, idempotent by an id the caller chose, refusals with a {@link Refusal} code and one sentence).
 */
public interface StockControlService {
}
