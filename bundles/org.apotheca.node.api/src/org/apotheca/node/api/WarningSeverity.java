package org.apotheca.node.api;

/** How serious a clinical warning is; MAJOR and CONTRAINDICATED need a pharmacist's recorded override. */
public enum WarningSeverity {
  MINOR, MODERATE, MAJOR, CONTRAINDICATED;

  /** Whether dispensing needs a pharmacist's override with a reason while this warning stands. */
  public boolean needsOverride() {
    return this == MAJOR || this == CONTRAINDICATED;
  }
}
