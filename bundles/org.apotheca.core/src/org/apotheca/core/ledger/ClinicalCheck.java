package org.apotheca.core.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apotheca.core.catalogue.InteractionRow;
import org.apotheca.node.api.ClinicalWarning;
import org.apotheca.node.api.WarningKind;
import org.apotheca.node.api.WarningSeverity;

/**
 * The clinical warnings a dispensing raises: interactions (the catalogue's rules), duplicate therapy (the same
 * ingredient, or the same ATC class at level 4) and allergies. A pure function of what it is given (no store, no
 * clock), so every rule is unit-tested in milliseconds; the dispensary feeds it the lines, the patient's current
 * medicines and allergies.
 * <p>
 * A warning's key names the finding, not where it was found (two lines of one prescription that interact give one
 * warning, not two), so the pharmacist overrides a finding once.
 */
public final class ClinicalCheck {

  /** Characters of an ATC code up to level 4 (chemical subgroup: "M01AE" propionic acid derivatives). */
  static final int ATC_LEVEL_4 = 5;

  /** One active ingredient of a medicine. */
  public record Ingredient(String id, String name) {
  }

  /**
   * A medicine to check or to check against.
   *
   * @param itemId the prescription item it is dispensed for (lines being dispensed), or null
   * @param description in words for the pharmacist ("Aspirin 75 mg tablets, dispensed 2026-11-20")
   * @param atc the product's ATC code, or null
   */
  public record Medicine(String itemId, String description, List<Ingredient> ingredients, String atc) {

    public Medicine {
      ingredients = List.copyOf(ingredients);
    }
  }

  private ClinicalCheck() {
  }

  /**
   * @param lines what is being dispensed now
   * @param current the patient's other medicines: the prescription's other items, recent dispensings
   * @param allergies ingredient names the patient is allergic to (any case)
   * @param rules the catalogue's interaction rules naming an ingredient (by ingredient id)
   * @return the warnings, most severe first, each finding once
   */
  public static List<ClinicalWarning> check(List<Medicine> lines, List<Medicine> current, Set<String> allergies,
      Function<String, List<InteractionRow>> rules) {
    Map<String, ClinicalWarning> found = new LinkedHashMap<>();
    Set<String> allergic = new java.util.HashSet<>();
    for (String a : allergies) {
      if (a != null && !a.isBlank()) {
        allergic.add(a.strip().toLowerCase(Locale.ROOT));
      }
    }
    for (int i = 0; i < lines.size(); i++) {
      Medicine line = lines.get(i);
      for (Ingredient ing : line.ingredients()) {
        if (allergic.contains(ing.name().toLowerCase(Locale.ROOT))) {
          add(found, new ClinicalWarning("ALLERGY:" + key(ing.name()), WarningKind.ALLERGY, WarningSeverity.CONTRAINDICATED,
              line.itemId(), "The patient is recorded as allergic to " + ing.name() + ": " + line.description() + " contains it",
              "Do not supply unless the prescriber confirms; record what was agreed", "allergy to " + ing.name(), true));
        }
      }
      List<Medicine> others = new ArrayList<>(lines.subList(i + 1, lines.size()));
      others.addAll(current);
      for (Medicine other : others) {
        compare(found, line, other, rules);
      }
    }
    List<ClinicalWarning> result = new ArrayList<>(found.values());
    result.sort(Comparator.comparing(ClinicalWarning::severity).reversed());
    return result;
  }

  private static void compare(Map<String, ClinicalWarning> found, Medicine line, Medicine other,
      Function<String, List<InteractionRow>> rules) {
    for (Ingredient a : line.ingredients()) {
      for (Ingredient b : other.ingredients()) {
        if (a.id().equals(b.id())) {
          add(found, new ClinicalWarning("DUPLICATE_THERAPY:" + key(a.name()), WarningKind.DUPLICATE_THERAPY,
              WarningSeverity.MODERATE, line.itemId(), "Duplicate therapy: " + a.name() + " is also in " + other.description(),
              "Check the patient is not taking both; stop one if they replace each other", other.description(), false));
          continue;
        }
        for (InteractionRow rule : rules.apply(a.id())) {
          if (rule.names(a.id(), b.id())) {
            WarningSeverity severity = WarningSeverity.valueOf(rule.severity().getName());
            String first = a.name().compareToIgnoreCase(b.name()) <= 0 ? a.name() : b.name();
            String second = first == a.name() ? b.name() : a.name();
            add(found, new ClinicalWarning("INTERACTION:" + key(first) + "+" + key(second), WarningKind.INTERACTION, severity,
                line.itemId(), a.name() + " with " + b.name() + " (" + other.description() + "): " + text(rule.description()),
                rule.advice() == null ? "" : rule.advice(), other.description(), severity.needsOverride()));
          }
        }
      }
    }
    String atcA = level4(line.atc());
    String atcB = level4(other.atc());
    if (atcA != null && atcA.equals(atcB) && !sharesIngredient(line, other)) {
      List<String> names = new ArrayList<>();
      line.ingredients().forEach(x -> names.add(x.name()));
      other.ingredients().forEach(x -> names.add(x.name()));
      names.sort(String.CASE_INSENSITIVE_ORDER);
      add(found, new ClinicalWarning("DUPLICATE_THERAPY:" + key(String.join("+", names)), WarningKind.DUPLICATE_THERAPY,
          WarningSeverity.MODERATE, line.itemId(), "Duplicate therapy: " + line.description() + " and " + other.description()
              + " are in the same class (ATC " + atcA + ")",
          "Two medicines of one class are rarely meant together: check with the patient or prescriber", other.description(), false));
    }
  }

  private static boolean sharesIngredient(Medicine a, Medicine b) {
    for (Ingredient x : a.ingredients()) {
      for (Ingredient y : b.ingredients()) {
        if (x.id().equals(y.id())) {
          return true;
        }
      }
    }
    return false;
  }

  private static String level4(String atc) {
    return atc == null || atc.strip().length() < ATC_LEVEL_4 ? null : atc.strip().substring(0, ATC_LEVEL_4).toUpperCase(Locale.ROOT);
  }

  /** Keeps the first (and so the line-first) finding; a more severe one of the same key replaces it. */
  private static void add(Map<String, ClinicalWarning> found, ClinicalWarning w) {
    ClinicalWarning before = found.get(w.key());
    if (before == null || w.severity().compareTo(before.severity()) > 0) {
      found.put(w.key(), w);
    }
  }

  private static String key(String name) {
    return name.strip().toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  private static String text(String description) {
    if (description == null || description.isBlank()) {
      return "interaction";
    }
    String d = description.strip();
    return Character.toLowerCase(d.charAt(0)) + d.substring(1);
  }
}
