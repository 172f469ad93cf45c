package org.apotheca.node.api;

import java.util.UUID;

/**
 * A prescriber to create, or the new details of one that exists (same {@code prescriberId}).
 *
 * @param prescriberId a UUID the caller chose before the first attempt
 * @param registrationNumber the professional registration (GMC number...), or null
 */
public record PrescriberRequest(String prescriberId, String name, String registrationNumber, String practice, String address,
    String phone) {

  public static PrescriberRequest create(String name, String registrationNumber, String practice, String address) {
    return new PrescriberRequest(UUID.randomUUID().toString(), name, registrationNumber, practice, address, null);
  }
}
