package org.apotheca.server.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.Sale;
import org.apotheca.model.SaleStatus;
import org.apotheca.model.SalesDay;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The central console commands against a real server: exact replies, clear errors, nothing half done. */
class ServerCommandsTest {

  @TempDir
  Path dataDir;

  @Test
  void salesCountsCompletedSalesOfOneSiteOnly() throws Exception {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0, "0001", "0002");
    CentralServer server = TestServers.start(config);
    try {
      long total1 = commitSales(config, "0001", 3, true);
      long total2 = commitSales(config, "0002", 2, false); // one of them voided
      ServerCommands commands = new ServerCommands(server);
      assertEquals("sales site=0001 count=3 total=" + total1, commands.apotheca("sales", "0001"));
      assertEquals("sales site=0002 count=1 total=" + total2, commands.apotheca("sales", "0002"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.apotheca("sales", "0003"));
      assertTrue(e.getMessage().contains("0003"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> commands.apotheca("sales"));
      assertThrows(IllegalArgumentException.class, () -> commands.apotheca("sales", "Bad Site"));
      String sites = commands.apotheca("sites");
      assertEquals(3, sites.lines().count(), sites); // one line per site, then the counts
      assertTrue(sites.startsWith("site id=0001 state=never lastContact=never "), sites);
      assertTrue(sites.lines().findFirst().orElseThrow().contains(" name=\"Pharmacy 0001\" error=none"), sites);
      assertTrue(sites.endsWith("sites total=2 online=0 offline=0 error=0 never=2 disabled=0"), sites);
    } finally {
      TestServers.stop(server);
    }
  }

  @Test
  void seedAddsProductsAndSitesThatSurviveARestart() throws Exception {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0);
    CentralServer server = TestServers.start(config);
    try {
      ServerCommands commands = new ServerCommands(server);
      assertEquals("no sites", commands.apotheca("sites").substring(0, 8));
      String reply = commands.apotheca("seed", "--products", "700", "--sites", "3");
      assertTrue(reply.startsWith("seeded products=700 in "), reply);
      assertTrue(reply.endsWith("seeded sites=3 added=3"), reply);
      assertEquals(List.of("0001", "0002", "0003"), server.siteIds());
      // a second seed of products is refused and changes nothing; existing sites are not added twice
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> commands.apotheca("seed", "--products", "5"));
      assertTrue(e.getMessage().contains("already has products"), e.getMessage());
      assertEquals("seeded sites=4 added=1", commands.apotheca("seed", "--sites", "4"));
      assertThrows(IllegalArgumentException.class, () -> commands.apotheca("seed", "--products", "-1"));
      assertThrows(IllegalArgumentException.class, () -> commands.apotheca("seed", "--products", "ten"));
      assertThrows(IllegalArgumentException.class, () -> commands.apotheca("seed"));
      assertThrows(IllegalArgumentException.class, () -> commands.apotheca("bogus"));
    } finally {
      TestServers.stop(server);
    }
    server = TestServers.start(config); // the config names no sites: they come back from disk
    try {
      assertEquals(List.of("0001", "0002", "0003", "0004"), server.siteIds());
      assertEquals("sales site=0004 count=0 total=0", new ServerCommands(server).apotheca("sales", "0004"));
    } finally {
      TestServers.stop(server);
    }
  }

  /** Commits {@code n} sales of sample products for a site, over TCP as a till would; returns the completed total. */
  private static long commitSales(ServerConfig config, String site, int n, boolean allCompleted) throws Exception {
    long total = 0;
    try (CdoConnection client = TestServers.client(config, Repositories.siteRepository(site))) {
      CDOTransaction tx = client.session().openTransaction();
      SalesDay day = Ownership.stamp(ApothecaFactory.eINSTANCE.createSalesDay(), site);
      day.setTillId("till-1");
      day.setBusinessDate("2026-11-23");
      for (int i = 0; i < n; i++) {
        Sale sale = CentralServerRoundTripTest.sale(site, new int[] { i }, new int[] { i + 1 });
        if (!allCompleted && i == 0) {
          sale.setStatus(SaleStatus.VOIDED);
        } else {
          total += sale.getTotalMinor();
        }
        day.getSales().add(sale);
      }
      tx.createResource(Repositories.salesJournal(site, LocalDate.of(2026, 11, 23), "till-1", 0)).getContents().add(day);
      tx.commit();
      tx.close();
    }
    return total;
  }
}
