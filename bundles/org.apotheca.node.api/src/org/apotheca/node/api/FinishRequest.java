package org.apotheca.node.api;

import java.util.List;

/**
 * Finishes a stocktake: the reason for each counted line that differs from what the books expected.
 *
 * @param reasons one per differing batch (lines without a difference need none; a reason for them is ignored)
 */
public record FinishRequest(String stocktakeId, List<LineReason> reasons) {

  public static final int MAX_NOTE = 200;

  public FinishRequest {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }

  /** @param note required with {@link AdjustmentReason#OTHER}, optional otherwise; at most {@value FinishRequest#MAX_NOTE} characters */
  public record LineReason(String batchId, AdjustmentReason reason, String note) {
  }
}
