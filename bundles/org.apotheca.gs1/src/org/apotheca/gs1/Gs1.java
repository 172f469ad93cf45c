package org.apotheca.gs1;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a barcode scanner (or a person) sends at the till: a plain EAN-13, UPC-A, EAN-8 or GTIN-14, or a GS1
 * element string from a GS1 DataMatrix, GS1-128, GS1 DataBar or GS1 QR code, with or without the scanner's AIM
 * symbology identifier, and in the bracketed human-readable form {@code (01)...(17)...}. See docs/gs1.md.
 */
public final class Gs1 {

  /** The group separator (ASCII 29) scanners send for FNC1 between variable-length GS1 fields. */
  public static final char GS = '\u001D';

  private static final Pattern CONSOLE_GS = Pattern.compile("<GS>", Pattern.CASE_INSENSITIVE);

  private Gs1() {
  }

  /**
   * Parses what a scanner (or a person) sent. Throws {@link ScanRefusedException} with a sentence for the till when
   * anything in it is wrong; never returns a partial result. Two-digit years are placed in a century relative to the
   * system clock's current year.
   */
  public static Scan parse(String input) {
    return parse(input, Clock.systemDefaultZone());
  }

  /** {@link #parse(String)} with the clock that decides the century of two-digit years. */
  public static Scan parse(String input, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return new ScanParser(input == null ? "" : input, LocalDate.now(clock)).parse();
  }

  /**
   * Same as {@link #parse(String)}, for the support console where a group separator cannot be typed: the literal
   * marker {@code <GS>} stands for one.
   */
  public static Scan parseConsole(String input) {
    return parseConsole(input, Clock.systemDefaultZone());
  }

  /** {@link #parseConsole(String)} with the clock that decides the century of two-digit years. */
  public static Scan parseConsole(String input, Clock clock) {
    String text = input == null ? "" : CONSOLE_GS.matcher(input).replaceAll(Matcher.quoteReplacement(String.valueOf(GS)));
    return parse(text, clock);
  }

  /**
   * The 14-digit form of an EAN-8, UPC-A, EAN-13 or GTIN-14 (left-padded with zeros) after checking its check digit.
   * Surrounding whitespace is ignored; anything else is refused with {@link ScanRefusedException}.
   */
  public static String toGtin14(String code) {
    String digits = code == null ? "" : code.strip();
    if (digits.isEmpty()) {
      throw new ScanRefusedException("No product code was given: scan again or type the code");
    }
    if (!allDigits(digits)) {
      throw new ScanRefusedException("The product code '" + ScanParser.visible(digits)
          + "' may only contain digits: scan again or type the code");
    }
    String name = switch (digits.length()) {
      case 8 -> "EAN-8";
      case 12 -> "UPC-A";
      case 13 -> "EAN-13";
      case 14 -> "GTIN";
      default -> throw new ScanRefusedException("A product code has 8, 12, 13 or 14 digits, but " + digits + " has "
          + digits.length() + ": scan again or type the code");
    };
    int expected = expectedCheckDigit(digits);
    if (digits.charAt(digits.length() - 1) - '0' != expected) {
      throw new ScanRefusedException(
          "Check digit of " + name + " " + digits + " is wrong (expected " + expected + "): scan again or type the code");
    }
    return "0".repeat(14 - digits.length()) + digits;
  }

  /**
   * Whether the last digit is the GS1 mod-10 check digit of the others (the rule of GTINs, GLNs, SSCCs and the
   * other GS1 keys). False for null, fewer than two characters or anything but digits.
   */
  public static boolean checkDigitValid(String digits) {
    return digits != null && digits.length() >= 2 && allDigits(digits)
        && digits.charAt(digits.length() - 1) - '0' == expectedCheckDigit(digits);
  }

  /** {@code body} followed by its GS1 mod-10 check digit: an EAN-13 from its first 12 digits, and so on. */
  public static String withCheckDigit(String body) {
    return body + expectedCheckDigit(body + "0");
  }

  /** GS1 mod-10 check digit for {@code digits}, whose last digit (the check digit itself) is ignored. */
  public static int expectedCheckDigit(CharSequence digits) {
    int sum = 0;
    boolean triple = true;
    for (int i = digits.length() - 2; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      sum += triple ? 3 * d : d;
      triple = !triple;
    }
    return (10 - sum % 10) % 10;
  }

  static boolean allDigits(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
