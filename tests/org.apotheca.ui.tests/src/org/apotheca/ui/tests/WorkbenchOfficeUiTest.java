package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.CashUpFigures;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.ReportService;
import org.apotheca.node.api.StocktakeInfo;
import org.apotheca.node.api.StocktakeLineInfo;
import org.apotheca.ui.Money;
import org.apotheca.ui.Node;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.ISeries;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The back office at the real workbench (the same harness as {@link TillUiTest}, after it or alone): stocktake with
 * a sale during the count, supplier return, cash-up with a difference, the charts, the expiry write-off, all opened
 * from the till by their keys, with central stopped for part of the story and exact afterwards. The node lives in the
 * workbench's process for the whole run, so this class starts from whatever the till story left (or from a fresh
 * node) and starts central itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchOfficeUiTest {

  private static final Robot R = new Robot();
  private static final TestCentral CENTRAL = new TestCentral();
  private static final String GS = "\u001D";
  private static final DateTimeFormatter GS1_DATE = DateTimeFormatter.ofPattern("yyMMdd");
  /** Products no step of the till's story touches. */
  private static final int COUNTED = 11;
  private static final int DAMAGED = 12;
  private static final int RETURNED = 13;

  private static String stocktakeId;

  @org.junit.jupiter.api.extension.RegisterExtension
  static final Story STORY = new Story(R, "failed-office-");

  @BeforeAll
  static void centralAndAManager() throws Exception {
    Robot.waitFor("the workbench window", () -> PlatformUI.isWorkbenchRunning()
        && R.ui(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null));
    CENTRAL.start();
    R.waitForText("status.connection", "online", "Online"::equals);
    Robot.waitFor("sample stock at the node", () -> !node().batches(SampleCatalogue.barcode(19)).isEmpty());
    // the till story disables maria; this story needs its manager back, and a cashier
    CENTRAL.console("user", "enable", "maria", "--by", "qa");
    if (!CENTRAL.console("user", "list", "--site", TestCentral.SITE).contains("name=carol ")) {
      CENTRAL.console("user", "add", "carol", "--site", TestCentral.SITE, "--role", "cashier", "--password", "carol-demo",
          "--name", "Carol Cashier", "--by", "qa");
    }
    for (String[] who : new String[][] { { "maria", "maria-demo" }, { "carol", "carol-demo" } }) {
      Robot.waitFor("the node lets " + who[0] + " log in", () -> {
        try {
          node().logout(node().login("till-9", who[0], who[1].toCharArray()).token());
          return true;
        } catch (NodeException e) {
          return false;
        }
      });
    }
    lock();
  }

  @AfterAll
  static void stopCentral() {
    System.clearProperty("apotheca.node.clock.offset.days");
    CENTRAL.stop();
  }

  private static NodeService node() {
    return Node.get().service();
  }

  // ---- roles ----

  @Test
  @Order(1)
  void aCashierCountsButTheRestIsDisabledWithASentence() {
    login("carol", "carol-demo");
    String legend = R.text("till.keys");
    assertTrue(legend.contains("F5 stocktake, expiry, returns") && legend.contains("F10 cash-up")
        && legend.contains("F11 reports"), legend);
    R.key(SWT.F5);
    assertEquals("Only a pharmacist or manager may start or finish a stocktake.",
        R.waitForText("stocktake.role", "the role sentence", t -> !t.isEmpty()));
    Button start = R.widget("stocktake.start");
    assertFalse(R.ui(start::isEnabled), "a cashier cannot start one");
    R.key(SWT.ESC);
    Robot.waitFor("stocktake closed", () -> !R.showing("stocktake.summary"));
    R.focus("till.scan");
    R.key(SWT.F10);
    assertEquals("Only a pharmacist or manager may close a cash-up. You can record the float and count.",
        R.waitForText("cashup.role", "the role sentence", t -> !t.isEmpty()));
    Button close = R.widget("cashup.ok");
    assertFalse(R.ui(close::isEnabled), "a cashier cannot close the cash-up");
    R.key(SWT.ESC);
    Robot.waitFor("cash-up closed", () -> !R.showing("cashup.state"));
    R.focus("till.scan");
    R.key(SWT.F11);
    assertEquals("Only a pharmacist or manager may see the reports.",
        R.waitForText("reports.message", "the role sentence", t -> !t.isEmpty()));
    R.key(SWT.ESC);
    Robot.waitFor("reports closed", () -> !R.showing("reports.totals"));
    lock();
    login("maria", "maria-demo");
  }

  // ---- stocktake ----

  @Test
  @Order(2)
  void aStocktakeWithSalesDuringTheCountComesOutWithoutAFalseLoss() throws Exception {
    String counted = SampleCatalogue.barcode(COUNTED);
    String damaged = SampleCatalogue.barcode(DAMAGED);
    int a = quantity(counted, "L" + COUNTED + "A");
    int b = quantity(counted, "L" + COUNTED + "B");
    int d = quantity(damaged, "L" + DAMAGED + "A");
    int db = quantity(damaged, "L" + DAMAGED + "B");

    R.key(SWT.F5);
    R.waitForText("stocktake.summary", "nothing in progress", t -> t.startsWith("No stocktake in progress"));
    R.retype("stocktake.description", "Shelf A");
    R.retype("stocktake.products", counted + " " + damaged);
    R.screenshot("stocktake-start.png");
    R.key(SWT.CR);
    R.waitForText("stocktake.summary", "started", t -> t.startsWith("\u201cShelf A\u201d started"));
    Robot.waitFor("the four batches listed", () -> R.rows("stocktake.lines").size() == 4);
    stocktakeId = node().stocktakes().stream().filter(s -> s.status() == StocktakeInfo.Status.IN_PROGRESS)
        .findFirst().orElseThrow().stocktakeId();

    // the later lot, counted first by its DataMatrix: all there
    R.typeInto("stocktake.scan", dataMatrix(COUNTED, "L" + COUNTED + "B"));
    R.key(SWT.CR);
    R.typeInto("stocktake.counted", String.valueOf(b));
    R.key(SWT.CR);
    R.waitForText("stocktake.message", "counted", t -> t.startsWith("Counted " + b));
    R.key(SWT.ESC);
    Robot.waitFor("stocktake closed", () -> !R.showing("stocktake.summary"));

    // the shop trades meanwhile: two from the earlier lot (FEFO) before it is counted, one from the counted lot after
    R.focus("till.scan");
    sell("2", counted);
    sell("1", dataMatrix(COUNTED, "L" + COUNTED + "B"));
    // and the rest of the count happens while central cannot be reached
    CENTRAL.stop();
    R.waitForText("status.connection", "offline", t -> t.startsWith("Offline"));

    R.key(SWT.F5);
    Robot.waitFor("the sale shows as moved since the start", () -> row("L" + COUNTED + "A")[4].equals("\u22122"));
    // a plain barcode: the uncounted lot of the product is chosen
    R.typeInto("stocktake.scan", counted);
    R.key(SWT.CR);
    R.waitForText("stocktake.chosen", "the earlier lot", t -> t.contains("lot L" + COUNTED + "A"));
    R.typeInto("stocktake.counted", String.valueOf(a - 2));
    R.key(SWT.CR);
    assertEquals("Counted " + (a - 2) + " of " + node().product(counted).name() + " lot L" + COUNTED
        + "A: as the books say (\u22122 moved since the start).",
        R.waitForText("stocktake.message", "counted", t -> t.startsWith("Counted " + (a - 2))));
    // three damaged packs thrown away without telling the books
    R.typeInto("stocktake.scan", dataMatrix(DAMAGED, "L" + DAMAGED + "A"));
    R.key(SWT.CR);
    R.typeInto("stocktake.counted", String.valueOf(d - 3));
    R.key(SWT.CR);
    R.waitForText("stocktake.message", "a difference", t -> t.contains("\u22123 against the books"));
    Robot.waitFor("three counted", () -> R.text("stocktake.summary").contains("3 of 4 batches counted, 1 difference"));
    String[] l11a = row("L" + COUNTED + "A");
    assertArrayEquals(new String[] { String.valueOf(a), "\u22122", String.valueOf(a - 2), String.valueOf(a - 2), "0" },
        new String[] { l11a[3], l11a[4], l11a[5], l11a[6], l11a[7] }, "no loss for the packs sold during the count");
    assertEquals("0", row("L" + COUNTED + "B")[7], "the pack sold after its count is no loss either");
    assertEquals("\u22123", row("L" + DAMAGED + "A")[7]);

    // finishing without a reason is refused in the window, with the line to fix
    R.keys(SWT.ALT, 'f');
    String refused = R.waitForText("stocktake.message", "reason needed", t -> t.startsWith("Give a reason"));
    assertTrue(refused.contains("lot L" + DAMAGED + "A"), refused);
    Robot.waitFor("the reason field has the focus", () -> R.ui(() -> R.display().getFocusControl() == R.findNow("stocktake.reason")));
    R.key(SWT.ARROW_DOWN);
    R.key(SWT.ARROW_DOWN);
    Robot.waitFor("damaged chosen", () -> R.ui(() -> ((Combo) R.findNow("stocktake.reason")).getText()).equals("Damaged"));
    R.typeInto("stocktake.note", "crushed box, thrown away");
    R.key(SWT.CR);
    R.waitForText("stocktake.message", "all reasons given", t -> t.startsWith("Every difference has its reason"));
    R.screenshot("stocktake-count.png");
    R.keys(SWT.ALT, 'f');
    String done = R.waitForText("stocktake.summary", "finished", t -> t.contains("finished"));
    assertTrue(done.contains("by maria") && done.contains("3 of 4 batches counted, 1 difference (\u22123 units"), done);
    R.screenshot("stocktake-finished.png");
    R.key(SWT.ESC);
    Robot.waitFor("stocktake closed", () -> !R.showing("stocktake.summary"));

    // the books: the lot counted during trading is what is left, the later lot its count less the pack sold after it
    assertEquals(a - 2, quantity(counted, "L" + COUNTED + "A"));
    assertEquals(b - 1, quantity(counted, "L" + COUNTED + "B"));
    assertEquals(d - 3, quantity(damaged, "L" + DAMAGED + "A"));
    assertEquals(db, quantity(damaged, "L" + DAMAGED + "B"), "a batch not counted is left as it is");
    StocktakeInfo finished = node().stocktake(stocktakeId);
    assertEquals(StocktakeInfo.Status.FINISHED, finished.status());
    assertFalse(finished.atCentral(), "finished while central was down");
    for (StocktakeLineInfo line : finished.lines()) {
      assertEquals(line.lot().equals("L" + DAMAGED + "A") ? -3 : 0, line.difference(), line.lot());
    }

    CENTRAL.start();
    R.waitForText("status.connection", "online again", "Online"::equals);
    R.waitForText("status.pending", "all merged", "All sales at central"::equals);
    Robot.waitFor("central has the stocktake", () -> node().stocktake(stocktakeId).atCentral());
    assertEquals(a - 2, CENTRAL.batchQuantity(counted, "L" + COUNTED + "A"), "central: no false loss");
    assertEquals(b - 1, CENTRAL.batchQuantity(counted, "L" + COUNTED + "B"));
    assertEquals(d - 3, CENTRAL.batchQuantity(damaged, "L" + DAMAGED + "A"));
  }

  // ---- supplier return ----

  @Test
  @Order(3)
  void aSupplierReturnFromTheStockWindow() {
    String code = SampleCatalogue.barcode(RETURNED);
    int before = quantity(code, "L" + RETURNED + "B");
    R.key(SWT.F5);
    R.widget("stocktake.summary");
    R.keys(SWT.ALT, 't');
    R.typeInto("return.code", dataMatrix(RETURNED, "L" + RETURNED + "B"));
    R.key(SWT.CR);
    Robot.waitFor("the lot chosen", () -> R.ui(() -> {
      var t = (org.eclipse.swt.widgets.Table) R.findNow("return.batches");
      return t.getSelectionIndex() >= 0 && t.getItem(t.getSelectionIndex()).getText(1).equals("L" + RETURNED + "B");
    }));
    R.typeInto("return.quantity", "2");
    R.key(SWT.CR);
    R.typeInto("return.supplier", "Phoenix");
    R.key(SWT.CR);
    R.typeInto("return.reason", "damaged in transit");
    R.screenshot("supplier-return.png");
    R.key(SWT.CR);
    String result = R.waitForText("return.result", "returned", t -> t.startsWith("Returned"));
    assertTrue(result.startsWith("Returned 2 \u00d7 ") && result.contains("lot L" + RETURNED + "B to Phoenix"), result);
    assertEquals(before - 2, quantity(code, "L" + RETURNED + "B"));
    R.key(SWT.ESC);
    Robot.waitFor("return closed", () -> !R.showing("return.code"));
    R.focus("stocktake.close"); // back in the stocktake window once the return's window has gone
    R.key(SWT.ESC);
    Robot.waitFor("stocktake closed", () -> !R.showing("stocktake.summary"));
  }

  // ---- cash-up ----

  @Test
  @Order(4)
  void aCashUpWithADifferenceNeedsANoteAndReachesCentral() throws Exception {
    R.focus("till.scan");
    sell("1", SampleCatalogue.barcode(14)); // a cash sale of this session, so the drawer has something today
    R.key(SWT.F10);
    R.waitForText("cashup.state", "open", t -> t.contains(": open."));
    R.retype("cashup.float", "150.00");
    R.key(SWT.CR);
    R.waitForText("cashup.message", "float recorded", t -> t.startsWith("Opening float of 150.00 recorded"));
    String token = node().login("till-9", "maria", "maria-demo".toCharArray()).token();
    CashUpFigures figures = node().cashUpFigures(token, Node.get().tillId(), null);
    node().logout(token);
    assertEquals(Money.format(figures.expectedCashMinor()), R.text("cashup.expected"));
    assertEquals(Money.format(figures.cardTotalMinor()), R.text("cashup.cardTotal"));

    // the drawer is 1.20 short: count it note by note, coin by coin, Enter moving on
    long drawer = figures.expectedCashMinor() - 120;
    long[] faces = { 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1 };
    long left = drawer;
    for (long face : faces) {
      long n = left / face;
      left -= n * face;
      if (n > 0) {
        R.typeInto("cashup.count." + face, String.valueOf(n));
      } else {
        R.focus("cashup.count." + face);
      }
      R.key(SWT.CR);
    }
    assertEquals("Counted " + Money.format(drawer), R.waitForText("cashup.counted", "live total", t -> t.equals("Counted " + Money.format(drawer))));
    assertEquals("Short 1.20", R.text("cashup.difference"));
    Robot.waitFor("the note field has the focus", () -> R.ui(() -> R.display().getFocusControl() == R.findNow("cashup.note")));
    R.key(SWT.CR);
    assertEquals("The drawer is short by 1.20: write a note saying what happened before closing.",
        R.waitForText("cashup.message", "note required", t -> t.startsWith("The drawer")));
    R.typeInto("cashup.note", "1.20 too much change given");
    R.screenshot("cashup.png");

    CENTRAL.stop(); // closed while central cannot be reached
    R.waitForText("status.connection", "offline", t -> t.startsWith("Offline"));
    R.focus("cashup.note");
    R.key(SWT.CR);
    String closed = R.waitForText("cashup.state", "closed", t -> t.contains("is cashed up"));
    assertTrue(closed.contains("by maria") && closed.endsWith("Central gets it when it can be reached."), closed);
    assertEquals("Short 1.20", R.text("cashup.difference"));
    R.screenshot("cashup-closed.png");
    R.key(SWT.ESC);
    Robot.waitFor("cash-up closed", () -> !R.showing("cashup.state"));

    CENTRAL.start();
    R.waitForText("status.connection", "online again", "Online"::equals);
    R.waitForText("status.pending", "all merged", "All sales at central"::equals);
    Robot.waitFor("central has the cash-up", () -> CENTRAL.cashUps().stream()
        .anyMatch(c -> c.startsWith(Node.get().tillId() + " -120 1.20 too much change given ")));
  }

  // ---- reports ----

  @Test
  @Order(5)
  void theChartsShowTheNodesFiguresAndCentralHasTheSame() throws Exception {
    R.focus("till.scan");
    R.key(SWT.F11);
    R.waitForText("reports.message", "loaded", t -> t.startsWith("Figures of"));
    LocalDate today = LocalDate.now();
    String token = node().login("till-9", "maria", "maria-demo".toCharArray()).token();
    List<ReportService.DaySales> days = node().salesByDay(token, today.minusDays(6), today);
    ReportService.StockValue stock = node().stockValue(token);
    node().logout(token);
    assertEquals(7, series("reports.sales").length, "a bar per day, days without trade included");
    assertArrayEquals(days.stream().mapToDouble(x -> x.revenueMinor() / 100.0).toArray(), series("reports.sales"), 1e-9);
    assertArrayEquals(days.stream().mapToDouble(x -> x.marginMinor() / 100.0).toArray(), series("reports.margin"), 1e-9);
    assertTrue(series("reports.sales")[6] > 0, "today's sales");
    double stockShown = 0;
    for (double v : series("reports.stock")) {
      stockShown += v;
    }
    assertEquals(stock.products().stream().limit(6).mapToLong(ReportService.ProductStock::costMinor).sum() / 100.0, stockShown, 1e-9);
    String totals = R.text("reports.totals");
    long revenue = days.stream().mapToLong(ReportService.DaySales::revenueMinor).sum();
    assertTrue(totals.contains("Revenue " + Money.format(revenue)), totals);
    R.screenshot("reports.png");
    R.key(SWT.ESC);
    Robot.waitFor("reports closed", () -> !R.showing("reports.totals"));

    // central computes the same figures from what the node sent it
    String atCentral = CENTRAL.console("report", "sales", TestCentral.SITE, "--from", today.minusDays(6).toString(), "--to", today.toString());
    Matcher m = Pattern.compile("\\ntotal .* revenue=(-?\\d+) ").matcher(atCentral);
    assertTrue(m.find(), atCentral);
    assertEquals(revenue, Long.parseLong(m.group(1)), atCentral);
    String stockAtCentral = CENTRAL.console("report", "stock", TestCentral.SITE);
    assertTrue(stockAtCentral.startsWith("report stock site=" + TestCentral.SITE) && stockAtCentral.contains(" units=" + stock.units()
        + " cost=" + stock.costMinor() + " "), stockAtCentral + " / node: " + stock);
  }

  // ---- expiry ----

  @Test
  @Order(6)
  void theExpiryReportWritesOffExpiredStock() {
    String code = SampleCatalogue.barcode(DAMAGED);
    // the node's clock is adjustable in the test config: 95 days on, every earlier sample lot (60-89 days) has expired
    System.setProperty("apotheca.node.clock.offset.days", "95");
    try {
      R.focus("till.scan");
      R.key(SWT.F5);
      R.widget("stocktake.summary");
      R.keys(SWT.ALT, 'x');
      R.waitForText("expiry.message", "loaded", t -> t.contains("expired: Alt+W"));
      List<String[]> rows = R.rows("expiry.batches");
      assertTrue(rows.stream().anyMatch(r -> r[1].equals("L" + DAMAGED + "A") && r[3].equals("expired")), "L12A listed expired");
      assertTrue(R.text("expiry.bands").startsWith("Expired: "), R.text("expiry.bands"));
      R.screenshot("expiry.png");
      R.keys(SWT.ALT, 'w');
      Robot.waitFor("the confirmation", () -> R.ui(() -> R.display().getActiveShell() != null
          && "Write off expired stock".equals(R.display().getActiveShell().getText())));
      R.key(SWT.CR);
      String result = R.waitForText("expiry.result", "written off", t -> t.startsWith("Written off"));
      assertTrue(result.contains("by maria"), result);
      Robot.waitFor("nothing expired left", () -> R.text("expiry.message").contains("none has expired")
          || R.text("expiry.message").startsWith("Nothing expires"));
      assertTrue(node().batches(code).stream().noneMatch(x -> x.lot().equals("L" + DAMAGED + "A")), "L12A written off");
      R.focus("expiry.close"); // the confirmation's window has gone: the report's has the keyboard again
      R.key(SWT.ESC);
      Robot.waitFor("expiry closed", () -> !R.showing("expiry.batches"));
      R.focus("stocktake.close");
      R.key(SWT.ESC);
      Robot.waitFor("stocktake closed", () -> !R.showing("stocktake.summary"));
    } finally {
      System.clearProperty("apotheca.node.clock.offset.days");
    }
  }

  // ---- helpers ----

  private static void lock() {
    String user = R.ui(() -> R.findNow("till.user") == null ? null : Robot.textOf(R.findNow("till.user")));
    if (user != null && !user.equals("Locked") && !user.isEmpty()) {
      R.focus("till.scan");
      R.keys(SWT.CTRL, 'l');
      R.waitForText("login.message", "logged out", t -> t.startsWith("Logged out"));
    }
  }

  private static void login(String user, String password) {
    Robot.waitFor("the login screen", () -> R.showing("login.user"));
    R.retype("login.user", user);
    R.retype("login.password", password);
    R.key(SWT.CR);
    R.waitForText("till.user", "logged in", s -> s.startsWith(user.equals("maria") ? "Maria" : "Carol"));
    R.focus("till.scan");
  }

  /** A GS1 DataMatrix of one sample lot, with its real expiry, as a scanner sends it. */
  private static String dataMatrix(int product, String lot) {
    String code = SampleCatalogue.barcode(product);
    BatchInfo batch = node().batches(code).stream().filter(x -> x.lot().equals(lot)).findFirst().orElseThrow();
    return "]d201" + "0" + code + "17" + GS1_DATE.format(LocalDate.parse(batch.expiry())) + "10" + lot + GS + "21S" + product;
  }

  private static int quantity(String code, String lot) {
    return node().batches(code).stream().filter(x -> x.lot().equals(lot)).mapToInt(BatchInfo::quantity).sum();
  }

  /** The stocktake table's row of a lot. */
  private static String[] row(String lot) {
    return R.rows("stocktake.lines").stream().filter(r -> r[1].equals(lot)).findFirst().orElseThrow();
  }

  /** Sells {@code quantity} of a scan for exact cash at the till. */
  private static void sell(String quantity, String scan) {
    R.focus("till.scan");
    if (!quantity.equals("1")) {
      R.typeInto("till.scan", quantity);
      R.type("*");
      R.waitForText("till.next", "quantity", t -> t.contains(quantity));
    }
    R.typeInto("till.scan", scan);
    R.key(SWT.CR);
    Robot.waitFor("one line", () -> R.rows("till.basket").size() == 1);
    R.key(SWT.F12);
    R.focus("pay.tendered");
    R.key(SWT.CR);
    R.waitForText("receipt.title", "sale recorded", s -> s.startsWith("Sale recorded"));
    R.focus("receipt.ok");
    R.key(SWT.CR);
    Robot.waitFor("receipt closed", () -> !R.showing("receipt.title"));
    R.focus("till.scan");
  }

  /** What a chart draws: the sum of its series per bar. */
  private static double[] series(String id) {
    Chart chart = R.widget(id);
    return R.ui(() -> {
      double[] sum = null;
      for (ISeries<?> s : chart.getSeriesSet().getSeries()) {
        double[] ys = s.getYSeries();
        if (sum == null) {
          sum = new double[ys.length];
        }
        for (int i = 0; i < ys.length; i++) {
          sum[i] += ys[i];
        }
      }
      return sum == null ? new double[0] : sum;
    });
  }
}
