package org.apotheca.node.remote.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.remote.RemoteNodeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls side by side: each gets its own answer, and a slow one holds up nobody else. */
class ConcurrencyTest {

  private static final int THREADS = 4;
  private static final int CALLS = 50;
  private static final int SLOW = 16;

  private TransportTestDouble node;
  private TestNode server;
  private final List<RemoteNodeService> tills = new ArrayList<>();

  @BeforeEach
  void start() {
    node = new TransportTestDouble();
    server = new TestNode(node);
    // answers that depend on the question, so that a mixed-up answer shows
    node.on("search", a -> List.of(Samples.product(a.get(0) + "#" + a.get(1))));
  }

  @AfterEach
  void stop() {
    tills.forEach(RemoteNodeService::close);
    server.close();
  }

  @Test
  void fourThreadsSharingOneTillAllGetTheirOwnAnswers() throws Exception {
    RemoteNodeService shared = till();
    assertAllAnswered(t -> shared);
  }

  @Test
  void fourTillsAtOnceAllGetTheirOwnAnswers() throws Exception {
    List<RemoteNodeService> four = List.of(till(), till(), till(), till());
    assertAllAnswered(four::get);
  }

  @Test
  void aSlowSaleDoesNotDelayAnotherTillNorItsOwnTill() throws Exception {
    node.on("sell", a -> {
      TransportTestDouble.sleep(2_000);
      return Samples.sale(((SaleRequest) a.get(1)).saleId());
    });
    RemoteNodeService selling = till();
    RemoteNodeService other = till();
    assertEquals(Samples.state(), other.state()); // both connected before the clock starts
    assertEquals(Samples.state(), selling.state());

    long start = System.nanoTime();
    Future<SaleInfo> sale = TransportTestDouble.inThread(() -> selling.sell("t", sale("slow")));
    awaitCall("sell");
    long otherMillis = timed(() -> assertEquals(Samples.state(), other.state()));
    long ownMillis = timed(() -> assertEquals(Samples.state(), selling.state()));
    assertEquals(Samples.sale("slow"), sale.get(10, TimeUnit.SECONDS));
    long saleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertTrue(saleMillis >= 1_900, "the sale took " + saleMillis + " ms: the double did not hold it");
    assertTrue(otherMillis < 500, "another till's state() waited " + otherMillis + " ms");
    assertTrue(ownMillis < 500, "the selling till's own state() waited " + ownMillis + " ms");
  }

  /** More calls at once than Net4j's own pool has core threads (10): none may wait for another. */
  @Test
  void sixteenSlowSalesAtOnceRunSideBySide() throws Exception {
    node.on("sell", a -> {
      TransportTestDouble.sleep(1_000);
      return Samples.sale(((SaleRequest) a.get(1)).saleId());
    });
    List<RemoteNodeService> slowTills = new ArrayList<>();
    for (int i = 0; i < SLOW; i++) {
      RemoteNodeService t = till();
      t.state();
      slowTills.add(t);
    }
    ExecutorService pool = Executors.newFixedThreadPool(SLOW);
    try {
      long start = System.nanoTime();
      List<Future<SaleInfo>> sales = new ArrayList<>();
      for (int i = 0; i < SLOW; i++) {
        RemoteNodeService t = slowTills.get(i);
        String id = "parallel-" + i;
        sales.add(pool.submit(() -> t.sell("t", sale(id))));
      }
      for (int i = 0; i < SLOW; i++) {
        assertEquals(Samples.sale("parallel-" + i), sales.get(i).get(10, TimeUnit.SECONDS));
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < 1_900, SLOW + " one-second sales took " + millis + " ms: some waited for others");
    } finally {
      pool.shutdownNow();
    }
  }

  private void assertAllAnswered(IntFunction<NodeService> tillOfThread) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        NodeService till = tillOfThread.apply(t);
        results.add(pool.submit(() -> {
          go.await();
          int answered = 0;
          for (int c = 0; c < CALLS; c++) {
            String tag = thread + "-" + c;
            switch (c % 4) {
              case 0 -> check(wrong, tag, List.of(Samples.product("q" + tag + "#" + c)), till.search("q" + tag, c));
              case 1 -> check(wrong, tag, Samples.sale("sale-for-r" + tag), till.sale("r" + tag));
              case 2 -> check(wrong, tag, Samples.sale("s" + tag), till.sell("t", sale("s" + tag)));
              default -> check(wrong, tag, Samples.state(), till.state());
            }
            answered++;
          }
          return answered;
        }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertEquals(List.of(), List.copyOf(wrong));
      assertEquals(THREADS * CALLS, total);
      int seen = node.calls("search").size() + node.calls("sale").size() + node.calls("sell").size()
          + node.calls("state").size();
      assertEquals(THREADS * CALLS, seen);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void check(ConcurrentLinkedQueue<String> wrong, String tag, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      wrong.add(tag + ": " + actual);
    }
  }

  private RemoteNodeService till() {
    RemoteNodeService t = new RemoteNodeService(server.address());
    tills.add(t);
    return t;
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

  private static long timed(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
