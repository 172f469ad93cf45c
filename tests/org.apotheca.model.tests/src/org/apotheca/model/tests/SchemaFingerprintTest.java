package org.apotheca.model.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;

import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.schema.ModelSchema;
import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.emf.ecore.EcoreFactory;
import org.eclipse.emf.ecore.EcorePackage;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Nobody ships a changed stored model by accident: apotheca.ecore's fingerprint (what CDO makes tables from) is
 * recorded with the schema number in model/schema.properties, and the three places that publish the number agree.
 */
class SchemaFingerprintTest {

  private static final String HOW = "CDO 4.7 cannot open data written with other classes or features, so this is a new"
      + " model schema. Bump the schema number by one in bundles/org.apotheca.model/model/schema.properties (schema=,"
      + " and set fingerprint=%s there), META-INF/MANIFEST.MF (Apotheca-Model-Schema) and META-INF/p2.inf"
      + " (properties.0.value); installations will then refuse data of the old schema until it is migrated"
      + " (docs/model-evolution.md).";

  @Test
  void theRecordedFingerprintIsTheModels() {
    ModelSchema recorded = ModelSchema.current();
    String actual = ModelSchema.currentFingerprint();
    if (!actual.equals(recorded.fingerprint())) {
      throw new AssertionError("apotheca.ecore changed what CDO stores: model/schema.properties records fingerprint "
          + recorded.fingerprint() + " for schema " + recorded.schema() + ", the model now has " + actual + ". "
          + String.format(HOW, actual));
    }
  }

  @Test
  void manifestP2AndPropertiesAgreeOnTheNumber() throws IOException {
    ModelSchema recorded = ModelSchema.current();
    Bundle bundle = FrameworkUtil.getBundle(ApothecaPackage.class);
    assertNotNull(bundle, "the model tests run in OSGi");
    assertEquals(String.valueOf(recorded.schema()), bundle.getHeaders().get(ModelSchema.HEADER),
        "Apotheca-Model-Schema in org.apotheca.model's MANIFEST.MF must equal schema= in model/schema.properties");
    String migrates = bundle.getHeaders().get(ModelSchema.MIGRATES_FROM_HEADER);
    assertEquals(recorded.migratesFrom() == 0 ? null : String.valueOf(recorded.migratesFrom()), migrates,
        "Apotheca-Model-Migrates-From in MANIFEST.MF must equal migratesFrom= in model/schema.properties (absent when 0)");

    URL p2inf = bundle.getEntry("META-INF/p2.inf");
    assertNotNull(p2inf, "META-INF/p2.inf is not in the model bundle (build.properties bin.includes)");
    Properties p2 = new Properties();
    try (InputStream in = p2inf.openStream()) {
      p2.load(in);
    }
    assertEquals(ModelSchema.P2_PROPERTY, p2.getProperty("properties.0.name"), "META-INF/p2.inf names the schema property first");
    assertEquals(String.valueOf(recorded.schema()), p2.getProperty("properties.0.value"),
        "properties.0.value in org.apotheca.model's META-INF/p2.inf must equal schema= in model/schema.properties");
  }

  /** The fingerprint sees what CDO stores and nothing else: a test of the guard itself, on a copy of the model. */
  @Test
  void theFingerprintChangesWithStorageNotWithDocumentation() {
    String original = ModelSchema.fingerprint(ApothecaPackage.eINSTANCE);
    assertEquals(original, ModelSchema.fingerprint(copy()), "a copy of the model has the same fingerprint");

    EPackage documented = copy();
    EClass sale = (EClass) documented.getEClassifier("Sale");
    EcoreUtil.setDocumentation(sale, "changed words only");
    assertEquals(original, ModelSchema.fingerprint(documented), "documentation is not stored");

    EPackage added = copy();
    EAttribute note = EcoreFactory.eINSTANCE.createEAttribute();
    note.setName("note");
    note.setEType(EcorePackage.Literals.ESTRING);
    ((EClass) added.getEClassifier("Sale")).getEStructuralFeatures().add(note);
    assertNotEquals(original, ModelSchema.fingerprint(added), "a new attribute is a new column");

    EPackage retyped = copy();
    EAttribute first = ((EClass) retyped.getEClassifier("Sale")).getEAttributes().get(0);
    first.setUpperBound(first.getUpperBound() == 1 ? -1 : 1);
    assertNotEquals(original, ModelSchema.fingerprint(retyped), "a feature's multiplicity decides its table");

    EPackage reordered = copy();
    EClass s = (EClass) reordered.getEClassifier("Sale");
    assertTrue(s.getEStructuralFeatures().size() > 1);
    s.getEStructuralFeatures().move(0, s.getEStructuralFeatures().size() - 1);
    assertNotEquals(original, ModelSchema.fingerprint(reordered), "CDO numbers features by position");
  }

  private static EPackage copy() {
    return EcoreUtil.copy(ApothecaPackage.eINSTANCE);
  }
}
