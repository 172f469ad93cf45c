package org.apotheca.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apotheca.core.catalogue.InteractionRow;
import org.apotheca.core.ledger.ClinicalCheck;
import org.apotheca.core.ledger.ClinicalCheck.Ingredient;
import org.apotheca.core.ledger.ClinicalCheck.Medicine;
import org.apotheca.model.InteractionSeverity;
import org.apotheca.node.api.ClinicalWarning;
import org.apotheca.node.api.WarningKind;
import org.apotheca.node.api.WarningSeverity;
import org.junit.jupiter.api.Test;

/** The dispensary's clinical warnings as a pure function: interactions, duplicate therapy, allergies. */
class ClinicalCheckTest {

  private static final Ingredient WARFARIN = new Ingredient("i-warfarin", "Warfarin");
  private static final Ingredient ASPIRIN = new Ingredient("i-aspirin", "Aspirin");
  private static final Ingredient IBUPROFEN = new Ingredient("i-ibuprofen", "Ibuprofen");
  private static final Ingredient NAPROXEN = new Ingredient("i-naproxen", "Naproxen");
  private static final Ingredient PARACETAMOL = new Ingredient("i-paracetamol", "Paracetamol");

  private static final InteractionRow BLEEDING = new InteractionRow("i-warfarin", "Warfarin", "i-aspirin", "Aspirin",
      InteractionSeverity.MAJOR, "Increased bleeding risk", "Monitor INR");
  private static final Function<String, List<InteractionRow>> RULES = id -> Map.of("i-warfarin", List.of(BLEEDING), "i-aspirin",
      List.of(BLEEDING)).getOrDefault(id, List.of());

  private static Medicine line(String item, Ingredient ingredient, String atc) {
    return new Medicine(item, ingredient.name() + " tablets", List.of(ingredient), atc);
  }

  private static Medicine taking(Ingredient ingredient, String atc) {
    return new Medicine(null, ingredient.name() + ", dispensed 2026-11-20", List.of(ingredient), atc);
  }

  @Test
  void anInteractionWithARecentMedicineIsMajorAndNeedsAnOverride() {
    List<ClinicalWarning> w = ClinicalCheck.check(List.of(line("item-1", ASPIRIN, "B01AC06")), List.of(taking(WARFARIN, "B01AA03")),
        Set.of(), RULES);
    assertEquals(1, w.size(), w.toString());
    assertEquals(WarningKind.INTERACTION, w.get(0).kind());
    assertEquals(WarningSeverity.MAJOR, w.get(0).severity());
    assertTrue(w.get(0).needsOverride());
    assertEquals("item-1", w.get(0).itemId());
    assertEquals("Monitor INR", w.get(0).advice());
    assertEquals("Aspirin with Warfarin (Warfarin, dispensed 2026-11-20): increased bleeding risk", w.get(0).message());
    assertEquals("INTERACTION:aspirin+warfarin", w.get(0).key());
  }

  @Test
  void twoLinesThatInteractGiveOneWarningWhicheverWayRound() {
    List<ClinicalWarning> a = ClinicalCheck.check(List.of(line("1", WARFARIN, null), line("2", ASPIRIN, null)), List.of(), Set.of(), RULES);
    List<ClinicalWarning> b = ClinicalCheck.check(List.of(line("2", ASPIRIN, null), line("1", WARFARIN, null)), List.of(), Set.of(), RULES);
    assertEquals(1, a.size());
    assertEquals(a.get(0).key(), b.get(0).key(), "the key names the finding, not the order");
  }

  @Test
  void theSameAtcClassOrIngredientIsModerateDuplicateTherapy() {
    List<ClinicalWarning> nsaids = ClinicalCheck.check(List.of(line("1", NAPROXEN, "M01AE02")), List.of(taking(IBUPROFEN, "M01AE01")),
        Set.of(), RULES);
    assertEquals(List.of(WarningKind.DUPLICATE_THERAPY), nsaids.stream().map(ClinicalWarning::kind).toList());
    assertEquals(WarningSeverity.MODERATE, nsaids.get(0).severity());
    assertFalse(nsaids.get(0).needsOverride());
    assertTrue(nsaids.get(0).message().contains("M01AE"), nsaids.get(0).message());

    List<ClinicalWarning> same = ClinicalCheck.check(List.of(line("1", IBUPROFEN, "M01AE01")), List.of(taking(IBUPROFEN, "M01AE01")),
        Set.of(), RULES);
    assertEquals(1, same.size(), "one warning for the same ingredient, not a second for its class: " + same);
    assertEquals("DUPLICATE_THERAPY:ibuprofen", same.get(0).key());

    assertTrue(ClinicalCheck.check(List.of(line("1", PARACETAMOL, "N02BE01")), List.of(taking(IBUPROFEN, "M01AE01")), Set.of(), RULES)
        .isEmpty(), "different classes, no rule: nothing");
    assertTrue(ClinicalCheck.check(List.of(line("1", PARACETAMOL, "N02")), List.of(taking(IBUPROFEN, "N02")), Set.of(), RULES).isEmpty(),
        "a code shorter than level 4 says nothing");
  }

  @Test
  void anAllergyIsContraindicatedAndComesFirst() {
    List<ClinicalWarning> w = ClinicalCheck.check(List.of(line("1", ASPIRIN, "B01AC06")), List.of(taking(WARFARIN, null)),
        Set.of(" ASPIRIN "), RULES);
    assertEquals(List.of(WarningKind.ALLERGY, WarningKind.INTERACTION), w.stream().map(ClinicalWarning::kind).toList());
    assertEquals(WarningSeverity.CONTRAINDICATED, w.get(0).severity());
    assertTrue(w.get(0).needsOverride());
  }
}
