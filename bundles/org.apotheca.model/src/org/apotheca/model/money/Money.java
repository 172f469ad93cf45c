package org.apotheca.model.money;

import java.util.Currency;

/**
 * Arithmetic and formatting for money held as integer minor units ({@code long}, e.g. pence or cents),
 * the only representation the model uses. No floating point, no BigDecimal: amounts replicate through CDO
 * as plain BIGINT.
 */
public final class Money {

	private Money() {
	}

	/** Minor-unit digits of an ISO 4217 currency (2 for GBP/EUR, 0 for JPY, 3 for KWD). */
	public static int fractionDigits(String currencyCode) {
		int digits = Currency.getInstance(currencyCode).getDefaultFractionDigits();
		return Math.max(digits, 0);
	}

	/** Plain decimal text of an amount, e.g. {@code 1234, 2 -> "12.34"}, {@code -5, 2 -> "-0.05"}. */
	public static String toPlainString(long minor, int fractionDigits) {
		if (fractionDigits < 0 || fractionDigits > 6) {
			throw new IllegalArgumentException("fractionDigits " + fractionDigits);
		}
		if (fractionDigits == 0) {
			return Long.toString(minor);
		}
		String sign = minor < 0 ? "-" : "";
		String digits = minor == Long.MIN_VALUE ? Long.toString(minor).substring(1) : Long.toString(Math.abs(minor));
		while (digits.length() <= fractionDigits) {
			digits = "0" + digits;
		}
		int point = digits.length() - fractionDigits;
		return sign + digits.substring(0, point) + "." + digits.substring(point);
	}

	/** Plain decimal text with the currency code, e.g. {@code "12.34 GBP"}. */
	public static String format(long minor, String currencyCode) {
		return toPlainString(minor, fractionDigits(currencyCode)) + " " + currencyCode;
	}

	/** Parses plain decimal text ({@code "12.34"}, {@code "-0.5"}, {@code "7"}) into minor units; rejects excess digits. */
	public static long parse(String text, int fractionDigits) {
		String s = text.trim();
		boolean negative = s.startsWith("-");
		if (negative || s.startsWith("+")) {
			s = s.substring(1);
		}
		int point = s.indexOf('.');
		String whole = point < 0 ? s : s.substring(0, point);
		String fraction = point < 0 ? "" : s.substring(point + 1);
		if (whole.isEmpty() && fraction.isEmpty() || !(whole + fraction).chars().allMatch(Character::isDigit)) {
			throw new NumberFormatException("not an amount: " + text);
		}
		if (fraction.length() > fractionDigits) {
			throw new NumberFormatException("more than " + fractionDigits + " decimals: " + text);
		}
		StringBuilder digits = new StringBuilder(whole.isEmpty() ? "0" : whole).append(fraction);
		for (int i = fraction.length(); i < fractionDigits; i++) {
			digits.append('0');
		}
		long value = Long.parseLong(digits.toString());
		return negative ? -value : value;
	}

	/** quantity x unit price, failing on overflow instead of wrapping. */
	public static long times(long unitMinor, long quantity) {
		return Math.multiplyExact(unitMinor, quantity);
	}

	/**
	 * The VAT contained in a VAT-inclusive amount, rounded half away from zero:
	 * {@code gross * rate / (10000 + rate)} with the rate in basis points (2000 = 20 %).
	 */
	public static long vatIncluded(long grossMinor, int rateBasisPoints) {
		if (rateBasisPoints < 0) {
			throw new IllegalArgumentException("negative VAT rate " + rateBasisPoints);
		}
		long numerator = Math.multiplyExact(Math.abs(grossMinor), (long) rateBasisPoints);
		long denominator = 10_000L + rateBasisPoints;
		long vat = (numerator + denominator / 2) / denominator;
		return grossMinor < 0 ? -vat : vat;
	}
}
