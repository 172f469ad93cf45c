package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.apotheca.node.remote.RemoteNodeService;
import org.apotheca.ui.IdleLock;
import org.apotheca.ui.Node;
import org.apotheca.ui.Perspectives;
import org.apotheca.ui.till.Receipts;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pharmacist's day at the real workbench (our application in Tycho's UI harness, under Xvfb): the node runs in
 * the workbench's process from config/site.properties, central runs in this JVM. One ordered story, driven through
 * the keyboard and mouse as a person would, read back from the widgets and from the node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TillUiTest {

  private static final Robot R = new Robot();
  private static final TestCentral CENTRAL = new TestCentral();
  private static final String GS = "\u001D";
  private static String firstReceipt;

  /** One story: after the first failure the rest would only wait out their deadlines. */
  private static boolean broken;

  @org.junit.jupiter.api.BeforeEach
  void storySoFarPassed(org.junit.jupiter.api.TestInfo info) {
    if (info.getTestMethod().orElseThrow().getAnnotation(Order.class).value() >= 99) {
      return; // checks of the node that need only the story's data
    }
    org.junit.jupiter.api.Assumptions.assumeFalse(broken, "an earlier step of the story failed");
  }

  @org.junit.jupiter.api.extension.RegisterExtension
  static final org.junit.jupiter.api.extension.TestWatcher WATCH = new org.junit.jupiter.api.extension.TestWatcher() {
    @Override
    public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
      broken |= context.getRequiredTestMethod().getAnnotation(Order.class).value() < 99;
      try {
        R.failureScreenshot("failed-" + context.getRequiredTestMethod().getName() + ".png");
      } catch (RuntimeException | AssertionError e) {
        // the picture is a help, not the verdict
      }
    }
  };

  @AfterAll
  static void stopCentral() {
    CENTRAL.stop();
  }

  private static NodeService node() {
    return Node.get().service();
  }

  // ---- login ----

  @Test
  @Order(1)
  void theWindowOpensOnTheLoginScreenWhileTheNodeWaitsForCentral() throws Exception {
    Robot.waitFor("the workbench window", () -> PlatformUI.isWorkbenchRunning()
        && R.ui(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null));
    assertEquals("Apotheca", R.ui(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().getText()));
    Robot.waitFor("the login screen", () -> Perspectives.LOGIN.equals(perspective()));
    assertEquals("Apotheca", R.text("login.title"));
    // central is not up yet: the node cannot have its catalogue and staff, and the status line says so
    String status = R.waitForText("status.connection", "names the wait", s -> s.startsWith("Node not ready")
        || s.startsWith("Starting the pharmacy node"));
    assertFalse(status.contains("Exception"), status);
    R.retype("login.user", "alice");
    R.retype("login.password", "alice-demo");
    R.key(SWT.CR);
    String refused = R.waitForText("login.message", "says why", s -> !s.isEmpty());
    assertFalse(refused.contains("Exception") || refused.contains("org.apotheca"), refused);
    assertFalse(R.showing("till.scan"), "no till before a login");

    CENTRAL.start();
    R.waitForText("status.connection", "online", "Online"::equals);
    Robot.waitFor("sample stock at the node", () -> !node().batches(SampleCatalogue.barcode(19)).isEmpty());
    assertTrue(R.text("status.catalogue").startsWith("Catalogue from "), R.text("status.catalogue"));
  }

  @Test
  @Order(2)
  void aWrongPasswordIsRefusedInTheScreenItself() {
    R.retype("login.user", "maria");
    R.retype("login.password", "not-her-password");
    R.key(SWT.CR);
    assertEquals("Wrong user name or password.", R.waitForText("login.message", "refusal", s -> s.startsWith("Wrong")));
    assertEquals("", R.text("login.password"), "the password field is cleared after each attempt");
    assertFalse(R.showing("till.scan"));
  }

  @Test
  @Order(3)
  void theRightPasswordOpensTheTillWithTheNameAndRole() {
    R.retype("login.user", "alice");
    R.retype("login.password", "alice-demo");
    R.screenshot("login.png");
    R.key(SWT.CR);
    assertEquals("Alice Pharmacist (pharmacist) \u00b7 till-1", R.waitForText("till.user", "name", s -> s.startsWith("Alice")));
    assertEquals(Perspectives.TILL, perspective());
    assertTrue(R.ui(() -> R.display().getFocusControl() == R.findNow("till.scan")), "the scan field has the focus");
  }

  // ---- selling ----

  @Test
  @Order(4)
  void aSaleByEan13WithQuantityUndoAndCashChange() throws Exception {
    String ean = SampleCatalogue.barcode(0);
    long price = SampleCatalogue.listPriceMinor(0);
    R.typeInto("till.scan", "3");
    R.type("*"); // the till takes it: the field empties and the quantity waits for the scan
    assertEquals("Next scan: 3 \u00d7", R.waitForText("till.next", "quantity", s -> !s.isEmpty()));
    scan(ean);
    basket("3 of the first product", rows -> rows.size() == 1 && rows.get(0)[2].equals("3"));
    assertEquals("L0A", R.rows("till.basket").get(0)[1], "FEFO: the earlier-expiring lot");
    assertEquals(money(3 * price), R.rows("till.basket").get(0)[5]);

    scan(ean); // the same code again adds one to the line
    basket("4 after a second scan", rows -> rows.size() == 1 && rows.get(0)[2].equals("4"));
    R.keys(SWT.CTRL, 'z');
    basket("undo back to 3", rows -> rows.get(0)[2].equals("3"));
    R.keys(SWT.CTRL, 'y');
    basket("redo to 4", rows -> rows.get(0)[2].equals("4"));
    R.type("-");
    basket("minus one", rows -> rows.get(0)[2].equals("3"));
    scan(SampleCatalogue.barcode(1));
    basket("a second line", rows -> rows.size() == 2);
    R.key(SWT.DEL);
    basket("second line removed", rows -> rows.size() == 1);
    R.keys(SWT.CTRL, 'z');
    basket("second line back", rows -> rows.size() == 2);
    R.type("+");
    basket("two of the second product", rows -> rows.size() == 2 && rows.get(1)[2].equals("2"));
    long total = 3 * price + 2 * SampleCatalogue.listPriceMinor(1);
    assertEquals("Total " + money(total), R.text("till.total"));
    R.screenshot("till-basket.png");

    R.key(SWT.F12);
    assertEquals("To pay " + money(total), R.text("pay.total"));
    long tendered = (total / 1000 + 1) * 1000;
    R.typeInto("pay.tendered", money(tendered));
    assertEquals("Change " + money(tendered - total), R.waitForText("pay.change", "change", s -> s.startsWith("Change")));
    R.screenshot("payment.png");
    R.key(SWT.CR);

    String title = R.waitForText("receipt.title", "sale recorded", s -> s.startsWith("Sale recorded"));
    firstReceipt = receiptNumber(title);
    String receipt = R.text("receipt.text");
    assertTrue(receipt.contains("Lot L0A"), receipt);
    assertTrue(receipt.contains("TOTAL") && receipt.contains(money(total)), receipt);
    assertEquals("Change to give: " + money(tendered - total), R.text("receipt.change"));
    assertEquals("Central has this sale.", R.text("receipt.central"));
    Path pdf = Receipts.folder().resolve("receipt-" + firstReceipt.replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf");
    assertTrue(R.text("receipt.pdf").endsWith(pdf.toString()), R.text("receipt.pdf"));
    assertTrue(new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1).startsWith("%PDF"), "a PDF at " + pdf);
    R.screenshot("receipt.png");
    R.focus("receipt.ok");
    R.key(SWT.CR);
    Robot.waitFor("receipt closed", () -> !R.showing("receipt.title"));
    basket("empty after payment", List::isEmpty);
    assertTrue(node().sales(LocalDate.now()).stream().anyMatch(s -> s.receiptNumber().equals(firstReceipt)),
        "the node's sales list has the sale");
    R.keys(SWT.CTRL, 'z');
    basket("nothing to undo after payment", List::isEmpty);
  }

  @Test
  @Order(5)
  void aGs1DataMatrixTypedWithGroupSeparatorsSellsTheScannedLot() {
    String gtin = "0" + SampleCatalogue.barcode(2);
    // the later lot, not the one FEFO would take; a serial after a group separator, as on a real pack
    scan("]d201" + gtin + "17301231" + "10L2B" + GS + "21SN0001");
    basket("the scanned lot", rows -> rows.size() == 1 && rows.get(0)[1].equals("L2B"));
    R.key(SWT.F12);
    R.focus("pay.tendered");
    R.keys(SWT.ALT, 'a'); // the mnemonic of Card
    R.waitForText("pay.change", "card", s -> s.startsWith("Card"));
    R.focus("pay.ok");
    R.key(SWT.CR);
    R.waitForText("receipt.title", "sale recorded", s -> s.startsWith("Sale recorded"));
    String receipt = R.text("receipt.text");
    assertTrue(receipt.contains("Lot L2B") && !receipt.contains("L2A"), receipt);
    assertTrue(receipt.contains("Card"), receipt);
    R.click("receipt.ok"); // the mouse works too
    Robot.waitFor("receipt closed", () -> !R.showing("receipt.title"));
  }

  @Test
  @Order(6)
  void refusalsAreShownAboveTheBasketAndAddNothing() {
    // product 30 is in the catalogue but this pharmacy never received it
    String notHeld = SampleCatalogue.barcode(30);
    scan(notHeld);
    String refused = tillError("the node's refusal");
    assertFalse(refused.contains("Exception") || refused.contains("org.apotheca"), refused);
    assertEquals(notHeld, R.text("till.scan"), "the scan stays in the field, selected, for a retry");
    basket("nothing added", List::isEmpty);
    R.key(SWT.ESC);
    Robot.waitFor("cleared", () -> R.text("till.scan").isEmpty() && !R.showing("till.message"));

    scan("4006381333932"); // a misread: wrong check digit
    String misread = tillError("scan refusal");
    assertTrue(misread.toLowerCase().contains("check digit") && misread.contains("4006381333932"), misread);
    R.key(SWT.ESC);
    Robot.waitFor("cleared", () -> R.text("till.scan").isEmpty());
    // more than the pharmacy can sell: the node refuses the quote, nothing is added
    R.typeInto("till.scan", "999");
    R.type("*");
    R.waitForText("till.next", "quantity", t -> t.contains("999"));
    scan(SampleCatalogue.barcode(0));
    String tooMany = tillError("not enough stock");
    assertFalse(tooMany.contains("Exception"), tooMany);
    basket("nothing added for 999", List::isEmpty);
    R.key(SWT.ESC);
    Robot.waitFor("cleared", () -> R.text("till.scan").isEmpty() && !R.showing("till.message"));
    // a GS1 scan whose expiry does not match the lot on the shelf
    scan("]d201" + "0" + SampleCatalogue.barcode(2) + "17301130" + "10L2B");
    String mismatch = tillError("lot/expiry mismatch refusal");
    assertTrue(mismatch.contains("L2B"), mismatch);
    basket("still nothing", List::isEmpty);
    R.key(SWT.ESC);
  }

  @Test
  @Order(7)
  void searchAsYouTypeAddsTheChosenProduct() {
    String name = node().product(SampleCatalogue.barcode(3)).name();
    String word = name.split(" ")[0].toLowerCase();
    R.typeInto("till.scan", word);
    Robot.waitFor("matches listed", () -> R.showing("till.search") && R.rows("till.search").stream().anyMatch(r -> r[0].equals(name)));
    List<String[]> rows = R.rows("till.search");
    int at = 0;
    while (!rows.get(at)[0].equals(name)) {
      at++;
    }
    for (int i = 0; i < at; i++) {
      R.key(SWT.ARROW_DOWN);
    }
    int target = at;
    Robot.waitFor("row selected", () -> R.ui(() -> ((Table) R.findNow("till.search")).getSelectionIndex() == target));
    R.key(SWT.CR);
    basket("the chosen product", r -> r.size() == 1 && r.get(0)[0].equals(name));
    assertFalse(R.showing("till.search"), "the list closes after Enter");
    R.key(SWT.F4);
    R.retype("quantity.value", "5");
    R.key(SWT.CR);
    basket("five of it after F4", r -> r.size() == 1 && r.get(0)[2].equals("5"));
    R.focus("till.scan");
    R.key(SWT.DEL);
    basket("taken out again", List::isEmpty);
  }

  @Test
  @Order(8)
  void aRefundPutsTheUnitsBackIntoTheirLot() {
    int before = node().batches(SampleCatalogue.barcode(0)).get(0).quantity();
    R.key(SWT.F9);
    R.typeInto("refund.receipt", firstReceipt);
    R.key(SWT.CR);
    Spinner first = R.widget("refund.qty.0");
    R.focus("refund.qty.0");
    R.key(SWT.ARROW_UP);
    Robot.waitFor("one to refund", () -> R.ui(() -> first.getSelection() == 1));
    R.typeInto("refund.reason", "wrong strength");
    R.screenshot("refund.png");
    R.key(SWT.CR);
    String result = R.waitForText("refund.result", "done", s -> s.startsWith("Refunded"));
    assertEquals("Refunded " + money(SampleCatalogue.listPriceMinor(0)) + " in cash. Back to stock: 1 to lot L0A (exp "
        + node().batches(SampleCatalogue.barcode(0)).get(0).expiry() + ").", result);
    R.screenshot("refund-done.png");
    R.focus("refund.ok");
    R.key(SWT.CR);
    Robot.waitFor("refund closed", () -> !R.showing("refund.result"));
    assertEquals(before + 1, node().batches(SampleCatalogue.barcode(0)).get(0).quantity());
    SaleInfo sale = node().sale(firstReceipt);
    assertEquals(1, sale.lines().get(0).refundedQuantity());
  }

  @Test
  @Order(9)
  void stockShowsTheBatchesColouredByExpiry() {
    R.typeInto("till.scan", SampleCatalogue.barcode(0));
    R.key(SWT.F6);
    Robot.waitFor("batches listed", () -> R.rows("stock.batches").size() == 2);
    List<String[]> rows = R.rows("stock.batches");
    assertEquals("L0A", rows.get(0)[0]);
    assertEquals("L0B", rows.get(1)[0]);
    assertEquals("DAYS_60", R.ui(() -> ((Table) R.findNow("stock.batches")).getItem(0).getData("band")),
        "60 days to go: the 60-day colour");
    R.screenshot("stock.png");
    R.focus("stock.ok");
    R.key(SWT.CR);
    Robot.waitFor("stock closed", () -> !R.showing("stock.batches"));
    R.key(SWT.ESC);
  }

  @Test
  @Order(10)
  void goodsReceiptFillsFromADataMatrixAndRefusesALongLot() {
    String barcode = SampleCatalogue.barcode(7);
    int batches = node().batches(barcode).size();
    R.key(SWT.F7);
    R.typeInto("receive.code", "]d201" + "0" + barcode + "17281130" + "10NEW7" + GS + "21X1");
    R.key(SWT.CR);
    assertEquals("NEW7", R.waitForText("receive.lot", "filled", s -> !s.isEmpty()));
    assertEquals("2028-11-30", R.text("receive.expiry"));
    R.typeInto("receive.supplier", "Phoenix");
    R.typeInto("receive.quantity", "12");
    R.typeInto("receive.cost", "3.50");
    R.retype("receive.lot", "ABCDEFGHIJKLMNOPQRSTU"); // 21 characters
    R.key(SWT.CR);
    String refused = R.waitForText("receive.message", "refusal", s -> s.contains("21 characters"));
    assertFalse(refused.contains("Exception"), refused);
    assertEquals(batches, node().batches(barcode).size(), "a refused lot is never sent");
    R.retype("receive.lot", "NEW7");
    R.screenshot("goods-receipt.png");
    R.key(SWT.CR);
    String done = R.waitForText("receive.result", "received", s -> s.startsWith("Received"));
    assertTrue(done.contains("lot NEW7") && done.contains("2028-11-30") && done.startsWith("Received 12"), done);
    List<BatchInfo> after = node().batches(barcode);
    assertTrue(after.stream().anyMatch(b -> b.lot().equals("NEW7") && b.quantity() == 12 && b.expiry().equals("2028-11-30")),
        after.toString());
    R.key(SWT.ESC);
    Robot.waitFor("receiving closed", () -> !R.showing("receive.code"));
  }

  @Test
  @Order(11)
  void theIdleLockKeepsTheBasketForTheSamePersonOnly() {
    scan(SampleCatalogue.barcode(4));
    basket("one line", r -> r.size() == 1);
    R.key(SWT.F8); // a window left open does not stay over the login screen
    R.widget("sales.table");
    IdleLock.setSeconds(3);
    try {
      assertEquals("Locked after 3 seconds idle. Log in to go on.",
          R.waitForText("login.message", "locked", s -> s.startsWith("Locked")));
    } finally {
      IdleLock.setSeconds(300);
    }
    assertFalse(R.showing("sales.table"), "the open window was closed by the lock");
    assertEquals(Perspectives.LOGIN, perspective());
    assertFalse(R.showing("till.scan"), "the till is hidden while locked");
    login("alice", "alice-demo");
    basket("alice's basket kept", r -> r.size() == 1);
    R.keys(SWT.CTRL, 'l');
    R.waitForText("login.message", "logged out", s -> s.startsWith("Logged out"));
    login("bob", "bob-demo");
    assertEquals("Bob Assistant (assistant) \u00b7 till-1", R.text("till.user"));
    basket("bob starts empty", List::isEmpty);
    R.keys(SWT.CTRL, 'l');
    login("alice", "alice-demo");
  }

  @Test
  @Order(12)
  void salesGoOnThroughACentralOutageAndReachCentralAfterwards() throws Exception {
    R.waitForText("status.pending", "nothing waiting", "All sales at central"::equals);
    int atCentral = CENTRAL.salesCount();
    for (int i = 0; i < 3; i++) {
      sellCash(SampleCatalogue.barcode(5));
    }
    CENTRAL.stop();
    String offline = R.waitForText("status.connection", "offline", s -> s.startsWith("Offline"));
    assertTrue(offline.matches("Offline since \\d\\d:\\d\\d \u2014 sales are kept on this computer"), offline);

    // logging in needs no central
    R.keys(SWT.CTRL, 'l');
    login("alice", "alice-demo");
    sellCash(SampleCatalogue.barcode(5));
    String second = sellSplit(SampleCatalogue.barcode(6));
    assertEquals("2 sales waiting for central", R.waitForText("status.pending", "two waiting", s -> s.startsWith("2 ")));
    R.screenshot("offline.png");
    R.key(SWT.F8);
    Robot.waitFor("today's sales", () -> R.rows("sales.table").stream().anyMatch(r -> r[1].equals(second) && r[6].equals("Waiting")));
    R.screenshot("day-sales.png");
    R.focus("sales.ok");
    R.key(SWT.CR);
    Robot.waitFor("sales closed", () -> !R.showing("sales.table"));

    CENTRAL.start();
    R.waitForText("status.connection", "online again", "Online"::equals);
    R.waitForText("status.pending", "all merged", "All sales at central"::equals);
    assertEquals(atCentral + 5, CENTRAL.salesCount(), "central has the 3 online and the 2 offline sales");

    R.keys(SWT.CTRL, 'r');
    String notes = R.waitForText("resolutions.message", "merge notes loaded", t -> !t.isEmpty());
    assertTrue(notes.startsWith("Nothing to note") || notes.endsWith("from merging offline work."), notes);
    R.focus("resolutions.ok");
    R.key(SWT.CR);
    Robot.waitFor("notes closed", () -> !R.showing("resolutions.table"));
  }

  @Test
  @Order(13)
  void aUserDisabledAtCentralIsRefusedAtTheTill() throws Exception {
    CENTRAL.disableUser("maria");
    // the node hears of it through replication: until then maria could still log in
    Robot.waitFor("the node knows maria is disabled", () -> {
      try {
        node().logout(node().login("till-9", "maria", "maria-demo".toCharArray()).token());
        return false;
      } catch (org.apotheca.node.api.NodeException e) {
        return e.refusal() == org.apotheca.node.api.Refusal.USER_DISABLED;
      }
    });
    R.keys(SWT.CTRL, 'l');
    R.waitForText("login.message", "logged out", t -> t.startsWith("Logged out"));
    R.retype("login.user", "maria");
    R.retype("login.password", "maria-demo");
    R.key(SWT.CR);
    assertEquals("This account is disabled: ask your manager.", R.waitForText("login.message", "refusal", t -> t.startsWith("This account")));
    assertFalse(R.showing("till.scan"));
    login("alice", "alice-demo");
  }

  @Test
  @Order(14)
  void aRecallShowsABannerOnTheTill() {
    String number = CENTRAL.recall(SampleCatalogue.barcode(8), List.of("L8A"), "particulate matter found");
    String name = node().product(SampleCatalogue.barcode(8)).name();
    String banner = R.waitForText("till.recall.text", "banner", s -> s.contains(number));
    assertEquals("RECALL " + number + ": " + name + " lot L8A \u2014 20 units on hand: do not sell", banner);
    R.screenshot("recall.png");
    scan(SampleCatalogue.barcode(8));
    basket("FEFO skips the recalled lot", r -> r.size() == 1 && r.get(0)[1].equals("L8B"));
    R.key(SWT.DEL);
    basket("empty", List::isEmpty);
  }

  @Test
  @Order(15)
  void aSecondTillOnTheLanSellsAgainstTheSameStock() {
    String code = SampleCatalogue.barcode(9);
    // the pharmacy's second till, paired with this workbench's node: the till protocol in TLS, as ./apotheca client --node does
    try (RemoteNodeService lan = new RemoteNodeService("127.0.0.1:" + System.getProperty("apotheca.test.tills.port", "2146"),
        TestCentral.pairedTill("till-2"))) {
      Session bob = lan.login("till-2", "bob", "bob-demo".toCharArray());
      Quote q = lan.quote(bob.token(), LineRequest.of(code, 2));
      SaleInfo sale = lan.sell(bob.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.card(q.lineTotalMinor()))));
      assertEquals("till-2", sale.tillId());
      assertEquals("bob", sale.username());
      assertTrue(sale.atCentral());
    }
    // this till sees the same stock: FEFO took the two from L9A
    R.typeInto("till.scan", code);
    R.key(SWT.F6);
    Robot.waitFor("L9A down by the LAN till's sale", () -> R.rows("stock.batches").stream().anyMatch(r -> r[0].equals("L9A") && r[3].equals("18")));
    R.focus("stock.ok");
    R.key(SWT.CR);
    Robot.waitFor("stock closed", () -> !R.showing("stock.batches"));
    R.key(SWT.ESC);
    R.key(SWT.F8);
    Robot.waitFor("the LAN till's sale in today's sales", () -> R.rows("sales.table").stream().anyMatch(r -> r[1].startsWith("till-2-")));
    R.focus("sales.ok");
    R.key(SWT.CR);
    Robot.waitFor("sales closed", () -> !R.showing("sales.table"));
  }

  @Test
  @Order(16)
  void stockThatHasAllExpiredIsRefusedAtTheTill() {
    String code = SampleCatalogue.barcode(10);
    // the node's clock is adjustable in the test config (clock.adjustable=true): seven years on, every sample lot
    // (the later ones expire 2030-12-31) is past its date
    System.setProperty("apotheca.node.clock.offset.days", String.valueOf(7 * 366));
    try {
      scan(code);
      String expired = tillError("all stock expired");
      assertTrue(expired.contains("expired") && expired.contains("L10"), expired);
      assertFalse(expired.contains("Exception"), expired);
      basket("nothing added", List::isEmpty);
      R.screenshot("expired.png");
    } finally {
      System.clearProperty("apotheca.node.clock.offset.days");
      R.key(SWT.ESC);
    }
    Robot.waitFor("cleared", () -> R.text("till.scan").isEmpty() && !R.showing("till.message"));
  }

  /**
   * Figures for docs/benchmarks.md, printed and not asserted (speed is a benchmark's business): from the scanner's
   * Enter to the basket line painted, and from Enter in the payment window to the receipt painted, as the person at
   * the till sees them, measured with paint events on the real widgets.
   */
  @Test
  @Order(17)
  void timingsOfScanAndPayAsTheTillPaintsThem() {
    java.util.concurrent.atomic.AtomicLong painted = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean paymentShown = new java.util.concurrent.atomic.AtomicBoolean();
    org.eclipse.swt.widgets.Listener onPaint = e -> {
      String id = org.apotheca.ui.Ids.of(e.widget);
      if ("pay.total".equals(id)) {
        paymentShown.set(true);
      }
      if (painted.get() == 0 && ("till.basket".equals(id) && ((Table) e.widget).getItemCount() > 0 || "receipt.title".equals(id))) {
        painted.set(System.nanoTime());
      }
    };
    R.ui(() -> {
      PlatformUI.getWorkbench().getDisplay().addFilter(SWT.Paint, onPaint);
      return null;
    });
    long[] scans = new long[30];
    long[] pays = new long[8];
    try {
      for (int i = 0; i < scans.length; i++) {
        R.typeInto("till.scan", SampleCatalogue.barcode(15 + i % 4));
        painted.set(0);
        long t0 = System.nanoTime();
        R.key(SWT.CR);
        Robot.waitFor("line painted", () -> painted.get() != 0);
        scans[i] = painted.get() - t0;
        basket("one line", r -> r.size() == 1);
        R.key(SWT.DEL);
        basket("empty again", List::isEmpty);
      }
      for (int i = 0; i < pays.length; i++) {
        scan(SampleCatalogue.barcode(15 + i % 4));
        basket("one line", r -> r.size() == 1);
        paymentShown.set(false);
        R.key(SWT.F12);
        R.focus("pay.tendered");
        // the person presses Enter on a payment window they can see: a new window's first paint is not part of it
        Robot.waitFor("payment window painted", paymentShown::get);
        painted.set(0);
        long t0 = System.nanoTime();
        R.key(SWT.CR);
        Robot.waitFor("receipt painted", () -> painted.get() != 0);
        pays[i] = painted.get() - t0;
        R.waitForText("receipt.title", "sale recorded", s -> s.startsWith("Sale recorded"));
        R.focus("receipt.ok");
        R.key(SWT.CR);
        Robot.waitFor("receipt closed", () -> !R.showing("receipt.title"));
        R.focus("till.scan");
      }
    } finally {
      R.ui(() -> {
        PlatformUI.getWorkbench().getDisplay().removeFilter(SWT.Paint, onPaint);
        return null;
      });
    }
    System.out.println("TIMING scan -> basket line painted: " + percentiles(scans));
    System.out.println("TIMING pay (Enter) -> receipt painted, sale durable: " + percentiles(pays));
  }

  private static String percentiles(long[] ns) {
    long[] s = ns.clone();
    java.util.Arrays.sort(s);
    return String.format("n=%d p50=%.1f ms p95=%.1f ms max=%.1f ms", s.length, s[s.length / 2] / 1e6,
        s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.95) - 1)] / 1e6, s[s.length - 1] / 1e6);
  }

  /**
   * Kept apart from the story (a failure here does not stop it): the stock window's Supplier column comes from
   * {@code batches(code)}, which once answered supplier and receivedBy as null although {@code receive} had them.
   */
  @Test
  @Order(99)
  void stockNamesTheSupplierOfAReceivedBatch() {
    List<BatchInfo> batches = node().batches(SampleCatalogue.barcode(7));
    BatchInfo received = batches.stream().filter(b -> b.lot().equals("NEW7")).findFirst().orElseThrow();
    assertEquals("Phoenix", received.supplier(), "supplier of lot NEW7 as batches() reports it");
    assertEquals("alice", received.receivedBy(), "receivedBy of lot NEW7 as batches() reports it");
  }

  // ---- helpers ----

  private static String perspective() {
    return R.ui(() -> {
      var page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
      return page == null || page.getPerspective() == null ? null : page.getPerspective().getId();
    });
  }

  private static void login(String user, String password) {
    R.retype("login.user", user);
    R.retype("login.password", password);
    R.key(SWT.CR);
    R.waitForText("till.user", "logged in", s -> !s.equals("Locked") && !s.isEmpty());
    R.focus("till.scan");
  }

  /** The till's message strip once it shows an error (red), not a note. */
  private static String tillError(String what) {
    return Robot.waitFor(what, () -> R.ui(() -> {
      var w = R.findNow("till.message");
      return w != null && Boolean.TRUE.equals(w.getData("apotheca.error")) ? Robot.textOf(w).strip() : null;
    }));
  }

  private static void scan(String code) {
    R.typeInto("till.scan", code);
    R.key(SWT.CR);
  }

  private static void basket(String what, java.util.function.Predicate<List<String[]>> test) {
    Robot.waitFor("basket: " + what, () -> test.test(R.rows("till.basket")));
  }

  /** Sells one unit for exact cash; returns the receipt number. */
  private static String sellCash(String barcode) {
    R.focus("till.scan");
    basket("empty before", List::isEmpty);
    scan(barcode);
    basket("one line", r -> r.size() == 1);
    R.key(SWT.F12);
    R.focus("pay.tendered");
    R.key(SWT.CR);
    String title = R.waitForText("receipt.title", "sale recorded", s -> s.startsWith("Sale recorded"));
    R.focus("receipt.ok");
    R.key(SWT.CR);
    Robot.waitFor("receipt closed", () -> !R.showing("receipt.title"));
    R.focus("till.scan");
    return receiptNumber(title);
  }

  /** Sells one unit paid 1.00 by card and the rest in cash (a 20 note); returns the receipt number. */
  private static String sellSplit(String barcode) {
    R.focus("till.scan");
    scan(barcode);
    basket("one line", r -> r.size() == 1);
    long total = SampleCatalogue.listPriceMinor(6);
    R.key(SWT.F12);
    R.focus("pay.tendered");
    R.keys(SWT.ALT, 's');
    R.typeInto("pay.cardAmount", "1.00");
    long rest = total - 100;
    long note = (rest / 2000 + 1) * 2000;
    R.typeInto("pay.tendered", money(note));
    assertEquals("Cash part " + money(rest) + " \u00b7 Change " + money(note - rest),
        R.waitForText("pay.change", "split change", t -> t.startsWith("Cash part")));
    R.key(SWT.CR);
    String title = R.waitForText("receipt.title", "sale recorded", t -> t.startsWith("Sale recorded"));
    String receipt = R.text("receipt.text");
    assertTrue(receipt.contains("Card") && receipt.contains("1.00") && receipt.contains("Cash"), receipt);
    assertTrue(R.text("receipt.central").startsWith("Kept on the pharmacy node"), "offline: not at central yet");
    R.focus("receipt.ok");
    R.key(SWT.CR);
    Robot.waitFor("receipt closed", () -> !R.showing("receipt.title"));
    R.focus("till.scan");
    return receiptNumber(title);
  }

  private static String receiptNumber(String title) {
    Matcher m = Pattern.compile("receipt (\\S+)$").matcher(title);
    assertTrue(m.find(), title);
    return m.group(1);
  }

  private static String money(long minor) {
    return org.apotheca.ui.Money.format(minor);
  }
}
