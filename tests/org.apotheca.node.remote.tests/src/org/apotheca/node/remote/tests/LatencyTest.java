package org.apotheca.node.remote.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.remote.RemoteNodeService;
import org.junit.jupiter.api.Test;

/**
 * Measures (prints, asserts nothing about speed) what the till protocol adds to a call over loopback: the double
 * answers at once, so this is encoding, Net4j and TCP only. A real node adds its own work (a sale's commit).
 */
class LatencyTest {

  private static final int CALLS = 1_000;
  private static final int WARM_UP = 300;

  @Test
  void roundTripsOfStateAndSellOverLoopback() {
    TransportTestDouble node = new TransportTestDouble();
    node.on("state", a -> Samples.typicalState());
    try (TestNode server = new TestNode(node); RemoteNodeService till = new RemoteNodeService(server.address())) {
      for (int i = 0; i < WARM_UP; i++) {
        till.state();
        till.sell("t", sale("warm-" + i));
      }
      long[] state = new long[CALLS];
      for (int i = 0; i < CALLS; i++) {
        long start = System.nanoTime();
        assertEquals(Samples.typicalState(), till.state());
        state[i] = System.nanoTime() - start;
      }
      long[] sell = new long[CALLS];
      for (int i = 0; i < CALLS; i++) {
        SaleRequest request = sale("sale-" + i);
        long start = System.nanoTime();
        assertEquals(Samples.sale(request.saleId()), till.sell("t", request));
        sell[i] = System.nanoTime() - start;
      }
      System.out.println(report("state()", state));
      System.out.println(report("sell()", sell));
    }
  }

  private static SaleRequest sale(String id) {
    return new SaleRequest(id, List.of(LineRequest.of("4006381333931", 3), new LineRequest("0123456789012", "L9",
        "2027-01-31", 1)), List.of(PaymentRequest.cash(1000, 2000), PaymentRequest.card(497)));
  }

  private static String report(String call, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(Locale.ROOT, "till protocol round trip over loopback, %s x %d: p50 %.3f ms, p95 %.3f ms,"
        + " p99 %.3f ms, max %.3f ms", call, sorted.length, ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[(int) Math.ceil(quantile * sorted.length) - 1] / 1e6;
  }
}
