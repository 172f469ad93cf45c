package org.apotheca.gs1.tests;

import static org.apotheca.gs1.tests.Scans.GTIN;
import static org.apotheca.gs1.tests.Scans.assertContains;
import static org.apotheca.gs1.tests.Scans.parse;
import static org.apotheca.gs1.tests.Scans.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apotheca.gs1.Gs1;
import org.apotheca.gs1.Scan;
import org.apotheca.gs1.ScanRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** EAN-13, UPC-A, EAN-8 and GTIN-14 as linear barcodes send them, or as a person types them. */
class PlainCodesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "5012345678900, 05012345678900",   // EAN-13
      "036000291452, 00036000291452",    // UPC-A
      "96385074, 00000096385074",        // EAN-8
      "15012345678907, 15012345678907",  // GTIN-14 (ITF-14, or typed)
  })
  void validCodesBecomeGtin14(String code, String gtin) {
    Scan scan = parse(code);
    assertEquals(gtin, scan.gtin());
    assertNull(scan.lot());
    assertNull(scan.expiry());
    assertNull(scan.serial());
    assertEquals(Map.of("01", gtin), scan.elements());
    assertEquals(gtin, Gs1.toGtin14(code));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "5012345678901, EAN-13, 0",
      "036000291453, UPC-A, 2",
      "96385070, EAN-8, 4",
      "15012345678900, GTIN, 7",
  })
  void wrongCheckDigitRefusesTheScan(String code, String name, int expected) {
    assertEquals("Check digit of " + name + " " + code + " is wrong (expected " + expected
        + "): scan again or type the code", refusal(code));
    assertThrows(ScanRefusedException.class, () -> Gs1.toGtin14(code));
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    assertEquals(GTIN, parse("  5012345678900\r\n").gtin());
    assertEquals(GTIN, parse("\t5012345678900 ").gtin());
    assertEquals(GTIN, Gs1.toGtin14(" 5012345678900\n"));
  }

  @Test
  void digitsTypedInTheirPrintedGroupsAreRefusedPlainly() {
    assertEquals("The code '5 012345 678900' has spaces in it: type the digits without spaces, or scan again",
        refusal("5 012345 678900"));
    assertContains("has spaces in it", refusal("01 05012345678900 17 270331"));
  }

  @Test
  void lineOfAPlainCodeLeavesTheRestEmpty() {
    assertEquals("scan gtin=05012345678900 lot= expiry= serial=", parse("5012345678900").line());
  }

  @ParameterizedTest
  @ValueSource(strings = { "50123456789", "501234567890123", "1234567", "123456789" })
  void otherDigitCountsAreRefused(String code) {
    assertContains("A product code has 8, 12, 13 or 14 digits, but " + code + " has " + code.length(),
        refusal(code));
    assertThrows(ScanRefusedException.class, () -> Gs1.toGtin14(code));
  }

  @Test
  void toGtin14RefusesNonDigitsAndNothing() {
    for (String bad : new String[] { null, "", "   ", "501234567890A", "5012-345678900" }) {
      ScanRefusedException e = assertThrows(ScanRefusedException.class, () -> Gs1.toGtin14(bad), bad);
      Scans.assertPlainSentence(e.getMessage());
    }
  }

  @Test
  void emptyScansAreRefused() {
    for (String empty : new String[] { "", "   ", "\r\n" }) {
      assertEquals("The scan is empty: scan again or type the code", refusal(empty));
    }
    assertEquals("The scan is empty: scan again or type the code",
        assertThrows(ScanRefusedException.class, () -> Gs1.parse(null, Scans.CLOCK)).getMessage());
  }

  @Test
  void checkDigitRuleIsGs1Mod10() {
    assertTrue(Gs1.checkDigitValid("5012345678900"));
    assertTrue(Gs1.checkDigitValid("96385074"));
    assertTrue(Gs1.checkDigitValid("106141411234567897")); // SSCC
    assertTrue(Gs1.checkDigitValid("4012345000009")); // GLN
    assertTrue(Gs1.checkDigitValid("00"));
    assertFalse(Gs1.checkDigitValid("5012345678901"));
    assertFalse(Gs1.checkDigitValid("5012345678909"));
    for (String bad : new String[] { null, "", "0", "501234567890O", " 5012345678900" }) {
      assertFalse(Gs1.checkDigitValid(bad), bad);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "]E05012345678900, 05012345678900",  // EAN-13
      "]E00036000291452, 00036000291452",  // UPC-A as EAN-13
      "]E0036000291452, 00036000291452",   // UPC-A as 12 digits
      "]E496385074, 00000096385074",       // EAN-8
      "]I115012345678907, 15012345678907", // ITF-14
      "]A05012345678900, 05012345678900",  // Code 39 holding a plain EAN
      "]C05012345678900, 05012345678900",  // plain Code 128
  })
  void nonGs1SymbologyIdentifiersAreStrippedAndTheRestIsAPlainCode(String scanned, String gtin) {
    Scan scan = parse(scanned);
    assertEquals(gtin, scan.gtin());
    assertEquals(Map.of("01", gtin), scan.elements());
  }

  @ParameterizedTest(name = "UPC-E {0} is UPC-A {1}")
  @CsvSource({
      "01234565, 012345000065", // last digit 0-2: it moves into the manufacturer number
      "01234531, 012300000451", // 3: three manufacturer digits
      "01234543, 012340000053", // 4: four manufacturer digits
      "01234572, 012345000072", // 5-9: the last digit stays last
  })
  void upcEUnderItsIdentifierIsExpandedToUpcA(String upcE, String upcA) {
    assertEquals("00" + upcA, parse("]E0" + upcE).gtin());
  }

  @Test
  void upcECheckDigitIsThatOfItsUpcA() {
    assertContains("Check digit of UPC-E 01234566 is wrong (expected 5)", refusal("]E001234566"));
    assertContains("must start with 0 or 1", refusal("]E021234565"));
    // without an identifier eight digits are an EAN-8
    assertEquals("00000096385074", parse("96385074").gtin());
  }

  @Test
  void gs1DataUnderANonGs1IdentifierIsNotReadAsGs1() {
    // ]E0 means EAN/UPC: an element string behind it is a misconfigured scanner, not a product code
    assertContains("A product code has 8, 12, 13 or 14 digits", refusal("]E00105012345678900"));
    assertContains("does not carry a product code", refusal("]d1010501234567890010ABC"));
    assertContains("does not carry a product code", refusal("]A0HELLO"));
  }
}
