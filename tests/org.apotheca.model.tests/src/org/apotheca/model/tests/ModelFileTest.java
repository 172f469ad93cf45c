package org.apotheca.model.tests;

import static org.apotheca.model.tests.Model.P;
import static org.apotheca.model.tests.Model.assertNone;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.apotheca.model.ApothecaPackage;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EAnnotation;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EClassifier;
import org.eclipse.emf.ecore.EEnum;
import org.eclipse.emf.ecore.EModelElement;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.impl.ResourceSetImpl;
import org.eclipse.emf.ecore.xmi.impl.EcoreResourceFactoryImpl;
import org.junit.jupiter.api.Test;

/**
 * The generated code matches model/apotheca.ecore (shipped in the bundle): catches an ecore edited without
 * running ./apotheca model.
 */
class ModelFileTest {

	@Test
	void generatedPackageMatchesTheEcoreFile() throws Exception {
		URL url = ApothecaPackage.class.getClassLoader().getResource("model/apotheca.ecore");
		assertNotNull(url, "model/apotheca.ecore is not on the bundle class path (bin.includes)");
		ResourceSetImpl resourceSet = new ResourceSetImpl();
		resourceSet.getResourceFactoryRegistry().getExtensionToFactoryMap().put("ecore", new EcoreResourceFactoryImpl());
		Resource resource = resourceSet.createResource(URI.createURI("apotheca.ecore"));
		try (InputStream in = url.openStream()) {
			resource.load(in, Map.of());
		}
		EPackage file = (EPackage) resource.getContents().get(0);

		List<String> diffs = new ArrayList<>();
		same(diffs, "nsURI", file.getNsURI(), P.getNsURI());
		same(diffs, "nsPrefix", file.getNsPrefix(), P.getNsPrefix());
		same(diffs, "classifiers", names(file.getEClassifiers()), names(P.getEClassifiers()));
		for (EClassifier fileClassifier : file.getEClassifiers()) {
			EClassifier code = P.getEClassifier(fileClassifier.getName());
			if (code == null) {
				continue;
			}
			String where = fileClassifier.getName();
			annotations(diffs, where, fileClassifier, code);
			if (fileClassifier instanceof EClass fc && code instanceof EClass cc) {
				same(diffs, where + " abstract", fc.isAbstract(), cc.isAbstract());
				same(diffs, where + " supertypes", names(fc.getESuperTypes()), names(cc.getESuperTypes()));
				same(diffs, where + " features", names(fc.getEStructuralFeatures()), names(cc.getEStructuralFeatures()));
				for (EStructuralFeature ff : fc.getEStructuralFeatures()) {
					EStructuralFeature cf = cc.getEStructuralFeature(ff.getName());
					if (cf == null) {
						continue;
					}
					String f = where + "." + ff.getName();
					same(diffs, f + " type", ff.getEType().getName(), cf.getEType().getName());
					same(diffs, f + " bounds", ff.getLowerBound() + ".." + ff.getUpperBound(), cf.getLowerBound() + ".." + cf.getUpperBound());
					if (ff instanceof EReference fr && cf instanceof EReference cr) {
						same(diffs, f + " containment", fr.isContainment(), cr.isContainment());
					}
					annotations(diffs, f, ff, cf);
				}
			}
			if (fileClassifier instanceof EEnum fe && code instanceof EEnum ce) {
				same(diffs, where + " literals", literals(fe), literals(ce));
			}
		}
		assertNone("src-gen is out of date with model/apotheca.ecore: run ./apotheca model", diffs);
	}

	private static void annotations(List<String> diffs, String where, EModelElement file, EModelElement code) {
		java.util.Set<String> sources = new java.util.TreeSet<>();
		for (EModelElement element : List.of(file, code)) {
			for (EAnnotation annotation : element.getEAnnotations()) {
				if (annotation.getSource() != null && annotation.getSource().startsWith("http://apotheca.org/")) {
					sources.add(annotation.getSource());
				}
			}
		}
		for (String source : sources) {
			same(diffs, where + " @" + source, details(file.getEAnnotation(source)), details(code.getEAnnotation(source)));
		}
	}

	private static Map<String, String> details(EAnnotation annotation) {
		return annotation == null ? null : new TreeMap<>(annotation.getDetails().map());
	}

	private static List<String> names(List<? extends org.eclipse.emf.ecore.ENamedElement> elements) {
		return elements.stream().map(org.eclipse.emf.ecore.ENamedElement::getName).toList();
	}

	private static List<String> literals(EEnum eEnum) {
		return eEnum.getELiterals().stream().map(l -> l.getName() + "=" + l.getValue()).toList();
	}

	private static void same(List<String> diffs, String what, Object file, Object code) {
		if (!Objects.equals(file, code)) {
			diffs.add(what + ": ecore " + file + " / code " + code);
		}
	}
}
