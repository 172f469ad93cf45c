package org.apotheca.sync.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.Payment;
import org.apotheca.model.PaymentMethod;
import org.apotheca.model.Sale;
import org.apotheca.model.SaleLine;
import org.apotheca.model.SaleStatus;
import org.apotheca.model.SalesDay;
import org.apotheca.model.money.Money;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.server.access.CentralClient;
import org.apotheca.server.access.CentralSecurity;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeIdentity;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/** Real central servers, clients and sales for the node tests; every party has its own Net4j container. */
final class SyncFixture {

  static final String SITE = "0001";
  static final LocalDate DAY = LocalDate.of(2026, 11, 23);
  static final String JOURNAL = Repositories.salesJournal(SITE, DAY, "till-1", 0);

  private SyncFixture() {
  }

  static int freePort() {
    return org.apotheca.security.tls.LoopbackPorts.free();
  }

  static ServerConfig centralConfig(Path dataDir, int port, int products) {
    return ServerConfig.defaults(dataDir).withEndpoint(new Endpoint("127.0.0.1", port)).withSites(List.of(SITE))
        .withSampleProducts(products);
  }

  static CentralServer startCentral(ServerConfig config) {
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    return new CentralServer(config, container).start();
  }

  static void stopCentral(CentralServer server) {
    if (server != null) {
      server.stop();
      LifecycleUtil.deactivate(server.container());
    }
  }

  /** Enrolls the node with central, as an operator would with a bundle: the node's key and certificate in its secrets. */
  static NodeConfig enroll(CentralServer central, NodeConfig node) {
    NodeIdentity.install(node.secretsDir(), central.security().issueSite(node.siteId()));
    return node;
  }

  /** The same for a central in another process: its authority's directory is on this machine's disk. */
  static NodeConfig enroll(Path centralDataDir, NodeConfig node) {
    NodeIdentity.install(node.secretsDir(), authority(centralDataDir).issueSite(node.siteId()));
    return node;
  }

  private static CentralSecurity authority(Path centralDataDir) {
    return new CentralSecurity(ServerConfig.defaultSecurityDir(centralDataDir), site -> true, Clock.systemUTC());
  }

  /** A CDO connection to central through its TLS gate as a central staff tool: what the tests inspect central with. */
  static CdoConnection staff(CentralServer central, Endpoint endpoint, String repository) {
    return CentralClient.open(central.security().issueStaffTool("tests"), endpoint, repository);
  }

  static CdoConnection staff(Path centralDataDir, Endpoint endpoint, String repository) {
    return CentralClient.open(authority(centralDataDir).issueStaffTool("tests"), endpoint, repository);
  }

  /** Polls until {@code condition} holds; fails with {@code what} and the last {@code detail} at the deadline. */
  static long await(String what, long timeoutMs, BooleanSupplier condition, Supplier<String> detail) {
    long t0 = System.nanoTime();
    long deadline = t0 + timeoutMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("Timed out after " + timeoutMs + " ms waiting for " + what + "; " + detail.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** Sales in the test journal as seen by {@code view}: count, distinct ids, total. */
  record Journal(int count, int distinctIds, long total, Set<String> receipts) {
    static Journal read(CDOView view) {
      if (!view.hasResource(JOURNAL)) {
        return new Journal(0, 0, 0, Set.of());
      }
      CDOResource r = view.getResource(JOURNAL);
      SalesDay day = (SalesDay) r.getContents().get(0);
      Set<String> ids = new HashSet<>();
      Set<String> receipts = new HashSet<>();
      long total = 0;
      for (Sale s : day.getSales()) {
        ids.add(s.getId());
        receipts.add(s.getReceiptNumber());
        total += s.getTotalMinor();
      }
      return new Journal(day.getSales().size(), ids.size(), total, receipts);
    }
  }

  static SalesDay newSalesDay() {
    SalesDay day = Ownership.stamp(ApothecaFactory.eINSTANCE.createSalesDay(), SITE);
    day.setTillId("till-1");
    day.setBusinessDate(DAY.toString());
    return day;
  }

  /** A completed sale of sample product {@code product} x {@code quantity}, price copied at the time of sale. */
  static Sale sale(String receipt, int product, int quantity) {
    ApothecaFactory f = ApothecaFactory.eINSTANCE;
    Sale sale = Ownership.stamp(f.createSale(), SITE);
    sale.setReceiptNumber(receipt);
    sale.setSoldAt(System.currentTimeMillis());
    sale.setStatus(SaleStatus.COMPLETED);
    sale.setUserName("pharmacist");
    SaleLine line = Ownership.stamp(f.createSaleLine(), SITE);
    line.setProductId("sample-" + product);
    line.setBarcode(SampleCatalogue.barcode(product));
    line.setProductName("sample product " + product);
    line.setQuantity(quantity);
    line.setUnitPriceMinor(SampleCatalogue.listPriceMinor(product));
    line.setVatRateBasisPoints(2000);
    line.setLineTotalMinor(Money.times(line.getUnitPriceMinor(), quantity));
    line.setVatMinor(Money.vatIncluded(line.getLineTotalMinor(), 2000));
    sale.getLines().add(line);
    sale.setTotalMinor(line.getLineTotalMinor());
    Payment payment = Ownership.stamp(f.createPayment(), SITE);
    payment.setMethod(PaymentMethod.CARD);
    payment.setAmountMinor(sale.getTotalMinor());
    sale.getPayments().add(payment);
    return sale;
  }
}
