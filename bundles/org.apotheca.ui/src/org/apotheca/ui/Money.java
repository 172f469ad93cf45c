package org.apotheca.ui;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Amounts as the till shows and reads them: minor units (cents) in, "12.50" out. */
public final class Money {

  private Money() {
  }

  public static String format(long minor) {
    return BigDecimal.valueOf(minor, 2).toPlainString();
  }

  /**
   * Reads what a person typed ("12", "12.5", "12,50", " 7.00 "); refuses anything with more than two decimals or
   * not a number, with a sentence for that person.
   */
  public static long parse(String text) {
    String t = text == null ? "" : text.trim().replace(',', '.');
    if (t.isEmpty()) {
      throw new IllegalArgumentException("Enter an amount.");
    }
    try {
      BigDecimal d = new BigDecimal(t);
      if (d.signum() < 0) {
        throw new IllegalArgumentException("The amount cannot be negative.");
      }
      return d.setScale(2, RoundingMode.UNNECESSARY).movePointRight(2).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("Use at most two decimals: " + text.trim(), e);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Not an amount: " + text.trim(), e);
    }
  }

  /** "20 %", "5.5 %", "0 %" from basis points (hundredths of a percent). */
  public static String vat(int basisPoints) {
    return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString() + " %";
  }
}
