package org.apotheca.gs1.tests;

import static org.apotheca.gs1.tests.Scans.GS;
import static org.apotheca.gs1.tests.Scans.GTIN;
import static org.apotheca.gs1.tests.Scans.assertContains;
import static org.apotheca.gs1.tests.Scans.parse;
import static org.apotheca.gs1.tests.Scans.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;

import org.apotheca.gs1.Gs1;
import org.apotheca.gs1.ScanRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expiry (AI 17) and the other YYMMDD dates: day 00, impossible dates, the century window. */
class DatesTest {

  @ParameterizedTest(name = "17{0} -> {1}")
  @CsvSource({
      "270331, 2027-03-31",
      "270400, 2027-04-30", // day 00: last day of the month
      "271200, 2027-12-31",
      "280200, 2028-02-29", // leap year
      "270200, 2027-02-28",
      "000200, 2000-02-29", // 2000 was a leap year although a century
      "280229, 2028-02-29",
  })
  void expiryDates(String yymmdd, LocalDate expected) {
    assertEquals(expected, parse("01" + GTIN + "17" + yymmdd).expiry());
    assertEquals("scan gtin=05012345678900 lot= expiry=" + expected + " serial=",
        parse("(17)" + yymmdd + "(01)" + GTIN).line());
  }

  @ParameterizedTest(name = "17{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "271301|there is no month 13",
      "270001|there is no month 00",
      "270230|February 2027 has no day 30",
      "270229|February 2027 has no day 29",
      "270132|January 2027 has no day 32",
      "270431|April 2027 has no day 31",
  })
  void impossibleExpiryRefusesTheWholeScan(String yymmdd, String reason) {
    assertEquals("The expiry date (AI 17) " + yymmdd + " is not a real date (" + reason + "): scan refused",
        refusal("01" + GTIN + "17" + yymmdd + "10ABC" + GS + "21XYZ"));
  }

  @Test
  void impossibleDateInAnotherDateAiAlsoRefuses() {
    // a misaligned element string shows up as nonsense dates anywhere, so none is let through
    assertContains("The production date (AI 11) 251301 is not a real date (there is no month 13)",
        refusal("01" + GTIN + "11251301" + "17270331"));
    assertContains("The best-before date (AI 15) 270230 is not a real date",
        refusal("01" + GTIN + "15270230" + "17270331"));
    assertContains("The first freeze date (AI 7006) 250100 is not a real date (day 00 is not allowed in this field)",
        refusal("01" + GTIN + "7006250100" + GS + "17270331"));
    assertContains("The date of birth (AI 7250) 19810229 is not a real date (February 1981 has no day 29)",
        refusal("01" + GTIN + "725019810229" + GS));
  }

  @ParameterizedTest(name = "in {0}, YY {1} is {2}")
  @CsvSource({
      "2026, 26, 2026",
      "2026, 76, 2076", // 50 years ahead: still this century
      "2026, 77, 1977", // 51 ahead: previous century
      "2026, 00, 2000",
      "2026, 99, 1999",
      "2000, 50, 2050",
      "2000, 51, 1951",
      "2060, 11, 2011", // 49 behind: this century
      "2060, 10, 2110", // 50 behind: next century
      "2099, 49, 2149",
      "2099, 50, 2050",
      "2099, 00, 2100",
  })
  void centuryFollowsGs1SlidingWindow(int clockYear, String yy, int expectedYear) {
    LocalDate expiry = Gs1.parse("01" + GTIN + "17" + yy + "0615", Scans.clock(clockYear)).expiry();
    assertEquals(LocalDate.of(expectedYear, 6, 15), expiry);
    assertEquals(expiry, Gs1.parseConsole("(01)" + GTIN + "(17)" + yy + "0615", Scans.clock(clockYear)).expiry());
  }

  @Test
  void centuryDecidesWhetherFebruary29Exists() {
    // YY 00 is 2000 (a leap year) seen from 2026, but 2100 (not one) seen from 2099
    assertEquals(LocalDate.of(2000, 2, 29), Gs1.parse("01" + GTIN + "17000229", Scans.clock(2026)).expiry());
    assertContains("February 2100 has no day 29",
        assertThrowsRefusal(() -> Gs1.parse("01" + GTIN + "17000229", Scans.clock(2099))));
  }

  @Test
  void withoutAClockTheSystemClockDecides() {
    LocalDate nextYear = LocalDate.now().plusYears(1);
    String yy = String.format("%02d", nextYear.getYear() % 100);
    assertEquals(LocalDate.of(nextYear.getYear(), 1, 31), Gs1.parse("01" + GTIN + "17" + yy + "0100").expiry());
    assertEquals(nextYear.getYear(), Gs1.parseConsole("(01)" + GTIN + "(17)" + yy + "0131").expiry().getYear());
  }

  private static String assertThrowsRefusal(Executable parse) {
    String message = assertThrows(ScanRefusedException.class, parse).getMessage();
    Scans.assertPlainSentence(message);
    return message;
  }
}
