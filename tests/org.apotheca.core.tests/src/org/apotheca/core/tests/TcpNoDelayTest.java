package org.apotheca.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;

import org.apotheca.core.net.Net4jWiring;
import org.eclipse.net4j.connector.IConnector;
import org.eclipse.net4j.internal.tcp.TCPConnector;
import org.eclipse.net4j.tcp.ITCPAcceptor;
import org.eclipse.net4j.tcp.TCPUtil;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;
import org.junit.jupiter.api.Test;

/**
 * Net4j never sets TCP_NODELAY; with Nagle on, a second session sharing a connector commits ~10x slower.
 * Checked on real sockets at both ends of a real Net4j TCP connection on 127.0.0.1.
 */
class TcpNoDelayTest {

  @Test
  void bothEndsOfEveryConnectionHaveNoDelay() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    IManagedContainer server = Net4jWiring.prepareClient(ContainerUtil.createContainer());
    IManagedContainer client = Net4jWiring.prepareClient(ContainerUtil.createContainer());
    server.activate();
    client.activate();
    try {
      ITCPAcceptor acceptor = TCPUtil.getAcceptor(server, "127.0.0.1:" + port);
      IConnector connector = TCPUtil.getConnector(client, "127.0.0.1:" + port);
      connector.waitForConnection(10_000);
      TCPConnector clientSide = (TCPConnector) connector;
      assertTrue(clientSide.getSocketChannel().getOption(StandardSocketOptions.TCP_NODELAY), "client side");

      List<TCPConnector> accepted = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 10_000;
      while (accepted.isEmpty() && System.currentTimeMillis() < deadline) {
        for (IConnector c : acceptor.getAcceptedConnectors()) {
          accepted.add((TCPConnector) c);
        }
        Thread.sleep(20);
      }
      assertEquals(1, accepted.size());
      // the acceptor's listener runs on Net4j's selector thread: give it until the deadline
      TCPConnector serverSide = accepted.get(0);
      while (!serverSide.getSocketChannel().getOption(StandardSocketOptions.TCP_NODELAY) && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(serverSide.getSocketChannel().getOption(StandardSocketOptions.TCP_NODELAY), "server side");
    } finally {
      LifecycleUtil.deactivate(client);
      LifecycleUtil.deactivate(server);
    }
  }
}
