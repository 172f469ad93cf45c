package org.apotheca.model.ownership;

import java.util.Objects;
import java.util.UUID;

import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.Identified;
import org.eclipse.emf.ecore.EAnnotation;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;

/**
 * Who owns (and alone writes) an Apotheca object: central staff or one pharmacy.
 * <p>
 * Ownership is explicit twice in the model and this class checks that both agree: structurally (every
 * concrete class extends exactly one of {@code CentralOwned} / {@code SiteOwned}) and by the class
 * annotation {@value #ANNOTATION_SOURCE} {@code owner=central|site}. Central-owned objects live in the
 * central CDO repository and carry {@code siteId = }{@value #CENTRAL_SITE_ID}; site-owned objects live in
 * their pharmacy's repository and carry that pharmacy's {@code PharmacySite} id.
 */
public final class Ownership {

	/** The siteId of every central-owned object, and the id of the central office's PharmacySite. */
	public static final String CENTRAL_SITE_ID = "central";

	/** Source of the ownership annotation on every EClass of the model. */
	public static final String ANNOTATION_SOURCE = "http://apotheca.org/ownership";

	/** Key of the ownership annotation; its value is {@link Owner#literal()}. */
	public static final String OWNER_KEY = "owner";

	/** The two owners. */
	public enum Owner {
		CENTRAL("central"), SITE("site");

		private final String literal;

		Owner(String literal) {
			this.literal = literal;
		}

		/** The annotation value, {@code central} or {@code site}. */
		public String literal() {
			return literal;
		}

		/** The owner for an annotation value, or {@code null} for anything else. */
		public static Owner fromLiteral(String literal) {
			for (Owner owner : values()) {
				if (owner.literal.equals(literal)) {
					return owner;
				}
			}
			return null;
		}
	}

	private Ownership() {
	}

	/**
	 * The owner of instances of {@code eClass}.
	 *
	 * @throws IllegalArgumentException if the class is not an Apotheca domain class (neither CentralOwned
	 *                                  nor SiteOwned)
	 * @throws IllegalStateException    if the class's annotation contradicts its supertypes
	 */
	public static Owner ownerOf(EClass eClass) {
		Objects.requireNonNull(eClass, "eClass");
		ApothecaPackage p = ApothecaPackage.eINSTANCE;
		boolean central = p.getCentralOwned().isSuperTypeOf(eClass);
		boolean site = p.getSiteOwned().isSuperTypeOf(eClass);
		if (central == site) {
			throw new IllegalArgumentException(eClass.getName() + (central
					? " extends both CentralOwned and SiteOwned"
					: " is not an Apotheca domain class (extends neither CentralOwned nor SiteOwned)"));
		}
		Owner structural = central ? Owner.CENTRAL : Owner.SITE;
		String annotated = annotatedOwner(eClass);
		if (annotated != null && Owner.fromLiteral(annotated) != structural) {
			throw new IllegalStateException(eClass.getName() + " is annotated owner=" + annotated + " but extends "
					+ (central ? "CentralOwned" : "SiteOwned"));
		}
		return structural;
	}

	/** The owner of {@code object}'s class. */
	public static Owner ownerOf(EObject object) {
		return ownerOf(Objects.requireNonNull(object, "object").eClass());
	}

	public static boolean isCentralOwned(EClass eClass) {
		return ownerOf(eClass) == Owner.CENTRAL;
	}

	public static boolean isSiteOwned(EClass eClass) {
		return ownerOf(eClass) == Owner.SITE;
	}

	/** The value of the class's own ownership annotation, or {@code null} when it has none. */
	public static String annotatedOwner(EClass eClass) {
		EAnnotation annotation = eClass.getEAnnotation(ANNOTATION_SOURCE);
		return annotation == null ? null : annotation.getDetails().get(OWNER_KEY);
	}

	/** A new random UUID string, the id of every new object. */
	public static String newId() {
		return UUID.randomUUID().toString();
	}

	/**
	 * Gives a new object its identity: a fresh UUID (unless it already has an id) and its owning site. For
	 * central-owned classes the site must be {@link #CENTRAL_SITE_ID}; for site-owned classes it must be a
	 * pharmacy's site id.
	 *
	 * @return {@code object}, for chaining
	 */
	public static <T extends Identified> T stamp(T object, String siteId) {
		Objects.requireNonNull(object, "object");
		checkSiteIdFor(object.eClass(), siteId);
		if (object.getId() == null || object.getId().isBlank()) {
			object.setId(newId());
		}
		object.setSiteId(siteId);
		return object;
	}

	/** Whether a session working for {@code writingSiteId} may change {@code object}. */
	public static boolean mayWrite(Identified object, String writingSiteId) {
		Objects.requireNonNull(object, "object");
		if (writingSiteId == null || !writingSiteId.equals(object.getSiteId())) {
			return false;
		}
		return isConsistent(object.eClass(), object.getSiteId());
	}

	/** Checks that {@code object}'s siteId fits its owner. */
	public static void checkSiteId(Identified object) {
		checkSiteIdFor(object.eClass(), object.getSiteId());
	}

	private static void checkSiteIdFor(EClass eClass, String siteId) {
		if (!isConsistent(eClass, siteId)) {
			throw new IllegalArgumentException(ownerOf(eClass) == Owner.CENTRAL
					? eClass.getName() + " is central-owned: siteId must be \"" + CENTRAL_SITE_ID + "\", not " + quote(siteId)
					: eClass.getName() + " is site-owned: siteId must be a pharmacy's site id, not " + quote(siteId));
		}
	}

	private static boolean isConsistent(EClass eClass, String siteId) {
		if (siteId == null || siteId.isBlank()) {
			return false;
		}
		return (ownerOf(eClass) == Owner.CENTRAL) == CENTRAL_SITE_ID.equals(siteId);
	}

	private static String quote(String s) {
		return s == null ? "null" : '"' + s + '"';
	}
}
