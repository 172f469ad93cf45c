package org.apotheca.core.catalogue;

import java.util.List;

import org.apotheca.core.ApothecaModel;
import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.net.Net4jWiring;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * The catalogue read straight from the central server: what the workbench uses until the pharmacy node
 * (issue 3) serves it from a local clone. Owns its own Net4j container so closing it closes the connection.
 */
public final class CentralCatalogue implements CatalogueSource {

  private final Endpoint endpoint;
  private final IManagedContainer container;
  private final CDONet4jSession session;

  private CentralCatalogue(Endpoint endpoint, IManagedContainer container, CDONet4jSession session) {
    this.endpoint = endpoint;
    this.container = container;
    this.session = session;
  }

  /** @throws IllegalStateException with a plain message when the server cannot be reached */
  public static CentralCatalogue connect(Endpoint endpoint) {
    IManagedContainer container = Net4jWiring.prepareClient(ContainerUtil.createContainer());
    container.activate();
    try {
      CDONet4jSession session = CdoClient.open(container, endpoint, Repositories.CATALOGUE, ApothecaModel.packages());
      return new CentralCatalogue(endpoint, container, session);
    } catch (RuntimeException e) {
      LifecycleUtil.deactivate(container);
      throw e;
    }
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
    LifecycleUtil.deactivate(session);
    LifecycleUtil.deactivate(container);
  }
}
