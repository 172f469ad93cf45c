package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.ledger.LedgerException;
import org.apotheca.core.ledger.SaleReceipt;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.Sale;
import org.apotheca.model.SalesDay;
import org.apotheca.server.CentralBackup;
import org.apotheca.server.CentralRestore;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.ReplicatorSessions;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Central backed up while two enrolled pharmacy nodes are connected and one of them sells, then restored into a fresh
 * directory and started there on the same address: the catalogue and every sale committed before the backup began
 * are at the restored central, and the nodes come back with the certificates they had. A node that synced after the
 * backup was taken is ahead of the restored central: what it does then is pinned at the end (docs/server.md).
 */
class CentralBackupRestoreTest {

  @TempDir
  Path tmp;

  private CentralServer central;
  private final List<PharmacyNode> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    for (PharmacyNode n : nodes) {
      n.stop();
    }
    SyncFixture.stopCentral(central);
  }

  private PharmacyNode startNode(String site, Endpoint centralAt) throws InterruptedException {
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(site, tmp.resolve("node-" + site), centralAt,
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    PharmacyNode node = new PharmacyNode(nc, ReplicatorSessions.Fix.ALL, java.time.Clock.systemDefaultZone()).start();
    nodes.add(node);
    assertTrue(node.awaitReady(90_000), "node " + site + " ready: " + node.status().line());
    return node;
  }

  private static Set<String> saleIds(CentralServer server, String site) {
    Set<String> ids = new HashSet<>();
    CDONet4jSession session = server.openLocalSession(Repositories.siteRepository(site));
    try {
      for (SalesDay day : SalesReader.journals(session.openView(), site)) {
        for (Sale s : day.getSales()) {
          ids.add(s.getId());
        }
      }
    } finally {
      session.close();
    }
    return ids;
  }

  @Test
  void nodesSellDuringTheBackupAndTheRestoredCentralHasEverySaleFromBeforeItAndKnowsTheirCertificates() throws Exception {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 30)
        .withSites(List.of("0001", "0002"));
    central = SyncFixture.startCentral(config);
    PharmacyNode selling = startNode("0001", config.endpoint());
    PharmacyNode quiet = startNode("0002", config.endpoint());
    String barcode = SampleCatalogue.barcode(1);
    String expiry = LocalDate.now().plusYears(1).toString();
    selling.receive("receiving", barcode, "LOT-B", expiry, 5_000, 40);
    quiet.receive("receiving", barcode, "LOT-Q", expiry, 100, 40);
    List<String> quietSales = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SaleReceipt r = quiet.sell("till-1", "pharmacist", barcode, 1);
      assertFalse(r.offline(), r.line());
      quietSales.add(r.saleId());
    }

    // pharmacy 0001 sells, one sale after the other, before, during and after the backup
    List<String> before = Collections.synchronizedList(new ArrayList<>());
    List<String> sold = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean backupAsked = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread till = new Thread(() -> {
      try {
        while (!stop.get()) {
          SaleReceipt r = selling.sell("till-1", "pharmacist", barcode, 1);
          sold.add(r.saleId());
          if (!backupAsked.get() && !r.offline()) { // written through to central before the backup was asked for
            before.add(r.saleId());
          }
        }
      } catch (Throwable t) {
        failed.set(t);
      }
    }, "till-0001");
    till.start();
    await("5 sales before the backup", 60_000, () -> before.size() >= 5, () -> selling.status().line());
    backupAsked.set(true);
    List<String> progress = Collections.synchronizedList(new ArrayList<>());
    CentralBackup.Result backup = CentralBackup.run(central, tmp.resolve("backup"), progress::add);
    int duringBackup = sold.size() - before.size();
    int atBackupEnd = sold.size();
    await("3 sales after the backup", 60_000, () -> sold.size() >= atBackupEnd + 3, () -> selling.status().line());
    stop.set(true);
    till.join(60_000);
    assertNull(failed.get(), "the till sold through the backup");
    System.out.println("CentralBackupRestoreTest: " + before.size() + " sales before the backup, " + duringBackup
        + " while it ran, " + (sold.size() - atBackupEnd) + " after; " + backup.line());
    assertEquals(3, backup.repositories().size());
    assertTrue(backup.security());
    await("every sale of 0001 at central", 60_000, () -> saleIds(central, "0001").containsAll(sold),
        () -> selling.status().line());

    // central's disk is lost: stop it, restore the backup into a fresh directory, start it on the same address
    SyncFixture.stopCentral(central);
    central = null;
    ServerConfig restoredConfig = ServerConfig.defaults(tmp.resolve("restored")).withEndpoint(config.endpoint());
    CentralRestore.Result restored = CentralRestore.restore(tmp.resolve("backup"), restoredConfig, s -> { });
    assertEquals(backup.files(), restored.files());
    central = SyncFixture.startCentral(restoredConfig);
    assertEquals(List.of("0001", "0002"), central.siteIds());

    CDONet4jSession catalogue = central.openLocalSession(Repositories.CATALOGUE);
    try {
      assertEquals(30, CatalogueReader.count(catalogue.openView()), "the catalogue");
    } finally {
      catalogue.close();
    }
    Set<String> restoredSales = saleIds(central, "0001");
    assertTrue(restoredSales.containsAll(before), "every sale written through before the backup was asked for ("
        + before.size() + "), restored " + restoredSales.size());
    assertTrue(sold.containsAll(restoredSales), "no sale that was never made");
    assertEquals(Set.copyOf(quietSales), saleIds(central, "0002"));

    // the quiet pharmacy held nothing newer than the backup: it reconnects with its certificate and sells online
    await("pharmacy 0002 back ONLINE", 60_000, () -> quiet.state() == PharmacyNode.State.ONLINE, () -> quiet.status().line());
    SaleReceipt after = quiet.sell("till-1", "pharmacist", barcode, 1);
    assertFalse(after.offline(), after.line());
    assertTrue(saleIds(central, "0002").contains(after.saleId()), "written through to the restored central");

    // The selling pharmacy's clone is ahead of the restored central: it holds sales central lost, at versions of its
    // journal that central is about to give to other commits. What happens, pinned here and explained in
    // docs/server.md ("Backup and restore"): the node says ONLINE with no error, and its next sale is refused.
    Set<String> lost = new HashSet<>(sold);
    lost.removeAll(restoredSales);
    assertFalse(lost.isEmpty(), "sales made after the backup are not at the restored central");
    await("pharmacy 0001 reconnected", 60_000, () -> selling.state() == PharmacyNode.State.ONLINE, () -> selling.status().line());
    LedgerException refused = assertThrows(LedgerException.class, () -> selling.sell("till-1", "pharmacist", barcode, 1));
    assertTrue(refused.getMessage().startsWith("Sale NOT recorded") && refused.getMessage().contains("historical revision"),
        refused.getMessage());
    Set<String> atCentralNow = saleIds(central, "0001");
    assertTrue(lost.stream().noneMatch(atCentralNow::contains), "the lost sales do not come back by themselves");
  }
}
