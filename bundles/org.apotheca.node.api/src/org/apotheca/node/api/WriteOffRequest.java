package org.apotheca.node.api;

import java.util.List;
import java.util.UUID;

/**
 * Expired stock taken out of stock (to be destroyed).
 *
 * @param writeOffId chosen by the caller before the first attempt: a retry with the same id records it once
 * @param batchIds the expired batches to write off, each down to zero; empty: every expired batch on hand
 * @param reason required ("expired, sent for destruction"), at most 200 characters
 */
public record WriteOffRequest(String writeOffId, List<String> batchIds, String reason) {

  public WriteOffRequest {
    batchIds = batchIds == null ? List.of() : List.copyOf(batchIds);
  }

  public static WriteOffRequest of(List<String> batchIds, String reason) {
    return new WriteOffRequest(UUID.randomUUID().toString(), batchIds, reason);
  }
}
