package org.apotheca.core.catalogue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.core.catalogue.CatalogueCsv.Problem;
import org.apotheca.model.ActiveIngredient;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.IngredientBucket;
import org.apotheca.model.InteractionBucket;
import org.apotheca.model.InteractionRule;
import org.apotheca.model.ownership.Bounds;
import org.apotheca.model.ownership.Ownership;
import org.eclipse.emf.cdo.transaction.CDOTransaction;

/**
 * Applies a checked interaction-rules file to one open transaction: a row whose two ingredients the catalogue has a
 * rule for updates it (severity, description, advice), WITHDRAWN removes it, any other row adds a rule at the end of
 * the interaction buckets (500 per bucket). Ingredients are matched by name, without case; an unknown one is a
 * problem with its line, and the caller refuses the whole file.
 */
final class InteractionImport {

  private static final int RULES_PER_BUCKET = Bounds.max(ApothecaPackage.Literals.INTERACTION_BUCKET__RULES);

  private final CDOTransaction tx;
  private final Map<String, ActiveIngredient> ingredientByName = new HashMap<>();
  private final List<InteractionBucket> buckets;

  final List<Problem> problems = new ArrayList<>();
  int added;
  int updated;
  int unchanged;
  final Map<String, Integer> fieldCounts = new LinkedHashMap<>();
  final List<String> details = new ArrayList<>();

  InteractionImport(CDOTransaction tx) {
    this.tx = tx;
    for (IngredientBucket b : ResourceRoots.of(tx, Repositories.INGREDIENTS_FOLDER, IngredientBucket.class)) {
      for (ActiveIngredient ai : b.getIngredients()) {
        ingredientByName.putIfAbsent(ai.getName().strip().toLowerCase(Locale.ROOT), ai);
      }
    }
    buckets = new ArrayList<>(ResourceRoots.of(tx, Repositories.INTERACTIONS_FOLDER, InteractionBucket.class));
  }

  void apply(InteractionCsv.Parsed parsed) {
    for (InteractionCsv.Rule row : parsed.rules()) {
      ActiveIngredient a = ingredient(row.line(), row.ingredientA());
      ActiveIngredient b = ingredient(row.line(), row.ingredientB());
      if (a == null || b == null) {
        continue;
      }
      InteractionRule existing = find(a, b);
      String what = "rule=" + a.getName().replace(' ', '_') + "+" + b.getName().replace(' ', '_');
      if (row.severity() == null) {
        if (existing == null) {
          problems.add(new Problem(row.line(), "no rule for " + a.getName() + " with " + b.getName() + " to withdraw"));
        } else {
          ((InteractionBucket) existing.eContainer()).getRules().remove(existing);
          updated++;
          count("withdrawn");
          detail("withdrawn " + what);
        }
        continue;
      }
      String advice = row.advice() == null ? (existing == null ? "" : existing.getAdvice()) : row.advice();
      if (existing == null) {
        InteractionRule r = Ownership.stamp(ApothecaFactory.eINSTANCE.createInteractionRule(), Ownership.CENTRAL_SITE_ID);
        r.setIngredientA(a);
        r.setIngredientB(b);
        r.setSeverity(row.severity());
        r.setDescription(row.description());
        r.setAdvice(advice);
        bucket().getRules().add(r);
        added++;
        continue;
      }
      List<String> fields = new ArrayList<>();
      if (existing.getSeverity() != row.severity()) {
        existing.setSeverity(row.severity());
        fields.add("severity");
      }
      if (!Objects.equals(existing.getDescription(), row.description())) {
        existing.setDescription(row.description());
        fields.add("description");
      }
      if (!Objects.equals(existing.getAdvice() == null ? "" : existing.getAdvice(), advice == null ? "" : advice)) {
        existing.setAdvice(advice);
        fields.add("advice");
      }
      fields.forEach(this::count);
      if (!fields.isEmpty()) {
        updated++;
        detail("updated " + what + " severity=" + row.severity().getName() + " fields=" + String.join(",", fields));
      } else {
        unchanged++;
      }
    }
  }

  private ActiveIngredient ingredient(int line, String name) {
    ActiveIngredient ai = ingredientByName.get(name.strip().toLowerCase(Locale.ROOT));
    if (ai == null) {
      problems.add(new Problem(line, "no active ingredient '" + name + "' in the catalogue"));
    }
    return ai;
  }

  private InteractionRule find(ActiveIngredient a, ActiveIngredient b) {
    for (InteractionBucket bucket : buckets) {
      for (InteractionRule r : bucket.getRules()) {
        if (r.getIngredientA() == a && r.getIngredientB() == b || r.getIngredientA() == b && r.getIngredientB() == a) {
          return r;
        }
      }
    }
    return null;
  }

  private InteractionBucket bucket() {
    InteractionBucket last = buckets.isEmpty() ? null : buckets.get(buckets.size() - 1);
    if (last != null && last.getRules().size() < RULES_PER_BUCKET) {
      return last;
    }
    InteractionBucket b = Ownership.stamp(ApothecaFactory.eINSTANCE.createInteractionBucket(), Ownership.CENTRAL_SITE_ID);
    b.setBucketKey(Repositories.bucketKey(buckets.size()));
    tx.createResource(Repositories.INTERACTIONS_FOLDER + "/" + Repositories.bucketKey(buckets.size())).getContents().add(b);
    buckets.add(b);
    return b;
  }

  private void count(String field) {
    fieldCounts.merge(field, 1, Integer::sum);
  }

  private void detail(String text) {
    if (details.size() < CatalogueImport.DETAIL_LINES) {
      details.add(text);
    }
  }
}
