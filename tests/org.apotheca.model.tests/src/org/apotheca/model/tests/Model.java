package org.apotheca.model.tests;

import java.util.ArrayList;
import java.util.List;

import org.apotheca.model.ApothecaPackage;
import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EClassifier;
import org.eclipse.emf.ecore.EReference;

/** Shared views on the generated model for the tests. */
final class Model {

	static final ApothecaPackage P = ApothecaPackage.eINSTANCE;

	private Model() {
	}

	static List<EClass> classes() {
		List<EClass> result = new ArrayList<>();
		for (EClassifier classifier : P.getEClassifiers()) {
			if (classifier instanceof EClass eClass) {
				result.add(eClass);
			}
		}
		return result;
	}

	static List<EClass> concreteClasses() {
		return classes().stream().filter(c -> !c.isAbstract() && !c.isInterface()).toList();
	}

	static List<EAttribute> attributes() {
		return classes().stream().flatMap(c -> c.getEAttributes().stream()).toList();
	}

	static List<EReference> references() {
		return classes().stream().flatMap(c -> c.getEReferences().stream()).toList();
	}

	static String name(EAttribute attribute) {
		return attribute.getEContainingClass().getName() + "." + attribute.getName();
	}

	static String name(EReference reference) {
		return reference.getEContainingClass().getName() + "." + reference.getName();
	}

	/** Fails with every offender listed, instead of stopping at the first. */
	static void assertNone(String rule, List<String> offenders) {
		if (!offenders.isEmpty()) {
			throw new AssertionError(rule + ":\n  " + String.join("\n  ", offenders));
		}
	}
}
