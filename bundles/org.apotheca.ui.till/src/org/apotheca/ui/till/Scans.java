package org.apotheca.ui.till;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.regex.Pattern;

/**
 * Tells a scan from a search. A plain EAN-13 / UPC-A / GTIN-14 or a GS1 element string (with symbology prefix such
 * as {@code ]d2}, or in the parenthesised form) is a code; anything else is a search, unless it clearly was meant as
 * a code (all digits, a symbology prefix, a group separator): then it is refused with a sentence.
 * <p>
 * Interim parser until org.apotheca.gs1 lands: AIs 01, 17, 10, 21 only.
 */
public final class Scans {

  /** What a scan carried; lot, expiry and serial are null when the code had none. */
  public record Scanned(String gtin, String lot, LocalDate expiry, String serial) {
  }

  private static final char GS = '\u001D';
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private Scans() {
  }

  /** The code in {@code text}, or null when it is a search; IllegalArgumentException(sentence) for a bad scan. */
  public static Scanned read(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      if (looksLikeScan(text)) {
        throw e;
      }
      return null;
    }
  }

  static boolean looksLikeScan(String text) {
    return text.startsWith("]") || text.indexOf(GS) >= 0 || text.startsWith("(01)")
        || DIGITS.matcher(text).matches() && text.length() >= 8;
  }

  static Scanned parse(String scan) {
    String s = scan;
    if (s.startsWith("]")) {
      if (s.length() < 3) {
        throw new IllegalArgumentException("This scan is cut short: scan it again.");
      }
      s = s.substring(3);
    }
    if (s.startsWith("(")) {
      s = s.replaceAll("\\((\\d{2,4})\\)", GS + "$1").substring(1);
    }
    if (DIGITS.matcher(s).matches() && (s.length() == 8 || s.length() == 12 || s.length() == 13 || s.length() == 14)) {
      return new Scanned(gtin(s), null, null, null);
    }
    String gtin = null;
    String lot = null;
    LocalDate expiry = null;
    String serial = null;
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) == GS) {
        i++;
        continue;
      }
      if (i + 2 > s.length()) {
        throw new IllegalArgumentException("This code ends in the middle of an element: scan it again.");
      }
      String ai = s.substring(i, i + 2);
      i += 2;
      switch (ai) {
        case "01" -> {
          gtin = gtin(fixed(s, i, 14, "GTIN"));
          i += 14;
        }
        case "17" -> {
          expiry = expiry(fixed(s, i, 6, "expiry date"));
          i += 6;
        }
        case "10", "21" -> {
          int end = s.indexOf(GS, i);
          end = end < 0 ? s.length() : end;
          String value = s.substring(i, end);
          if (value.isEmpty() || value.length() > 20) {
            throw new IllegalArgumentException("The " + ("10".equals(ai) ? "lot" : "serial number")
                + " in this code is " + (value.isEmpty() ? "empty" : "longer than 20 characters") + ".");
          }
          if ("10".equals(ai)) {
            lot = value;
          } else {
            serial = value;
          }
          i = end;
        }
        default -> throw new IllegalArgumentException("This code has an element (" + ai + ") the till does not read.");
      }
    }
    if (gtin == null) {
      throw new IllegalArgumentException("This code has no product number (GTIN).");
    }
    return new Scanned(gtin, lot, expiry, serial);
  }

  private static String fixed(String s, int at, int length, String what) {
    if (at + length > s.length() || !DIGITS.matcher(s.substring(at, at + length)).matches()) {
      throw new IllegalArgumentException("The " + what + " in this code is cut short: scan it again.");
    }
    return s.substring(at, at + length);
  }

  private static LocalDate expiry(String yymmdd) {
    int yy = Integer.parseInt(yymmdd.substring(0, 2));
    int mm = Integer.parseInt(yymmdd.substring(2, 4));
    int dd = Integer.parseInt(yymmdd.substring(4, 6));
    if (mm < 1 || mm > 12) {
      throw new IllegalArgumentException("The expiry date in this code is not a date: " + yymmdd + ".");
    }
    YearMonth ym = YearMonth.of(2000 + yy, mm);
    return dd == 0 ? ym.atEndOfMonth() : ym.atDay(Math.min(dd, ym.lengthOfMonth()));
  }

  private static String gtin(String digits) {
    String g = "0".repeat(14 - digits.length()) + digits;
    int sum = 0;
    for (int i = 0; i < 13; i++) {
      sum += (g.charAt(i) - '0') * (i % 2 == 0 ? 3 : 1);
    }
    if ((10 - sum % 10) % 10 != g.charAt(13) - '0') {
      throw new IllegalArgumentException("The check digit of " + digits + " is wrong: scan it again or type it.");
    }
    return g;
  }
}
