package org.apotheca.core.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.eclipse.emf.cdo.common.revision.CDORevisionCache;
import org.eclipse.emf.cdo.common.revision.CDORevisionUtil;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.net4j.CDONet4jSessionConfiguration;
import org.eclipse.emf.cdo.net4j.CDONet4jUtil;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.net4j.connector.IConnector;
import org.eclipse.net4j.tcp.TCPUtil;
import org.eclipse.net4j.util.container.IManagedContainer;

/** Opens CDO sessions to a repository over Net4j TCP. */
public final class CdoClient {

  private static final int PROBE_TIMEOUT_MS = 3_000;

  private CdoClient() {
  }

  public static CDONet4jSession open(IManagedContainer container, Endpoint endpoint, String repository,
      EPackage... packages) {
    probe(endpoint);
    IConnector connector;
    try {
      connector = TCPUtil.getConnector(container, endpoint.net4jDescription());
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot reach the Apotheca server at " + endpoint + ": " + rootMessage(e), e);
    }
    return open(connector, repository, endpoint.toString(), packages);
  }

  /**
   * @param where how to name the other end in error messages
   * @param packages the generated EPackages the caller works with: registered in the session so that
   *        objects come back as generated classes, not as dynamic ones
   */
  public static CDONet4jSession open(IConnector connector, String repository, String where, EPackage... packages) {
    return open(connector, repository, where, false, packages);
  }

  /**
   * @param uncached true: the session keeps no revision cache, every revision it needs comes from the repository.
   *        For a pharmacy node's catalogue session on its clone: its cache was seen to keep a stale product revision
   *        for good after replicated commits (the view was up to date in time, the price was not), and the clone is
   *        in the same JVM, so a load costs a local store read.
   */
  public static CDONet4jSession open(IConnector connector, String repository, String where, boolean uncached,
      EPackage... packages) {
    CDONet4jSessionConfiguration config = CDONet4jUtil.createNet4jSessionConfiguration();
    if (uncached) {
      config.setRevisionManager(CDORevisionUtil.createRevisionManager(CDORevisionCache.NOOP));
    }
    config.setConnector(connector);
    config.setRepositoryName(repository);
    try {
      CDONet4jSession session = config.openNet4jSession();
      for (EPackage p : packages) {
        session.getPackageRegistry().putEPackage(p);
      }
      return session;
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot open repository '" + repository + "' at " + where + ": " + rootMessage(e), e);
    }
  }

  /**
   * Fails fast when nothing listens: Net4j itself only gives up after its 10 s connection timeout, which a
   * pharmacist would see as a frozen "Loading...".
   */
  private static void probe(Endpoint endpoint) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), PROBE_TIMEOUT_MS);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot reach the Apotheca server at " + endpoint + ": " + rootMessage(e), e);
    }
  }

  /**
   * Brings every view of the session up to what its repository holds now. {@code CDOSession.refresh()} does nothing
   * while passive updates are on (CDO's default, and ours); turning them off and on again makes CDO send the
   * versions the session has and load every revision that changed since, for all of its views.
   */
  public static void refresh(org.eclipse.emf.cdo.session.CDOSession session) {
    synchronized (session.options()) {
      session.options().setPassiveUpdateEnabled(false);
      session.options().setPassiveUpdateEnabled(true);
    }
  }

  public static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    // Net4j remote exceptions carry the server's stack trace in the message: the first line is what people need.
    return msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg).strip();
  }
}
