package org.apotheca.node.api;

/**
 * A pharmacist's decision to dispense despite a warning.
 *
 * @param warningKey the {@link ClinicalWarning#key()} it answers
 * @param reason why it is safe to proceed (at least a few words; recorded with the user and the time)
 */
public record WarningOverrideRequest(String warningKey, String reason) {
}
