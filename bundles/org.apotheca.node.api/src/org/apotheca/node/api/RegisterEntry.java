package org.apotheca.node.api;

import java.time.LocalDate;

/**
 * One line of a controlled-drugs register, as made; entries are never changed afterwards.
 *
 * @param page the month of the register page holding it ("2026-12")
 * @param date the date of the receipt or supply
 * @param enteredAt when the entry was made, epoch millis
 * @param quantity units in or out (positive); 0 for a note
 * @param balanceAfter the running balance after this entry (notes repeat the balance)
 * @param supplier RECEIVED and RETURNED_TO_SUPPLIER: the supplier's name; {@code invoice}: the receipt or invoice id
 * @param patientName SUPPLIED: who it was for, with {@code patientAddress}; {@code prescriber*} who prescribed it
 * @param enteredBy user name of who made it; {@code enteredByName} as shown
 * @param documentId the goods receipt, dispensing, supplier return or write-off that made it
 * @param note a CORRECTION_NOTE's text, or a remark
 * @param correctsEntryId CORRECTION_NOTE: the entry it corrects
 */
public record RegisterEntry(String entryId, String page, RegisterEntryKind kind, LocalDate date, long enteredAt,
    int quantity, int balanceAfter, String supplier, String invoice, String patientName, String patientAddress,
    String prescriberName, String prescriberAddress, String collectorName, boolean collectorIsPatient, boolean idRequested,
    boolean idChecked, String idEvidence, String enteredBy, String enteredByName, String documentId, String note,
    String correctsEntryId, boolean atCentral) {
}
