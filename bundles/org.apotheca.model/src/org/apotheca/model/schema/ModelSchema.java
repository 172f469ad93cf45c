package org.apotheca.model.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import org.apotheca.model.ApothecaPackage;
import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EClassifier;
import org.eclipse.emf.ecore.EDataType;
import org.eclipse.emf.ecore.EEnum;
import org.eclipse.emf.ecore.EEnumLiteral;
import org.eclipse.emf.ecore.ENamedElement;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.EStructuralFeature;

/**
 * The stored model's schema number and fingerprint (docs/model-evolution.md).
 * <p>
 * CDO 4.7 cannot evolve a model whose data it already stores: its tables are made from the classes and features
 * the repository was created with. So every change to what CDO stores gets a new schema number, and data written
 * with one number is not opened by an installation with another. The number is published three ways that must
 * agree (the model tests check it): {@code model/schema.properties} (read here, at run time, with or without OSGi),
 * the bundle's {@code Apotheca-Model-Schema} manifest header and the p2 property {@code org.apotheca.model.schema}
 * ({@code META-INF/p2.inf}, for scripts that look at an update site before installing it).
 *
 * @param schema the schema number, bumped by a developer whenever {@link #fingerprint(EPackage)} changes
 * @param fingerprint the fingerprint recorded for this schema number
 * @param migratesFrom the oldest schema whose data this installation can migrate; 0: none (no migration shipped)
 */
public record ModelSchema(int schema, String fingerprint, int migratesFrom) {

  /** Where the record lives in the model bundle. */
  public static final String RESOURCE = "model/schema.properties";
  public static final String HEADER = "Apotheca-Model-Schema";
  public static final String MIGRATES_FROM_HEADER = "Apotheca-Model-Migrates-From";
  /** The property on the bundle's p2 installable unit. */
  public static final String P2_PROPERTY = "org.apotheca.model.schema";

  public ModelSchema {
    if (schema < 1) {
      throw new IllegalArgumentException("a model schema number is a whole number from 1, not " + schema);
    }
    if (migratesFrom < 0 || migratesFrom >= schema && migratesFrom != 0) {
      throw new IllegalArgumentException("a schema can only migrate from an older one: " + migratesFrom + " is not older than " + schema);
    }
  }

  /** True when this installation declares a migration of data written by {@code dataSchema}. */
  public boolean migrates(int dataSchema) {
    return migratesFrom > 0 && dataSchema >= migratesFrom && dataSchema < schema;
  }

  /** The schema of the model this code was built with, from {@value #RESOURCE}. */
  public static ModelSchema current() {
    Properties p = new Properties();
    try (InputStream in = ModelSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the model bundle (build.properties bin.includes)");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ModelSchema(Integer.parseInt(p.getProperty("schema", "").trim()), p.getProperty("fingerprint", "").trim(),
        Integer.parseInt(p.getProperty("migratesFrom", "0").trim()));
  }

  /** The fingerprint of the model this code was built with. */
  public static String currentFingerprint() {
    return fingerprint(ApothecaPackage.eINSTANCE);
  }

  /**
   * A SHA-256 (hex) of {@link #storageDescription(EPackage)}: changes exactly when what CDO stores changes, not when
   * documentation or annotations do.
   */
  public static String fingerprint(EPackage ePackage) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String line : storageDescription(ePackage)) {
        sha.update(line.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What CDO's horizontal mapping makes tables and columns from, one line per element in model order (CDO numbers
   * classes and features by their position): the package's URI, every class with its supertypes and own features
   * (name, type, multiplicity, id, containment, opposite, transient/volatile/derived/unsettable), every enum with its
   * literals and every data type with its Java class.
   */
  public static List<String> storageDescription(EPackage ePackage) {
    List<String> lines = new ArrayList<>();
    lines.add("package " + ePackage.getNsURI());
    for (EClassifier classifier : ePackage.getEClassifiers()) {
      if (classifier instanceof EClass c) {
        lines.add("class " + c.getName() + (c.isAbstract() ? " abstract" : "") + (c.isInterface() ? " interface" : "")
            + " extends " + String.join(",", c.getESuperTypes().stream().map(ENamedElement::getName).toList()));
        for (EStructuralFeature f : c.getEStructuralFeatures()) {
          StringBuilder line = new StringBuilder(f instanceof EReference ? "  ref " : "  attr ");
          line.append(f.getName()).append(" : ").append(typeName(f.getEType())).append(" [").append(f.getLowerBound())
              .append("..").append(f.getUpperBound()).append(']');
          flag(line, f.isTransient(), "transient");
          flag(line, f.isVolatile(), "volatile");
          flag(line, f.isDerived(), "derived");
          flag(line, f.isUnsettable(), "unsettable");
          flag(line, f.isUnique(), "unique");
          flag(line, f.isOrdered(), "ordered");
          if (f instanceof EAttribute a) {
            flag(line, a.isID(), "id");
          }
          if (f instanceof EReference r) {
            flag(line, r.isContainment(), "containment");
            flag(line, r.isResolveProxies(), "proxies");
            if (r.getEOpposite() != null) {
              line.append(" opposite ").append(r.getEOpposite().getName());
            }
          }
          if (f.getDefaultValueLiteral() != null) {
            line.append(" default ").append(f.getDefaultValueLiteral());
          }
          lines.add(line.toString());
        }
      } else if (classifier instanceof EEnum e) {
        lines.add("enum " + e.getName());
        for (EEnumLiteral literal : e.getELiterals()) {
          lines.add("  " + literal.getName() + "=" + literal.getValue() + " " + literal.getLiteral());
        }
      } else if (classifier instanceof EDataType d) {
        lines.add("datatype " + d.getName() + " " + d.getInstanceClassName());
      }
    }
    return lines;
  }

  private static String typeName(EClassifier type) {
    if (type == null) {
      return "?";
    }
    String pkg = type.getEPackage() == null ? "" : type.getEPackage().getNsURI() + "#";
    return pkg + type.getName();
  }

  private static void flag(StringBuilder line, boolean on, String name) {
    if (on) {
      line.append(' ').append(name);
    }
  }
}
