package org.apotheca.sync.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apotheca.core.sample.SampleCatalogue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 with real processes: central → pharmacy catalogue changes arrive complete (every commit, none dropped)
 * whether the node is online, offline or restarted, and a recall stops the till within seconds.
 */
class CatalogueDeliveryTest {

  @TempDir
  Path tmp;

  private Stack stack;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void fiftyPriceChangesReachTheNodeOnlineOfflineAndAcrossARestart() throws Exception {
    stack = new Stack(tmp, List.of("0001"), 100);
    ChildJvm central = stack.startCentral();
    LinkRelay link = stack.relay();
    ChildJvm node = stack.startNode("0001", link.endpoint(), 0);
    String barcode = SampleCatalogue.barcode(9);

    // online
    long since = System.currentTimeMillis();
    changePrices(central, barcode, 1_000, 50);
    awaitPriceAndCommits(node, barcode, 1_050, since, 50);

    // offline: the link is down while central commits
    link.setUp(false);
    Stack.await("node OFFLINE", Duration.ofSeconds(30), () -> state(node).equals("OFFLINE"), () -> "");
    since = System.currentTimeMillis();
    changePrices(central, barcode, 2_000, 50);
    assertTrue(node.command("product " + barcode, Stack.COMMAND).get(0).contains("price=1050"), "offline: still the old price");
    link.setUp(true);
    awaitPriceAndCommits(node, barcode, 2_050, since, 50);

    // restarted: the node is down while central commits
    node.stop();
    since = System.currentTimeMillis();
    changePrices(central, barcode, 3_000, 50);
    ChildJvm restarted = stack.startNode("0001", null, 0);
    awaitPriceAndCommits(restarted, barcode, 3_050, since, 50);
    Map<String, String> status = Stack.status(restarted);
    assertEquals(status.get("catalogue"), status.get("centralCatalogue"), "the node shows it is level with central: " + status);
  }

  @Test
  void aRecallStopsTheTillWithinSecondsAndCentralSeesTheNodeHasIt() throws Exception {
    stack = new Stack(tmp, List.of("0001"), 100);
    ChildJvm central = stack.startCentral();
    ChildJvm node = stack.startNode("0001", stack.centralEndpoint(), 0);
    String barcode = SampleCatalogue.barcode(4);
    node.command("receive " + barcode + " 10 LOT-R 2030-01-31", Stack.COMMAND);
    node.command("receive " + barcode + " 10 LOT-S 2030-06-30", Stack.COMMAND);

    String issued = central.command("recall " + barcode + " --batch LOT-R --reason \"maker recall: label error\"", Stack.COMMAND).get(0);
    long t0 = System.nanoTime();
    String number = Stack.keyValues(issued).get("number");
    String refusal = null;
    while (refusal == null && System.nanoTime() - t0 < 2_000_000_000L) {
      try {
        node.command("sell " + barcode + " 1 --lot LOT-R", Stack.COMMAND);
        Thread.sleep(20); // sold before the recall arrived: try again
      } catch (ChildJvm.CommandFailed e) {
        refusal = e.getMessage();
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("recall -> sale of the lot refused after " + ms + " ms: " + refusal);
    assertTrue(refusal != null && refusal.contains("recall " + number) && refusal.contains("maker recall: label error"),
        "refused within 2 s naming the recall: " + refusal);
    String other = node.command("sell " + barcode + " 1 --lot LOT-S", Stack.COMMAND).get(0);
    assertTrue(other.contains("lots=LOT-S:1"), other);
    Stack.await("central sees the node has the recall", Duration.ofSeconds(10), () -> {
      try {
        return central.command("recall status " + number, Stack.COMMAND).stream().anyMatch(l -> l.startsWith("site id=0001 received=yes"));
      } catch (IOException e) {
        return false;
      }
    }, () -> "");
    central.command("recall lift " + number + " --reason \"relabelled\"", Stack.COMMAND);
    Stack.await("lift at the node", Duration.ofSeconds(5), () -> {
      try {
        return node.command("product " + barcode, Stack.COMMAND).get(0).contains("recalled=no");
      } catch (IOException e) {
        return false;
      }
    }, () -> "");
    assertTrue(node.command("sell " + barcode + " 1 --lot LOT-R", Stack.COMMAND).get(0).contains("lots=LOT-R:1"));
  }

  private static void changePrices(ChildJvm central, String barcode, long base, int n) throws IOException {
    for (int i = 1; i <= n; i++) {
      central.command("price " + barcode + " " + (base + i) + " --reason \"step " + i + "\" --by test", Stack.COMMAND);
    }
  }

  private static void awaitPriceAndCommits(ChildJvm node, String barcode, long price, long since, int commits) throws Exception {
    Stack.await("price " + price + " and " + commits + " commits at the node", Duration.ofSeconds(60), () -> {
      try {
        return node.command("product " + barcode, Stack.COMMAND).get(0).contains("price=" + price)
            && Integer.parseInt(Stack.keyValues(node.command("catalogue --since " + since, Stack.COMMAND).get(0)).get("commits")) >= commits;
      } catch (IOException e) {
        return false;
      }
    }, () -> {
      try {
        return node.command("product " + barcode, Stack.COMMAND).get(0) + " / " + node.command("catalogue --since " + since, Stack.COMMAND).get(0);
      } catch (IOException e) {
        return e.toString();
      }
    });
    assertEquals(String.valueOf(commits), Stack.keyValues(node.command("catalogue --since " + since, Stack.COMMAND).get(0)).get("commits"),
        "every catalogue commit arrived exactly once");
  }

  private static String state(ChildJvm node) {
    try {
      return Stack.status(node).get("state");
    } catch (IOException e) {
      return "?";
    }
  }
}
