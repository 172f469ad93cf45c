package org.apotheca.node.remote.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeState;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.remote.RemoteNodeService;
import org.junit.jupiter.api.Test;

/** A till and its node losing each other and finding each other again, with the same RemoteNodeService. */
class ConnectionTest extends TillOnLoopback {

  @Test
  void connectsOnlyWhenFirstAskedAndSaysWhereItGoes() {
    int nobody = TestNode.freePort();
    try (RemoteNodeService lonely = new RemoteNodeService("127.0.0.1:" + nobody)) {
      assertEquals("pharmacy node at 127.0.0.1:" + nobody, lonely.describe());
      NodeState state = lonely.state();
      assertEquals(NodeState.Connection.NODE_UNREACHABLE, state.connection());
      assertFalse(state.canSell());
    }
  }

  @Test
  void stoppedNodeIsUnreachableWithinSecondsAndStateNeverThrows() {
    assertEquals(Samples.state(), till.state());
    server.stopAcceptor();

    NodeException e = assertThrows(NodeException.class, () -> till.search("ibu", 10));
    assertEquals(Refusal.NODE_UNREACHABLE, e.refusal());
    // the stop itself was noticed, not a call left to run out its timeout (a clock limit here failed on a busy VM)
    assertFalse(e.getMessage().contains("did not answer within"), e.getMessage());
    assertSentence(e.getMessage());

    NodeState state = till.state();
    assertEquals(NodeState.Connection.NODE_UNREACHABLE, state.connection());
    assertSentence(state.error());
    assertEquals(List.of(), state.recallAlerts());
    assertEquals("0001", state.siteId(), "the site this till last heard from");
    assertTrue(state.since() > 0);
  }

  @Test
  void theSameServiceWorksAgainWhenTheNodeIsBack() {
    assertEquals(Samples.state(), till.state());
    server.stopAcceptor();
    assertEquals(NodeState.Connection.NODE_UNREACHABLE, till.state().connection());

    server.startAcceptor();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    NodeState state = till.state();
    while (state.connection() == NodeState.Connection.NODE_UNREACHABLE && System.nanoTime() < deadline) {
      TransportTestDouble.sleep(50);
      state = till.state();
    }
    assertEquals(Samples.state(), state);
    assertEquals(Samples.sale("again"), till.sell("t", new SaleRequest("again", List.of(LineRequest.of("1", 1)),
        List.of(PaymentRequest.card(1)))));
  }

  @Test
  void aCallWaitingWhenTheNodeStopsGivesUpAtOnce() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean nodeDone = new java.util.concurrent.atomic.AtomicBoolean();
    node.on("sell", a -> {
      TransportTestDouble.sleep(3_000);
      nodeDone.set(true);
      return Samples.sale("late");
    });
    Future<Object> selling = TransportTestDouble.inThread(() -> {
      try {
        return till.sell("t", sale("late"));
      } catch (NodeException e) {
        return e;
      }
    });
    awaitCall("sell");

    Future<Object> stopping = TransportTestDouble.inThread(() -> {
      server.stopAcceptor(); // returns when the node's sell has ended
      return null;
    });
    Object outcome = selling.get(10, TimeUnit.SECONDS);
    boolean nodeStillSelling = !nodeDone.get();

    NodeException e = assertInstanceOf(NodeException.class, outcome);
    assertEquals(Refusal.NODE_UNREACHABLE, e.refusal());
    assertTrue(e.getMessage().contains("lost before it answered"), e.getMessage());
    assertTrue(nodeStillSelling, "the till waited for an answer that could not come, until the node's sell ended");
    stopping.get(15, TimeUnit.SECONDS);
  }

  @Test
  void aTillLeavingMidCallDoesNotDisturbTheOthers() throws Exception {
    node.on("sell", a -> {
      TransportTestDouble.sleep(2_000);
      return Samples.sale(((SaleRequest) a.get(1)).saleId());
    });
    try (LogCapture log = new LogCapture(); RemoteNodeService other = new RemoteNodeService(server.address())) {
      assertEquals(Samples.state(), other.state());
      Future<Object> selling = TransportTestDouble.inThread(() -> {
        try {
          return till.sell("t", sale("leaving"));
        } catch (NodeException e) {
          return e;
        }
      });
      awaitCall("sell");
      till.close();

      NodeException e = assertInstanceOf(NodeException.class, selling.get(5, TimeUnit.SECONDS));
      assertEquals(Refusal.NODE_UNREACHABLE, e.refusal());
      assertEquals(Samples.state(), other.state(), "while the node still works on the sale");
      TransportTestDouble.sleep(2_500); // the node finishes the sale and finds nobody to answer
      assertEquals(Samples.state(), other.state(), "after");
      assertEquals(Samples.sale("other"), other.sell("t", sale("other")));
      assertTrue(log.records().stream().noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()),
          log.text());
    }
    NodeException closed = assertThrows(NodeException.class, () -> till.search("x", 1));
    assertEquals(Refusal.NODE_UNREACHABLE, closed.refusal());
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    assertEquals(NodeState.Connection.NODE_UNREACHABLE, till.state().connection());
  }

  private static SaleRequest sale(String id) {
    return new SaleRequest(id, List.of(LineRequest.of("4006381333931", 1)), List.of(PaymentRequest.card(499)));
  }

  private void awaitCall(String op) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (node.calls(op).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the node never got the " + op + " call");
      TransportTestDouble.sleep(5);
    }
  }

  private void assertSentence(String message) {
    String prefix = "Cannot reach the pharmacy node at 127.0.0.1:" + server.port + " (";
    assertTrue(message.startsWith(prefix), message);
    assertTrue(message.endsWith("): this till cannot sell until it can."), message);
    assertTrue(message.length() > prefix.length() + 40, "a reason in words: " + message);
    RefusalTest.assertPlain(message);
  }
}
