package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.DispensaryDay;
import org.apotheca.model.DispensingRecord;
import org.apotheca.model.GoodsReceipt;
import org.apotheca.model.PrescriptionItem;
import org.apotheca.model.MovementJournal;
import org.apotheca.model.ReceivingDay;
import org.apotheca.model.Refund;
import org.apotheca.model.SalesDay;
import org.apotheca.model.StockBatch;
import org.apotheca.model.StockBucket;
import org.apotheca.model.StockMovement;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.DispenseLine;
import org.apotheca.node.api.DispenseRequest;
import org.apotheca.node.api.DispensingInfo;
import org.apotheca.node.api.PatientInfo;
import org.apotheca.node.api.PatientRequest;
import org.apotheca.node.api.PrescriberInfo;
import org.apotheca.node.api.PrescriberRequest;
import org.apotheca.node.api.PrescriptionInfo;
import org.apotheca.node.api.PrescriptionRequest;
import org.apotheca.node.api.PrescriptionStatus;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.PaymentMethod;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.RefundInfo;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.apotheca.node.api.SupplierReturnRequest;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.ReplicatorSessions;
import org.apotheca.sync.tests.faults.LinkRelay;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.view.CDOView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once for refunds, goods receipts, dispensings and supplier returns, as for sales: central commits the document but its answer never
 * reaches the node (the link loses it, then drops); the node keeps the same request offline under the same id, goes on
 * working with it, and its merge leaves central with one copy and every stock movement once.
 */
class InDoubtDocumentsTest {

  @TempDir
  Path tmp;

  private CentralServer central;
  private PharmacyNode node;
  private LinkRelay link;
  private LocalNodeService service;
  private CdoConnection staff;
  private ExecutorService till;

  @AfterEach
  void tearDown() throws Exception {
    if (till != null) {
      till.shutdownNow();
    }
    if (staff != null) {
      staff.close();
    }
    if (service != null) {
      service.close();
    }
    if (node != null) {
      node.stop();
    }
    if (link != null) {
      link.close();
    }
    SyncFixture.stopCentral(central);
  }

  @Test
  void aRefundAndAGoodsReceiptWhoseAnswersAreLostReachCentralOnceWithTheirStockMovements() throws Exception {
    Session alice = start();

    // ---- a refund ----
    String a = SampleCatalogue.barcode(6);
    BatchInfo batchA = node.receive("receiving", a, "QA1", LocalDate.now().plusDays(90).toString(), 20, 30);
    long price = service.quote(alice.token(), LineRequest.of(a, 1)).unitPriceMinor();
    SaleInfo sale = service.sell(alice.token(), SaleRequest.of(List.of(LineRequest.of(a, 5)),
        List.of(PaymentRequest.card(5 * price))));
    assertTrue(sale.atCentral());
    RefundRequest refund = RefundRequest.of(sale.receiptNumber(), List.of(new RefundRequest.Line(sale.lines().get(0).lineId(), 2)),
        "wrong item", PaymentMethod.CASH);

    link.loseReplies(true);
    Future<RefundInfo> refunding = till.submit(() -> service.refund(alice.token(), refund));
    await("central committed the refund", 20_000, () -> refundsAtCentral(refund.refundId()) == 1, () -> node.status().line());
    assertFalse(refunding.isDone(), "the till is still waiting for central's answer");
    link.setUp(false);
    RefundInfo kept = refunding.get(30, TimeUnit.SECONDS);
    assertFalse(kept.atCentral(), "kept on the node");
    assertEquals(17, node.stock(a).get(0).quantity(), "20 - 5 + 2");
    SaleInfo later = service.sell(alice.token(), SaleRequest.of(List.of(LineRequest.of(a, 1)), List.of(PaymentRequest.card(price))));
    assertFalse(later.atCentral());

    reconnectAndAwaitMerge();
    assertEquals(1, refundsAtCentral(refund.refundId()), "the refund once");
    assertEquals(List.of(2), movementQuantities(refund.refundId()), "its stock movement once");
    assertEquals(16, batchAtCentral(batchA.batchId()).quantity(), "20 - 5 + 2 - 1");
    assertEquals(16, node.stock(a).get(0).quantity());
    assertEquals(1, resolutions("duplicate-dropped", refund.refundId()), node.resolutions().toString());
    assertEquals(2, service.sale(sale.receiptNumber()).lines().get(0).refundedQuantity());

    // ---- a goods receipt, whose batch the node then sells from offline ----
    String b = SampleCatalogue.barcode(7);
    ReceiveRequest receipt = ReceiveRequest.of(b, "QB1", LocalDate.now().plusDays(120).toString(), 12, 45, "Phoenix");
    link.loseReplies(true);
    Future<BatchInfo> receiving = till.submit(() -> service.receive(alice.token(), receipt));
    await("central committed the goods receipt", 20_000, () -> receiptsAtCentral(receipt.receiptId()) == 1,
        () -> node.status().line());
    assertFalse(receiving.isDone(), "the till is still waiting for central's answer");
    link.setUp(false);
    BatchInfo offlineBatch = receiving.get(30, TimeUnit.SECONDS);
    assertEquals(12, offlineBatch.quantity());
    SaleInfo fromIt = service.sell(alice.token(), SaleRequest.of(List.of(LineRequest.of(b, 3)),
        List.of(PaymentRequest.card(3 * service.quote(alice.token(), LineRequest.of(b, 1)).unitPriceMinor()))));
    assertEquals(offlineBatch.batchId(), fromIt.lines().get(0).allocations().get(0).batchId(), "sold from the batch received offline");

    reconnectAndAwaitMerge();
    assertEquals(1, receiptsAtCentral(receipt.receiptId()), "the goods receipt once");
    List<Lot> lots = batchesAtCentral("QB1");
    assertEquals(1, lots.size(), "one batch for it: central's, the offline copy dropped");
    assertEquals(9, lots.get(0).quantity(), "12 received once - 3 sold offline");
    assertEquals(List.of(12), movementQuantities(receipt.receiptId()), "its receipt movement once");
    assertEquals(List.of(lots.get(0).id()), saleMovementBatches(fromIt.saleId()),
        "the offline sale's movement now takes from central's batch");
    assertEquals(List.of(9), node.stock(b).stream().map(BatchInfo::quantity).toList());
    assertEquals(lots.get(0).id(), node.stock(b).get(0).batchId());
    assertEquals(1, resolutions("duplicate-dropped", receipt.receiptId()), node.resolutions().toString());
    assertNull(node.status().lastError(), node.status().line());
  }

  /**
   * A dispensing whose answer is lost is kept offline under its id; the same item is then dispensed again offline. Both
   * sides changed what the item has dispensed, so CDO's merger alone would stop at a conflict for good: the merge must
   * count central's dispensings plus the branch's surviving ones, once each.
   */
  @Test
  void aDispensingWhoseAnswerIsLostThenMoreOfTheSameItemOfflineReachCentralOnce() throws Exception {
    Session alice = start();
    String code = SampleCatalogue.barcode(8);
    node.receive("receiving", code, "QD1", LocalDate.now().plusDays(200).toString(), 30, 25);
    PatientInfo patient = service.savePatient(alice.token(),
        PatientRequest.create("Ada", "Lovelace", LocalDate.of(1960, 12, 10), "1 Main Street", List.of()));
    PrescriberInfo doctor = service.savePrescriber(alice.token(),
        PrescriberRequest.create("Dr Grace Hopper", "GMC-0001", "Harbour Practice", "2 Quay Road"));
    PrescriptionInfo rx = service.savePrescription(alice.token(), PrescriptionRequest.create(patient.id(), doctor.id(),
        LocalDate.now(), List.of(new PrescriptionRequest.Item(code, 10, "one daily", false))));
    String item = rx.items().get(0).itemId();

    DispenseRequest first = DispenseRequest.of(rx.id(), List.of(DispenseLine.of(item, 4)));
    link.loseReplies(true);
    Future<DispensingInfo> dispensing = till.submit(() -> service.dispense(alice.token(), first));
    await("central committed the dispensing", 20_000, () -> dispensingsAtCentral(first.dispensingId()) == 1,
        () -> node.status().line());
    assertFalse(dispensing.isDone(), "the dispensary is still waiting for central's answer");
    link.setUp(false);
    dispensing.get(30, TimeUnit.SECONDS);
    DispensingInfo second = service.dispense(alice.token(), DispenseRequest.of(rx.id(), List.of(DispenseLine.of(item, 3))));
    assertFalse(second.atCentral(), "dispensed offline");
    assertEquals(3, service.prescription(alice.token(), rx.id()).items().get(0).owed(), "10 - 4 - 3 on the node");

    reconnectAndAwaitMerge();
    assertNull(node.status().lastError(), node.status().line());
    assertEquals(1, dispensingsAtCentral(first.dispensingId()), "the lost-answer dispensing once");
    assertEquals(1, dispensingsAtCentral(second.dispensingId()), "the offline dispensing once");
    assertEquals(List.of(-4), movementQuantities(first.dispensingId()), "its stock movement once");
    assertEquals(7, (int) read(view -> itemAtCentral(view, item).getQuantityDispensed()), "4 + 3 dispensed");
    assertEquals(1, read(view -> ((org.apotheca.model.Prescription) itemAtCentral(view, item).eContainer()).getStatus()
        == org.apotheca.model.PrescriptionStatus.PARTIALLY_DISPENSED ? 1 : 0), "still owes 3 at central");
    assertEquals(23, batchesAtCentral("QD1").get(0).quantity(), "30 - 4 - 3");
    PrescriptionInfo after = service.prescription(alice.token(), rx.id());
    assertEquals(3, after.items().get(0).owed(), "the node agrees after the merge");
    assertEquals(PrescriptionStatus.PARTIALLY_DISPENSED, after.status());
    assertEquals(1, resolutions("dispensing-merged", ""), node.resolutions().toString());
  }

  /** A document that is only stock movements (a supplier return): central's movement under its id means central has it. */
  @Test
  void aSupplierReturnWhoseAnswerIsLostReachesCentralOnce() throws Exception {
    Session alice = start();
    String a = SampleCatalogue.barcode(6);
    BatchInfo batchA = node.receive("receiving", a, "QR1", LocalDate.now().plusDays(90).toString(), 20, 30);
    SupplierReturnRequest ret = SupplierReturnRequest.of(batchA.batchId(), 4, "Phoenix", "damaged");
    link.loseReplies(true);
    Future<?> returning = till.submit(() -> service.returnToSupplier(alice.token(), ret));
    await("central committed the return", 20_000, () -> movementQuantities(ret.returnId()).size() == 1, () -> node.status().line());
    assertFalse(returning.isDone(), "the till is still waiting for central's answer");
    link.setUp(false);
    returning.get(30, TimeUnit.SECONDS);
    assertEquals(16, node.stock(a).get(0).quantity(), "20 - 4, kept offline");
    long price = service.quote(alice.token(), LineRequest.of(a, 1)).unitPriceMinor();
    service.sell(alice.token(), SaleRequest.of(List.of(LineRequest.of(a, 1)), List.of(PaymentRequest.card(price))));

    reconnectAndAwaitMerge();
    assertEquals(List.of(-4), movementQuantities(ret.returnId()), "the return's movement once");
    assertEquals(15, batchAtCentral(batchA.batchId()).quantity(), "20 - 4 - 1");
    assertEquals(15, node.stock(a).get(0).quantity());
    assertEquals(1, resolutions("duplicate-dropped", ret.returnId()), node.resolutions().toString());
    assertNull(node.status().lastError(), node.status().line());
  }

  private Session start() throws Exception {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 20).withDemoUsers(true);
    central = SyncFixture.startCentral(config);
    link = new LinkRelay(config.endpoint());
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), link.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    node = new PharmacyNode(nc, ReplicatorSessions.Fix.ALL, java.time.Clock.systemDefaultZone()).start();
    assertTrue(node.awaitReady(60_000), "node ready: " + node.status().line());
    service = new LocalNodeService(node, false);
    staff = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE));
    till = Executors.newSingleThreadExecutor();
    return service.login("till-1", "alice", "alice-demo".toCharArray());
  }

  private int dispensingsAtCentral(String dispensingId) {
    return (int) read(view -> {
      long n = 0;
      for (DispensaryDay d : everyDay(view, "/sites/" + SITE + "/dispensary", DispensaryDay.class)) {
        for (DispensingRecord r : d.getDispensingRecords()) {
          n += r.getId().equals(dispensingId + "-1") ? 1 : 0; // one record per line: <dispensing id>-<line>
        }
      }
      return n;
    });
  }

  private static PrescriptionItem itemAtCentral(CDOView view, String itemId) {
    for (DispensaryDay d : everyDay(view, "/sites/" + SITE + "/dispensary", DispensaryDay.class)) {
      for (org.apotheca.model.Prescription p : d.getPrescriptions()) {
        for (PrescriptionItem i : p.getItems()) {
          if (i.getId().equals(itemId)) {
            return i;
          }
        }
      }
    }
    throw new AssertionError("central has no prescription item " + itemId);
  }

  private void reconnectAndAwaitMerge() {
    link.loseReplies(false);
    link.setUp(true);
    await("offline work merged", 60_000, () -> node.status().pendingCommits() == 0 && "MAIN".equals(node.status().branch()),
        () -> node.status().line());
  }

  private long resolutions(String kind, String id) {
    return node.resolutions().stream().filter(r -> r.contains(kind) && r.contains(id)).count();
  }

  // ---- what central holds, read through a fresh view each time ----

  private int refundsAtCentral(String refundId) {
    return (int) read(view -> {
      long n = 0;
      for (SalesDay d : everyDay(view, Repositories.salesFolder(SITE), SalesDay.class)) {
        for (Refund r : d.getRefunds()) {
          n += r.getId().equals(refundId) ? 1 : 0;
        }
      }
      return n;
    });
  }

  private int receiptsAtCentral(String receiptId) {
    return (int) read(view -> {
      long n = 0;
      for (ReceivingDay d : everyDay(view, "/sites/" + SITE + "/receiving", ReceivingDay.class)) {
        for (GoodsReceipt r : d.getGoodsReceipts()) {
          n += r.getId().equals(receiptId) ? 1 : 0;
        }
      }
      return n;
    });
  }

  private List<Integer> movementQuantities(String documentId) {
    List<Integer> result = new ArrayList<>();
    read(view -> {
      for (StockMovement m : movements(view)) {
        if (documentId.equals(m.getDocumentId())) {
          result.add(m.getQuantity());
        }
      }
      return 0;
    });
    return result;
  }

  private List<String> saleMovementBatches(String saleId) {
    List<String> result = new ArrayList<>();
    read(view -> {
      for (StockMovement m : movements(view)) {
        if (saleId.equals(m.getDocumentId())) {
          result.add(m.getBatch().getId());
        }
      }
      return 0;
    });
    return result;
  }

  private static List<StockMovement> movements(CDOView view) {
    List<StockMovement> result = new ArrayList<>();
    for (MovementJournal j : everyDay(view, "/sites/" + SITE + "/movements", MovementJournal.class)) {
      result.addAll(j.getMovements());
    }
    return result;
  }

  /** The journals of every business day under a folder (a test may run across midnight). */
  private static <T> List<T> everyDay(CDOView view, String folder, Class<T> type) {
    List<T> result = new ArrayList<>();
    if (view.hasResource(folder) && view.getResourceNode(folder) instanceof CDOResourceFolder f) {
      for (CDOResourceNode day : f.getNodes()) {
        result.addAll(ResourceRoots.of(view, day.getPath(), type));
      }
    }
    return result;
  }

  /** A batch at central: its id and quantity on hand. */
  private record Lot(String id, int quantity) {
  }

  private Lot batchAtCentral(String batchId) {
    return lots().stream().filter(x -> x.id().equals(batchId)).findFirst().orElseThrow();
  }

  private List<Lot> batchesAtCentral(String lot) {
    List<Lot> result = new ArrayList<>();
    read(view -> {
      for (StockBatch x : batches(view)) {
        if (x.getLotNumber().equals(lot)) {
          result.add(new Lot(x.getId(), x.getQuantity()));
        }
      }
      return 0;
    });
    return result;
  }

  private List<Lot> lots() {
    List<Lot> result = new ArrayList<>();
    read(view -> {
      batches(view).forEach(x -> result.add(new Lot(x.getId(), x.getQuantity())));
      return 0;
    });
    return result;
  }

  private static List<StockBatch> batches(CDOView view) {
    List<StockBatch> result = new ArrayList<>();
    for (StockBucket bucket : ResourceRoots.of(view, "/sites/" + SITE + "/stock", StockBucket.class)) {
      result.addAll(bucket.getBatches());
    }
    return result;
  }

  private long read(java.util.function.ToLongFunction<CDOView> work) {
    CDOView view = staff.session().openView();
    try {
      return work.applyAsLong(view);
    } finally {
      view.close();
    }
  }
}
