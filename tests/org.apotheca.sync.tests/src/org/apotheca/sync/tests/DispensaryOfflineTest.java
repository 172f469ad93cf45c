package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.core.ledger.AppendOnlyGuard;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.ControlledDrugEntry;
import org.apotheca.model.DispensaryDay;
import org.apotheca.model.DispensingRecord;
import org.apotheca.model.Prescription;
import org.apotheca.model.PrescriptionItem;
import org.apotheca.model.RegisterPage;
import org.apotheca.node.api.DispenseLine;
import org.apotheca.node.api.DispenseRequest;
import org.apotheca.node.api.DispensingInfo;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.PatientInfo;
import org.apotheca.node.api.PatientRequest;
import org.apotheca.node.api.PrescriberInfo;
import org.apotheca.node.api.PrescriberRequest;
import org.apotheca.node.api.PrescriptionInfo;
import org.apotheca.node.api.PrescriptionRequest;
import org.apotheca.node.api.PrescriptionStatus;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterEntryKind;
import org.apotheca.node.api.RegisterNoteRequest;
import org.apotheca.node.api.Session;
import org.apotheca.node.api.WarningKind;
import org.apotheca.node.api.WarningSeverity;
import org.apotheca.core.net.Endpoint;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.view.CDOView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prescription dispensed in two parts, the first while central is down: the node keeps the dispensing, its stock
 * movements and its controlled-drugs register entries on its offline branch, merges them when central is back, and
 * central ends up with every record and register entry exactly once, with the same running balance as the node.
 */
class DispensaryOfflineTest {

  @TempDir
  Path tmp;

  private CentralServer central;
  private PharmacyNode node;
  private LocalNodeService service;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    if (node != null) {
      node.stop();
    }
    SyncFixture.stopCentral(central);
  }

  @Test
  void aPrescriptionDispensedPartlyOfflineAndThenOnlineReachesCentralExactlyOnce() throws Exception {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 40).withDemoUsers(true);
    central = SyncFixture.startCentral(config);
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), config.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    node = new PharmacyNode(nc).start();
    assertTrue(node.awaitReady(60_000), "node ready: " + node.status().line());
    service = new LocalNodeService(node, false);
    Session alice = service.login("till-1", "alice", "alice-demo".toCharArray());
    String morphine = SampleCatalogue.barcode(23);
    String amlodipine = SampleCatalogue.barcode(7);
    String expiry = LocalDate.now().plusYears(1).toString();
    service.receive(alice.token(), ReceiveRequest.of(morphine, "M1", expiry, 50, 120, "Alliance Healthcare"));
    service.receive(alice.token(), ReceiveRequest.of(amlodipine, "A1", expiry, 100, 30, "Alliance Healthcare"));
    PatientInfo patient = service.savePatient(alice.token(), PatientRequest.create("Edith", "Crawley", LocalDate.of(1938, 5, 1),
        "Downton Abbey, Yorkshire", List.of()));
    PrescriberInfo doctor = service.savePrescriber(alice.token(), PrescriberRequest.create("Dr R Clarkson", "GMC 1000001",
        "Downton Cottage Hospital", "Downton"));
    PrescriptionInfo rx = service.savePrescription(alice.token(), PrescriptionRequest.create(patient.id(), doctor.id(), LocalDate.now(),
        List.of(new PrescriptionRequest.Item(morphine, 20, "ONE 10 mg tablet every 12 hours", false),
            new PrescriptionRequest.Item(amlodipine, 28, "Take ONE daily", false))));
    String morphineItem = rx.items().get(0).itemId();
    String amlodipineItem = rx.items().get(1).itemId();
    String productId = service.product(morphine).id();

    SyncFixture.stopCentral(central);
    central = null;
    await("node OFFLINE", 30_000, () -> node.state() == PharmacyNode.State.OFFLINE, () -> node.status().line());
    DispensingInfo offline = service.dispense(alice.token(), DispenseRequest.of(rx.id(), List.of(DispenseLine.of(morphineItem, 8),
        DispenseLine.of(amlodipineItem, 10))).withCollector("Mr M Crawley", false, true, true, "passport"));
    assertFalse(offline.atCentral(), "kept on the node");
    assertEquals(PrescriptionStatus.PARTIALLY_DISPENSED, offline.status());
    List<RegisterEntry> kept = service.register(alice.token(), morphine).entries();
    assertEquals(List.of(50, 42), kept.stream().map(RegisterEntry::balanceAfter).toList());
    assertFalse(kept.get(1).atCentral());
    RegisterEntry note = service.addRegisterNote(alice.token(), RegisterNoteRequest.of(kept.get(1).entryId(),
        "Collector's name is Matthew Crawley (grandson)"));
    assertFalse(note.atCentral());
    assertTrue(node.status().branch().startsWith("MAIN/Offline-"), node.status().line());

    central = SyncFixture.startCentral(config);
    await("offline work merged into central", 90_000,
        () -> node.status().pendingCommits() == 0 && "MAIN".equals(node.status().branch()), () -> node.status().line());
    assertTrue(service.dispensing(alice.token(), offline.dispensingId()).atCentral());

    DispensingInfo online = service.dispense(alice.token(), DispenseRequest.of(rx.id(), List.of(DispenseLine.of(morphineItem, 12),
        DispenseLine.of(amlodipineItem, 18))));
    assertTrue(online.atCentral(), "written through");
    assertEquals(PrescriptionStatus.DISPENSED, online.status());

    List<RegisterEntry> atNode = service.register(alice.token(), morphine).entries();
    assertEquals(List.of(RegisterEntryKind.RECEIVED, RegisterEntryKind.SUPPLIED, RegisterEntryKind.CORRECTION_NOTE,
        RegisterEntryKind.SUPPLIED), atNode.stream().map(RegisterEntry::kind).toList());
    assertEquals(List.of(50, 42, 42, 30), atNode.stream().map(RegisterEntry::balanceAfter).toList());
    assertTrue(atNode.stream().allMatch(RegisterEntry::atCentral), atNode.toString());

    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE))) {
      CDOView view = c.session().openView();
      List<ControlledDrugEntry> entries = new ArrayList<>();
      for (RegisterPage page : ResourceRoots.of(view, "/sites/" + SITE + "/cd-register/" + productId, RegisterPage.class)) {
        entries.addAll(page.getEntries());
      }
      assertEquals(atNode.stream().map(RegisterEntry::entryId).toList(), entries.stream().map(ControlledDrugEntry::getId).toList(),
          "central has every entry once, in the order made");
      assertEquals(List.of(50, 42, 42, 30), entries.stream().map(ControlledDrugEntry::getBalanceAfter).toList());
      assertEquals("Mr M Crawley", entries.get(1).getCollectorName());
      assertEquals(entries.get(1), entries.get(2).getCorrects());

      List<DispensingRecord> records = new ArrayList<>();
      Prescription atCentral = null;
      for (DispensaryDay day : dispensaryDays(view)) {
        records.addAll(day.getDispensingRecords());
        for (Prescription p : day.getPrescriptions()) {
          if (p.getId().equals(rx.id())) {
            atCentral = p;
          }
        }
      }
      Set<String> ids = new HashSet<>();
      records.forEach(r -> ids.add(r.getId()));
      assertEquals(4, records.size(), "two dispensings of two lines, each once");
      assertEquals(4, ids.size());
      assertEquals(org.apotheca.model.PrescriptionStatus.DISPENSED, atCentral.getStatus());
      assertEquals(List.of(20, 28), atCentral.getItems().stream().map(PrescriptionItem::getQuantityDispensed).toList());
    }
    assertEquals(30, service.product(morphine).onHand());
    assertEquals(0, service.registerBalanceCheck(alice.token()).stream().filter(b -> b.barcode().equals(morphine)).findFirst()
        .orElseThrow().difference());

    // a rule central imports reaches the node's index and warns at the next check
    PrescriptionInfo statin = service.savePrescription(alice.token(), PrescriptionRequest.create(patient.id(), doctor.id(), LocalDate.now(),
        List.of(new PrescriptionRequest.Item(SampleCatalogue.barcode(5), 28, "ONE at night", false))));
    List<DispenseLine> statinLine = List.of(DispenseLine.of(statin.items().get(0).itemId(), 28));
    assertTrue(service.checkWarnings(alice.token(), statin.id(), statinLine).stream().noneMatch(w -> w.kind() == WarningKind.INTERACTION));
    Path rules = tmp.resolve("rules.csv");
    Files.writeString(rules, "ingredient_a,ingredient_b,severity,description,advice\n"
        + "Amlodipine,Simvastatin,MAJOR,Amlodipine raises simvastatin levels,Keep simvastatin at 20 mg a day or less\n");
    new ServerCommands(central).apotheca("catalogue", "import", rules.toString(), "--by", "hq.clinical");
    await("the new rule on the node", 30_000, () -> service.checkWarnings(alice.token(), statin.id(), statinLine).stream()
        .anyMatch(w -> w.kind() == WarningKind.INTERACTION && w.severity() == WarningSeverity.MAJOR
            && w.message().contains("raises simvastatin levels")), () -> service.checkWarnings(alice.token(), statin.id(), statinLine)
            .toString());
    assertEquals(Refusal.OVERRIDE_REQUIRED, assertThrows(NodeException.class, () -> service.dispense(alice.token(),
        DispenseRequest.of(statin.id(), statinLine))).refusal());

    // no commit of the ledger's kind may change an entry: the guard the ledger's transaction carries refuses it
    CDONet4jSession session = node.openLocalSession(Repositories.siteRepository(SITE));
    try {
      CDOTransaction tx = session.openTransaction();
      tx.addTransactionHandler(new AppendOnlyGuard());
      RegisterPage page = ResourceRoots.of(tx, "/sites/" + SITE + "/cd-register/" + productId, RegisterPage.class).get(0);
      page.getEntries().get(1).setQuantity(1);
      NodeException changed = refusal(assertThrows(Exception.class, tx::commit));
      assertEquals(Refusal.NOT_ALLOWED, changed.refusal());
      tx.rollback();
      page.getEntries().remove(3);
      assertEquals(Refusal.NOT_ALLOWED, refusal(assertThrows(Exception.class, tx::commit)).refusal());
      tx.rollback();
      page.setOpeningBalance(1_000);
      assertEquals(Refusal.NOT_ALLOWED, refusal(assertThrows(Exception.class, tx::commit)).refusal());
      tx.rollback();
      tx.close();
    } finally {
      session.close();
    }
    assertEquals(atNode, service.register(alice.token(), morphine).entries(), "nothing changed");
  }

  /** A month later the register continues on a new page that opens with the last page's closing balance. */
  @Test
  void theRegisterTurnsThePageEachMonthAndCarriesTheBalance() throws Exception {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 30).withDemoUsers(true);
    central = SyncFixture.startCentral(config);
    NodeConfig nc = SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), config.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
    NodeSellingTest.MovableClock clock = new NodeSellingTest.MovableClock();
    node = new PharmacyNode(nc, org.apotheca.sync.ReplicatorSessions.Fix.ALL, clock).start();
    assertTrue(node.awaitReady(60_000), "node ready: " + node.status().line());
    service = new LocalNodeService(node, false, clock);
    Session alice = service.login("till-1", "alice", "alice-demo".toCharArray());
    // codeine (schedule 5): its prescription stays valid past the 28 days of schedules 2 to 4
    String codeine = SampleCatalogue.barcode(21);
    service.receive(alice.token(), ReceiveRequest.of(codeine, "C7", LocalDate.now().plusYears(2).toString(), 50, 120, "Alliance"));
    PatientInfo patient = service.savePatient(alice.token(), PatientRequest.create("Sybil", "Branson", null, "Dublin", List.of()));
    PrescriberInfo doctor = service.savePrescriber(alice.token(), PrescriberRequest.create("Dr Clarkson", null, null, null));
    PrescriptionInfo rx = service.savePrescription(alice.token(), PrescriptionRequest.create(patient.id(), doctor.id(), LocalDate.now(),
        List.of(new PrescriptionRequest.Item(codeine, 30, "ONE every 12 hours", false))));
    String item = rx.items().get(0).itemId();
    service.dispense(alice.token(), DispenseRequest.of(rx.id(), List.of(DispenseLine.of(item, 10))));
    String firstMonth = java.time.YearMonth.now(clock).toString();

    clock.advance(java.time.Duration.ofDays(32));
    Session later = service.login("till-1", "alice", "alice-demo".toCharArray());
    service.dispense(later.token(), DispenseRequest.of(rx.id(), List.of(DispenseLine.of(item, 5))));
    String nextMonth = java.time.YearMonth.now(clock).toString();

    List<RegisterEntry> entries = service.register(later.token(), codeine).entries();
    assertEquals(List.of(firstMonth, firstMonth, nextMonth), entries.stream().map(RegisterEntry::page).toList());
    assertEquals(List.of(50, 40, 35), entries.stream().map(RegisterEntry::balanceAfter).toList());
    assertEquals(LocalDate.now(clock), entries.get(2).date());
    CDONet4jSession session = node.openLocalSession(Repositories.siteRepository(SITE));
    try {
      List<RegisterPage> pages = ResourceRoots.of(session.openView(), "/sites/" + SITE + "/cd-register/" + service.product(codeine).id(),
          RegisterPage.class);
      assertEquals(List.of(firstMonth, nextMonth), pages.stream().map(RegisterPage::getMonth).toList());
      assertEquals(List.of(0, 40), pages.stream().map(RegisterPage::getOpeningBalance).toList());
    } finally {
      session.close();
    }
    assertEquals(35, service.registerDrugs(later.token()).get(0).balance());
  }

  private static NodeException refusal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof NodeException n) {
        return n;
      }
    }
    throw new AssertionError("not refused by the guard", t);
  }

  private static List<DispensaryDay> dispensaryDays(CDOView view) {
    List<DispensaryDay> result = new ArrayList<>();
    String root = "/sites/" + SITE + "/dispensary";
    if (view.hasResource(root) && view.getResourceNode(root) instanceof CDOResourceFolder days) {
      for (CDOResourceNode n : days.getNodes()) {
        result.addAll(ResourceRoots.of(view, root + "/" + n.getName(), DispensaryDay.class));
      }
    }
    return result;
  }
}
