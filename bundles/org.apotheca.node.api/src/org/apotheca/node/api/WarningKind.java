package org.apotheca.node.api;

/** What a clinical warning is about. */
public enum WarningKind {
  /** Two ingredients the catalogue's interaction rules name together. */
  INTERACTION,
  /** The same ingredient, or the same therapeutic class (ATC level 4), supplied twice. */
  DUPLICATE_THERAPY,
  /** An ingredient the patient is recorded as allergic to. */
  ALLERGY
}
