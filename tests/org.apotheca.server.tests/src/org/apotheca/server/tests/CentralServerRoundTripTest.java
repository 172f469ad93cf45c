package org.apotheca.server.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.apotheca.core.Repositories;
import org.apotheca.core.store.DerbyStores;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.catalogue.CatalogueRow;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.Payment;
import org.apotheca.model.PaymentMethod;
import org.apotheca.model.Product;
import org.apotheca.model.ProductBucket;
import org.apotheca.model.Sale;
import org.apotheca.model.SaleLine;
import org.apotheca.model.SaleStatus;
import org.apotheca.model.SalesDay;
import org.apotheca.model.money.Money;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's promise: a catalogue and a sale stored in real CDO repositories on embedded Derby, over
 * Net4j TCP on 127.0.0.1, are all there, value for value, after the server is stopped and started again.
 */
class CentralServerRoundTripTest {

  private static final String SITE = "0001";
  private static final int PRODUCTS = 1_203; // three buckets, the last one partly filled

  @TempDir
  Path dataDir;

  @Test
  void catalogueAndSaleSurviveARestart() throws Exception {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), PRODUCTS, SITE);
    String saleId;
    long expectedTotal;
    CentralServer server = TestServers.start(config);
    try {
      try (CdoConnection catalogue = TestServers.client(config, Repositories.CATALOGUE)) {
        CDOView view = catalogue.session().openView();
        assertEquals(PRODUCTS, CatalogueReader.count(view));
        assertEquals(3, CatalogueReader.buckets(view).size());
        List<CatalogueRow> rows = CatalogueReader.rows(view, Integer.MAX_VALUE);
        assertEquals(PRODUCTS, rows.stream().map(CatalogueRow::name).distinct().count(), "sample product names are distinct");
        view.close();
      }
      try (CdoConnection site = TestServers.client(config, Repositories.siteRepository(SITE))) {
        CDOTransaction tx = site.session().openTransaction();
        Sale sale = sale(SITE, new int[] { 0, 7 }, new int[] { 2, 1 });
        saleId = sale.getId();
        expectedTotal = sale.getTotalMinor();
        SalesDay day = Ownership.stamp(ApothecaFactory.eINSTANCE.createSalesDay(), SITE);
        day.setTillId("till-1");
        day.setBusinessDate("2026-11-23");
        day.getSales().add(sale);
        tx.createResource(Repositories.salesJournal(SITE, LocalDate.of(2026, 11, 23), "till-1", 0)).getContents().add(day);
        tx.commit();
        tx.close();
      }
    } finally {
      TestServers.stop(server);
    }
    assertTrue(Files.isDirectory(dataDir.resolve(Repositories.CATALOGUE)), "catalogue Derby database on disk");
    assertTrue(Files.isDirectory(dataDir.resolve(Repositories.siteRepository(SITE))), "site Derby database on disk");

    server = TestServers.start(config);
    try {
      // the revision index added at the first start survived CDO's schema check at the second (nothing to add),
      // and the catalogue, which central leaves alone, gets one per class table when asked, once
      assertEquals(0, DerbyStores.ensureRevisionIndexes(dataDir.resolve(Repositories.siteRepository(SITE))));
      assertTrue(DerbyStores.ensureRevisionIndexes(dataDir.resolve(Repositories.CATALOGUE)) > 10);
      assertEquals(0, DerbyStores.ensureRevisionIndexes(dataDir.resolve(Repositories.CATALOGUE)));
      try (CdoConnection catalogue = TestServers.client(config, Repositories.CATALOGUE)) {
        CDOView view = catalogue.session().openView();
        // seeding is skipped on a catalogue that has products: still exactly PRODUCTS, not twice as many
        assertEquals(PRODUCTS, CatalogueReader.count(view));
        List<ProductBucket> buckets = CatalogueReader.buckets(view);
        assertEquals(Repositories.PRODUCTS_PER_BUCKET, buckets.get(0).getProducts().size());
        assertEquals(PRODUCTS - 2 * Repositories.PRODUCTS_PER_BUCKET, buckets.get(2).getProducts().size());
        Product p7 = buckets.get(0).getProducts().get(7);
        CatalogueRow row = CatalogueReader.row(p7);
        assertEquals(SampleCatalogue.barcode(7), row.barcode());
        assertEquals(SampleCatalogue.listPriceMinor(7), row.listPriceMinor());
        assertFalse(row.ingredient().isEmpty(), "ingredient reference resolved across resources");
        assertEquals(Ownership.CENTRAL_SITE_ID, p7.getSiteId());
        view.close();
      }
      try (CdoConnection site = TestServers.client(config, Repositories.siteRepository(SITE))) {
        CDOView view = site.session().openView();
        CDOResource r = view.getResource(Repositories.salesJournal(SITE, LocalDate.of(2026, 11, 23), "till-1", 0));
        SalesDay day = (SalesDay) r.getContents().get(0);
        assertEquals(1, day.getSales().size());
        Sale sale = day.getSales().get(0);
        assertEquals(saleId, sale.getId());
        assertEquals(SITE, sale.getSiteId());
        assertEquals(SaleStatus.COMPLETED, sale.getStatus());
        assertEquals(expectedTotal, sale.getTotalMinor());
        assertEquals(2, sale.getLines().size());
        SaleLine first = sale.getLines().get(0);
        assertEquals(SampleCatalogue.barcode(0), first.getBarcode());
        assertEquals(2, first.getQuantity());
        assertEquals(SampleCatalogue.listPriceMinor(0), first.getUnitPriceMinor());
        long sum = sale.getLines().stream().mapToLong(SaleLine::getLineTotalMinor).sum();
        assertEquals(expectedTotal, sum);
        assertEquals(expectedTotal, sale.getPayments().get(0).getAmountMinor());
        view.close();
      }
    } finally {
      TestServers.stop(server);
    }
  }

  @Test
  void unknownRepositoryIsAPlainError() {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0, SITE);
    CentralServer server = TestServers.start(config);
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> TestServers.client(config, Repositories.siteRepository("9999")).close());
      assertTrue(e.getMessage().contains("site-9999"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line for people, not the server's stack trace: " + e.getMessage());
    } finally {
      TestServers.stop(server);
    }
  }

  @Test
  void unreachableServerIsAPlainError() {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TestServers.client(config, Repositories.CATALOGUE).close());
    assertTrue(e.getMessage().contains(config.endpoint().toString()), e.getMessage());
  }

  @Test
  void aStoppedServerRefusesConnectionsAtOnce() throws Exception {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0, SITE);
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    CentralServer server = new CentralServer(config, container).start();
    try {
      server.stop(); // the container (shared in the real application) stays active
      long deadline = System.currentTimeMillis() + 5_000;
      boolean refused = false;
      while (!refused && System.currentTimeMillis() < deadline) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", config.endpoint().port()), 1_000);
          Thread.sleep(50);
        } catch (ConnectException expected) {
          refused = true;
        }
      }
      assertTrue(refused, "port " + config.endpoint().port() + " still accepts after stop()");
    } finally {
      LifecycleUtil.deactivate(container);
    }
  }

  /** A completed sale of sample products: prices copied from the catalogue at the time of sale. */
  static Sale sale(String site, int[] products, int[] quantities) {
    ApothecaFactory f = ApothecaFactory.eINSTANCE;
    Sale sale = Ownership.stamp(f.createSale(), site);
    sale.setReceiptNumber("R-1");
    sale.setSoldAt(System.currentTimeMillis());
    sale.setStatus(SaleStatus.COMPLETED);
    sale.setUserName("pharmacist");
    long total = 0;
    for (int i = 0; i < products.length; i++) {
      SaleLine line = Ownership.stamp(f.createSaleLine(), site);
      line.setProductId("sample-" + products[i]);
      line.setBarcode(SampleCatalogue.barcode(products[i]));
      line.setProductName("sample product " + products[i]);
      line.setQuantity(quantities[i]);
      line.setUnitPriceMinor(SampleCatalogue.listPriceMinor(products[i]));
      line.setVatRateBasisPoints(2000);
      line.setLineTotalMinor(Money.times(line.getUnitPriceMinor(), line.getQuantity()));
      line.setVatMinor(Money.vatIncluded(line.getLineTotalMinor(), 2000));
      sale.getLines().add(line);
      total += line.getLineTotalMinor();
    }
    sale.setTotalMinor(total);
    Payment payment = Ownership.stamp(f.createPayment(), site);
    payment.setMethod(PaymentMethod.CARD);
    payment.setAmountMinor(total);
    sale.getPayments().add(payment);
    assertNotNull(sale.getId());
    return sale;
  }
}
