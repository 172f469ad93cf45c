package org.apotheca.core;

import org.apotheca.model.ApothecaPackage;
import org.eclipse.emf.ecore.EPackage;

/** The EPackages every Apotheca repository is created with and every session registers. */
public final class ApothecaModel {

  private ApothecaModel() {
  }

  public static EPackage[] packages() {
    return new EPackage[] { ApothecaPackage.eINSTANCE };
  }
}
