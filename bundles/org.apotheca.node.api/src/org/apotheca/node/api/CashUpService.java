package org.apotheca.node.api;

/**
 * Cash-up at the end of a till's day: opening float, expected against counted cash, card totals, refunds, the difference with a note and the closing user.
 * <p>
 * Part of {@link NodeService}: the same contract holds (every write through the node's one ledger, durable when it
 * returns, idempotent by an id the caller chose, refusals with a {@link Refusal} code and one sentence).
 */
public interface CashUpService {
}
