package org.apotheca.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apotheca.core.catalogue.InteractionCsv;
import org.apotheca.model.InteractionSeverity;
import org.junit.jupiter.api.Test;

/** The interaction-rules file: told from a product file by its header, quoting as in the product file, every problem. */
class InteractionCsvTest {

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRulesFileIsToldApartByItsHeader() {
    assertTrue(InteractionCsv.isRulesFile(bytes("\uFEFF\r\n Ingredient_A ,ingredient_b,severity,description\r\n")));
    assertFalse(InteractionCsv.isRulesFile(bytes("barcode,name,price_minor,vat_bp\r\n")));
    assertFalse(InteractionCsv.isRulesFile(bytes("")));
  }

  @Test
  void readsQuotedAdviceWithdrawalsAndColumnsInAnyOrder() {
    InteractionCsv.Parsed p = InteractionCsv.parse(bytes("severity,description,ingredient_b,ingredient_a,advice\r\n"
        + "major,Increased bleeding risk,Aspirin,Warfarin,\"Avoid; if needed, monitor INR\"\r\n"
        + "WITHDRAWN,,Tramadol,Citalopram,\r\n"));
    assertTrue(p.ok(), p.problems().toString());
    assertEquals(new InteractionCsv.Rule(2, "Warfarin", "Aspirin", InteractionSeverity.MAJOR, "Increased bleeding risk",
        "Avoid; if needed, monitor INR"), p.rules().get(0));
    assertNull(p.rules().get(1).severity(), "withdrawn");
  }

  @Test
  void everyProblemIsListedWithItsLine() {
    InteractionCsv.Parsed p = InteractionCsv.parse(bytes("ingredient_a,ingredient_b,severity\r\n"));
    assertEquals(List.of("line 1: the header has no column 'description' (required: ingredient_a, ingredient_b, severity, description)"),
        p.problems().stream().map(Object::toString).toList());
    p = InteractionCsv.parse(bytes("ingredient_a,ingredient_b,severity,description\r\n"
        + "Warfarin,Aspirin,MAJOR,Bleeding\r\n"
        + "aspirin,warfarin,MINOR,Again\r\n"
        + ",Aspirin,MAJOR,x\r\n"
        + "Warfarin,Naproxen,MAJOR,\"" + "x".repeat(501) + "\"\r\n"
        + "Warfarin,Naproxen\r\n"));
    assertEquals(List.of("line 3: aspirin with warfarin is also on line 2 (one row per pair)",
        "line 4: a rule names two active ingredients (ingredient_a and ingredient_b)",
        "line 5: description and advice have at most 500 characters each",
        "line 6: 2 fields, but the header has 4 columns (a comma inside a value needs the value in double quotes)"),
        p.problems().stream().map(Object::toString).toList());
    assertEquals(1, p.rules().size());
  }
}
