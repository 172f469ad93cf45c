package org.apotheca.model.tests;

import static org.apotheca.model.tests.Model.P;
import static org.apotheca.model.tests.Model.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.Product;
import org.apotheca.model.Sale;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.model.ownership.Ownership.Owner;
import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.EcorePackage;
import org.junit.jupiter.api.Test;

/** Ownership is explicit in the model, consistent, and what the Ownership helper answers. */
class OwnershipTest {

	@Test
	void everyConcreteClassExtendsExactlyOneOwnerBase() {
		List<String> offenders = new ArrayList<>();
		for (EClass eClass : Model.concreteClasses()) {
			boolean central = P.getCentralOwned().isSuperTypeOf(eClass);
			boolean site = P.getSiteOwned().isSuperTypeOf(eClass);
			if (central == site) {
				offenders.add(eClass.getName() + (central ? " extends both" : " extends neither"));
			}
		}
		assertNone("every concrete class extends exactly one of CentralOwned / SiteOwned", offenders);
	}

	@Test
	void everyClassCarriesTheMatchingOwnershipAnnotation() {
		List<String> offenders = new ArrayList<>();
		for (EClass eClass : Model.classes()) {
			if (eClass == P.getIdentified()) {
				continue; // the common root is owned by neither
			}
			String annotated = Ownership.annotatedOwner(eClass);
			String expected = P.getCentralOwned().isSuperTypeOf(eClass) ? "central"
					: P.getSiteOwned().isSuperTypeOf(eClass) ? "site" : "?";
			if (!expected.equals(annotated)) {
				offenders.add(eClass.getName() + ": annotated " + annotated + ", extends " + expected);
			}
		}
		assertNone("every class is annotated " + Ownership.ANNOTATION_SOURCE + " owner=<what it extends>", offenders);
	}

	@Test
	void everyClassHasIdAndSiteIdStrings() {
		List<String> offenders = new ArrayList<>();
		for (EClass eClass : Model.classes()) {
			for (String name : List.of("id", "siteId")) {
				var feature = eClass.getEStructuralFeature(name);
				if (!(feature instanceof EAttribute attribute) || attribute.getEAttributeType() != EcorePackage.Literals.ESTRING
						|| attribute.isMany() || attribute.getLowerBound() != 1) {
					offenders.add(eClass.getName() + "." + name);
				}
			}
			if (eClass.getEIDAttribute() == null || !"id".equals(eClass.getEIDAttribute().getName())) {
				offenders.add(eClass.getName() + ": ID attribute is not 'id'");
			}
		}
		assertNone("every class has a required EString 'id' (the ID attribute) and 'siteId'", offenders);
	}

	@Test
	void noReferenceCrossesOwners() {
		// central-owned and site-owned objects live in different CDO repositories: CDO cannot hold a reference
		// between them reliably, so such links must be ids (+ copied data), never EReferences.
		List<String> offenders = new ArrayList<>();
		for (EReference reference : Model.references()) {
			Owner from = owner(reference.getEContainingClass());
			Owner to = owner(reference.getEReferenceType());
			if (from == null || to == null || from != to) {
				offenders.add(Model.name(reference) + ": " + from + " -> " + to);
			}
		}
		assertNone("no EReference between central-owned and site-owned classes", offenders);
	}

	@Test
	void helperAnswersOwnerOfEveryClass() {
		for (EClass eClass : Model.classes()) {
			if (eClass == P.getIdentified()) {
				assertThrows(IllegalArgumentException.class, () -> Ownership.ownerOf(eClass));
				continue;
			}
			Owner expected = P.getCentralOwned().isSuperTypeOf(eClass) ? Owner.CENTRAL : Owner.SITE;
			assertEquals(expected, Ownership.ownerOf(eClass), eClass.getName());
		}
		assertEquals(Owner.CENTRAL, Ownership.ownerOf(P.getProduct()));
		assertEquals(Owner.CENTRAL, Ownership.ownerOf(P.getUser()));
		assertEquals(Owner.CENTRAL, Ownership.ownerOf(P.getPharmacySite()));
		assertEquals(Owner.SITE, Ownership.ownerOf(P.getSale()));
		assertEquals(Owner.SITE, Ownership.ownerOf(P.getControlledDrugEntry()));
		assertEquals(Owner.SITE, Ownership.ownerOf(P.getSalesDay()));
		assertThrows(IllegalArgumentException.class, () -> Ownership.ownerOf(EcorePackage.Literals.ECLASS));
	}

	@Test
	void stampAssignsUuidAndRejectsTheWrongSite() {
		Product product = Ownership.stamp(ApothecaFactory.eINSTANCE.createProduct(), Ownership.CENTRAL_SITE_ID);
		assertEquals(36, product.getId().length());
		assertEquals(Ownership.CENTRAL_SITE_ID, product.getSiteId());
		assertThrows(IllegalArgumentException.class, () -> Ownership.stamp(ApothecaFactory.eINSTANCE.createProduct(), "site-1"));

		Sale sale = Ownership.stamp(ApothecaFactory.eINSTANCE.createSale(), "site-1");
		assertEquals("site-1", sale.getSiteId());
		assertThrows(IllegalArgumentException.class,
				() -> Ownership.stamp(ApothecaFactory.eINSTANCE.createSale(), Ownership.CENTRAL_SITE_ID));
		assertThrows(IllegalArgumentException.class, () -> Ownership.stamp(ApothecaFactory.eINSTANCE.createSale(), " "));

		String id = sale.getId();
		Ownership.stamp(sale, "site-1");
		assertEquals(id, sale.getId(), "an existing id is kept");
		assertTrue(!id.equals(Ownership.stamp(ApothecaFactory.eINSTANCE.createSale(), "site-1").getId()));
	}

	@Test
	void onlyTheOwningSiteMayWrite() {
		Sale sale = Ownership.stamp(ApothecaFactory.eINSTANCE.createSale(), "site-1");
		assertTrue(Ownership.mayWrite(sale, "site-1"));
		assertFalse(Ownership.mayWrite(sale, "site-2"));
		assertFalse(Ownership.mayWrite(sale, Ownership.CENTRAL_SITE_ID));
		Product product = Ownership.stamp(ApothecaFactory.eINSTANCE.createProduct(), Ownership.CENTRAL_SITE_ID);
		assertTrue(Ownership.mayWrite(product, Ownership.CENTRAL_SITE_ID));
		assertFalse(Ownership.mayWrite(product, "site-1"));
		product.setSiteId("site-1"); // a corrupted central object does not become writable by a site
		assertFalse(Ownership.mayWrite(product, "site-1"));
		assertThrows(IllegalArgumentException.class, () -> Ownership.checkSiteId(product));
	}

	private static Owner owner(EClass eClass) {
		try {
			return Ownership.ownerOf(eClass);
		} catch (RuntimeException e) { // not a domain class, or contradictory ownership: reported by other tests
			return null;
		}
	}
}
