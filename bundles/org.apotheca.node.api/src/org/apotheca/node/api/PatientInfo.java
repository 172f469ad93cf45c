package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;

/**
 * A patient of the pharmacy as the node holds it.
 *
 * @param displayName "Family, Given" as lists and labels show it
 * @param allergies ingredient names, as entered
 */
public record PatientInfo(String id, String givenName, String familyName, String displayName, LocalDate dateOfBirth,
    String nationalId, String address, String phone, List<String> allergies, String notes) {

  public PatientInfo {
    allergies = List.copyOf(allergies);
  }
}
