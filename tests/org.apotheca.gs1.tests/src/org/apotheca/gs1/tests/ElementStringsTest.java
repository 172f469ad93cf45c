package org.apotheca.gs1.tests;

import static org.apotheca.gs1.tests.Scans.CLOCK;
import static org.apotheca.gs1.tests.Scans.GS;
import static org.apotheca.gs1.tests.Scans.GTIN;
import static org.apotheca.gs1.tests.Scans.assertContains;
import static org.apotheca.gs1.tests.Scans.parse;
import static org.apotheca.gs1.tests.Scans.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apotheca.gs1.Gs1;
import org.apotheca.gs1.Scan;
import org.apotheca.gs1.ScanRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GS1 element strings as DataMatrix, GS1-128, DataBar and GS1 QR scanners send them, and the bracketed form. */
class ElementStringsTest {

  /** The usual pharmacy pack: GTIN, expiry, lot, separator, serial. */
  static final String PACK = "01" + GTIN + "17270331" + "10ABC123" + GS + "21XYZ";

  static final String PACK_LINE = "scan gtin=05012345678900 lot=ABC123 expiry=2027-03-31 serial=XYZ";

  @Test
  void dataMatrixPackWithSeparatorBetweenVariableFields() {
    Scan scan = parse(PACK);
    assertEquals(GTIN, scan.gtin());
    assertEquals("ABC123", scan.lot());
    assertEquals(LocalDate.of(2027, 3, 31), scan.expiry());
    assertEquals("XYZ", scan.serial());
    assertEquals(List.of("01", "17", "10", "21"), List.copyOf(scan.elements().keySet()));
    assertEquals(Map.of("01", GTIN, "17", "270331", "10", "ABC123", "21", "XYZ"), scan.elements());
    assertEquals(PACK_LINE, scan.line());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = { "]d2", "]C1", "]e0", "]Q3", "]J1" })
  void gs1SymbologyIdentifiersAreStripped(String identifier) {
    assertEquals(PACK_LINE, parse(identifier + PACK).line());
  }

  @Test
  void dataBarCarriesOnlyTheGtin() {
    Scan scan = parse("]e001" + GTIN);
    assertEquals(GTIN, scan.gtin());
    assertEquals(Map.of("01", GTIN), scan.elements());
  }

  @Test
  void bracketedHumanReadableForm() {
    assertEquals(PACK_LINE, parse("(01)05012345678900(17)270331(10)ABC123(21)XYZ").line());
    // as printed under the symbol, and as a person types it
    assertEquals(PACK_LINE, parse("(01) 05012345678900 (17) 270331 (10) ABC123 (21) XYZ").line());
    // a value ends at the next bracket, so no separator is needed even after a variable-length field
    assertEquals(PACK_LINE, parse("]d2(10)ABC123(21)XYZ(01)05012345678900(17)270331").line());
  }

  @Test
  void bracketedFormChecksLengthsToo() {
    assertContains("must have exactly 14 digits, not 13", refusal("(01)5012345678900(10)A"));
    assertContains("more than the 20", refusal("(01)05012345678900(10)ABCDEFGHIJKLMNOPQRSTU"));
    assertContains("never closed", refusal("(01)05012345678900(10ABC"));
    assertEquals("Unknown GS1 application identifier '04' at position 2: scan refused", refusal("(04)1234567890123456"));
  }

  @Test
  void aisInAnyOrder() {
    Scan scan = parse("21XYZ" + GS + "10ABC123" + GS + "17270331" + "01" + GTIN);
    assertEquals(PACK_LINE, scan.line());
    assertEquals(List.of("21", "10", "17", "01"), List.copyOf(scan.elements().keySet()));
  }

  @Test
  void lastVariableFieldNeedsNoTrailingSeparator() {
    Scan scan = parse("01" + GTIN + "17270331" + "21XYZ" + GS + "10ABC123");
    assertEquals("ABC123", scan.lot());
    assertEquals("XYZ", scan.serial());
  }

  @Test
  void leadingTrailingAndDoubledSeparatorsAreTolerated() {
    assertEquals(PACK_LINE, parse(GS + PACK + GS).line());
    assertEquals(PACK_LINE, parse("]d2" + GS + GS + "01" + GTIN + GS + "17270331" + GS + GS + "10ABC123" + GS + GS
        + GS + "21XYZ" + GS + GS).line());
  }

  @Test
  void theTillsFieldsAreFoundAmongOtherAis() {
    String scanned = "]d2" + "01" + GTIN
        + "11250115"                 // production date (predefined length, no separator)
        + "15270630"                 // best before
        + "3103000250"               // net weight 0.250 kg (4-digit AI, predefined length)
        + "30" + "12" + GS           // count (variable)
        + "3922" + "1995" + GS       // price with 2 decimals (variable)
        + "422" + "250" + GS         // country of origin (fixed length, but needs a separator)
        + "7003" + "2703311230" + GS // expiry date and time (fixed 10, needs a separator)
        + "8005" + "000450" + GS     // price per unit (fixed 6, needs a separator)
        + "17270331"
        + "10ABC123" + GS
        + "91" + "COMPANY-INTERNAL/1" + GS
        + "21XYZ";
    Scan scan = parse(scanned);
    assertEquals(PACK_LINE, scan.line());
    assertEquals(List.of("01", "11", "15", "3103", "30", "3922", "422", "7003", "8005", "17", "10", "91", "21"),
        List.copyOf(scan.elements().keySet()));
    assertEquals("000250", scan.elements().get("3103"));
    assertEquals("12", scan.elements().get("30"));
    assertEquals("1995", scan.elements().get("3922"));
    assertEquals("250", scan.elements().get("422"));
    assertEquals("2703311230", scan.elements().get("7003"));
    assertEquals("000450", scan.elements().get("8005"));
    assertEquals("COMPANY-INTERNAL/1", scan.elements().get("91"));
  }

  @ParameterizedTest(name = "AI {0}")
  @ValueSource(strings = { "91", "92", "93", "94", "95", "96", "97", "98", "99" })
  void companyInternalAisAreVariableUpTo90(String ai) {
    String value90 = "A".repeat(45) + "0123456789-_.:;%&'()*+,/<=>?!\"".repeat(2).substring(0, 45);
    Scan scan = parse("01" + GTIN + ai + "x1" + GS + "10LOT7" + GS + "17270331");
    assertEquals("x1", scan.elements().get(ai));
    assertEquals("LOT7", scan.lot());
    assertEquals(value90, parse("01" + GTIN + ai + value90 + GS + "21S1").elements().get(ai));
    assertContains("more than the 90", refusal("01" + GTIN + ai + value90 + "Z" + GS + "21S1"));
  }

  @Test
  void unknownAiIsRefused() {
    assertEquals("Unknown GS1 application identifier '05' at position 17: scan refused",
        refusal("01" + GTIN + "0512345"));
    // 23 starts three-digit AIs, of which only 235 exists
    assertEquals("Unknown GS1 application identifier '239' at position 17: scan refused",
        refusal("01" + GTIN + "239ABC"));
    // 31xx are four digits with predefined length, yet 3170 is not assigned
    assertEquals("Unknown GS1 application identifier '3170' at position 20: scan refused",
        refusal("]d201" + GTIN + "3170123456"));
    // reserved in the predefined-length table, but no AI
    assertEquals("Unknown GS1 application identifier '14' at position 17: scan refused",
        refusal("01" + GTIN + "14123456"));
  }

  @Test
  void somethingOtherThanAnAiWhereOneShouldStartIsRefused() {
    assertContains("'AB' at position 17 where a GS1 application identifier", refusal("01" + GTIN + "AB12"));
    assertContains("'A' at position 17 where a GS1 application identifier", refusal("01" + GTIN + "A"));
    assertEquals("The scan ends with an incomplete application identifier '1' at position 17: scan again or type "
        + "the code", refusal("01" + GTIN + "1"));
    assertContains("incomplete application identifier '310' at position 17", refusal("01" + GTIN + "310"));
    assertContains("neither a product code nor GS1 data", refusal("hello world"));
    assertContains("IFA/ASC", refusal("[)>\u001E06" + GS + "9N110375286414" + GS + "1TABC"));
  }

  @Test
  void elementStringWithoutProductCodeIsRefused() {
    assertEquals("The scan has no product code (AI 01): scan the product barcode or type the code",
        refusal("]d21727033110ABC123"));
    // a contained-product code (AI 02) is not what the till sells
    assertContains("The scan has no product code (AI 01)", refusal("02" + "15012345678907" + "3712" + GS));
  }

  @Test
  void gtinCheckDigitIsVerifiedInElementStrings() {
    assertEquals("Check digit of GTIN 05012345678901 is wrong (expected 0): scan again or type the code",
        refusal("]d20105012345678901" + "17270331"));
    assertEquals("Check digit of GTIN 05012345678901 is wrong (expected 0): scan again or type the code",
        refusal("(01)05012345678901(10)A"));
  }

  @Test
  void numericFieldsMustBeDigits() {
    assertContains("The product code (AI 01) may only contain digits, but has 'O'",
        refusal("0105O12345678900" + "10A"));
    assertContains("The expiry date (AI 17) may only contain digits, but has 'O'",
        refusal("01" + GTIN + "1727O331"));
    assertContains("The variable count (AI 30) may only contain digits, but has 'x'",
        refusal("01" + GTIN + "3012x" + GS + "10A"));
  }

  @Test
  void separatorInsideFixedLengthFieldIsRefused() {
    assertEquals("A separator interrupts the product code (AI 01) after 7 of its 14 digits: scan refused",
        refusal("]d2010501234" + GS + "5678900" + "10ABC"));
    assertEquals("A separator interrupts the expiry date (AI 17) after 4 of its 6 digits: scan refused",
        refusal("01" + GTIN + "172703" + GS + "31" + "10ABC"));
    // fixed length outside the predefined-length table: the separator comes too early
    assertEquals("A separator interrupts the price per unit (AI 8005) after 3 of its 6 digits: scan refused",
        refusal("01" + GTIN + "8005123" + GS + "456"));
    assertEquals("A separator interrupts the expiry date (AI 17) after 2 of its 6 digits: scan refused",
        refusal("(01)05012345678900(17)27" + GS + "0331"));
  }

  @Test
  void fixedLengthFieldOutsideThePredefinedTableIsNotSplitByCount() {
    // 422 is three digits but not in the predefined-length table: without its separator the lot runs into it
    assertEquals("The country of origin (AI 422) must have exactly 3 digits, not 8: scan refused",
        refusal("01" + GTIN + "422250" + "10ABC"));
  }

  @Test
  void scanCutOffInsideAFixedFieldIsRefused() {
    assertEquals("The scan ends in the middle of the expiry date (AI 17), after 4 of its 6 digits: "
        + "scan again or type the code", refusal("01" + GTIN + "172703"));
    assertContains("The scan ends in the middle of the product code (AI 01), after 10 of its 14 digits",
        refusal("]d2010501234567"));
  }

  @Test
  void overlongLotIsRefused() {
    assertEquals("A".repeat(20), parse("01" + GTIN + "10" + "A".repeat(20) + GS + "21X").lot());
    assertEquals("The lot (AI 10) has 21 characters, more than the 20 GS1 allows (a separator may be missing): "
        + "scan refused", refusal("01" + GTIN + "10" + "A".repeat(21) + GS + "21X"));
    // the usual cause: the separator after the lot is missing and the serial runs into it
    assertContains("The lot (AI 10) has 22 characters", refusal("01" + GTIN + "10ABCDEFGHIJKLMNOP21XYZ1"));
  }

  @Test
  void emptyVariableFieldIsRefused() {
    assertEquals("The lot (AI 10) is empty: scan refused", refusal("01" + GTIN + "10" + GS + "21XYZ"));
  }

  @Test
  void alphanumericFieldsTakeCharacterSet82Only() {
    String punctuation = "!\"%&'()*+,-./:;<=>?_";
    Scan scan = parse("01" + GTIN + "10" + punctuation + GS + "21azAZ09");
    assertEquals(punctuation, scan.lot());
    assertEquals("azAZ09", scan.serial());
    assertContains("The lot (AI 10) contains 'é'", refusal("01" + GTIN + "10LOTé" + GS + "21X"));
    assertContains("The serial number (AI 21) contains '#'", refusal("01" + GTIN + "21AB#1"));
    assertContains("The lot (AI 10) contains a space", refusal("01" + GTIN + "10AB 12" + GS + "21X"));
    assertContains("The lot (AI 10) contains the control character U+001E", refusal("01" + GTIN + "10AB\u001E"
        + GS + "21X"));
  }

  @Test
  void duplicatedAiWithConflictingValuesIsRefused() {
    assertEquals("The scan carries the lot (AI 10) twice with different values, 'A1' and 'B2': scan refused",
        refusal("01" + GTIN + "10A1" + GS + "10B2"));
    assertContains("The scan carries the product code (AI 01) twice",
        refusal("01" + GTIN + "0115012345678907"));
    // the same value twice says nothing new
    Scan scan = parse("01" + GTIN + "10A1" + GS + "01" + GTIN + "10A1");
    assertEquals("A1", scan.lot());
    assertEquals(List.of("01", "10"), List.copyOf(scan.elements().keySet()));
  }

  @Test
  void consoleMarkerStandsForTheSeparator() {
    String typed = "]d2010501234567890017270331" + "10ABC123<GS>21XYZ";
    assertEquals(PACK_LINE, Gs1.parseConsole(typed, CLOCK).line());
    assertEquals(PACK_LINE, Gs1.parseConsole("  010501234567890017270331<gs>10ABC123<GS><GS>21XYZ<GS> ", CLOCK).line());
    // at the till '<', 'G', 'S' and '>' are ordinary lot characters
    Scan scan = parse(typed);
    assertEquals("ABC123<GS>21XYZ", scan.lot());
    assertNull(scan.serial());
    assertContains("more than the 20",
        assertThrows(ScanRefusedException.class,
            () -> Gs1.parseConsole("0105012345678900" + "10ABCDEFGHIJKLMNOPQRSTU<GS>21X", CLOCK)).getMessage());
  }

  @Test
  void elementsCannotBeChanged() {
    Scan scan = parse(PACK);
    assertThrows(UnsupportedOperationException.class, () -> scan.elements().put("10", "OTHER"));
    assertThrows(UnsupportedOperationException.class, () -> scan.elements().remove("21"));
  }

  @Test
  void scanRecordLineAndGtinShape() {
    assertEquals("scan gtin=05012345678900 lot=L expiry= serial=",
        new Scan(GTIN, "L", null, null, Map.of()).line());
    assertThrows(IllegalArgumentException.class, () -> new Scan("5012345678900", null, null, null, Map.of()));
  }
}
