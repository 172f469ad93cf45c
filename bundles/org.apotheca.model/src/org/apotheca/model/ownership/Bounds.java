package org.apotheca.model.ownership;

import org.eclipse.emf.ecore.EAnnotation;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EReference;

/**
 * Reads the bounded-containment annotations of the model ({@value #ANNOTATION_SOURCE}).
 * <ul>
 * <li>{@code resourcePath} on a class: instances are roots of their own CDO resource, at this path pattern
 * (e.g. {@code /sites/{siteId}/sales/{businessDate}/{tillId}-{part}}).</li>
 * <li>{@code max} on a many-valued containment reference: the design bound of that list. Writers open the
 * next container (another bucket or part) instead of exceeding it.</li>
 * </ul>
 */
public final class Bounds {

	public static final String ANNOTATION_SOURCE = "http://apotheca.org/bounds";
	public static final String RESOURCE_PATH_KEY = "resourcePath";
	public static final String MAX_KEY = "max";

	private Bounds() {
	}

	/** The resource path pattern of a root class, or {@code null} if its instances are contained in another object. */
	public static String resourcePath(EClass eClass) {
		EAnnotation annotation = eClass.getEAnnotation(ANNOTATION_SOURCE);
		return annotation == null ? null : annotation.getDetails().get(RESOURCE_PATH_KEY);
	}

	/** Whether instances of the class are roots of their own CDO resource. */
	public static boolean isResourceRoot(EClass eClass) {
		return resourcePath(eClass) != null;
	}

	/** The declared bound of a many-valued containment, or -1 when none is declared. */
	public static int max(EReference reference) {
		EAnnotation annotation = reference.getEAnnotation(ANNOTATION_SOURCE);
		String value = annotation == null ? null : annotation.getDetails().get(MAX_KEY);
		if (value == null) {
			return -1;
		}
		try {
			return Integer.parseInt(value.trim());
		} catch (NumberFormatException e) {
			return -1;
		}
	}

	/** Whether adding {@code count} more objects to {@code currentSize} would exceed the bound of {@code reference}. */
	public static boolean wouldExceed(EReference reference, int currentSize, int count) {
		int max = max(reference);
		return max >= 0 && (long) currentSize + count > max;
	}
}
