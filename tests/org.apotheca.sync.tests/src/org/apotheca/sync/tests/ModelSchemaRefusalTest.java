package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apotheca.core.ledger.SaleReceipt;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.core.store.ModelSchemaGuard;
import org.apotheca.core.store.ModelSchemaMismatch;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real central and a real pharmacy node refuse data of another model schema before they touch it
 * (docs/model-evolution.md): the node's offline sales not yet merged survive the refusal byte for byte and merge
 * once an installation of the data's schema runs again.
 */
class ModelSchemaRefusalTest {

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
  void centralAndNodeRefuseAnotherSchemaChangeNothingAndTheOfflineSalesMergeAfterwards() throws Exception {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 5);
    central = SyncFixture.startCentral(config);
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), config.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    node = new PharmacyNode(nc).start();
    assertTrue(node.awaitReady(60_000), "node ready: " + node.status().line());
    int installed = ModelSchemaGuard.installed().schema();
    assertEquals(installed, ModelSchemaGuard.recorded(config.dataDir()), "central recorded its schema");
    assertEquals(installed, ModelSchemaGuard.recorded(nc.dataDir()), "the node recorded its schema");

    String barcode = SampleCatalogue.barcode(0);
    node.receive("receiving", barcode, "LOT-1", LocalDate.now().plusDays(90).toString(), 10, 25);
    SyncFixture.stopCentral(central);
    central = null;
    await("node OFFLINE", 30_000, () -> node.state() == PharmacyNode.State.OFFLINE, () -> node.status().line());
    for (int i = 0; i < 2; i++) {
      SaleReceipt r = node.sell("till-1", "tester", barcode, 1);
      assertTrue(r.offline(), r.line());
    }
    assertTrue(node.status().pendingCommits() > 0, node.status().line());
    node.stop();
    node = null;

    // as after a rollback from a newer schema that already ran: both data directories say schema installed+1
    int newer = installed + 1;
    Files.writeString(config.dataDir().resolve(ModelSchemaGuard.MARKER), newer + "\n");
    Files.writeString(nc.dataDir().resolve(ModelSchemaGuard.MARKER), newer + "\n");
    Map<String, String> before = listing(tmp);

    ModelSchemaMismatch nodeRefused = assertThrows(ModelSchemaMismatch.class, () -> new PharmacyNode(nc).start());
    assertEquals("The data in " + nc.dataDir() + " was written by model schema " + newer + ", newer than this"
        + " installation's schema " + installed + " (an update rolled back after it ran?), and this installation cannot"
        + " read it. Nothing was changed. Install the newer version again with ./apotheca update, or restore a backup"
        + " taken before the update.", nodeRefused.getMessage());
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    ModelSchemaMismatch centralRefused;
    try {
      centralRefused = assertThrows(ModelSchemaMismatch.class, () -> new CentralServer(config, container).start());
    } finally {
      LifecycleUtil.deactivate(container);
    }
    assertEquals(newer, centralRefused.dataSchema());
    assertTrue(centralRefused.getMessage().startsWith("The data in " + config.dataDir() + " was written by model schema "
        + newer), centralRefused.getMessage());
    assertEquals(before, listing(tmp), "nothing under central's or the node's directories changed");

    // the installation of the data's own schema again: everything is there and the offline sales merge
    Files.writeString(config.dataDir().resolve(ModelSchemaGuard.MARKER), installed + "\n");
    Files.writeString(nc.dataDir().resolve(ModelSchemaGuard.MARKER), installed + "\n");
    central = SyncFixture.startCentral(config.withSampleProducts(0));
    node = new PharmacyNode(nc).start();
    await("offline sales merged into central", 60_000,
        () -> node.status().pendingCommits() == 0 && "MAIN".equals(node.status().branch()), () -> node.status().line());
    assertEquals(2, node.sales().count(), node.status().line());
  }

  /** Every path under {@code dir} with its SHA-256 (files), size and modification time. */
  private static Map<String, String> listing(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String key = dir.relativize(p).toString();
        out.put(key, Files.isDirectory(p) ? "dir" : sha256(p) + " " + Files.size(p) + " " + Files.getLastModifiedTime(p));
      }
    }
    return out;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0;) {
        sha.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
