package org.apotheca.server.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.ControlledDrugEntry;
import org.apotheca.model.RegisterEntryKind;
import org.apotheca.model.RegisterPage;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.server.access.CentralClient;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.util.CommitException;
import org.eclipse.emf.cdo.view.CDOView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInfo;

/**
 * Central keeps the controlled-drugs register append-only whoever commits: raw CDO commits through the TLS gate, as
 * the pharmacy itself and as a central staff tool, may add pages and entries and nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one server; each test has a page of its own
class RegisterAppendOnlyTest {

  private static final String SITE = "0001";
  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;

  private Path dataDir;
  private ServerConfig config;
  private CentralServer server;
  private CdoConnection pharmacy;
  private String pagePath;

  @BeforeAll
  void startCentral() throws Exception {
    dataDir = java.nio.file.Files.createTempDirectory("apotheca-register");
    config = TestServers.config(dataDir, TestServers.freePort(), 0, SITE);
    server = TestServers.start(config);
    pharmacy = CentralClient.open(server.security().issueSite(SITE), config.endpoint(), Repositories.siteRepository(SITE));
  }

  /** A page with two entries, written by the pharmacy: received 50, supplied 10. */
  @BeforeEach
  void writeAPage(TestInfo test) throws Exception {
    pagePath = "/sites/" + SITE + "/cd-register/" + test.getTestMethod().orElseThrow().getName() + "/2026-05";
    CDOTransaction tx = pharmacy.session().openTransaction();
    RegisterPage page = Ownership.stamp(F.createRegisterPage(), SITE);
    page.setProductId("product-morphine");
    page.setMonth("2026-05");
    page.setOpeningBalance(0);
    page.getEntries().add(entry(RegisterEntryKind.RECEIVED, 50, 50));
    page.getEntries().add(entry(RegisterEntryKind.SUPPLIED, 10, 40));
    tx.createResource(pagePath).getContents().add(page);
    tx.commit();
    tx.close();
  }

  @AfterAll
  void stop() throws Exception {
    if (pharmacy != null) {
      pharmacy.close();
    }
    TestServers.stop(server);
    try (var files = java.nio.file.Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Test
  void entriesCanBeAddedAtTheEndOrBeforeEntriesCentralGotMeanwhile() throws Exception {
    commit(pharmacy, page -> page.getEntries().add(entry(RegisterEntryKind.SUPPLIED, 5, 35)));
    // an offline merge may put the node's entries in front of one central got from a lost write-through
    commit(pharmacy, page -> page.getEntries().add(0, entry(RegisterEntryKind.CORRECTION_NOTE, 0, 50)));
    commit(pharmacy, page -> {
      ControlledDrugEntry note = entry(RegisterEntryKind.CORRECTION_NOTE, 0, 35);
      note.setCorrects(page.getEntries().get(1)); // a note names the entry it corrects; that entry stays as it was
      note.setNote("Quantity supplied was 10, not 5: see prescription");
      page.getEntries().add(note);
    });
    assertEquals(List.of(0, 50, 10, 5, 0), quantities());
  }

  @Test
  void changingMovingOrDeletingAnEntryOrChangingThePageIsRefusedAndChangesNothing() throws Exception {
    assertRefused(pharmacy, "entry", page -> page.getEntries().get(1).setQuantity(12));
    assertRefused(pharmacy, "entry", page -> page.getEntries().get(0).setNote("typo fixed"));
    assertRefused(pharmacy, "never removed", page -> page.getEntries().remove(1));
    assertRefused(pharmacy, "never removed", page -> page.getEntries().move(0, 1));
    assertRefused(pharmacy, "never removed", page -> {
      page.getEntries().remove(1);
      page.getEntries().add(entry(RegisterEntryKind.SUPPLIED, 12, 38)); // "replaced" by a new one
    });
    assertRefused(pharmacy, "openingBalance", page -> page.setOpeningBalance(7));
    assertRefused(pharmacy, "deleted", page -> page.cdoResource().getContents().remove(page));
    assertEquals(List.of(50, 10), quantities());
  }

  @Test
  void centralsOwnStaffMayNotChangeItEither() throws Exception {
    try (CdoConnection staff = TestServers.client(config, Repositories.siteRepository(SITE))) {
      assertRefused(staff, "entry", page -> page.getEntries().get(0).setBalanceAfter(49));
      commit(staff, page -> page.getEntries().add(entry(RegisterEntryKind.CORRECTION_NOTE, 0, 40)));
    }
    assertEquals(List.of(50, 10, 0), quantities());
  }

  private List<Integer> quantities() {
    CDOView view = pharmacy.session().openView();
    try {
      return ((RegisterPage) view.getResource(pagePath).getContents().get(0)).getEntries().stream()
          .map(ControlledDrugEntry::getQuantity).toList();
    } finally {
      view.close();
    }
  }

  private void commit(CdoConnection c, Consumer<RegisterPage> change) throws CommitException {
    CDOTransaction tx = c.session().openTransaction();
    try {
      change.accept((RegisterPage) tx.getResource(pagePath).getContents().get(0));
      tx.commit();
    } finally {
      tx.close();
    }
  }

  private void assertRefused(CdoConnection c, String words, Consumer<RegisterPage> change) {
    CommitException e = assertThrows(CommitException.class, () -> commit(c, change));
    String message = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
    assertTrue(message.contains("the controlled-drugs register is append-only"), message);
    assertTrue(message.contains(words), message);
  }

  private static ControlledDrugEntry entry(RegisterEntryKind kind, int quantity, int balance) {
    ControlledDrugEntry e = Ownership.stamp(F.createControlledDrugEntry(), SITE);
    e.setKind(kind);
    e.setQuantity(quantity);
    e.setBalanceAfter(balance);
    e.setEnteredAt(System.currentTimeMillis());
    e.setTransactionDate("2026-05-20");
    return e;
  }
}
