package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueEditor;
import org.apotheca.core.ledger.LedgerException;
import org.apotheca.core.ledger.SaleReceipt;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeCommands;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Central → pharmacies: price changes and recalls made at a real central server reach real pharmacy nodes (offline
 * clones on Derby, TCP on loopback) and the tills obey at once; each pharmacy sees only its own sales.
 */
class CatalogueFlowTest {

  @TempDir
  Path tmp;

  private CentralServer central;
  private final List<PharmacyNode> nodes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // keep closing
      }
    }
    nodes.forEach(PharmacyNode::stop);
    SyncFixture.stopCentral(central);
  }

  private ServerConfig startCentral(List<String> sites) {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 40).withSites(sites);
    central = SyncFixture.startCentral(config);
    return config;
  }

  private PharmacyNode startNode(ServerConfig config, String site) throws InterruptedException {
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(site, tmp.resolve("node-" + site), config.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    PharmacyNode node = new PharmacyNode(nc).start();
    nodes.add(node);
    assertTrue(node.awaitReady(60_000), "node ready: " + node.status().line());
    return node;
  }

  private CatalogueEditor editor(ServerConfig config) {
    CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.CATALOGUE);
    CatalogueEditor editor = new CatalogueEditor(c.session());
    closeables.add(c);
    closeables.add(0, editor);
    return editor;
  }

  @Test
  void fiftyPriceChangesAllReachAnOnlineNodeAndTheTillSellsAtTheNewPrice() throws Exception {
    ServerConfig config = startCentral(List.of("0001"));
    PharmacyNode node = startNode(config, "0001");
    String barcode = SampleCatalogue.barcode(5);
    node.receive("receiving", barcode, "L1", LocalDate.now().plusDays(300).toString(), 10, 5);
    CatalogueEditor editor = editor(config);
    int before = node.catalogueCommitsReceived();
    for (int i = 1; i <= 50; i++) {
      editor.setPrice(barcode, 1_000 + i, "tester", "price step " + i);
    }
    long ms = await("50 catalogue commits at the node", 30_000,
        () -> node.catalogueCommitsReceived() - before >= 50 && node.product(barcode).priceMinor() == 1_050,
        () -> (node.catalogueCommitsReceived() - before) + " commits, price " + node.product(barcode).priceMinor());
    System.out.println("TIMING 50 price changes at the node " + ms + " ms after the last commit at central");
    assertEquals(50, node.catalogueCommitsReceived() - before, "every commit arrived, none twice");
    assertEquals("product barcode=" + barcode + " price=1050 recalled=no name=\"" + node.product(barcode).name() + "\"",
        new NodeCommands(node).apotheca("product", barcode));
    SaleReceipt sale = node.sell("till-1", "anna", barcode, 2);
    assertEquals(2_100, sale.totalMinor(), "the sale uses the price the node holds at the moment of sale");

    // a later price change never rewrites the past sale
    editor.setPrice(barcode, 9_999, "tester", "later change");
    await("later price at node", 10_000, () -> node.product(barcode).priceMinor() == 9_999, () -> "");
    assertEquals(2_100, node.sales().totalMinor());
    assertThrows(IllegalArgumentException.class, () -> editor.setPrice(barcode, -1, "tester", "negative"));
    assertThrows(IllegalArgumentException.class, () -> editor.setPrice("123", 5, "tester", "unknown"));
  }

  @Test
  void aRecalledBatchIsRefusedWithinSecondsAnotherBatchSellsAndLiftingTheRecallAllowsItAgain() throws Exception {
    ServerConfig config = startCentral(List.of("0001", "0002"));
    PharmacyNode node = startNode(config, "0001");
    PharmacyNode other = startNode(config, "0002");
    String barcode = SampleCatalogue.barcode(7);
    String name = node.product(barcode).name();
    node.receive("receiving", barcode, "LOT-A", LocalDate.now().plusDays(100).toString(), 10, 5);
    node.receive("receiving", barcode, "LOT-B", LocalDate.now().plusDays(200).toString(), 10, 5);
    other.receive("receiving", barcode, "LOT-A", LocalDate.now().plusDays(100).toString(), 10, 5);

    ServerCommands console = new ServerCommands(central);
    String issued = console.apotheca("recall", barcode, "--batch", "LOT-A", "--reason", "MHRA class 2 drug alert", "--by", "qa");
    assertTrue(issued.startsWith("recall issued number=R-000001 "), issued);
    long t0 = System.nanoTime();
    long ms = await("recall at the node", 2_000, () -> node.product(barcode).recalled(), () -> "");
    System.out.println("TIMING recall visible at the node " + ms + " ms after the command returned");
    LedgerException refused = assertThrows(LedgerException.class, () -> node.sell("till-1", "anna", barcode, "LOT-A", 1));
    assertEquals("Cannot sell " + name + " (" + barcode + ") lot LOT-A: recalled, recall R-000001: MHRA class 2 drug alert",
        refused.getMessage());
    System.out.println("TIMING recall -> refused sale " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    // FEFO skips the recalled lot: the sale takes LOT-B
    SaleReceipt fromB = node.sell("till-1", "anna", barcode, 3);
    assertEquals("LOT-B", fromB.allocations().get(0).lotNumber());
    assertEquals(1, fromB.allocations().size());
    assertTrue(new NodeCommands(node).apotheca("product", barcode).contains("recalled=yes recall=R-000001:LOT-A"));
    // the other pharmacy holds only LOT-A: refused there too, naming the recall
    LedgerException otherRefused = assertThrows(LedgerException.class, () -> other.sell("till-1", "ben", barcode, 1));
    assertTrue(otherRefused.getMessage().contains("recall R-000001 covers lot LOT-A"), otherRefused.getMessage());

    // central sees that both nodes have it (their receipts are written through while online)
    await("both receipts at central", 10_000, () -> {
      try {
        return console.apotheca("recall", "status", "R-000001").contains("received by 2 of 2 sites");
      } catch (Exception e) {
        return false;
      }
    }, () -> {
      try {
        return console.apotheca("recall", "status", "R-000001");
      } catch (Exception e) {
        return e.toString();
      }
    });
    String status = console.apotheca("recall", "status", "R-000001");
    assertTrue(status.contains("site id=0001 received=yes") && status.contains("site id=0002 received=yes"), status);

    // bad arguments change nothing
    assertThrows(IllegalArgumentException.class, () -> console.apotheca("recall", barcode, "--batch", "X"));
    assertThrows(IllegalArgumentException.class, () -> console.apotheca("recall", "0000000000000", "--reason", "r"));
    assertThrows(IllegalArgumentException.class, () -> console.apotheca("recall", "lift", "R-000099", "--reason", "r"));
    assertEquals(1, console.apotheca("recalls").lines().count());

    String lifted = console.apotheca("recall", "lift", "R-000001", "--reason", "alert withdrawn by MHRA");
    assertTrue(lifted.startsWith("recall lifted number=R-000001"), lifted);
    await("lift at the node", 2_000, () -> !node.product(barcode).recalled(), () -> "");
    SaleReceipt fromA = node.sell("till-1", "anna", barcode, "LOT-A", 1);
    assertEquals("LOT-A", fromA.allocations().get(0).lotNumber());

    // two pharmacies: each sees its own sales only, central sees both separately
    other.receive("receiving", barcode, "LOT-C", LocalDate.now().plusDays(50).toString(), 5, 5);
    other.sell("till-1", "ben", barcode, 1);
    assertEquals(2, node.sales().count());
    assertEquals(1, other.sales().count());
    assertEquals("sales site=0001 count=2 total=" + node.sales().totalMinor(), console.apotheca("sales", "0001"));
    assertEquals("sales site=0002 count=1 total=" + other.sales().totalMinor(), console.apotheca("sales", "0002"));
    assertThrows(RuntimeException.class, () -> other.openLocalSession(Repositories.siteRepository("0001")),
        "a node serves only its own pharmacy's repository");
    assertFalse(SalesReader.summary(other.openLocalSession(Repositories.siteRepository("0002")).openView(), "0001").count() > 0);
  }

  @Test
  void aProductAddedAtCentralSellsAtTheNodeAndAWithdrawnOneIsRefused() throws Exception {
    ServerConfig config = startCentral(List.of("0001"));
    PharmacyNode node = startNode(config, "0001");
    ServerCommands console = new ServerCommands(central);
    String added = console.apotheca("product", "add", "4006381333931", "Aspirin 100 mg tablets x50", "--price", "499", "--vat", "2000",
        "--by", "catalogue.team");
    assertTrue(added.startsWith("product added barcode=4006381333931 "), added);
    await("new product at the node", 5_000, () -> node.product("4006381333931") != null, () -> "");
    node.receive("receiving", "4006381333931", "NEW-1", LocalDate.now().plusDays(400).toString(), 6, 200);
    assertEquals(998, node.sell("till-1", "anna", "4006381333931", 2).totalMinor());

    // bad arguments change nothing
    assertThrows(IllegalArgumentException.class, () -> console.apotheca("product", "add", "4006381333931", "Duplicate", "--price", "1"));
    assertThrows(IllegalArgumentException.class, () -> console.apotheca("product", "add", "12ab", "Bad code", "--price", "1"));
    assertThrows(IllegalArgumentException.class, () -> console.apotheca("product", "add", "4006381333948", "No VAT", "--price", "1", "--vat", "1234"));
    assertThrows(IllegalArgumentException.class, () -> console.apotheca("product", "withdraw", "4006381333931"));

    String withdrawn = console.apotheca("product", "withdraw", "4006381333931", "--reason", "marketing authorisation suspended");
    assertTrue(withdrawn.startsWith("product withdrawn barcode=4006381333931"), withdrawn);
    await("withdrawal at the node", 5_000, () -> node.product("4006381333931").withdrawn(), () -> "");
    LedgerException refused = assertThrows(LedgerException.class, () -> node.sell("till-1", "anna", "4006381333931", 1));
    assertEquals("Cannot sell Aspirin 100 mg tablets x50 (4006381333931): withdrawn from sale by central", refused.getMessage());
    assertEquals(1, node.sales().count());
  }
}
