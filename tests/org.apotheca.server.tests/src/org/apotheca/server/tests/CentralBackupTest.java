package org.apotheca.server.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apotheca.core.store.ModelSchemaGuard;
import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.Sale;
import org.apotheca.model.SalesDay;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.server.CentralRestore;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.view.CDOView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apotheca backup} on a real central server while a client commits sales, and the restore of that backup into
 * a fresh directory that a new server starts on: everything committed before the backup began is there, the authority
 * is the same, and a damaged or misplaced backup is refused with one clear sentence, nothing written.
 */
class CentralBackupTest {

  private static final String JOURNAL = Repositories.salesJournal("0002", LocalDate.of(2026, 11, 30), "till-1", 0);

  @TempDir
  Path tmp;

  @Test
  void anOnlineBackupTakenWhileSalesAreCommittedRestoresIntoAFreshDirectoryAndCentralStartsOnIt() throws Exception {
    ServerConfig config = TestServers.config(tmp.resolve("central"), TestServers.freePort(), 40, "0001", "0002");
    CentralServer server = TestServers.start(config);
    Path backup = tmp.resolve("backups").resolve("b1");
    List<String> before = Collections.synchronizedList(new ArrayList<>());
    List<String> all = Collections.synchronizedList(new ArrayList<>());
    String reply;
    byte[] caCertificate;
    try {
      ServerCommands commands = new ServerCommands(server);
      commands.apotheca("product", "add", "5000000000012", "Backup", "tablets", "--price", "450");
      commands.apotheca("user", "add", "alice", "--site", "0001", "--role", "pharmacist", "--password", "backup-test-pw");
      caCertificate = server.security().authority().certificate().getEncoded();

      // a till of pharmacy 0002 commits a sale after the other, through central's TLS gate, during the backup
      AtomicBoolean backupStarted = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> writerFailed = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try (CdoConnection c = TestServers.client(config, Repositories.siteRepository("0002"))) {
          CDOTransaction tx = c.session().openTransaction();
          SalesDay day = Ownership.stamp(ApothecaFactory.eINSTANCE.createSalesDay(), "0002");
          day.setTillId("till-1");
          day.setBusinessDate("2026-11-30");
          tx.createResource(JOURNAL).getContents().add(day);
          tx.commit();
          for (int i = 0; !stop.get(); i++) {
            Sale sale = CentralServerRoundTripTest.sale("0002", new int[] { i % 40 }, new int[] { 1 });
            day.getSales().add(sale);
            tx.commit();
            all.add(sale.getId());
            if (!backupStarted.get()) { // committed (the commit returned) before the backup was asked for
              before.add(sale.getId());
            }
          }
        } catch (Throwable t) {
          writerFailed.set(t);
        }
      }, "till-0002");
      writer.start();
      waitFor(() -> before.size() >= 20, "20 sales committed before the backup");
      backupStarted.set(true);
      reply = commands.apotheca("backup", backup.toString());
      int committedDuringBackup = all.size() - before.size();
      stop.set(true);
      writer.join(30_000);
      assertNull(writerFailed.get(), "the till's commits went on during the backup");
      System.out.println("CentralBackupTest: " + before.size() + " sales before the backup, " + committedDuringBackup
          + " while it ran: " + reply);

      assertTrue(reply.matches("backup dir=" + backup.toAbsolutePath() + " repositories=3 size=\\d+\\.\\dMB files=\\d+ security=yes"
          + " took=\\d+\\.\\ds"), reply);
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)), "it holds the CA's key");
      try (Stream<Path> s = Files.walk(backup)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
          assertTrue(perms.endsWith("------"), p + " is " + perms);
        }
      }
      List<String> manifest = Files.readAllLines(backup.resolve("MANIFEST.txt"));
      List<String> repositories = manifest.stream().filter(l -> l.startsWith("repository ")).toList();
      assertEquals(3, repositories.size(), manifest.toString());
      assertTrue(repositories.get(2).startsWith("repository name=catalogue lastCommit="), "catalogue last: " + repositories);
      assertTrue(manifest.contains("security yes"));
      assertTrue(manifest.stream().anyMatch(l -> l.startsWith("file sha256=") && l.endsWith(" path=security/ca/ca.p12")));
      assertTrue(manifest.stream().anyMatch(l -> l.endsWith(" path=databases/site-0002/service.properties")));
      assertTrue(manifest.stream().anyMatch(l -> l.endsWith(" path=databases/" + ModelSchemaGuard.MARKER)),
          "the model schema the databases were written with");
      assertTrue(CentralRestore.verify(backup, s -> { }).files().size() > 10);

      // a second backup into the same directory, and one into central's own data, are refused and write nothing
      byte[] manifestBytes = Files.readAllBytes(backup.resolve("MANIFEST.txt"));
      IllegalArgumentException notEmpty = assertThrows(IllegalArgumentException.class,
          () -> commands.apotheca("backup", backup.toString()));
      assertEquals(backup.toAbsolutePath() + " is not empty: back up into a new or empty directory (nothing was written)",
          notEmpty.getMessage());
      assertArrayEquals(manifestBytes, Files.readAllBytes(backup.resolve("MANIFEST.txt")));
      IllegalArgumentException inside = assertThrows(IllegalArgumentException.class,
          () -> commands.apotheca("backup", config.dataDir().resolve("copy").toString()));
      assertTrue(inside.getMessage().contains("overlaps central's data directory"), inside.getMessage());
      assertFalse(Files.exists(config.dataDir().resolve("copy")));
      assertThrows(IllegalArgumentException.class, () -> commands.apotheca("backup"));
    } finally {
      TestServers.stop(server);
    }

    // restore into a fresh directory (the config names no sites: they come from the restored databases)
    ServerConfig restored = TestServers.config(tmp.resolve("restored"), TestServers.freePort(), 0);
    CentralRestore.Result result = CentralRestore.restore(backup, restored, s -> { });
    assertTrue(result.line().startsWith("restored backup=" + backup.toAbsolutePath() + " taken=" + result.taken()
        + " repositories=site-0001,site-0002,catalogue data=" + restored.dataDir() + " security=" + restored.securityDir()
        + " size="), result.line());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(restored.securityDir())));
    IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
        () -> CentralRestore.restore(backup, restored, s -> { }));
    assertEquals("the data directory " + restored.dataDir() + " is not empty: a restore writes only into a new or empty"
        + " directory (stop the server and move the old one aside first); nothing was restored", again.getMessage());

    assertEquals(ModelSchemaGuard.installed().schema(), ModelSchemaGuard.recorded(restored.dataDir()),
        "the restore brought back the schema marker");
    CentralServer second = TestServers.start(restored);
    try {
      assertEquals(List.of("0001", "0002"), second.siteIds());
      assertArrayEquals(caCertificate, second.security().authority().certificate().getEncoded(), "the same authority");
      ServerCommands commands = new ServerCommands(second);
      assertTrue(commands.apotheca("user", "list").contains("user name=alice "), "users (site staff lists) restored");
      Set<String> atRestored = new HashSet<>();
      CDONet4jSession session = second.openLocalSession(Repositories.siteRepository("0002"));
      try {
        CDOView view = session.openView();
        for (SalesDay day : SalesReader.journals(view, "0002")) {
          for (Sale s : day.getSales()) {
            atRestored.add(s.getId());
          }
        }
      } finally {
        session.close();
      }
      assertTrue(atRestored.containsAll(before), "every sale committed before the backup began: " + before.size()
          + " before, " + atRestored.size() + " restored");
      assertTrue(all.containsAll(atRestored), "nothing that was never committed");
      CDONet4jSession catalogue = second.openLocalSession(Repositories.CATALOGUE);
      try {
        assertEquals(41, CatalogueReader.count(catalogue.openView()));
      } finally {
        catalogue.close();
      }
      assertTrue(commands.apotheca("price", "5000000000012", "475").startsWith("price barcode=5000000000012 price=475"),
          "the restored central takes new commits");
      // and the restored server can be backed up in turn
      assertTrue(commands.apotheca("backup", tmp.resolve("b2").toString()).startsWith("backup dir="));
    } finally {
      TestServers.stop(second);
    }

    // a backup of another model schema (here: as if written by the next one) is refused before anything is written
    int installed = ModelSchemaGuard.installed().schema();
    Files.writeString(backup.resolve("databases").resolve(ModelSchemaGuard.MARKER), (installed + 1) + "\n");
    ServerConfig other = TestServers.config(tmp.resolve("restored-other"), TestServers.freePort(), 0);
    IllegalArgumentException schema = assertThrows(IllegalArgumentException.class, () -> CentralRestore.restore(backup, other, s -> { }));
    assertEquals("the backup " + backup.toAbsolutePath() + " holds data of model schema " + (installed + 1) + " and this"
        + " installation has schema " + installed + ", which cannot open it: restore it with an installation of schema "
        + (installed + 1) + " (docs/model-evolution.md); nothing was restored", schema.getMessage());
    assertFalse(Files.exists(other.dataDir()), "nothing restored");
  }

  @Test
  void aDamagedOrIncompleteBackupIsRefusedWithWhatIsWrongAndNothingIsRestored() throws Exception {
    ServerConfig config = TestServers.config(tmp.resolve("central"), TestServers.freePort(), 10, "0001");
    CentralServer server = TestServers.start(config);
    Path backup = tmp.resolve("b");
    try {
      new ServerCommands(server).apotheca("backup", backup.toString());
    } finally {
      TestServers.stop(server);
    }
    ServerConfig target = TestServers.config(tmp.resolve("restored"), TestServers.freePort(), 0);

    // one byte changed in the biggest file of the catalogue's database
    Path victim;
    try (Stream<Path> s = Files.walk(backup.resolve("databases/catalogue/seg0"))) {
      victim = s.filter(Files::isRegularFile).max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    byte[] original = Files.readAllBytes(victim);
    byte[] changed = original.clone();
    changed[changed.length / 2] ^= 0x5a;
    Files.write(victim, changed);
    String rel = backup.relativize(victim).toString();
    int line = lineOf(backup, rel);
    IllegalArgumentException damaged = assertThrows(IllegalArgumentException.class,
        () -> CentralRestore.restore(backup, target, s -> { }));
    assertEquals("the backup in " + backup + " is damaged: " + rel + " does not match its SHA-256 in MANIFEST.txt line "
        + line + " (it changed after the backup was taken)", damaged.getMessage());
    assertFalse(Files.exists(target.dataDir()), "nothing restored");
    assertFalse(Files.exists(target.securityDir()), "nothing restored");
    Files.write(victim, original);

    Path stray = backup.resolve("databases/catalogue/seg0/c999.dat");
    Files.write(stray, new byte[] { 1 });
    assertEquals("the backup in " + backup + " is damaged: databases/catalogue/seg0/c999.dat is not listed in MANIFEST.txt"
        + " (added after the backup was taken)",
        assertThrows(IllegalArgumentException.class, () -> CentralRestore.restore(backup, target, s -> { })).getMessage());
    Files.delete(stray);

    Path ca = backup.resolve("security/ca/ca.p12");
    byte[] key = Files.readAllBytes(ca);
    Files.delete(ca);
    assertEquals("the backup in " + backup + " is damaged: security/ca/ca.p12 is missing (MANIFEST.txt line "
        + lineOf(backup, "security/ca/ca.p12") + " lists it)",
        assertThrows(IllegalArgumentException.class, () -> CentralRestore.restore(backup, target, s -> { })).getMessage());
    Files.write(ca, key);

    Path manifest = backup.resolve("MANIFEST.txt");
    String text = Files.readString(manifest);
    Files.writeString(manifest, text.replace("security yes\n", ""));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CentralRestore.restore(backup, target, s -> { }))
        .getMessage().endsWith("MANIFEST.txt is incomplete: it names no security line (the backup did not finish)"));
    Files.writeString(manifest, text.replace("format 1\n", "format 1\nbogus entry\n"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CentralRestore.restore(backup, target, s -> { }))
        .getMessage().endsWith("MANIFEST.txt line 3 is not a manifest line (unknown entry 'bogus'): bogus entry"));
    Files.delete(manifest);
    assertEquals(backup + " is not a central backup: it has no MANIFEST.txt",
        assertThrows(IllegalArgumentException.class, () -> CentralRestore.restore(backup, target, s -> { })).getMessage());
    assertFalse(Files.exists(target.dataDir()), "nothing restored");

    // put right, it restores
    Files.writeString(manifest, text);
    Files.createDirectories(target.dataDir()); // an empty data directory is fine
    assertTrue(CentralRestore.restore(backup, target, s -> { }).line().contains(" repositories=site-0001,catalogue "));
    assertTrue(Files.isRegularFile(target.dataDir().resolve("catalogue/service.properties")));
    assertTrue(Files.isRegularFile(target.securityDir().resolve("central.p12")));
  }

  private static int lineOf(Path backup, String rel) throws Exception {
    List<String> lines = Files.readAllLines(backup.resolve("MANIFEST.txt"), StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith(" path=" + rel)) {
        return i + 1;
      }
    }
    throw new AssertionError(rel + " not in the manifest");
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
