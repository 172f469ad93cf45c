package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueEditor;
import org.apotheca.core.ledger.SaleReceipt;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeStorageKey;
import org.apotheca.sync.PharmacyNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest on a real pharmacy node (docs/security.md): what a copy of the node's data directory holds
 * after it replicated the catalogue and sold, online and offline, read byte by byte; central's unencrypted databases
 * are the control that the scan finds such strings at all.
 */
class NodeEncryptionAtRestTest {

  /** Who sold: stored with every sale, found nowhere else. */
  private static final String SELLER = "pharmacist-Quaintance-7731";
  private static final String LOT = "LOT-ZEBRA-4471";

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

  private ServerConfig startCentral() {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 30);
    central = SyncFixture.startCentral(config);
    return config;
  }

  private NodeConfig nodeConfig(Endpoint central) {
    return SyncFixture.enroll(this.central, NodeConfig.of(SITE, tmp.resolve("node"), central,
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
  }

  private PharmacyNode startNode(NodeConfig nc) {
    node = new PharmacyNode(nc).start();
    try {
      assertTrue(node.awaitReady(60_000), "node ready: " + node.status().line());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return node;
  }

  @Test
  void aCopyOfTheNodesDataHoldsNoProductNoBarcodeNoSaleAndTheNodeSellsAgainAfterARestart() throws Exception {
    ServerConfig config = startCentral();
    NodeConfig nc = nodeConfig(config.endpoint());
    startNode(nc);
    Path keyFile = NodeStorageKey.file(nc);
    assertEquals(nc.secretsDir().resolve("storage.key"), keyFile);
    assertEquals(tmp.resolve("node-secrets"), nc.secretsDir(), "beside the data directory, not in it");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nc.secretsDir())));
    assertEquals(32, Files.size(keyFile));
    byte[] key = Files.readAllBytes(keyFile);
    for (String name : nc.repositoryNames()) {
      assertTrue(DerbyDatabase.isEncrypted(nc.dataDir().resolve(name)), name + " clone encrypted");
    }

    // what must not be readable from the node's disk: products (names, barcodes), stock, sales (ids, receipts, seller)
    Map<String, String> secrets = new LinkedHashMap<>();
    for (int p = 0; p < 3; p++) {
      String barcode = SampleCatalogue.barcode(p);
      node.receive("receiving", barcode, LOT + "-" + p, LocalDate.now().plusDays(90).toString(), 20, 25);
      secrets.put("barcode " + p, barcode);
      secrets.put("product name " + p, node.product(barcode).name());
    }
    secrets.put("lot", LOT);
    secrets.put("seller", SELLER);
    List<SaleReceipt> sales = new ArrayList<>();
    sales.add(node.sell("till-1", SELLER, SampleCatalogue.barcode(0), 1));
    assertFalse(sales.get(0).offline());

    SyncFixture.stopCentral(central);
    central = null;
    await("node OFFLINE", 30_000, () -> node.state() == PharmacyNode.State.OFFLINE, () -> node.status().line());
    for (int i = 0; i < 5; i++) {
      SaleReceipt r = node.sell("till-1", SELLER, SampleCatalogue.barcode(i % 3), 1);
      assertTrue(r.offline(), r.line());
      sales.add(r);
    }
    for (SaleReceipt r : sales) {
      secrets.put("sale id " + r.receiptNumber(), r.saleId());
      secrets.put("receipt " + r.receiptNumber(), r.receiptNumber());
    }

    // the control: central's databases are not encrypted, and the scan finds there what it looks for
    Path centralData = config.dataDir();
    assertTrue(found(centralData.resolve(Repositories.CATALOGUE), secrets.get("product name 0")), "control: product name at central");
    assertTrue(found(centralData.resolve(Repositories.CATALOGUE), secrets.get("barcode 1")), "control: barcode at central");
    assertTrue(found(centralData.resolve(Repositories.siteRepository(SITE)), sales.get(0).saleId()), "control: online sale at central");
    assertTrue(found(centralData.resolve(Repositories.siteRepository(SITE)), SELLER), "control: seller at central");

    // running (committed rows in the transaction logs), then stopped (checkpointed into seg0/)
    assertEquals(Map.of(), leaks(nc.dataDir(), secrets), "a copy of the running node's data directory");
    node.stop();
    assertEquals(Map.of(), leaks(nc.dataDir(), secrets), "a copy of the stopped node's data directory");

    // the same key again, and the node sells (offline still) from its encrypted clones
    startNode(nc);
    assertArrayEquals(key, Files.readAllBytes(keyFile), "the key is made once and reused");
    SaleReceipt after = node.sell("till-1", SELLER, SampleCatalogue.barcode(1), 1);
    assertTrue(after.offline(), after.line());
    assertEquals(sales.size() + 1, node.sales().count());
    node.stop();
    secrets.put("sale id after restart", after.saleId());

    // central changes a price the offline sales were made at: the merge tells staff which sales crossed it, in the
    // node's resolutions.log, which must not show them either
    central = SyncFixture.startCentral(config.withSampleProducts(0));
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.CATALOGUE);
        CatalogueEditor editor = new CatalogueEditor(c.session())) {
      editor.setPrice(SampleCatalogue.barcode(0), SampleCatalogue.listPriceMinor(0) + 100, "tester", "price change during the outage");
    }
    startNode(nc);
    await("offline sales merged into central", 60_000,
        () -> node.status().pendingCommits() == 0 && "MAIN".equals(node.status().branch()), () -> node.status().line());
    List<String> crossed = node.resolutions().stream().filter(r -> r.contains("price-crossed")).toList();
    assertFalse(crossed.isEmpty(), node.resolutions().toString());
    assertTrue(crossed.stream().allMatch(r -> r.contains("barcode=" + SampleCatalogue.barcode(0))), crossed.toString());
    node.stop();
    assertTrue(Files.exists(nc.dataDir().resolve("resolutions.log")));
    assertEquals(Map.of(), leaks(nc.dataDir(), secrets), "after the merge, resolutions.log included");

    startNode(nc);
    assertEquals(crossed, node.resolutions().stream().filter(r -> r.contains("price-crossed")).toList(),
        "read back after a restart");
  }

  @Test
  void aNodeRefusesToStartWithoutItsKeyWithAnotherKeyOrOnUnencryptedData() throws Exception {
    ServerConfig config = startCentral();
    NodeConfig nc = nodeConfig(config.endpoint());
    startNode(nc).stop();
    Path keyFile = NodeStorageKey.file(nc);
    byte[] key = Files.readAllBytes(keyFile);

    Files.move(keyFile, tmp.resolve("storage.key.elsewhere"));
    IllegalStateException missing = assertThrows(IllegalStateException.class, () -> new PharmacyNode(nc).start());
    assertTrue(missing.getMessage().endsWith("this pharmacy's data is encrypted and its storage key is missing from "
        + keyFile + ": restore the key or restore the pharmacy from central"), missing.getMessage());
    assertFalse(Files.exists(keyFile), "no new key made over existing data");

    byte[] other = key.clone();
    other[0] ^= 1;
    Files.write(keyFile, other);
    IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> new PharmacyNode(nc).start());
    assertTrue(wrong.getMessage().endsWith("the data of " + nc.dataDir().resolve(Repositories.CATALOGUE)
        + " cannot be opened with this computer's storage key"), wrong.getMessage());

    Files.write(keyFile, key); // restored by hand, readable by others (umask 022)
    startNode(nc).stop(); // the right key opens it again
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)), "made owner-only again");

    // data of a node from before encryption at rest: refused, left as it was, no key made
    NodeConfig legacy = NodeConfig.of("0002", tmp.resolve("legacy"), config.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort()));
    Path clearDb = legacy.dataDir().resolve(Repositories.CATALOGUE);
    try (Connection c = DerbyDatabase.connectionProvider(clearDb).getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE T (X INT)");
    }
    DerbyDatabase.shutdown(clearDb);
    IllegalStateException clear = assertThrows(IllegalStateException.class, () -> new PharmacyNode(legacy).start());
    assertTrue(clear.getMessage().contains("was stored unencrypted (by an earlier version)"), clear.getMessage());
    assertFalse(Files.exists(NodeStorageKey.file(legacy)));
    assertFalse(DerbyDatabase.isEncrypted(clearDb));
  }

  /** What of {@code secrets} (label → text) any file under {@code dir} holds in clear: label → files. */
  private static Map<String, List<Path>> leaks(Path dir, Map<String, String> secrets) throws IOException {
    Map<String, List<Path>> leaks = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.stream().anyMatch(f -> f.toString().contains("seg0")) && files.stream().anyMatch(f -> f.toString().contains("log")),
        "the scan covers the data and the log files: " + files.size() + " files");
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      for (Map.Entry<String, String> e : secrets.entrySet()) {
        if (indexOf(bytes, e.getValue().getBytes(StandardCharsets.UTF_8)) >= 0) {
          leaks.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(dir.relativize(f));
        }
      }
    }
    return leaks;
  }

  private static boolean found(Path dir, String text) throws IOException {
    return !leaks(dir, Map.of("x", text)).isEmpty();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
