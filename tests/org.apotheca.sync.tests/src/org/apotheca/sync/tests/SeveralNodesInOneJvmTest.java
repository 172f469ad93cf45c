package org.apotheca.sync.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
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
 * Several pharmacy nodes, and several central servers, in one JVM: what the benchmarks do ({@code bench central} runs
 * dozens of nodes per JVM). In-JVM Net4j acceptors are registered by name in one JVM-wide table, and a second
 * acceptor of the same name was silently not registered: its connectors reached the first one's repositories.
 */
class SeveralNodesInOneJvmTest {

  @TempDir
  Path tmp;

  private final List<PharmacyNode> nodes = new ArrayList<>();
  private final List<CentralServer> centrals = new ArrayList<>();

  @AfterEach
  void tearDown() {
    nodes.forEach(PharmacyNode::stop);
    centrals.forEach(SyncFixture::stopCentral);
  }

  @Test
  void twoPharmaciesOnOneCentralBothGetTheCatalogueAndBothSalesReachCentral() throws Exception {
    ServerConfig cfg = ServerConfig.defaults(tmp.resolve("central")).withEndpoint(new Endpoint("127.0.0.1", SyncFixture.freePort()))
        .withSites(List.of("0001", "0002")).withSampleProducts(20);
    CentralServer central = start(cfg);
    PharmacyNode a = node(central, cfg, "0001", "node-a");
    PharmacyNode b = node(central, cfg, "0002", "node-b");
    sellOneEach(central, cfg, a, b);
  }

  @Test
  void twoCentralsEachWithItsPharmacyInOneJvm() throws Exception {
    // the case bench tls met: the second central's seeding went to the first central through the shared acceptor name,
    // so its catalogue stayed empty and its node never became ready; same site id on both to cover the node's acceptor
    ServerConfig cfgA = ServerConfig.defaults(tmp.resolve("central-a")).withEndpoint(new Endpoint("127.0.0.1", SyncFixture.freePort()))
        .withSites(List.of("0001")).withSampleProducts(20);
    ServerConfig cfgB = ServerConfig.defaults(tmp.resolve("central-b")).withEndpoint(new Endpoint("127.0.0.1", SyncFixture.freePort()))
        .withSites(List.of("0001")).withSampleProducts(30);
    CentralServer centralA = start(cfgA);
    CentralServer centralB = start(cfgB);
    PharmacyNode a = node(centralA, cfgA, "0001", "node-a");
    PharmacyNode b = node(centralB, cfgB, "0001", "node-b");
    assertNotNull(b.product(SampleCatalogue.barcode(25)), "central B's own catalogue (30 products) reached its node");
    assertEquals(null, a.product(SampleCatalogue.barcode(25)), "central A has 20 products only: its node must not see B's");
    a.receive("receiving", SampleCatalogue.barcode(1), "A1", LocalDate.now().plusYears(1).toString(), 10, 100);
    b.receive("receiving", SampleCatalogue.barcode(1), "B1", LocalDate.now().plusYears(1).toString(), 10, 100);
    a.sell("till-1", "tests", SampleCatalogue.barcode(1), 1);
    b.sell("till-1", "tests", SampleCatalogue.barcode(1), 2);
    b.sell("till-1", "tests", SampleCatalogue.barcode(1), 1);
    assertEquals(1, salesAtCentral(centralA, cfgA, "0001"), "central A has node A's sale only");
    assertEquals(2, salesAtCentral(centralB, cfgB, "0001"), "central B has node B's two sales only");
  }

  private void sellOneEach(CentralServer central, ServerConfig cfg, PharmacyNode a, PharmacyNode b) {
    String expiry = LocalDate.now().plusYears(1).toString();
    a.receive("receiving", SampleCatalogue.barcode(3), "A3", expiry, 10, 100);
    b.receive("receiving", SampleCatalogue.barcode(4), "B4", expiry, 10, 100);
    assertTrue(!a.sell("till-1", "tests", SampleCatalogue.barcode(3), 1).offline(), "node 0001 sold online");
    assertTrue(!b.sell("till-1", "tests", SampleCatalogue.barcode(4), 2).offline(), "node 0002 sold online");
    assertEquals(1, salesAtCentral(central, cfg, "0001"), "node 0001's sale at central");
    assertEquals(1, salesAtCentral(central, cfg, "0002"), "node 0002's sale at central");
  }

  private CentralServer start(ServerConfig cfg) {
    CentralServer central = SyncFixture.startCentral(cfg);
    centrals.add(central);
    return central;
  }

  private PharmacyNode node(CentralServer central, ServerConfig cfg, String site, String dir) throws InterruptedException {
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(site, tmp.resolve(dir), cfg.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    PharmacyNode node = new PharmacyNode(nc).start();
    nodes.add(node);
    assertTrue(node.awaitReady(120_000), "node " + site + " in " + dir + " got its catalogue and site data: " + node.status().line());
    assertNotNull(node.product(SampleCatalogue.barcode(1)), "node " + site + " in " + dir + " knows a catalogue product");
    return node;
  }

  private static int salesAtCentral(CentralServer central, ServerConfig cfg, String site) {
    try (CdoConnection c = SyncFixture.staff(central, cfg.endpoint(), Repositories.siteRepository(site))) {
      return SalesReader.summary(c.session().openView(), site).count();
    }
  }
}
