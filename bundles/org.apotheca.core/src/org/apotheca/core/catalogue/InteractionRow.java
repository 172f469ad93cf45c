package org.apotheca.core.catalogue;

import org.apotheca.model.InteractionSeverity;

/**
 * One interaction rule of the catalogue as a flat snapshot: the two ingredients by id and name, how severe, what
 * happens and what to do. Read once from the catalogue view, so the dispensary never holds live CDO objects.
 *
 * @param advice "" when the rule gives none
 */
public record InteractionRow(String ingredientA, String nameA, String ingredientB, String nameB, InteractionSeverity severity,
    String description, String advice) {

  /** Whether this rule names these two ingredients (in either order). */
  public boolean names(String ingredient1, String ingredient2) {
    return ingredientA.equals(ingredient1) && ingredientB.equals(ingredient2)
        || ingredientA.equals(ingredient2) && ingredientB.equals(ingredient1);
  }
}
