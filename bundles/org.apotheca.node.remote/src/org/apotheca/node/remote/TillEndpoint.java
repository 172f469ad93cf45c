package org.apotheca.node.remote;

import java.util.Objects;

import org.apotheca.node.api.NodeService;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.factory.FactoryKey;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;
import org.eclipse.spi.net4j.ServerProtocolFactory;

/**
 * The node's end of the till protocol. Installed in the node's container, it makes every Net4j acceptor of that
 * container (the node's TCP acceptor for tills, its in-JVM one) serve "apotheca-till" beside CDO's protocols on the
 * same port: a till opens one more channel on the connection it already has, and the node needs no second port,
 * firewall rule or listener thread.
 * <p>
 * Each call runs as its own signal on a thread of its own (the endpoint's pool, not the container's one that CDO
 * uses): a slow sale at one till does not hold up another till's calls, and a till that disconnects mid-call loses
 * only its own answer (the service still finishes the call; the till's retry with the same id gets the recorded
 * result).
 */
public final class TillEndpoint {

  private TillEndpoint() {
  }

  /**
   * Serves {@code service} to tills on every acceptor of {@code container}, present and future. Installing again
   * replaces the service for channels opened from then on.
   */
  public static void install(IManagedContainer container, NodeService service) {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(service, "service");
    container.registerFactory(new TillServerProtocol.Factory(service));
  }

  /** Stops serving tills: no new till channel opens, and the open ones are closed (their tills see NODE_UNREACHABLE). */
  public static void uninstall(IManagedContainer container) {
    Objects.requireNonNull(container, "container");
    Object factory = container.getFactoryRegistry()
        .remove(new FactoryKey(ServerProtocolFactory.PRODUCT_GROUP, TillProtocol.NAME));
    for (Object protocol : container.getElements(ServerProtocolFactory.PRODUCT_GROUP, TillProtocol.NAME)) {
      LifecycleUtil.deactivate(protocol);
    }
    if (factory instanceof TillServerProtocol.Factory tills) {
      tills.calls.shutdown(); // calls still running finish; their answers have no channel left to go to
    }
  }
}
