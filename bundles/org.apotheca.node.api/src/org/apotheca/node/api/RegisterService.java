package org.apotheca.node.api;

/**
 * The controlled-drugs register: per drug, chronological, running balance; entries made only by receipts, dispensings, supplier returns and write-offs, never typed; corrections are dated notes; a balance check against stock.
 * <p>
 * Part of {@link NodeService}: the same contract holds (every write through the node's one ledger, durable when it
 * returns, idempotent by an id the caller chose, refusals with a {@link Refusal} code and one sentence).
 */
public interface RegisterService {
}
