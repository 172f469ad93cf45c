package org.apotheca.model.tests;

import static org.apotheca.model.tests.Model.P;
import static org.apotheca.model.tests.Model.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.Sale;
import org.apotheca.model.SaleStatus;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EEnum;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.internal.cdo.CDOObjectImpl;
import org.junit.jupiter.api.Test;

/** The generated package initialises and is CDO-native; the factory creates every concrete class. */
class FactoryTest {

	@Test
	void packageIsRegisteredUnderItsNsUri() {
		assertEquals("http://apotheca.org/model/1.0", ApothecaPackage.eNS_URI);
		assertEquals("apotheca", P.getNsPrefix());
		assertSame(P, EPackage.Registry.INSTANCE.getEPackage(ApothecaPackage.eNS_URI));
		assertSame(ApothecaFactory.eINSTANCE, P.getEFactoryInstance());
	}

	@Test
	void factoryCreatesEveryConcreteClassAsACdoObject() {
		List<String> offenders = new ArrayList<>();
		for (EClass eClass : Model.concreteClasses()) {
			EObject object = ApothecaFactory.eINSTANCE.create(eClass);
			if (object.eClass() != eClass) {
				offenders.add(eClass.getName() + ": eClass() is " + object.eClass().getName());
			}
			if (!eClass.getInstanceClass().isInstance(object)) {
				offenders.add(eClass.getName() + ": not an instance of " + eClass.getInstanceClass().getName());
			}
			if (!(object instanceof CDOObject) || !(object instanceof CDOObjectImpl)) {
				offenders.add(eClass.getName() + ": not CDO-native (" + object.getClass().getName() + ")");
			}
			if (!object.getClass().getName().equals("org.apotheca.model.impl." + eClass.getName() + "Impl")) {
				offenders.add(eClass.getName() + ": implemented by " + object.getClass().getName());
			}
		}
		assertNone("ApothecaFactory.create(eClass)", offenders);
		assertTrue(Model.concreteClasses().size() >= 40, "the domain has " + Model.concreteClasses().size() + " concrete classes");
	}

	@Test
	void freshObjectsAnswerEveryFeatureWithoutFailing() {
		// reflective feature delegation: generated getters unbox eGet(...); a null here would be an NPE in a getter
		List<String> offenders = new ArrayList<>();
		for (EClass eClass : Model.concreteClasses()) {
			EObject object = ApothecaFactory.eINSTANCE.create(eClass);
			for (EAttribute attribute : eClass.getEAllAttributes()) {
				try {
					Object value = object.eGet(attribute);
					if (attribute.getEAttributeType().getInstanceClass() != null
							&& attribute.getEAttributeType().getInstanceClass().isPrimitive() && value == null) {
						offenders.add(Model.name(attribute) + " is null on a fresh " + eClass.getName());
					}
					if (attribute.getEType() instanceof EEnum && !attribute.isMany() && value == null) {
						offenders.add(Model.name(attribute) + " (enum) is null on a fresh " + eClass.getName());
					}
				} catch (RuntimeException e) {
					offenders.add(Model.name(attribute) + ": " + e);
				}
			}
			for (EReference reference : eClass.getEAllReferences()) {
				try {
					object.eGet(reference);
				} catch (RuntimeException e) {
					offenders.add(Model.name(reference) + ": " + e);
				}
			}
		}
		assertNone("eGet on fresh objects", offenders);
	}

	@Test
	void generatedAccessorsRoundTrip() {
		Sale sale = ApothecaFactory.eINSTANCE.createSale();
		assertEquals(0L, sale.getTotalMinor());
		assertEquals(SaleStatus.OPEN, sale.getStatus());
		sale.setTotalMinor(123_456_789_012L);
		sale.setStatus(SaleStatus.COMPLETED);
		sale.getLines().add(ApothecaFactory.eINSTANCE.createSaleLine());
		assertEquals(123_456_789_012L, sale.eGet(P.getSale_TotalMinor()));
		assertEquals(SaleStatus.COMPLETED, sale.getStatus());
		assertSame(sale, sale.getLines().get(0).eContainer());
		assertEquals(P.getSale_Lines(), sale.getLines().get(0).eContainmentFeature());
	}
}
