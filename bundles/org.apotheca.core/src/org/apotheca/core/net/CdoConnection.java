package org.apotheca.core.net;

import org.apotheca.core.ApothecaModel;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.net4j.tcp.TCPUtil;
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

  private final AutoCloseable link;

  private CdoConnection(IManagedContainer container, CDONet4jSession session, AutoCloseable link) {
    this.container = container;
    this.session = session;
    this.link = link;
  }

  /** @throws IllegalStateException with a one-line message when the server or the repository cannot be reached */
  public static CdoConnection open(Endpoint endpoint, String repository) {
    return open(endpoint, repository, null);
  }

  /**
   * @param endpoint where Net4j connects: the server, or a local forwarder that carries the connection on (TLS)
   * @param link closed with the connection (the forwarder); may be null
   */
  public static CdoConnection open(Endpoint endpoint, String repository, AutoCloseable link) {
    IManagedContainer container = Net4jWiring.prepareClient(ContainerUtil.createContainer());
    container.activate();
    try {
      // a forwarder accepts exactly one connection: no reachability probe on it (it has probed the far end itself)
      CDONet4jSession session = link == null ? CdoClient.open(container, endpoint, repository, ApothecaModel.packages())
          : CdoClient.open(TCPUtil.getConnector(container, endpoint.net4jDescription()), repository, endpoint.toString(),
              ApothecaModel.packages());
      return new CdoConnection(container, session, link);
    } catch (RuntimeException e) {
      LifecycleUtil.deactivate(container);
      closeQuietly(link);
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable link) {
    if (link != null) {
      try {
        link.close();
      } catch (Exception ignored) {
        // closing a local forwarder only releases a socket
      }
    }
  }

  public CDONet4jSession session() {
    return session;
  }

  @Override
  public void close() {
    LifecycleUtil.deactivate(session);
    LifecycleUtil.deactivate(container);
    closeQuietly(link);
  }
}
