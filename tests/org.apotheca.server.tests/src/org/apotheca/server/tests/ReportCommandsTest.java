package org.apotheca.server.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.catalogue.CatalogueRow;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.MovementJournal;
import org.apotheca.model.MovementReason;
import org.apotheca.model.Refund;
import org.apotheca.model.RefundLine;
import org.apotheca.model.Sale;
import org.apotheca.model.SaleLine;
import org.apotheca.model.SaleStatus;
import org.apotheca.model.SalesDay;
import org.apotheca.model.StockBatch;
import org.apotheca.model.StockBucket;
import org.apotheca.model.StockMovement;
import org.apotheca.model.money.Money;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code apotheca report ...} on central's console against a real server holding a pharmacy's journals, written as the
 * node writes them: figures worked out by hand here, exact replies, and one clear line for every bad command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one server for all: the reports only read
class ReportCommandsTest {

  private static final String SITE = "0001";
  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;
  private static final LocalDate DAY1 = LocalDate.of(2026, 5, 30);
  private static final LocalDate DAY2 = LocalDate.of(2026, 5, 31);

  private Path dataDir;
  private CentralServer server;
  private ServerCommands commands;
  private long priceA;
  private long priceB;
  private String idA;
  private String idB;

  @BeforeAll
  void startCentralWithAPharmacysDocuments() throws Exception {
    dataDir = java.nio.file.Files.createTempDirectory("apotheca-reports");
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 5, SITE);
    server = TestServers.start(config);
    commands = new ServerCommands(server);
    Map<String, CatalogueRow> byBarcode = new HashMap<>();
    try (CdoConnection c = TestServers.client(config, Repositories.CATALOGUE)) {
      for (CatalogueRow r : CatalogueReader.rows(c.session().openView(), 100)) {
        byBarcode.put(r.barcode(), r);
      }
    }
    idA = byBarcode.get(SampleCatalogue.barcode(1)).id();
    idB = byBarcode.get(SampleCatalogue.barcode(2)).id();
    priceA = byBarcode.get(SampleCatalogue.barcode(1)).listPriceMinor();
    priceB = byBarcode.get(SampleCatalogue.barcode(2)).listPriceMinor();
    assertEquals(SampleCatalogue.listPriceMinor(1), priceA);
    writeDocuments(config);
  }

  @AfterAll
  void stop() throws Exception {
    TestServers.stop(server);
    try (var files = java.nio.file.Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /**
   * Day 1, till 1: sale S1 (3 × A at 2.50, 20 % VAT; 1 × B at 10.00, 5 % VAT), a voided sale, a goods receipt.
   * Day 2, till 2: refund of 1 × A of S1, sale S3 (2 × A). Batches: A1 10 left at 0.40 (expires in 20 days), A2 sold
   * out, B1 5 left at 1.00 (expired the day before). Movements carry the batch's unit cost, as the ledger writes them.
   */
  private void writeDocuments(ServerConfig config) throws Exception {
    try (CdoConnection c = TestServers.client(config, Repositories.siteRepository(SITE))) {
      CDOTransaction tx = c.session().openTransaction();
      StockBucket bucket = Ownership.stamp(F.createStockBucket(), SITE);
      StockBatch a1 = batch(idA, SampleCatalogue.barcode(1), "Alpha", "LA1", "2026-06-21", 10, 40);
      StockBatch a2 = batch(idA, SampleCatalogue.barcode(1), "Alpha", "LA2", "2026-09-01", 0, 45);
      StockBatch b1 = batch(idB, SampleCatalogue.barcode(2), "Beta", "LB1", "2026-05-31", 5, 100);
      bucket.getBatches().addAll(List.of(a1, a2, b1));
      tx.createResource(Repositories.stockBucket(SITE, 0)).getContents().add(bucket);

      SalesDay day1 = journal(F.createSalesDay(), "till-1", DAY1);
      Sale s1 = sale("till-1-20260530-1", line(idA, SampleCatalogue.barcode(1), "Alpha", 3, 250, 2000),
          line(idB, SampleCatalogue.barcode(2), "Beta", 1, 1000, 500));
      Sale voided = sale("till-1-20260530-2", line(idA, SampleCatalogue.barcode(1), "Alpha", 2, 250, 2000));
      voided.setStatus(SaleStatus.VOIDED);
      day1.getSales().addAll(List.of(s1, voided));
      tx.createResource(Repositories.salesJournal(SITE, DAY1, "till-1", 0)).getContents().add(day1);
      MovementJournal moves1 = journal(F.createMovementJournal(), "till-1", DAY1);
      moves1.getMovements().add(move(a1, -3, MovementReason.SALE, s1.getId(), 40));
      moves1.getMovements().add(move(b1, -1, MovementReason.SALE, s1.getId(), 100));
      moves1.getMovements().add(move(a2, -2, MovementReason.SALE, voided.getId(), 45));
      moves1.getMovements().add(move(a1, 10, MovementReason.RECEIPT, "receipt-0001", 40));
      tx.createResource(Repositories.movementJournal(SITE, DAY1, "till-1", 0)).getContents().add(moves1);

      SalesDay day2 = journal(F.createSalesDay(), "till-2", DAY2);
      Refund r1 = Ownership.stamp(F.createRefund(), SITE);
      r1.setOriginalSaleId(s1.getId());
      r1.setTotalMinor(250);
      RefundLine rl = Ownership.stamp(F.createRefundLine(), SITE);
      rl.setSaleLineId(s1.getLines().get(0).getId());
      rl.setProductId(idA);
      rl.setBarcode(SampleCatalogue.barcode(1));
      rl.setQuantity(1);
      rl.setAmountMinor(250);
      r1.getLines().add(rl);
      day2.getRefunds().add(r1);
      Sale s3 = sale("till-2-20260531-1", line(idA, SampleCatalogue.barcode(1), "Alpha", 2, 250, 2000));
      day2.getSales().add(s3);
      tx.createResource(Repositories.salesJournal(SITE, DAY2, "till-2", 0)).getContents().add(day2);
      MovementJournal moves2 = journal(F.createMovementJournal(), "till-2", DAY2);
      moves2.getMovements().add(move(a1, 1, MovementReason.RETURN, r1.getId(), 40));
      moves2.getMovements().add(move(a1, -2, MovementReason.SALE, s3.getId(), 40));
      tx.createResource(Repositories.movementJournal(SITE, DAY2, "till-2", 0)).getContents().add(moves2);
      tx.commit();
      tx.close();
    }
  }

  @Test
  void salesPerDayCountRefundsOnTheirOwnDayAndCostFromTheMovements() throws Exception {
    // day 1: gross 750 + 1000; VAT 125 + 48; cost 3 × 40 + 100; the voided sale counts nowhere
    // day 2: gross 500, refunded 250; VAT 83 − 42; cost 2 × 40 − 1 × 40 (the refund put one back)
    assertEquals("""
        report sales site=0001 from=2026-05-29 to=2026-05-31 days=3
        day date=2026-05-29 sales=0 refunds=0 units=0 gross=0 refunded=0 revenue=0 vat=0 net=0 cost=0 margin=0 marginBp=0
        day date=2026-05-30 sales=1 refunds=0 units=4 gross=1750 refunded=0 revenue=1750 vat=173 net=1577 cost=220 margin=1357 marginBp=8605
        day date=2026-05-31 sales=1 refunds=1 units=1 gross=500 refunded=250 revenue=250 vat=41 net=209 cost=40 margin=169 marginBp=8086
        total sales=2 refunds=1 units=5 gross=2250 refunded=250 revenue=2000 vat=214 net=1786 cost=260 margin=1526 marginBp=8544""",
        commands.apotheca("report", "sales", SITE, "--from", "2026-05-29", "--to", "2026-05-31"));
    // the refund's sale is of an earlier day than the report: its VAT rate is found there all the same
    String day2Only = commands.apotheca("report", "sales", SITE, "--from", "2026-05-31", "--to", "2026-05-31");
    assertTrue(day2Only.contains("\nday date=2026-05-31 sales=1 refunds=1 units=1 gross=500 refunded=250 revenue=250 vat=41 "), day2Only);
    // without --from: the week ending on --to
    assertTrue(commands.apotheca("report", "sales", SITE, "--to", "2026-05-31")
        .startsWith("report sales site=0001 from=2026-05-25 to=2026-05-31 days=7\n"));
  }

  @Test
  void productsAreRankedByRevenueNetOfRefunds() throws Exception {
    assertEquals("""
        report products site=0001 from=2026-05-30 to=2026-05-31 limit=20 shown=2
        product rank=1 id=%s barcode=%s units=4 revenue=1000 vat=166 net=834 cost=160 margin=674 marginBp=8082 name="Alpha"
        product rank=2 id=%s barcode=%s units=1 revenue=1000 vat=48 net=952 cost=100 margin=852 marginBp=8950 name="Beta\""""
        .formatted(idA, SampleCatalogue.barcode(1), idB, SampleCatalogue.barcode(2)),
        commands.apotheca("report", "products", SITE, "--from", "2026-05-30", "--to", "2026-05-31"));
    String top = commands.apotheca("report", "products", SITE, "--from", "2026-05-30", "--to", "2026-05-31", "--limit", "1");
    assertEquals(2, top.lines().count(), top);
    assertTrue(top.contains("limit=1 shown=1"), top);
  }

  @Test
  void stockIsValuedAtCostAndAtTheCataloguesListPricePerProductAndExpiryBand() throws Exception {
    String stock = commands.apotheca("report", "stock", SITE, "--on", "2026-06-01");
    assertEquals(List.of(
        "report stock site=0001 on=2026-06-01 batches=2 units=15 cost=900 list=" + (10 * priceA + 5 * priceB) + " products=2 shown=2",
        "band band=EXPIRED batches=1 units=5 cost=500 list=" + 5 * priceB,
        "band band=DAYS_30 batches=1 units=10 cost=400 list=" + 10 * priceA,
        "band band=DAYS_60 batches=0 units=0 cost=0 list=0",
        "band band=DAYS_90 batches=0 units=0 cost=0 list=0",
        "band band=LATER batches=0 units=0 cost=0 list=0",
        "product id=" + idB + " barcode=" + SampleCatalogue.barcode(2) + " batches=1 units=5 cost=500 list=" + 5 * priceB + " name=\"Beta\"",
        "product id=" + idA + " barcode=" + SampleCatalogue.barcode(1) + " batches=1 units=10 cost=400 list=" + 10 * priceA
            + " name=\"Alpha\""), stock.lines().toList());

    String expiry = commands.apotheca("report", "expiry", SITE, "--on", "2026-06-01", "--days", "30");
    List<String> lines = expiry.lines().toList();
    assertEquals("""
        report expiry site=0001 on=2026-06-01 days=30 batches=2
        band band=EXPIRED batches=1 units=5 cost=500 list=%d
        band band=DAYS_30 batches=1 units=10 cost=400 list=%d
        band band=DAYS_60 batches=0 units=0 cost=0 list=0
        band band=DAYS_90 batches=0 units=0 cost=0 list=0
        batch expiry=2026-05-31 days=-1 band=EXPIRED lot=LB1 barcode=%s units=5 cost=500 list=%d id=... name="Beta"
        batch expiry=2026-06-21 days=20 band=DAYS_30 lot=LA1 barcode=%s units=10 cost=400 list=%d id=... name="Alpha\"""" // as in docs/console.md
        .formatted(5 * priceB, 10 * priceA, SampleCatalogue.barcode(2), 5 * priceB, SampleCatalogue.barcode(1), 10 * priceA),
        expiry.replaceAll(" id=[^ ]+ ", " id=... "));
    // looking less far ahead lists fewer batches; the bands stay the same
    String soon = commands.apotheca("report", "expiry", SITE, "--on", "2026-06-01", "--days", "10");
    assertEquals(lines.subList(1, 5), soon.lines().toList().subList(1, 5));
    assertEquals(6, soon.lines().count(), soon);
  }

  @Test
  void badCommandsGetOneClearLineAndUnknownSitesAreNamed() {
    assertRefused("no site '0009' on this server (known: [0001])", "report", "sales", "0009");
    assertRefused("--from needs a date like 2026-12-01, not '2026-13-01'", "report", "sales", SITE, "--from", "2026-13-01");
    assertRefused("The report's last day (2026-06-01) is before its first (2026-06-02).", "report", "sales", SITE, "--from",
        "2026-06-02", "--to", "2026-06-01");
    assertRefused("A report covers at most 366 days; 2025-01-01 to 2026-06-01 is 517.", "report", "products", SITE, "--from",
        "2025-01-01", "--to", "2026-06-01");
    assertRefused("A product ranking shows 1 to 1000 products (asked: 0).", "report", "products", SITE, "--limit", "0");
    assertRefused("The expiry report looks 0 to 3660 days ahead (asked: -5).", "report", "expiry", SITE, "--days", "-5");
    assertRefused("--days needs a whole number, not 'soon'", "report", "expiry", SITE, "--days", "soon");
    assertTrue(refused("report", "stock", SITE, "--from", "2026-01-01").startsWith("unknown option --from"));
    assertTrue(refused("report", "sales", SITE, "yesterday").startsWith("unexpected 'yesterday'. usage: apotheca report sales <site>"));
    assertTrue(refused("report", "margins", SITE).startsWith("unknown report 'margins'. usage: apotheca report sales <site> "));
    assertTrue(refused("report").startsWith("usage: apotheca report sales <site> "));
    assertTrue(refused("report", "sales", "Not A Site").contains("is not a valid site id"));
  }

  private void assertRefused(String message, String... command) {
    assertEquals(message, refused(command));
  }

  private String refused(String... command) {
    return assertThrows(IllegalArgumentException.class, () -> commands.apotheca(command)).getMessage();
  }

  // ---- documents as the node's ledger writes them ----

  private static <J extends org.apotheca.model.DailyJournal> J journal(J j, String till, LocalDate day) {
    Ownership.stamp(j, SITE);
    j.setTillId(till);
    j.setBusinessDate(day.toString());
    return j;
  }

  private static StockBatch batch(String productId, String barcode, String name, String lot, String expiry, int quantity, long cost) {
    StockBatch b = Ownership.stamp(F.createStockBatch(), SITE);
    b.setProductId(productId);
    b.setBarcode(barcode);
    b.setProductName(name);
    b.setLotNumber(lot);
    b.setExpiryDate(expiry);
    b.setQuantity(quantity);
    b.setUnitCostMinor(cost);
    return b;
  }

  private static SaleLine line(String productId, String barcode, String name, int quantity, long price, int vat) {
    SaleLine l = Ownership.stamp(F.createSaleLine(), SITE);
    l.setProductId(productId);
    l.setBarcode(barcode);
    l.setProductName(name);
    l.setQuantity(quantity);
    l.setUnitPriceMinor(price);
    l.setVatRateBasisPoints(vat);
    l.setLineTotalMinor(Money.times(price, quantity));
    l.setVatMinor(Money.vatIncluded(l.getLineTotalMinor(), vat));
    return l;
  }

  private static Sale sale(String receipt, SaleLine... lines) {
    Sale s = Ownership.stamp(F.createSale(), SITE);
    s.setReceiptNumber(receipt);
    s.setStatus(SaleStatus.COMPLETED);
    long total = 0;
    long vat = 0;
    for (SaleLine l : lines) {
      s.getLines().add(l);
      total += l.getLineTotalMinor();
      vat += l.getVatMinor();
    }
    s.setTotalMinor(total);
    s.setVatTotalMinor(vat);
    return s;
  }

  private static StockMovement move(StockBatch batch, int quantity, MovementReason reason, String documentId, long unitCost) {
    StockMovement m = Ownership.stamp(F.createStockMovement(), SITE);
    m.setBatch(batch);
    m.setProductId(batch.getProductId());
    m.setQuantity(quantity);
    m.setReason(reason);
    m.setDocumentId(documentId);
    m.setUnitCostMinor(unitCost);
    return m;
  }
}
