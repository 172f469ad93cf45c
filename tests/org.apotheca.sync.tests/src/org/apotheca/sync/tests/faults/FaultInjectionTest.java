package org.apotheca.sync.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.sync.tests.faults.Stack.Sold;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's fault-injection tests: central and pharmacy nodes as real processes (child JVMs, Derby on disk, TCP on
 * 127.0.0.1) killed with SIGKILL, cut off by a relay, restarted; every test ends with the exactly-once check at
 * central: each sale the till was told is done is there exactly once, nothing twice.
 */
class FaultInjectionTest {

  private static final Duration MERGE = Duration.ofSeconds(120);

  @TempDir
  Path tmp;

  private Stack stack;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  /** Sells like a till operator: a sale that fails is reported and sold again (a new sale), up to 5 tries. */
  private static Sold sellWithRetry(ChildJvm node, String barcode, String till, Map<String, Sold> acked, List<String> failed)
      throws Exception {
    for (int attempt = 1;; attempt++) {
      try {
        Sold s = Stack.sell(node, barcode, 1, till);
        acked.put(s.id(), s);
        return s;
      } catch (ChildJvm.CommandFailed e) {
        failed.add(e.getMessage());
        if (attempt == 5) {
          throw e;
        }
        Thread.sleep(300);
      }
    }
  }

  @Test
  void centralKilledWhileTheNodeSellsTheNodeKeepsSellingAndEverySaleReachesCentralOnce() throws Exception {
    stack = new Stack(tmp, List.of("0001"), 100);
    stack.startCentral();
    ChildJvm node = stack.startNode("0001", stack.centralEndpoint(), 5);
    Map<String, Sold> acked = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    int offline = 0;
    for (int i = 0; i < 120; i++) {
      if (i == 40) {
        stack.central.kill(); // SIGKILL: no clean shutdown of central's Derby
      }
      if (i == 90) {
        stack.startCentral();
      }
      Sold s = sellWithRetry(node, SampleCatalogue.barcode(i % 5), i % 2 == 0 ? "till-1" : "till-2", acked, failures);
      offline += s.offline() ? 1 : 0;
    }
    System.out.println("central SIGKILL: 120 sales acknowledged, " + offline + " of them offline, failures at the till: " + failures);
    assertTrue(offline >= 30, "the node kept selling while central was dead: " + offline + " offline sales");
    Stack.awaitMerged(node, MERGE);
    Stack.Ledger central = stack.assertExactlyOnce("0001", acked, List.of());
    assertEquals(120, acked.size());
    assertEquals(central.count(), Integer.parseInt(Stack.keyValues(node.command("sales", Stack.COMMAND).get(0)).get("count")),
        "the node's view converged to central's");
  }

  @Test
  void nodeKilledInTheMiddleOfCommitsOnlineAndOfflineLosesNothingAcknowledged() throws Exception {
    stack = new Stack(tmp, List.of("0001"), 100);
    stack.startCentral();
    ChildJvm node = stack.startNode("0001", stack.centralEndpoint(), 5);
    Map<String, Sold> acked = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();

    // online: 30 sales sent at once, SIGKILL after 10 answers, with commits in flight
    node = killMidStream(node, "0001", 30, 10, acked);
    for (int i = 0; i < 10; i++) {
      sellWithRetry(node, SampleCatalogue.barcode(i % 5), "till-1", acked, failures);
    }

    // offline: central SIGKILLed, then the node SIGKILLed mid-stream, restarted while central is still dead
    stack.central.kill();
    node = killMidStream(node, "0001", 30, 10, acked);
    assertEquals("OFFLINE", Stack.status(node).get("state"));
    for (int i = 0; i < 10; i++) {
      Sold s = sellWithRetry(node, SampleCatalogue.barcode(i % 5), "till-2", acked, failures);
      assertTrue(s.offline(), "central is dead: the sale stays on the node");
    }
    stack.startCentral();
    Stack.awaitMerged(node, MERGE);
    Stack.Ledger central = stack.assertExactlyOnce("0001", acked, List.of());
    System.out.println("node SIGKILL: " + acked.size() + " acknowledged, central has " + central.count() + " (sales in flight at a "
        + "kill may land or not, but never twice); till failures " + failures);
    assertEquals(central.count(), Integer.parseInt(Stack.keyValues(node.command("sales", Stack.COMMAND).get(0)).get("count")));
  }

  /**
   * Sends {@code send} sell commands without waiting, reads {@code answers} answers, SIGKILLs the node and starts
   * it again on the same data. Returns the new node process.
   */
  private ChildJvm killMidStream(ChildJvm node, String site, int send, int answers, Map<String, Sold> acked) throws Exception {
    for (int i = 0; i < send; i++) {
      node.send("sell " + SampleCatalogue.barcode(i % 5) + " 1 --till till-3");
    }
    int read = 0;
    while (read < answers) {
      String line = node.next(Stack.COMMAND, "sale answers");
      if (line.startsWith("sale ")) {
        Sold s = Sold.parse(line);
        acked.put(s.id(), s);
        read++;
      } else if (line.startsWith("ERROR")) {
        read++;
      }
    }
    node.kill();
    return stack.startNode(site, null, 0);
  }

  @Test
  void aFlappingLinkDuringARunOfSalesLosesAndDuplicatesNothing() throws Exception {
    stack = new Stack(tmp, List.of("0001"), 100);
    stack.startCentral();
    LinkRelay link = stack.relay();
    ChildJvm node = stack.startNode("0001", link.endpoint(), 5);
    Map<String, Sold> acked = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();

    // 1. outages the node fully recovers from: each ends with a merge, the next starts a new offline branch
    for (int cycle = 0; cycle < 3; cycle++) {
      link.setUp(false);
      Stack.await("OFFLINE", Duration.ofSeconds(30), () -> offline(node), () -> "");
      for (int i = 0; i < 10; i++) {
        assertTrue(sellWithRetry(node, SampleCatalogue.barcode(i % 5), "till-1", acked, failures).offline());
      }
      link.setUp(true);
      Stack.awaitMerged(node, MERGE);
      sellWithRetry(node, SampleCatalogue.barcode(cycle), "till-2", acked, failures);
    }
    assertEquals("3", Stack.status(node).get("merges"), "one merge per outage");

    // 2. the link switched on and off every second during a run of sales
    AtomicInteger toggles = new AtomicInteger();
    Thread flapper = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(1_000);
          link.setUp(!link.isUp());
          toggles.incrementAndGet();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "link-flapper");
    flapper.start();
    int offline = 0;
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < 150 || (System.nanoTime() - t0) < 12_000_000_000L; i++) {
        Sold s = sellWithRetry(node, SampleCatalogue.barcode(i % 5), i % 2 == 0 ? "till-1" : "till-2", acked, failures);
        offline += s.offline() ? 1 : 0;
        Thread.sleep(20);
      }
    } finally {
      flapper.interrupt();
      flapper.join();
    }
    link.setUp(true);
    System.out.println("flapping link: " + acked.size() + " acknowledged in all (" + offline + " offline while flapping), "
        + toggles.get() + " toggles, " + link.connectionsAccepted() + " connections through the relay, till failures "
        + failures.size() + " " + failures);
    assertTrue(toggles.get() >= 10, "the link was switched every second: " + toggles.get());
    Stack.awaitMerged(node, MERGE);
    Stack.Ledger central = stack.assertExactlyOnce("0001", acked, List.of());
    assertEquals(central.count(), Integer.parseInt(Stack.keyValues(node.command("sales", Stack.COMMAND).get(0)).get("count")));
    assertEquals("none", Stack.status(node).get("error"), Stack.status(node).toString());
  }

  @Test
  void twoPharmaciesOfflineAtOnceWhileCentralChangesAPriceEachMergesItsOwnSalesAtTheOldPrice() throws Exception {
    stack = new Stack(tmp, List.of("0001", "0002"), 100);
    ChildJvm central = stack.startCentral();
    LinkRelay link1 = stack.relay();
    LinkRelay link2 = stack.relay();
    ChildJvm node1 = stack.startNode("0001", link1.endpoint(), 5);
    ChildJvm node2 = stack.startNode("0002", link2.endpoint(), 5);
    String barcode = SampleCatalogue.barcode(2);
    long oldPrice = SampleCatalogue.listPriceMinor(2);

    link1.setUp(false);
    link2.setUp(false);
    Stack.await("both nodes OFFLINE", Duration.ofSeconds(30),
        () -> offline(node1) && offline(node2), () -> "");
    // central changes the price during the outage; the nodes cannot know yet
    central.command("price " + barcode + " " + (oldPrice + 500) + " --reason \"supplier increase\" --by pricing", Stack.COMMAND);
    Map<String, Sold> acked1 = new LinkedHashMap<>();
    Map<String, Sold> acked2 = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Sold a = sellWithRetry(node1, barcode, "till-1", acked1, failures);
      Sold b = sellWithRetry(node2, barcode, i % 2 == 0 ? "till-1" : "till-2", acked2, failures);
      assertTrue(a.offline() && b.offline());
      assertEquals(oldPrice, a.total(), "sold at the price the node held");
      assertEquals(oldPrice, b.total());
    }
    link1.setUp(true);
    link2.setUp(true);
    Stack.awaitMerged(node1, MERGE);
    Stack.awaitMerged(node2, MERGE);
    Stack.Ledger c1 = stack.assertExactlyOnce("0001", acked1, failures);
    Stack.Ledger c2 = stack.assertExactlyOnce("0002", acked2, failures);
    assertEquals(20, c1.count());
    assertEquals(20, c2.count());
    assertEquals(20 * oldPrice, c1.total(), "a sale keeps the price it was sold at");
    assertEquals(20 * oldPrice, c2.total());
    assertFalse(c1.ids().keySet().stream().anyMatch(c2.ids()::containsKey), "each pharmacy's sales only in its own repository");
    assertEquals("sales site=0001 count=20 total=" + 20 * oldPrice, node1.command("sales", Stack.COMMAND).get(0));
    assertEquals("sales site=0002 count=20 total=" + 20 * oldPrice, node2.command("sales", Stack.COMMAND).get(0));
    // the crossing is recorded, not silent; the node now holds central's new price
    List<String> resolutions = node1.command("resolutions", Stack.COMMAND);
    assertEquals(20, resolutions.stream().filter(r -> r.contains("price-crossed") && r.contains("the sale keeps " + oldPrice)).count(),
        String.join("\n", resolutions));
    Stack.await("new price at node 2", Duration.ofSeconds(20), () -> {
      try {
        return node2.command("product " + barcode, Stack.COMMAND).get(0).contains("price=" + (oldPrice + 500));
      } catch (IOException e) {
        return false;
      }
    }, () -> "");
  }

  private static boolean offline(ChildJvm node) {
    try {
      return "OFFLINE".equals(Stack.status(node).get("state"));
    } catch (IOException e) {
      return false;
    }
  }
}
