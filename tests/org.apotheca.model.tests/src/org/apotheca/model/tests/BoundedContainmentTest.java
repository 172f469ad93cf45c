package org.apotheca.model.tests;

import static org.apotheca.model.tests.Model.P;
import static org.apotheca.model.tests.Model.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apotheca.model.ownership.Bounds;
import org.apotheca.model.ownership.Ownership;
import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EReference;
import org.junit.jupiter.api.Test;

/**
 * No containment list grows without bound in one object (one CDO list of 50k objects made raw replication
 * quadratic). The checkable rule:
 * <ol>
 * <li>every many-valued containment declares a bound {@code max} in 1..1000;</li>
 * <li>top-level objects live in container classes that are roots of their own CDO resource (annotated
 * {@code resourcePath}); a root is never contained in another object;</li>
 * <li>every other concrete class has a home: some containment reference holds it;</li>
 * <li>below a root, lists nest at most one level: an object held in a root's list may itself hold lists
 * (a sale's lines), but what those lists hold holds no further lists;</li>
 * <li>resource paths are partitioned by owner (central-owned roots in the catalogue's {@code /catalogue} and
 * {@code /directory}, or central-written into one pharmacy's {@code /sites/{pharmacySiteId}/}; site-owned ones in
 * {@code /sites/{siteId}/}), and every {@code {placeholder}} is an attribute of the root, so the path can be
 * computed from the object.</li>
 * </ol>
 */
class BoundedContainmentTest {

	private static final int MAX_LIST = 1000;

	@Test
	void everyManyValuedContainmentDeclaresItsBound() {
		List<String> offenders = new ArrayList<>();
		for (EReference reference : Model.references()) {
			if (reference.isContainment() && reference.isMany()) {
				int max = Bounds.max(reference);
				if (max < 1 || max > MAX_LIST) {
					offenders.add(Model.name(reference) + " max=" + max);
				}
			} else if (!reference.isContainment() && Bounds.max(reference) != -1) {
				offenders.add(Model.name(reference) + " is not a containment but declares a bound");
			}
		}
		assertNone("every many-valued containment is annotated " + Bounds.ANNOTATION_SOURCE + " max in 1.." + MAX_LIST, offenders);
	}

	@Test
	void rootsAreNeverContained() {
		List<String> offenders = new ArrayList<>();
		for (EReference reference : containments()) {
			for (EClass eClass : Model.concreteClasses()) {
				if (Bounds.isResourceRoot(eClass) && reference.getEReferenceType().isSuperTypeOf(eClass)) {
					offenders.add(Model.name(reference) + " can contain the resource root " + eClass.getName());
				}
			}
		}
		assertNone("resource roots are not contained by other objects", offenders);
	}

	@Test
	void everyNonRootClassHasAContainer() {
		List<String> offenders = new ArrayList<>();
		for (EClass eClass : Model.concreteClasses()) {
			if (!Bounds.isResourceRoot(eClass) && containments().stream().noneMatch(r -> r.getEReferenceType().isSuperTypeOf(eClass))) {
				offenders.add(eClass.getName());
			}
		}
		assertNone("every concrete class is a resource root or is held by a containment", offenders);
	}

	@Test
	void listsNestAtMostOneLevelBelowARoot() {
		List<String> offenders = new ArrayList<>();
		for (EReference reference : containments()) {
			EClass holder = reference.getEContainingClass();
			if (Bounds.isResourceRoot(holder) || !reference.isMany()) {
				continue;
			}
			// a non-root holder of a list: the listed objects must not hold lists themselves
			EClass part = reference.getEReferenceType();
			for (EReference inner : part.getEAllContainments()) {
				if (inner.isMany()) {
					offenders.add(Model.name(reference) + " -> " + Model.name(inner));
				}
			}
			// and the holder itself must live directly in a root
			for (EReference outer : containments()) {
				if (outer.getEReferenceType().isSuperTypeOf(holder) && !Bounds.isResourceRoot(outer.getEContainingClass())) {
					offenders.add(Model.name(outer) + " -> " + Model.name(reference) + " (three levels)");
				}
			}
		}
		assertNone("below a resource root, lists nest at most one level (root -> entity -> lines)", offenders);
	}

	@Test
	void resourcePathsArePartitionedByOwnerAndComputable() {
		Pattern placeholder = Pattern.compile("\\{([A-Za-z]+)\\}");
		List<String> offenders = new ArrayList<>();
		for (EClass eClass : Model.concreteClasses()) {
			String path = Bounds.resourcePath(eClass);
			if (path == null) {
				continue;
			}
			boolean central = Ownership.isCentralOwned(eClass);
			// central writes into a pharmacy's repository only what must reach that pharmacy alone (its staff
			// list with password hashes); such a root names the pharmacy by its own attribute, since its
			// siteId is "central"
			if (central && !(path.startsWith("/catalogue/") || path.startsWith("/directory/")
					|| path.startsWith("/sites/{pharmacySiteId}/"))) {
				offenders.add(eClass.getName() + ": central-owned root outside /catalogue, /directory or /sites/{pharmacySiteId}/: " + path);
			}
			if (!central && !path.startsWith("/sites/{siteId}/")) {
				offenders.add(eClass.getName() + ": site-owned root outside /sites/{siteId}/: " + path);
			}
			if (P.getDailyJournal().isSuperTypeOf(eClass)
					&& !(path.contains("{businessDate}") && path.contains("{tillId}") && path.contains("{part}"))) {
				offenders.add(eClass.getName() + ": a daily journal's path needs {businessDate}, {tillId} and {part}: " + path);
			}
			Matcher m = placeholder.matcher(path);
			while (m.find()) {
				if (!(eClass.getEStructuralFeature(m.group(1)) instanceof EAttribute)) {
					offenders.add(eClass.getName() + ": {" + m.group(1) + "} in " + path + " is not an attribute");
				}
			}
		}
		assertNone("resource paths", offenders);
	}

	@Test
	void noUnboundedCatalogueList() {
		// the 100k-product catalogue is spread over ProductBucket resources, never one list
		assertTrue(Bounds.isResourceRoot(P.getProductBucket()));
		assertEquals(500, Bounds.max(P.getProductBucket_Products()));
		assertFalse(Bounds.isResourceRoot(P.getProduct()));
		assertTrue(Bounds.wouldExceed(P.getProductBucket_Products(), 500, 1));
		assertFalse(Bounds.wouldExceed(P.getProductBucket_Products(), 499, 1));
		assertTrue(Bounds.resourcePath(P.getSalesDay()).contains("{tillId}"), "sales are per till: offline tills never share a list");
	}

	@Test
	void usersAreHeldOnlyByStaffListsInSiteRepositories() {
		// a password hash in the catalogue would be cloned by every pharmacy: the only container of User is the
		// staff list, whose resource lives in the pharmacy's own repository
		List<String> holders = containments().stream().filter(r -> r.getEReferenceType().isSuperTypeOf(P.getUser()))
				.map(Model::name).toList();
		assertEquals(List.of(Model.name(P.getSiteStaff_Users())), holders);
		assertEquals("/sites/{pharmacySiteId}/staff", Bounds.resourcePath(P.getSiteStaff()));
		assertTrue(Ownership.isCentralOwned(P.getSiteStaff()));
	}

	private static List<EReference> containments() {
		return Model.references().stream().filter(EReference::isContainment).toList();
	}
}
