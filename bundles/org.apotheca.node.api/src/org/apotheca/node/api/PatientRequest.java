package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A patient to create, or the new demographics of one that exists (same {@code patientId}): every field is replaced.
 *
 * @param patientId a UUID the caller chose before the first attempt (lower-case, with dashes)
 * @param dateOfBirth null when not known
 * @param allergies names of active ingredients the patient is allergic to ("Penicillin" need not be in the catalogue,
 *        but only catalogue ingredient names can raise an ALLERGY warning); compared without case
 * @param nationalId the national health number, or null
 */
public record PatientRequest(String patientId, String givenName, String familyName, LocalDate dateOfBirth, String nationalId,
    String address, String phone, List<String> allergies, String notes) {

  public static final int MAX_NAME = 60;
  public static final int MAX_ADDRESS = 200;
  public static final int MAX_NOTES = 500;
  public static final int MAX_ALLERGIES = 20;

  public PatientRequest {
    allergies = allergies == null ? List.of() : List.copyOf(allergies);
  }

  /** A new patient with a fresh id. */
  public static PatientRequest create(String givenName, String familyName, LocalDate dateOfBirth, String address,
      List<String> allergies) {
    return new PatientRequest(UUID.randomUUID().toString(), givenName, familyName, dateOfBirth, null, address, null, allergies, null);
  }
}
