package org.apotheca.node.remote.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.NodeServiceFactory;
import org.apotheca.node.api.NodeState;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.remote.RemoteNodeService;
import org.apotheca.node.remote.RemoteNodeServiceFactory;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

class FactoryTest {

  private final RemoteNodeServiceFactory factory = new RemoteNodeServiceFactory();

  @Test
  void refusesAnAddressThatIsNotHostColonPort() {
    for (String address : new String[] { "nonsense", "node:", ":2046", "node:port", "node:99999", "  " }) {
      NodeException e = assertThrows(NodeException.class,
          () -> factory.open(Map.of(NodeServiceFactory.NODE_ADDRESS, address)), address);
      assertEquals(Refusal.BAD_INPUT, e.refusal(), address);
      RefusalTest.assertPlain(e.getMessage());
      assertTrue(e.getMessage().contains("host:port"), e.getMessage());
    }
    NodeException e = assertThrows(NodeException.class, () -> factory.open(Map.of(NodeServiceFactory.NODE_ADDRESS, "nonsense")));
    assertTrue(e.getMessage().contains("'nonsense'"), e.getMessage());
  }

  @Test
  void refusesAMissingAddress() {
    NodeException e = assertThrows(NodeException.class, () -> factory.open(Map.of()));
    assertEquals(Refusal.BAD_INPUT, e.refusal());
    RefusalTest.assertPlain(e.getMessage());
    assertEquals(Refusal.BAD_INPUT, assertThrows(NodeException.class, () -> factory.open(null)).refusal());
  }

  @Test
  void opensWithoutConnecting() {
    int nobody = TestNode.freePort();
    assertEquals(NodeServiceFactory.REMOTE, factory.kind());
    // plain: the development flag, so that no pairing is needed to open
    try (NodeService service = factory.open(Map.of(NodeServiceFactory.NODE_ADDRESS, "127.0.0.1:" + nobody,
        RemoteNodeServiceFactory.PLAIN, "true"))) {
      assertInstanceOf(RemoteNodeService.class, service);
      assertEquals("pharmacy node at 127.0.0.1:" + nobody, service.describe());
      assertEquals(NodeState.Connection.NODE_UNREACHABLE, service.state().connection());
    }
  }

  @Test
  void aTillNeverPairedIsToldHowToPairIt() {
    NodeException e = assertThrows(NodeException.class, () -> factory.open(Map.of(NodeServiceFactory.NODE_ADDRESS,
        "127.0.0.1:" + TestNode.freePort(), RemoteNodeServiceFactory.IDENTITY, "/nonexistent/till-9-pairing")));
    assertEquals(Refusal.BAD_INPUT, e.refusal());
    RefusalTest.assertPlain(e.getMessage());
    assertTrue(e.getMessage().startsWith("This till is not paired with its pharmacy node yet."), e.getMessage());
  }

  @Test
  void declarativeServicesRegistersItAsTheRemoteKind() throws Exception {
    BundleContext context = FrameworkUtil.getBundle(FactoryTest.class).getBundleContext();
    ServiceTracker<NodeServiceFactory, NodeServiceFactory> tracker = new ServiceTracker<>(context,
        context.createFilter("(&(objectClass=" + NodeServiceFactory.class.getName() + ")("
            + NodeServiceFactory.KIND + "=" + NodeServiceFactory.REMOTE + "))"), null);
    tracker.open();
    try {
      NodeServiceFactory registered = tracker.waitForService(10_000);
      assertNotNull(registered, "no NodeServiceFactory of kind remote is registered");
      assertInstanceOf(RemoteNodeServiceFactory.class, registered);
      assertEquals(NodeServiceFactory.REMOTE, registered.kind());
    } finally {
      tracker.close();
    }
  }
}
