package org.apotheca.core.net;

import org.apotheca.core.ApothecaModel;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * A CDO session over Net4j TCP together with the Net4j container it owns, so that closing the session also
 * closes the connection and its threads: what a workbench, a till or a test holds while it talks to one repository.
 */
public final class CdoConnection implements AutoCloseable {

  private final IManagedContainer container;
  private final CDONet4jSession session;

  private CdoConnection(IManagedContainer container, CDONet4jSession session) {
    this.container = container;
    this.session = session;
  }

  /** @throws IllegalStateException with a one-line message when the server or the repository cannot be reached */
  public static CdoConnection open(Endpoint endpoint, String repository) {
    IManagedContainer container = Net4jWiring.prepareClient(ContainerUtil.createContainer());
    container.activate();
    try {
      return new CdoConnection(container, CdoClient.open(container, endpoint, repository, ApothecaModel.packages()));
    } catch (RuntimeException e) {
      LifecycleUtil.deactivate(container);
      throw e;
    }
  }

  public CDONet4jSession session() {
    return session;
  }

  @Override
  public void close() {
    LifecycleUtil.deactivate(session);
    LifecycleUtil.deactivate(container);
  }
}
