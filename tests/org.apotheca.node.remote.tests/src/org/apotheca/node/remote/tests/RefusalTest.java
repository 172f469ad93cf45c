package org.apotheca.node.remote.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.SaleRequest;
import org.junit.jupiter.api.Test;

/** What the node refuses reaches the till as the same code and message; what breaks in the node stays in its log. */
class RefusalTest extends TillOnLoopback {

  private static final String TOKEN = "token-that-must-never-be-logged";

  @Test
  void everyRefusalCodeCrossesWithItsMessage() {
    for (Refusal refusal : Refusal.values()) {
      String message = "Refused as " + refusal + ": " + Samples.UNICODE;
      node.on("quote", a -> {
        throw new NodeException(refusal, message);
      });
      NodeException e = assertThrows(NodeException.class, () -> till.quote(TOKEN, LineRequest.of("1", 1)));
      assertEquals(refusal, e.refusal());
      assertEquals(message, e.getMessage());
    }
    assertEquals(Refusal.values().length, node.calls("quote").size());
  }

  @Test
  void aRefusedWriteIsRefusedAtTheTill() {
    node.on("sell", a -> {
      throw new NodeException(Refusal.NOT_ENOUGH_STOCK, "Only 2 of Ibuprofen 400 are on the shelf.");
    });
    NodeException e = assertThrows(NodeException.class, () -> till.sell(TOKEN, sale()));
    assertEquals(Refusal.NOT_ENOUGH_STOCK, e.refusal());
    assertEquals("Only 2 of Ibuprofen 400 are on the shelf.", e.getMessage());
  }

  @Test
  void aRefusalWithoutMessageStillSaysSomething() {
    node.on("session", a -> {
      throw new NodeException(Refusal.NOT_LOGGED_IN, null);
    });
    NodeException e = assertThrows(NodeException.class, () -> till.session(TOKEN));
    assertEquals(Refusal.NOT_LOGGED_IN, e.refusal());
    assertNotNull(e.getMessage());
    assertTrue(e.getMessage().contains("NOT_LOGGED_IN"), e.getMessage());
  }

  @Test
  void anUnexpectedFailureInTheNodeIsNotRecordedWithAPlainMessage() {
    try (LogCapture log = new LogCapture()) {
      node.on("sell", a -> {
        throw new IllegalStateException("disk on fire in org.apotheca.secret.Ledger");
      });
      NodeException e = assertThrows(NodeException.class, () -> till.sell(TOKEN, sale()));

      assertEquals(Refusal.NOT_RECORDED, e.refusal());
      assertPlain(e.getMessage());
      assertFalse(e.getMessage().contains("disk on fire"), e.getMessage());
      // the node's log has it, with the stack
      LogRecord severe = log.records().stream().filter(r -> r.getLevel() == Level.SEVERE).findFirst().orElseThrow();
      assertNotNull(severe.getThrown());
      assertEquals("disk on fire in org.apotheca.secret.Ledger", severe.getThrown().getMessage());
      assertTrue(severe.getThrown().getStackTrace().length > 0);
    }
    assertEquals(Samples.state(), till.state(), "the link survives the failure");
  }

  @Test
  void anErrorInTheNodeIsNotRecordedToo() {
    node.on("refund", a -> {
      throw new AssertionError("invariant broken in org.apotheca.Whatever");
    });
    NodeException e = assertThrows(NodeException.class, () -> till.refund(TOKEN, Samples.refundRequest()));
    assertEquals(Refusal.NOT_RECORDED, e.refusal());
    assertPlain(e.getMessage());
    assertFalse(e.getMessage().contains("invariant"), e.getMessage());
  }

  @Test
  void tokensAndPasswordsNeverReachTheLog() {
    try (LogCapture log = new LogCapture()) {
      till.login("till-1", "alice", "hunter2-secret".toCharArray());
      node.on("login", a -> {
        throw new NodeException(Refusal.LOGIN_FAILED, "Wrong user name or password.");
      });
      assertThrows(NodeException.class, () -> till.login("till-1", "alice", "hunter2-secret".toCharArray()));
      node.on("sell", a -> {
        throw new IllegalStateException("write failed");
      });
      assertThrows(NodeException.class, () -> till.sell(TOKEN, sale()));
      till.logout(TOKEN);
      server.stopAcceptor();
      assertEquals(Refusal.NODE_UNREACHABLE, assertThrows(NodeException.class, () -> till.session(TOKEN)).refusal());

      String text = log.text();
      assertTrue(text.contains("SEVERE"), "the failure was logged:\n" + text);
      assertFalse(text.contains(TOKEN), text);
      assertFalse(text.contains("hunter2"), text);
    }
  }

  private static SaleRequest sale() {
    return SaleRequest.of(List.of(LineRequest.of("4006381333931", 1)), List.of(PaymentRequest.card(499)));
  }

  /** A sentence for a person: no exception class, package or stack frame. */
  static void assertPlain(String message) {
    assertNotNull(message);
    assertFalse(message.isBlank());
    for (String technical : List.of("Exception", "Error", "java.", "org.", "\tat ", "$")) {
      assertFalse(message.contains(technical), "'" + technical + "' in: " + message);
    }
  }
}
