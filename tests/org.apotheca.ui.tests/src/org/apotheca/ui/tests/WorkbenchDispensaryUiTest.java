package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.ControlledDrugEntry;
import org.apotheca.model.DispensingRecord;
import org.apotheca.model.WarningOverride;
import org.apotheca.node.api.DispenseLine;
import org.apotheca.node.api.DispenseRequest;
import org.apotheca.node.api.DispensingInfo;
import org.apotheca.node.api.DrugRegister;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.PatientInfo;
import org.apotheca.node.api.PrescriptionInfo;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterEntryKind;
import org.apotheca.node.api.RegisterService;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Node;
import org.apotheca.ui.dispensary.DispensaryPrintouts;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The dispensary and the controlled-drugs register at the real workbench, as a pharmacist and an assistant use them:
 * with central down, an assistant prepares a prescription with a severe interaction and cannot dispense it; the
 * pharmacist overrides the interaction with a reason and dispenses part of it; a controlled drug is received and
 * dispensed, the register shows both entries with the running balance; a correction note is added and no control
 * exists that could change an entry (all of it still offline); once central is back it holds every dispensing,
 * override and register entry exactly once. Runs after TillUiTest in the same workbench or alone: it starts its own central.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchDispensaryUiTest {

  private static final Robot R = new Robot();
  private static final TestCentral CENTRAL = new TestCentral();
  /** Sample product 17 is Warfarin, 19 Aspirin (a MAJOR interaction in the sample rules), 23 Morphine (schedule 2). */
  private static final String WARFARIN = SampleCatalogue.barcode(17);
  private static final String ASPIRIN = SampleCatalogue.barcode(19);
  private static final String MORPHINE = SampleCatalogue.barcode(23);
  private static final String OVERRIDE_REASON = "INR checked today; prescriber confirmed low-dose aspirin";
  private static final String NOTE = "Collector's full name is John A. Doe; the second name was missed";


  @org.junit.jupiter.api.extension.RegisterExtension
  static final Story STORY = new Story(R, "failed-");

  @AfterAll
  static void stopCentral() {
    // leave the workbench at the till for whatever runs next
    try {
      closeAll();
    } finally {
      CENTRAL.stop();
    }
  }

  private static NodeService node() {
    return Node.get().service();
  }

  private static String token() {
    return Node.get().token();
  }

  // ---- the story ----

  @Test
  @Order(1)
  void theWorkbenchIsOnlineAndTheAssistantLogsIn() {
    Robot.waitFor("the workbench window", () -> PlatformUI.isWorkbenchRunning()
        && R.ui(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null));
    // After TillUiTest central was stopped a moment ago: the node must have seen that before central comes back,
    // or the "Online" below would be the old one (alone, the node has never met central: it says "not ready"). A stop
    // that cuts a replication request in flight is seen only when that request times out (about a minute), hence
    // the longer deadline.
    String before = R.text("status.connection");
    if (before.equals("Online") || before.startsWith("Catching up")) {
      try {
        Robot.waitFor("the node sees that central is gone", 90_000, () -> R.text("status.connection").startsWith("Offline"));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; the status line says \"" + R.text("status.connection") + " | "
            + R.text("status.contact") + "\", the node itself: " + nodeStateWithin(5), e);
      }
    }
    long startedAt = System.currentTimeMillis();
    CENTRAL.start();
    R.waitForText("status.connection", "online", "Online"::equals);
    Robot.waitFor("sample stock at the node", () -> !node().batches(ASPIRIN).isEmpty());
    R.waitForText("status.pending", "nothing waiting", "All sales at central"::equals);
    // online since this central started, and the node has had everything at central since then
    Robot.waitFor("the node caught up with this central", () -> {
      var state = node().state();
      return state.since() >= startedAt && state.lastContactAt() > state.since();
    });
    if (R.ui(() -> Node.get().session() != null)) {
      R.keys(SWT.CTRL, 'l');
      R.waitForText("login.message", "logged out", s -> !s.isEmpty());
    }
    login("bob", "bob-demo");
    assertTrue(R.text("till.keys").contains("F2 dispensary") && R.text("till.keys").contains("F3 CD register"), R.text("till.keys"));
  }

  @Test
  @Order(2)
  void theAssistantPreparesAPrescriptionButCannotDispenseIt() {
    // one outage for the whole story, from here to the end: the pharmacy works on, central gets it all afterwards
    CENTRAL.stop();
    R.waitForText("status.connection", "offline", s -> s.startsWith("Offline"));
    tillKey(SWT.F2);
    R.widget("disp.patient");
    assertTrue(R.text("disp.heading").contains("Bob Assistant"), R.text("disp.heading"));
    assertFalse(R.ui(() -> ((Button) R.findNow("disp.dispense")).isEnabled()), "an assistant has no Dispense action");
    assertTrue(R.text("disp.rx").contains("a pharmacist dispenses"), R.text("disp.rx"));

    // a new patient: Alt+N, Enter moves through the fields and saves on the last
    R.typeInto("disp.patient", "Doe Jane");
    R.keys(SWT.ALT, 'n');
    assertEquals("Doe", R.waitForText("patient.family", "prefilled", s -> !s.isEmpty()));
    assertEquals("Jane", R.text("patient.given"));
    enter("patient.born", "1950-03-02");
    enter("patient.address", "12 High Street, Leeds");
    enter("patient.allergies", "Penicillin");
    String card = R.waitForText("disp.patient.card", "the new patient", s -> s.startsWith("Doe, Jane"));
    assertTrue(card.contains("born 1950-03-02") && card.contains("Penicillin"), card);

    // a new prescriber
    R.typeInto("disp.prescriber", "Ann Smith");
    R.keys(SWT.ALT, 'b');
    R.waitForText("prescriber.name", "prefilled", "Ann Smith"::equals);
    enter("prescriber.registration", "GMC 7654321");
    enter("prescriber.practice", "High Street Surgery");
    enter("prescriber.address", "1 Market Square, Leeds");
    R.waitForText("disp.prescriber.card", "the new prescriber", s -> s.startsWith("Ann Smith") && s.contains("GMC 7654321"));

    // two items: the product by barcode, the quantity, the directions; Enter on "Generic allowed" adds the item
    addItem(WARFARIN, "28", "Take as directed by the anticoagulant clinic");
    addItem(ASPIRIN, "56", "Take ONE tablet daily");
    Robot.waitFor("two items", () -> R.rows("disp.items").size() == 2);
    R.keys(SWT.ALT, 's');
    String saved = R.waitForText("disp.message", "saved", s -> s.startsWith("Prescription RX-"));
    assertTrue(saved.endsWith("saved for the pharmacist to check and dispense."), saved);
    R.keys(SWT.ALT, 'w');
    Robot.waitFor("the interaction listed", () -> R.rows("disp.warnings").stream().anyMatch(r -> r[0].equals("MAJOR interaction")));
    String[] major = R.rows("disp.warnings").get(0);
    assertEquals("MAJOR interaction", major[0], "the most severe first");
    assertEquals("needs a pharmacist", major[2]);
    String detail = R.text("disp.warning.detail");
    assertTrue(detail.contains("Warfarin") && detail.contains("Aspirin") && detail.contains("monitor INR"), detail);
    R.screenshot("dispensary-prepared.png");

    // not only the button: the node refuses an assistant's dispensing
    PatientInfo jane = node().findPatients(token(), "doe jane", 5).get(0);
    PrescriptionInfo rx = node().prescriptions(token(), jane.id()).get(0);
    NodeException refused = assertThrows(NodeException.class,
        () -> node().dispense(token(), DispenseRequest.of(rx.id(), List.of(DispenseLine.of(rx.items().get(0).itemId(), 1)))));
    assertEquals(Refusal.NOT_ALLOWED, refused.refusal());
    assertEquals(84, node().prescription(token(), rx.id()).owed(), "nothing dispensed");
    R.key(SWT.ESC);
    Robot.waitFor("dispensary closed", () -> !R.showing("disp.patient"));
  }

  @Test
  @Order(3)
  void thePharmacistOverridesTheInteractionAndDispensesPartWhileCentralIsDown() throws Exception {
    // central is still down
    R.keys(SWT.CTRL, 'l');
    login("alice", "alice-demo");

    tillKey(SWT.F2);
    R.typeInto("disp.patient", "doe");
    R.key(SWT.CR);
    R.waitForText("disp.patient.card", "patient chosen", s -> s.startsWith("Doe, Jane"));
    Robot.waitFor("her prescription listed", () -> R.rows("disp.prescriptions").size() == 1);
    assertEquals("84", R.rows("disp.prescriptions").get(0)[2], "everything owed");
    R.focus("disp.prescriptions");
    R.key(SWT.CR);
    Robot.waitFor("the prescription's items", () -> R.rows("disp.items").size() == 2);
    // part of the aspirin now: the second item, 28 of 56
    R.focus("disp.items");
    R.key(SWT.ARROW_DOWN);
    Robot.waitFor("aspirin chosen", () -> R.ui(() -> ((Table) R.findNow("disp.items")).getSelectionIndex() == 1));
    R.key(SWT.CR);
    R.retype("disp.now", "28");
    R.key(SWT.CR);
    Robot.waitFor("28 now, 28 to stay owed", () -> R.rows("disp.items").get(1)[5].equals("28"));
    assertTrue(R.text("disp.message").contains("28 will stay owed"), R.text("disp.message"));

    R.keys(SWT.ALT, 'd');
    R.waitForText("override.reason.0", "the override form", s -> true);
    String warning = R.text("override.warning.0");
    assertTrue(warning.startsWith("MAJOR interaction") && warning.contains("Warfarin") && warning.contains("Aspirin"), warning);
    R.typeInto("override.reason.0", OVERRIDE_REASON);
    R.screenshot("dispensary-override.png");
    R.key(SWT.CR);

    String title = R.waitForText("label.title", "dispensed", s -> s.startsWith("Dispensed"));
    String rxNumber = title.substring(title.indexOf("RX-"));
    assertEquals("28 units are still owed to the patient: the prescription stays open for the rest.", R.text("label.owed"));
    assertTrue(R.text("label.central").startsWith("Kept on the pharmacy node"), "offline: not at central yet");
    String label = R.text("label.text");
    assertTrue(label.contains("28 x " + node().product(WARFARIN).name()) && label.contains("28 x " + node().product(ASPIRIN).name()), label);
    assertTrue(label.contains("Take ONE tablet daily") && label.contains("Doe, Jane") && label.contains(rxNumber), label);
    Path pdf = Path.of(R.text("label.pdf").substring("Label PDF for printing: ".length()));
    assertTrue(pdf.startsWith(DispensaryPrintouts.folder()), pdf.toString());
    String pdfText = new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1);
    assertTrue(pdfText.startsWith("%PDF-1.4") && pdfText.contains("(Take ONE tablet daily) Tj"), "a label PDF at " + pdf);
    assertEquals(2, pdfText.split("/Type /Page ", -1).length - 1, "one label per medicine");
    R.screenshot("dispensary-label.png");
    R.focus("label.ok");
    R.key(SWT.CR);
    Robot.waitFor("label closed", () -> !R.showing("label.title"));

    Robot.waitFor("the owed balance on the item", () -> R.rows("disp.items").get(1)[4].equals("28"));
    assertEquals("0", R.rows("disp.items").get(0)[4], "the warfarin was dispensed in full");
    Robot.waitFor("two lines of history", () -> R.rows("disp.history").size() == 2);
    Robot.waitFor("the prescription part owed", () -> R.rows("disp.prescriptions").get(0)[1].equals("Part owed"));
    assertTrue(R.text("disp.rx").contains("28 owed"), R.text("disp.rx"));
    R.screenshot("dispensary-owed.png");
    R.focus("disp.patient");
    R.key(SWT.ESC);
    Robot.waitFor("dispensary closed", () -> !R.showing("disp.patient"));
  }

  @Test
  @Order(4)
  void aControlledDrugReceivedAndDispensedIsInTheRegisterWithItsBalance() {
    // central is still down: receiving and dispensing a controlled drug need no central either
    // goods receipt at the till (F7) makes the RECEIVED entry
    tillKey(SWT.F7);
    R.typeInto("receive.code", MORPHINE);
    R.key(SWT.CR);
    R.waitForText("receive.product", "product found", s -> !s.isEmpty());
    R.retype("receive.supplier", "Alliance Healthcare");
    R.retype("receive.lot", "M23A");
    R.retype("receive.expiry", "2028-06-30");
    R.retype("receive.quantity", "50");
    R.retype("receive.cost", "1.20");
    R.key(SWT.CR);
    R.waitForText("receive.result", "received", s -> s.startsWith("Received 50"));
    R.key(SWT.ESC);
    Robot.waitFor("receiving closed", () -> !R.showing("receive.code"));

    tillKey(SWT.F2);
    R.typeInto("disp.patient", "doe jane");
    R.key(SWT.CR);
    R.waitForText("disp.patient.card", "patient chosen", s -> s.startsWith("Doe, Jane"));
    R.typeInto("disp.prescriber", "smith");
    R.key(SWT.CR);
    R.waitForText("disp.prescriber.card", "prescriber chosen", s -> s.startsWith("Ann Smith"));
    addItem(MORPHINE, "10", "ONE tablet every twelve hours");
    Robot.waitFor("the morphine item", () -> R.rows("disp.items").size() == 1 && R.rows("disp.items").get(0)[1].equals("CD2"));
    R.keys(SWT.ALT, 'd');

    // who collects: someone else, ID asked and checked
    R.widget("collect.name");
    R.focus("collect.patient");
    R.key(SWT.CR);
    R.typeInto("collect.name", "John Doe");
    R.key(SWT.CR);
    R.type(" ");
    R.key(SWT.CR);
    R.type(" ");
    Robot.waitFor("ID checked ticked", () -> R.ui(() -> ((Button) R.findNow("collect.checked")).getSelection()));
    R.key(SWT.CR);
    R.typeInto("collect.evidence", "driving licence");
    R.screenshot("dispensary-cd-collection.png");
    R.key(SWT.CR);
    String title = R.waitForText("label.title", "dispensed", s -> s.startsWith("Dispensed"));
    assertEquals("Nothing more is owed on these items.", R.text("label.owed"));
    assertTrue(R.text("label.text").contains("10 x " + node().product(MORPHINE).name()), R.text("label.text"));
    R.focus("label.ok");
    R.key(SWT.CR);
    Robot.waitFor("label closed", () -> !R.showing("label.title"));
    R.focus("disp.patient");
    R.key(SWT.ESC);
    Robot.waitFor("dispensary closed", () -> !R.showing("disp.patient"));
    assertTrue(title.contains("RX-"), title);

    tillKey(SWT.F3);
    Robot.waitFor("morphine in the register", () -> R.rows("register.drugs").stream().anyMatch(r -> r[0].equals(node().product(MORPHINE).name())));
    R.typeInto("register.filter", "no such drug");
    Robot.waitFor("the filter leaves no drug", () -> R.rows("register.drugs").isEmpty());
    assertTrue(R.text("register.message").contains("no such drug"), R.text("register.message"));
    String part = node().product(MORPHINE).name().substring(0, 4).toLowerCase(java.util.Locale.ROOT);
    R.retype("register.filter", part);
    Robot.waitFor("the filter finds morphine", () -> !R.rows("register.drugs").isEmpty()
        && R.rows("register.drugs").stream().allMatch(r -> r[0].toLowerCase(java.util.Locale.ROOT).contains(part)));
    selectDrug(node().product(MORPHINE).name());
    Robot.waitFor("two entries", () -> R.rows("register.entries").size() == 2);
    List<String[]> entries = R.rows("register.entries");
    assertEquals(List.of("Received", "50", "", "50"), List.of(entries.get(0)[1], entries.get(0)[2], entries.get(0)[3], entries.get(0)[4]));
    assertTrue(entries.get(0)[5].startsWith("Alliance Healthcare"), entries.get(0)[5]);
    assertEquals(List.of("Supplied", "", "10", "40"), List.of(entries.get(1)[1], entries.get(1)[2], entries.get(1)[3], entries.get(1)[4]));
    assertTrue(entries.get(1)[5].startsWith("Doe, Jane"), entries.get(1)[5]);
    assertEquals("Ann Smith", entries.get(1)[6]);
    assertEquals("John Doe, ID: driving licence", entries.get(1)[7]);
    assertEquals("Waiting", entries.get(1)[9], "made offline");
    assertEquals("alice", entries.get(1)[8]);
    assertTrue(R.text("register.drug").endsWith("balance 40"), R.text("register.drug"));
    R.screenshot("register.png");
  }

  @Test
  @Order(5)
  void aCorrectionIsADatedNoteAndNothingCanEditAnEntry() throws Exception {
    // the supplied entry is chosen (the last one); Alt+N adds a note to it
    R.focus("register.entries");
    Robot.waitFor("the supplied entry chosen", () -> R.ui(() -> ((Table) R.findNow("register.entries")).getSelectionIndex() == 1));
    R.keys(SWT.ALT, 'n');
    String entry = R.waitForText("note.entry", "the entry shown", s -> !s.isEmpty());
    assertTrue(entry.contains("Supplied") && entry.contains("balance 40"), entry);
    R.typeInto("note.text", NOTE);
    R.screenshot("register-note-form.png");
    R.key(SWT.CR);
    Robot.waitFor("three entries", () -> R.rows("register.entries").size() == 3);
    List<String[]> entries = R.rows("register.entries");
    assertEquals("Note", entries.get(2)[1]);
    assertEquals("40", entries.get(2)[4], "a note leaves the balance");
    assertTrue(entries.get(2)[5].contains(NOTE) && entries.get(2)[5].contains("supplied 10"), entries.get(2)[5]);
    assertEquals("Waiting", entries.get(2)[9], "made offline");
    String noteDetail = R.text("register.detail");
    assertTrue(noteDetail.startsWith("Correction note") && noteDetail.contains(NOTE) && noteDetail.contains("by Alice Pharmacist"), noteDetail);
    assertEquals(List.of("Supplied", "10", "40", "John Doe, ID: driving licence"),
        List.of(entries.get(1)[1], entries.get(1)[3], entries.get(1)[4], entries.get(1)[7]), "the corrected entry itself is unchanged");
    R.screenshot("register-note.png");

    // no way to edit: nothing in the register window takes typing but the drug filter (it only narrows the list of
    // drugs), no control offers to change or remove an entry
    List<String> editable = R.ui(() -> {
      List<String> found = new ArrayList<>();
      Shell shell = (Shell) R.findNow("register");
      walk(shell, c -> {
        if (c instanceof Text t && t.getEditable() && !"register.filter".equals(Ids.of(t))) {
          found.add("text field " + Ids.of(t));
        }
        if (c instanceof Button b && b.getText().toLowerCase(Locale.ROOT).matches(".*(edit|delete|remove|change|undo).*")) {
          found.add("button " + b.getText());
        }
        if (c.getParent() instanceof Table) {
          found.add("cell editor " + c);
        }
      });
      return found;
    });
    assertEquals(List.of(), editable);
    List<String> writes = Stream.of(RegisterService.class.getMethods()).map(Method::getName)
        .filter(n -> n.matches("(?i).*(edit|update|delete|remove|change|set|replace).*")).toList();
    assertEquals(List.of(), writes, "the register API has no call that changes an entry");

    // print to PDF
    R.focus("register.entries");
    R.keys(SWT.ALT, 'p');
    String printed = R.waitForText("register.pdf", "printed", s -> s.startsWith("Register PDF for printing: "));
    Path pdf = Path.of(printed.substring("Register PDF for printing: ".length()));
    String text = new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("CONTROLLED DRUGS REGISTER") && text.contains("Correction note") && text.contains("Alliance Healthcare"), pdf.toString());

    // balance check: register and stock agree
    R.keys(SWT.ALT, 'b');
    R.waitForText("balance.summary", "compared", s -> !s.startsWith("Comparing"));
    String[] morphine = R.rows("balance.table").stream().filter(r -> r[0].equals(node().product(MORPHINE).name())).findFirst().orElseThrow();
    assertEquals(List.of("40", "40", "agrees"), List.of(morphine[2], morphine[3], morphine[4]));
    R.screenshot("register-balance.png");
    R.focus("balance.ok");
    R.key(SWT.CR);
    Robot.waitFor("balance check closed", () -> !R.showing("balance.table"));
    R.focus("register.entries");
    R.key(SWT.ESC);
    Robot.waitFor("register closed", () -> !R.showing("register.entries"));

    CENTRAL.start();
    R.waitForText("status.connection", "online again", "Online"::equals);
    Robot.waitFor("the register at central", () -> node().register(token(), MORPHINE).entries().stream().allMatch(RegisterEntry::atCentral));
    PatientInfo jane = node().findPatients(token(), "doe jane", 5).get(0);
    Robot.waitFor("the dispensings at central", () -> node().dispensingHistory(token(), jane.id()).stream().allMatch(DispensingInfo::atCentral));
  }

  @Test
  @Order(6)
  void centralHasEveryDispensingOverrideAndRegisterEntryExactlyOnce() {
    PatientInfo jane = node().findPatients(token(), "doe jane", 5).get(0);
    List<DispensingInfo> history = node().dispensingHistory(token(), jane.id());
    assertEquals(2, history.size());
    List<String> nodeRecords = history.stream().flatMap(d -> d.lines().stream()).map(DispensingInfo.Line::recordId).sorted().toList();
    assertEquals(3, nodeRecords.size(), "warfarin 28, aspirin 28, morphine 10");

    List<String> central = CENTRAL.siteObjects(DispensingRecord.class, r -> r.getId() + " " + r.getQuantity()).stream().sorted().toList();
    assertEquals(3, central.size(), central.toString());
    assertEquals(nodeRecords, central.stream().map(s -> s.split(" ")[0]).toList(), "the same records, once each");
    assertEquals(List.of("10", "28", "28"), central.stream().map(s -> s.split(" ")[1]).sorted().toList());

    List<String> overrides = CENTRAL.siteObjects(WarningOverride.class, o -> o.getReason() + " by " + o.getOverriddenByUserId());
    assertEquals(1, overrides.size(), overrides.toString());
    assertTrue(overrides.get(0).startsWith(OVERRIDE_REASON), overrides.toString());

    DrugRegister register = node().register(token(), MORPHINE);
    List<String> atCentral = CENTRAL.siteObjects(ControlledDrugEntry.class, e -> e.getId()).stream().sorted().toList();
    List<String> onNode = register.entries().stream().map(RegisterEntry::entryId).sorted().toList();
    assertEquals(onNode, atCentral, "every register entry at central, once");
    assertEquals(List.of(RegisterEntryKind.RECEIVED, RegisterEntryKind.SUPPLIED, RegisterEntryKind.CORRECTION_NOTE),
        register.entries().stream().map(RegisterEntry::kind).toList());
    assertEquals(List.of(50, 40, 40), register.entries().stream().map(RegisterEntry::balanceAfter).toList());
  }

  // ---- helpers ----

  private static void login(String user, String password) {
    R.retype("login.user", user);
    R.retype("login.password", password);
    R.key(SWT.CR);
    R.waitForText("till.user", "logged in", s -> !s.equals("Locked") && !s.isEmpty());
    R.focus("till.scan");
  }

  private static void addItem(String barcode, String quantity, String directions) {
    int before = R.rows("disp.items").size();
    R.typeInto("disp.product", barcode);
    R.key(SWT.CR);
    Robot.waitFor("the product chosen", () -> R.ui(() -> R.display().getFocusControl() == R.findNow("disp.quantity")));
    enter("disp.quantity", quantity);
    enter("disp.directions", directions);
    Robot.waitFor("on Generic allowed", () -> R.ui(() -> R.display().getFocusControl() == R.findNow("disp.substitution")));
    R.key(SWT.CR); // on "Generic allowed": adds the item
    Robot.waitFor("item added", () -> R.rows("disp.items").size() == before + 1);
  }

  /** The node's own state, or that it gave none within {@code seconds} (for a failure message). */
  private static String nodeStateWithin(int seconds) {
    try {
      var s = java.util.concurrent.CompletableFuture.supplyAsync(() -> node().state()).get(seconds, java.util.concurrent.TimeUnit.SECONDS);
      return s.connection() + " since " + s.since() + ", last contact " + s.lastContactAt() + ", now " + System.currentTimeMillis();
    } catch (java.util.concurrent.TimeoutException e) {
      return "no answer to state() within " + seconds + " s";
    } catch (Exception e) {
      return "state() failed: " + e;
    }
  }

  /** A key of the till, pressed once the till has the keyboard again (a window just closed may still hold it). */
  private static void tillKey(int key) {
    R.focus("till.scan");
    R.key(key);
  }

  /** Types into the field and presses Enter, which moves on (or saves on a form's last field). */
  private static void enter(String id, String text) {
    R.typeInto(id, text);
    R.key(SWT.CR);
  }

  private static void selectDrug(String name) {
    R.focus("register.drugs");
    Robot.waitFor(name + " chosen", () -> R.ui(() -> {
      Table t = (Table) R.findNow("register.drugs");
      for (int i = 0; i < t.getItemCount(); i++) {
        if (t.getItem(i).getText(0).equals(name)) {
          if (t.getSelectionIndex() != i) {
            t.setSelection(i);
            t.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
          }
          return R.findNow("register.drug") != null && org.apotheca.ui.tests.Robot.textOf(R.findNow("register.drug")).startsWith(name);
        }
      }
      return false;
    }));
  }

  private static void walk(Control c, java.util.function.Consumer<Control> visit) {
    visit.accept(c);
    if (c instanceof Composite comp) {
      for (Control child : comp.getChildren()) {
        walk(child, visit);
      }
    }
  }

  /** Closes any window over the till and goes back to it, for whatever test class comes next. */
  private static void closeAll() {
    R.run(() -> {
      Shell main = PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null
          ? PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell() : null;
      for (Shell s : R.display().getShells()) {
        if (s != main && !s.isDisposed() && s.getData() instanceof org.eclipse.jface.window.Window w) {
          w.close();
        }
      }
    });
  }
}
