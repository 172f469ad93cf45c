package org.apotheca.node.api;

/** A doctor, dentist, nurse or pharmacist prescriber known to the pharmacy. */
public record PrescriberInfo(String id, String name, String registrationNumber, String practice, String address, String phone) {
}
