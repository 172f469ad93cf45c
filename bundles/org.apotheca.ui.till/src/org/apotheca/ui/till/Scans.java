package org.apotheca.ui.till;

import java.util.regex.Pattern;

import org.apotheca.gs1.Gs1;
import org.apotheca.gs1.Scan;
import org.apotheca.gs1.ScanRefusedException;

/**
 * Tells a scan from a search. What {@link Gs1#parse} reads (EAN-13, UPC-A, GTIN-14, a GS1 element string with or
 * without a symbology prefix such as {@code ]d2}, the parenthesised form) is a code; anything else is a search,
 * unless it was clearly meant as a code (a symbology prefix, a group separator, eight or more digits): then the
 * parser's sentence is shown instead of searching for a misread.
 */
public final class Scans {

  private static final Pattern LONG_DIGITS = Pattern.compile("\\d{8,}");

  private Scans() {
  }

  /** The code in {@code text}, or null when it is a search; IllegalArgumentException(sentence) for a bad scan. */
  public static Scan read(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Gs1.parse(text);
    } catch (ScanRefusedException e) {
      if (looksLikeScan(text)) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      return null;
    }
  }

  /** True for text meant as a code, which a search list should not answer (a scan in progress, a misread). */
  public static boolean looksLikeScan(String text) {
    return text.startsWith("]") || text.indexOf(Gs1.GS) >= 0 || text.startsWith("(0") || LONG_DIGITS.matcher(text).matches();
  }
}
