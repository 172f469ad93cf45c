package org.apotheca.node.api;

/**
 * The dispensary: patients and prescribers, prescriptions, dispensing with interaction and duplicate-therapy warnings and recorded overrides, labels, a patient's history.
 * <p>
 * Part of {@link NodeService}: the same contract holds (every write through the node's one ledger, durable when it
 * returns, idempotent by an id the caller chose, refusals with a {@link Refusal} code and one sentence).
 */
public interface DispensaryService {
}
