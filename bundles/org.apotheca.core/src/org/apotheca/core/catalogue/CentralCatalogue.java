package org.apotheca.core.catalogue;

import java.util.List;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * The catalogue read straight from the central server: what the workbench uses until the pharmacy node
 * (issue 3) serves it from a local clone. Closing it closes the connection.
 */
public final class CentralCatalogue implements CatalogueSource {

  private final Endpoint endpoint;
  private final CdoConnection connection;
  private final CDONet4jSession session;

  private CentralCatalogue(Endpoint endpoint, CdoConnection connection) {
    this.endpoint = endpoint;
    this.connection = connection;
    this.session = connection.session();
  }

  /** @throws IllegalStateException with a plain message when the server cannot be reached */
  public static CentralCatalogue connect(Endpoint endpoint) {
    return new CentralCatalogue(endpoint, CdoConnection.open(endpoint, Repositories.CATALOGUE));
  }

  @Override
  public List<CatalogueRow> products(int max) {
    CDOView view = session.openView();
    try {
      return CatalogueReader.rows(view, max);
    } finally {
      view.close();
    }
  }

  @Override
  public int productCount() {
    CDOView view = session.openView();
    try {
      return CatalogueReader.count(view);
    } finally {
      view.close();
    }
  }

  @Override
  public String describe() {
    return "central " + endpoint;
  }

  @Override
  public void close() {
    connection.close();
  }
}
