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
}
