package org.apotheca.node.remote.tests;


import org.apotheca.core.net.Net4jWiring;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.remote.TillEndpoint;
import org.eclipse.net4j.internal.tcp.TCPSelector;
import org.eclipse.net4j.tcp.ITCPAcceptor;
import org.eclipse.net4j.tcp.TCPUtil;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * The node's side of the transport, without the node: a container wired as the pharmacy node wires its own
 * ({@link Net4jWiring#prepareClient}: Net4j, TCP, CDO's factories, TCP_NODELAY), a real Net4j TCP acceptor on
 * 127.0.0.1 at a free port, and {@link TillEndpoint} serving a {@link NodeService} on it.
 */
final class TestNode implements AutoCloseable {

  final int port;
  final IManagedContainer container;
  private ITCPAcceptor acceptor;

  TestNode(NodeService service) {
    port = freePort();
    container = Net4jWiring.prepareClient(ContainerUtil.createContainer());
    container.activate();
    TillEndpoint.install(container, service);
    startAcceptor();
  }

  /** "127.0.0.1:port", as a till is configured. */
  String address() {
    return "127.0.0.1:" + port;
  }

  void startAcceptor() {
    acceptor = TCPUtil.getAcceptor(container, address());
  }

  /** Closes the listening socket and every connection it accepted, as a node that stops does. */
  void stopAcceptor() {
    ITCPAcceptor a = acceptor;
    acceptor = null;
    if (a != null) {
      LifecycleUtil.deactivate(a);
      // NIO closes a registered server socket only when its selector wakes up (as in PharmacyNode.stop)
      if (a.getSelector() instanceof TCPSelector selector && selector.getSocketSelector() != null) {
        selector.getSocketSelector().wakeup();
      }
    }
  }

  @Override
  public void close() {
    stopAcceptor();
    LifecycleUtil.deactivate(container);
  }

  static int freePort() {
    return org.apotheca.security.tls.LoopbackPorts.free();
  }
}
