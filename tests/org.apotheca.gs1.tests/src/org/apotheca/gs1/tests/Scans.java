package org.apotheca.gs1.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apotheca.gs1.Gs1;
import org.apotheca.gs1.Scan;
import org.apotheca.gs1.ScanRefusedException;

/** Shared inputs and assertions of the GS1 tests. */
final class Scans {

  static final String GS = String.valueOf(Gs1.GS);

  /** Two-digit years are read against mid-2026 unless a test says otherwise. */
  static final Clock CLOCK = clock(2026);

  /** EAN-13 5012345678900 as a GTIN-14. */
  static final String GTIN = "05012345678900";

  private Scans() {
  }

  static Clock clock(int year) {
    return Clock.fixed(Instant.parse(year + "-06-15T10:00:00Z"), ZoneOffset.UTC);
  }

  static Scan parse(String input) {
    return Gs1.parse(input, CLOCK);
  }

  /** The sentence the till would show; fails unless the scan is refused with a plain sentence. */
  static String refusal(String input) {
    ScanRefusedException e = assertThrows(ScanRefusedException.class, () -> Gs1.parse(input, CLOCK),
        () -> "should be refused: " + input);
    assertPlainSentence(e.getMessage());
    return e.getMessage();
  }

  static void assertPlainSentence(String message) {
    assertTrue(message != null && !message.isBlank(), "a refusal needs a message");
    assertTrue(Character.isUpperCase(message.charAt(0)), () -> "starts like a sentence: " + message);
    for (String technical : new String[] { "Exception", "exception", "java.", "org.apotheca", "null", "\tat ",
        "Error", "NumberFormat", "DateTime", "ScanRefused", "Gs1.", "AiTable", "Part[", "Ai[", "Charset",
        "NUMERIC", "CSET", "YYMMD0", "CSUM" }) {
      assertFalse(message.contains(technical), () -> "'" + technical + "' in a message for the till: " + message);
    }
    assertFalse(message.chars().anyMatch(Character::isISOControl), () -> "control character in: " + message);
  }

  static void assertContains(String expected, String actual) {
    assertTrue(actual.contains(expected), () -> "expected '" + expected + "' in: " + actual);
  }
}
