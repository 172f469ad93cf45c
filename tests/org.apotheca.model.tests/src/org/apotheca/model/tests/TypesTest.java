package org.apotheca.model.tests;

import static org.apotheca.model.tests.Model.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.apotheca.model.money.Money;
import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.EDataType;
import org.eclipse.emf.ecore.EEnum;
import org.eclipse.emf.ecore.EcorePackage;
import org.junit.jupiter.api.Test;

/** Attribute types that CDO replicates faithfully: money in long minor units, no decimals, no EDate. */
class TypesTest {

	private static final EcorePackage E = EcorePackage.eINSTANCE;

	/** The only data types the model may use (plus its own EEnums). */
	private static final Set<EDataType> ALLOWED = Set.of(E.getEString(), E.getELong(), E.getEInt(), E.getEBoolean());

	/** Attribute names that talk about money. */
	private static final Pattern MONEY_WORDS = Pattern.compile(
			".*(price|cost|amount|total|cash|float|change|tendered|difference|balance|vat|discount).*");

	@Test
	void noDecimalFloatingPointOrDateTypes() {
		Set<EDataType> forbidden = Set.of(E.getEBigDecimal(), E.getEBigInteger(), E.getEFloat(), E.getEFloatObject(),
				E.getEDouble(), E.getEDoubleObject(), E.getEDate());
		List<String> offenders = new ArrayList<>();
		for (EAttribute attribute : Model.attributes()) {
			EDataType type = attribute.getEAttributeType();
			if (forbidden.contains(type) || !(ALLOWED.contains(type) || type instanceof EEnum && type.getEPackage() == Model.P)) {
				offenders.add(Model.name(attribute) + " : " + type.getName());
			}
		}
		assertNone("attribute types are EString/ELong/EInt/EBoolean or a model EEnum (never BigDecimal, double, EDate)", offenders);
	}

	@Test
	void moneyIsLongMinorUnits() {
		List<String> offenders = new ArrayList<>();
		for (EAttribute attribute : Model.attributes()) {
			String name = attribute.getName();
			boolean minor = name.endsWith("Minor");
			if (minor && (attribute.getEAttributeType() != E.getELong() || attribute.isMany())) {
				offenders.add(Model.name(attribute) + " ends in Minor but is " + attribute.getEAttributeType().getName());
			}
			boolean numeric = attribute.getEAttributeType() == E.getELong() || attribute.getEAttributeType() == E.getEInt();
			String lower = name.toLowerCase(Locale.ROOT);
			boolean exempt = lower.endsWith("basispoints") || lower.startsWith("quantity") || lower.endsWith("quantity")
					|| lower.equals("balanceafter") || lower.equals("openingbalance");
			if (numeric && !minor && !exempt && MONEY_WORDS.matcher(lower).matches()) {
				offenders.add(Model.name(attribute) + " looks like money but does not end in Minor");
			}
		}
		assertNone("money attributes are single 'long' fields named ...Minor", offenders);
	}

	@Test
	void instantsAreEpochMillisAndDaysAreIsoStrings() {
		List<String> offenders = new ArrayList<>();
		for (EAttribute attribute : Model.attributes()) {
			String name = attribute.getName();
			if (name.endsWith("At") && attribute.getEAttributeType() != E.getELong()) {
				offenders.add(Model.name(attribute) + " (instant) is not ELong");
			}
			if (name.endsWith("Date") && attribute.getEAttributeType() != E.getEString()) {
				offenders.add(Model.name(attribute) + " (calendar day) is not an ISO EString");
			}
		}
		assertNone("...At = long epoch millis, ...Date = 'yyyy-MM-dd' strings", offenders);
	}

	@Test
	void ratesAreIntegerBasisPoints() {
		List<String> offenders = new ArrayList<>();
		for (EAttribute attribute : Model.attributes()) {
			String lower = attribute.getName().toLowerCase(Locale.ROOT);
			if (lower.contains("rate") && attribute.getEAttributeType() != E.getEInt() && !(attribute.getEType() instanceof EEnum)) {
				offenders.add(Model.name(attribute));
			}
		}
		assertNone("rates are EInt basis points", offenders);
	}

	@Test
	void moneyHelper() {
		assertEquals("12.34", Money.toPlainString(1234, 2));
		assertEquals("-0.05", Money.toPlainString(-5, 2));
		assertEquals("0.00", Money.toPlainString(0, 2));
		assertEquals("1500", Money.toPlainString(1500, 0));
		assertEquals("1.234 KWD", Money.format(1234, "KWD"));
		assertEquals(1234, Money.parse("12.34", 2));
		assertEquals(1230, Money.parse("12.3", 2));
		assertEquals(-50, Money.parse("-0.5", 2));
		assertEquals(700, Money.parse("7", 2));
		assertThrows(NumberFormatException.class, () -> Money.parse("12.345", 2));
		assertThrows(NumberFormatException.class, () -> Money.parse("1,00", 2));
		assertEquals(200, Money.vatIncluded(1200, 2000)); // 12.00 incl. 20 % VAT -> 2.00 VAT
		assertEquals(17, Money.vatIncluded(100, 2000)); // 16.67 rounds to 17
		assertEquals(-17, Money.vatIncluded(-100, 2000));
		assertEquals(0, Money.vatIncluded(999, 0));
		assertThrows(ArithmeticException.class, () -> Money.times(Long.MAX_VALUE / 2, 3));
	}
}
