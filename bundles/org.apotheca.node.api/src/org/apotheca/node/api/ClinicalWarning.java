package org.apotheca.node.api;

/**
 * A warning raised by what is about to be dispensed.
 *
 * @param key stable for the same finding (kind, item, the two ingredients or products): an override names it
 * @param itemId the prescription item being dispensed that raises it
 * @param message one sentence for the pharmacist ("Warfarin with Aspirin: increased bleeding risk")
 * @param advice what to do about it, "" when the rule gives none
 * @param otherMedicine what the item clashes with: another line of this prescription, a recent dispensing ("Aspirin
 *        75 mg ... dispensed 2026-11-20"), or the allergy
 * @param needsOverride {@code severity.needsOverride()}: dispensing is refused until a pharmacist records a reason
 */
public record ClinicalWarning(String key, WarningKind kind, WarningSeverity severity, String itemId, String message,
    String advice, String otherMedicine, boolean needsOverride) {
}
