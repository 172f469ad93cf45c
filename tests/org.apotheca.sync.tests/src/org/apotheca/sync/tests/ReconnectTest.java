package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 6: after central went away and came back, the node reconnects by itself and merges what it sold
 * meanwhile. The time it takes is printed (RECONNECT lines), not asserted: speed is for {@code ./apotheca bench sync}.
 */
class ReconnectTest {

  @TempDir
  Path tmp;

  private CentralServer central;
  private PharmacyNode node;

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.stop();
    }
    SyncFixture.stopCentral(central);
  }

  @Test
  void afterCentralWasStoppedAndStartedAgainTheNodeIsOnlineAndHasMergedItsOfflineSales() throws Exception {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 200);
    central = SyncFixture.startCentral(config);
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), config.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    node = new PharmacyNode(nc).start();
    assertTrue(node.awaitReady(60_000), node.status().line());
    node.receive("receiving", SampleCatalogue.barcode(0), "LOT-A", java.time.LocalDate.now().plusYears(2).toString(), 500, 10);
    assertFalse(node.sell("till-1", "pharmacist", SampleCatalogue.barcode(0), 1).offline());

    for (int round = 1; round <= 3; round++) {
      SyncFixture.stopCentral(central);
      central = null;
      await("node OFFLINE", 30_000, () -> node.state() == PharmacyNode.State.OFFLINE, () -> node.status().line());
      for (int i = 0; i < 20; i++) {
        assertTrue(node.sell("till-2", "pharmacist", SampleCatalogue.barcode(0), 1).offline());
      }
      Thread.sleep(1_500); // a few failed connect attempts, as in a real outage
      long t0 = System.nanoTime();
      central = SyncFixture.startCentral(config.withSampleProducts(0));
      long started = System.nanoTime();
      long online = started + await("node ONLINE", 60_000, () -> node.state() == PharmacyNode.State.ONLINE,
          () -> node.status().line()) * 1_000_000;
      await("offline sales merged", 60_000, () -> node.status().pendingCommits() == 0 && node.status().branch().equals("MAIN"),
          () -> node.status().line());
      long merged = System.nanoTime();
      System.out.printf("RECONNECT round %d: central start %d ms, then node ONLINE after %d ms, merged after %d ms more%n", round,
          (started - t0) / 1_000_000, (online - started) / 1_000_000, (merged - online) / 1_000_000);
      assertEquals(1 + 20 * round, salesAtCentral(config), node.status().line());
    }
    assertEquals(3, node.status().merges());
    assertEquals(List.of(), node.errors());
  }

  private int salesAtCentral(ServerConfig config) {
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE))) {
      return SalesReader.summary(c.session().openView(), SITE).count();
    }
  }
}
