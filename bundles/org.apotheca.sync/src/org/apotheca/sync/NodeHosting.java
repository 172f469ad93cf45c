package org.apotheca.sync;

import java.util.logging.Logger;

/** What every process hosting a pharmacy node does besides starting it: the headless node and the workbench. */
final class NodeHosting {

  private static final Logger LOG = Logger.getLogger(NodeHosting.class.getName());

  private NodeHosting() {
  }

  /** Demo only: once the node has its data, receives sample stock if the pharmacy has none (in the background). */
  static void receiveSampleStockWhenReady(PharmacyNode node, int products) {
    if (products <= 0) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        if (node.awaitReady(600_000)) {
          SampleStock.receiveIfEmpty(node, products);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.warning(() -> "Sample stock not received: " + e.getMessage());
      }
    }, "apotheca-sample-stock");
    t.setDaemon(true);
    t.start();
  }
}
