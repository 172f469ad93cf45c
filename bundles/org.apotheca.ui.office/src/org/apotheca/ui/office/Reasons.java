package org.apotheca.ui.office;

import org.apotheca.node.api.AdjustmentReason;

/** Adjustment reasons in the words the stocktake window shows. */
final class Reasons {

  private Reasons() {
  }

  static final AdjustmentReason[] CHOICES = AdjustmentReason.values();

  static String word(AdjustmentReason r) {
    return switch (r) {
      case NONE -> "\u2014 choose a reason \u2014";
      case COUNT_ERROR -> "Count error (books were wrong)";
      case DAMAGED -> "Damaged";
      case EXPIRED -> "Expired";
      case THEFT -> "Theft";
      case FOUND -> "Found (more on the shelf)";
      case UNRECORDED_SALE -> "Sold without the till";
      case OTHER -> "Other (write a note)";
    };
  }

  /** The short form for the table's Reason column. */
  static String shortWord(AdjustmentReason r) {
    return r == null || r == AdjustmentReason.NONE ? "" : word(r).replaceAll(" \\(.*\\)$", "");
  }
}
