package org.apotheca.gs1.tests;

import static org.apotheca.gs1.tests.Scans.GS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apotheca.gs1.Gs1;
import org.apotheca.gs1.ScanRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever goes wrong, the till gets one plain sentence: no class names, no stack traces, no raw control bytes. */
class MessagesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "", "x", "]", "]d2", "]d2\u001D\u001D", "036000291453", "0105012345678901",
      "01050123456789001713", "010501234567890017271399", "0105012345678900\u001D99", "0105012345678900##",
      "0105012345678900109999999999999999999999999", "(01", "(01)", "()", "(0A)1", "(01)05012345678900(17)",
      "]E0ABC", "]E001234566", "0105012345678900\u001E10A", "01050123456789001710\u001D0101", "9999999999999999",
      "0105012345678900" + "8030\u00e9", "0105012345678900" + "7003" + "27033112", "\u001D\u001D0105012345678",
  })
  void everyRefusalIsAPlainSentence(String input) {
    ScanRefusedException e = assertThrows(ScanRefusedException.class, () -> Gs1.parse(input, Scans.CLOCK));
    Scans.assertPlainSentence(e.getMessage());
    assertTrue(e.getMessage().endsWith("scan refused") || e.getMessage().endsWith("scan again")
        || e.getMessage().endsWith("type the code"), e.getMessage());
    // the console form refuses the same text for the same reason
    assertEquals(e.getMessage(),
        assertThrows(ScanRefusedException.class, () -> Gs1.parseConsole(input, Scans.CLOCK)).getMessage());
  }

  @Test
  void quotedScanTextShowsSeparatorsAndControlCharactersReadably() {
    assertEquals("The scan 'hello<GS>world' is neither a product code nor GS1 data: scan again or type the code",
        Scans.refusal("hello" + GS + "world"));
    assertEquals("This barcode does not carry a product code (it reads 'ABC<GS>DEF<U+0001>'): scan the product "
        + "barcode or type the code", Scans.refusal("]A0ABC" + GS + "DEF\u0001"));
  }
}
