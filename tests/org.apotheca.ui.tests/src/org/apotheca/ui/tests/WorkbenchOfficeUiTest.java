package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.Refusal;
import org.apotheca.ui.Node;
import org.eclipse.swt.SWT;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The back office at the real workbench (same harness as {@link TillUiTest}, after it or alone): stocktake, cash-up
 * and reports opened from the till by their keys, with central stopped for part of the story and exact afterwards.
 * The node lives in the workbench's process for the whole run, so this class starts from whatever the till story
 * left (or from a fresh node) and starts its own central.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchOfficeUiTest {

  private static final Robot R = new Robot();
  private static final TestCentral CENTRAL = new TestCentral();

  private static boolean broken;

  @org.junit.jupiter.api.BeforeEach
  void storySoFarPassed() {
    org.junit.jupiter.api.Assumptions.assumeFalse(broken, "an earlier step of the story failed");
  }

  @org.junit.jupiter.api.extension.RegisterExtension
  static final org.junit.jupiter.api.extension.TestWatcher WATCH = new org.junit.jupiter.api.extension.TestWatcher() {
    @Override
    public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
      broken = true;
      try {
        R.failureScreenshot("failed-office-" + context.getRequiredTestMethod().getName() + ".png");
      } catch (RuntimeException | AssertionError e) {
        // the picture is a help, not the verdict
      }
    }
  };

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
    String user = R.ui(() -> R.findNow("till.user") == null ? null : Robot.textOf(R.findNow("till.user")));
    if (user != null && !user.equals("Locked") && !user.isEmpty()) {
      R.focus("till.scan");
      R.keys(SWT.CTRL, 'l');
      R.waitForText("login.message", "logged out", t -> t.startsWith("Logged out"));
    }
    login("maria", "maria-demo");
  }

  @AfterAll
  static void stopCentral() {
    CENTRAL.stop();
  }

  private static NodeService node() {
    return Node.get().service();
  }

  @Test
  @Order(1)
  void theOfficeKeysAreInTheTillsLegendAndOpenTheirWindows() {
    String legend = R.text("till.keys");
    assertTrue(legend.contains("F5 stocktake") && legend.contains("F10 cash-up") && legend.contains("F11 reports"), legend);
    R.key(SWT.F11);
    R.widget("reports.sales");
    R.screenshot("reports.png");
    R.key(SWT.ESC);
    Robot.waitFor("reports closed", () -> !R.showing("reports.sales"));
    R.focus("till.scan");
    R.key(SWT.F10);
    R.widget("cashup.heading");
    R.key(SWT.ESC);
    Robot.waitFor("cash-up closed", () -> !R.showing("cashup.heading"));
    R.focus("till.scan");
    R.key(SWT.F5);
    R.widget("stocktake.heading");
    R.key(SWT.ESC);
    Robot.waitFor("stock closed", () -> !R.showing("stocktake.heading"));
    assertEquals(Refusal.NOT_FOUND, Refusal.NOT_FOUND);
  }

  // ---- helpers ----

  static void login(String user, String password) {
    R.retype("login.user", user);
    R.retype("login.password", password);
    R.key(SWT.CR);
    R.waitForText("till.user", "logged in", s -> !s.equals("Locked") && !s.isEmpty());
    R.focus("till.scan");
  }
}
