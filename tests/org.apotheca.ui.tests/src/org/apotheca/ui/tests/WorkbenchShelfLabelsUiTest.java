package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.sync.VersionReport;
import org.apotheca.ui.Money;
import org.apotheca.ui.Node;
import org.apotheca.ui.labels.ShelfLabelPrintouts;
import org.eclipse.swt.SWT;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.FrameworkUtil;

/**
 * The optional shelf labels plugin at the real workbench, present in this test runtime as an admin would install it:
 * Shift+F5 at the till, a scan twice, a search, one more label, a bad scan refused, print: the PDF and the ZPL for the
 * label printer. Needs only the node (the catalogue works offline): after the other stories central is stopped;
 * alone, the node has never met central and this class starts it for the first sync.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchShelfLabelsUiTest {

  private static final Robot R = new Robot();
  private static final TestCentral CENTRAL = new TestCentral();
  /** Sample products no other story touches. */
  private static final String SCANNED = SampleCatalogue.barcode(25);
  private static final String SEARCHED = SampleCatalogue.barcode(26);

  private static boolean centralStarted;

  @org.junit.jupiter.api.extension.RegisterExtension
  static final Story STORY = new Story(R, "failed-labels-");

  @BeforeAll
  static void aNodeWithItsCatalogue() {
    Robot.waitFor("the workbench window", () -> PlatformUI.isWorkbenchRunning()
        && R.ui(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null));
    if (!knows(SEARCHED)) {
      CENTRAL.start();
      centralStarted = true;
      Robot.waitFor("the catalogue at the node", () -> knows(SEARCHED));
    }
    Robot.waitFor("the node lets alice log in", () -> {
      try {
        node().logout(node().login("till-9", "alice", "alice-demo".toCharArray()).token());
        return true;
      } catch (NodeException e) {
        return false;
      }
    });
  }

  @AfterAll
  static void stopCentral() {
    if (centralStarted) {
      CENTRAL.stop();
    }
  }

  private static boolean knows(String barcode) {
    try {
      return node().product(barcode) != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static NodeService node() {
    return Node.get().service();
  }

  @Test
  @Order(1)
  void theTillListsShiftF5AndOpensTheShelfLabels() {
    if (R.ui(() -> Node.get().session() != null)) {
      R.focus("till.scan");
      R.keys(SWT.CTRL, 'l');
    }
    Robot.waitFor("the login screen", () -> R.showing("login.user"));
    R.retype("login.user", "alice");
    R.retype("login.password", "alice-demo");
    R.key(SWT.CR);
    R.waitForText("till.user", "logged in", s -> s.startsWith("Alice"));
    String legend = R.text("till.keys");
    assertTrue(legend.endsWith(" \u00b7 Shift+F5 shelf labels"), "after the F-keys of the other windows: " + legend);
    R.focus("till.scan");
    R.keys(SWT.SHIFT, SWT.F5);
    assertEquals("Shelf labels", R.waitForText("labels.heading", "open", s -> !s.isEmpty()));
    assertEquals("No labels yet", R.text("labels.summary"));
    assertTrue(R.text("labels.message").contains("label printer"), R.text("labels.message"));
  }

  @Test
  @Order(2)
  void scansAndASearchMakeTheList() {
    ProductInfo scanned = node().product(SCANNED);
    R.typeInto("labels.scan", SCANNED);
    R.key(SWT.CR);
    Robot.waitFor("one line", () -> R.rows("labels.chosen").size() == 1);
    assertEquals(List.of(scanned.name(), scanned.pack(), Money.format(scanned.priceMinor()), SCANNED, "1"),
        List.of(R.rows("labels.chosen").get(0)));
    R.typeInto("labels.scan", SCANNED);
    R.key(SWT.CR);
    Robot.waitFor("a second label of it", () -> R.rows("labels.chosen").get(0)[4].equals("2"));

    String word = node().product(SEARCHED).name().split(" ")[0];
    R.typeInto("labels.scan", word);
    Robot.waitFor("the matches", () -> R.showing("labels.found") && !R.rows("labels.found").isEmpty());
    String first = R.rows("labels.found").get(0)[0];
    assertTrue(first.startsWith(word), first);
    R.key(SWT.CR);
    Robot.waitFor("a second line", () -> R.rows("labels.chosen").size() == 2);
    assertEquals(first, R.rows("labels.chosen").get(1)[0]);
    assertEquals("", R.text("labels.scan"), "the field is empty for the next scan");
    R.type("+");
    Robot.waitFor("two of the searched one", () -> R.rows("labels.chosen").get(1)[4].equals("2"));
    R.type("-");
    Robot.waitFor("one again", () -> R.rows("labels.chosen").get(1)[4].equals("1"));
    assertEquals("3 labels for 2 products", R.text("labels.summary"));

    R.typeInto("labels.scan", "4006381333932"); // a misread: wrong check digit
    R.key(SWT.CR);
    String refused = R.waitForText("labels.message", "the refusal", s -> s.toLowerCase().contains("check digit"));
    assertTrue(R.ui(() -> Boolean.TRUE.equals(R.<org.eclipse.swt.widgets.Label>widget("labels.message").getData("apotheca.error"))), refused);
    assertEquals(2, R.rows("labels.chosen").size(), "nothing added by a bad scan");
    R.retype("labels.scan", "4006381333931"); // a real EAN, not in this catalogue
    R.key(SWT.CR);
    String unknown = R.waitForText("labels.message", "the node's refusal", s -> s.contains("4006381333931"));
    assertEquals("4006381333931", R.text("labels.scan"), "the scan is back in the field: " + unknown);
    assertEquals(2, R.rows("labels.chosen").size());
    R.retype("labels.scan", "");
    R.screenshot("shelf-labels.png");
  }

  @Test
  @Order(3)
  void printingWritesThePdfAndTheZplAndEmptiesTheList() throws Exception {
    ProductInfo scanned = node().product(SCANNED);
    R.focus("labels.scan");
    R.keys(SWT.ALT, 'p');
    String done = R.waitForText("labels.message", "printed", s -> s.startsWith("Printed"));
    assertTrue(done.startsWith("Printed 3 labels as " + Path.of(System.getProperty(ShelfLabelPrintouts.PROPERTY)))
        && done.contains(", and for the label printer as " + Path.of(System.getProperty(ShelfLabelPrintouts.ZPL_PROPERTY))), done);
    assertEquals("No labels yet", R.text("labels.summary"));
    R.screenshot("shelf-labels-printed.png");

    Path pdf = newest(Path.of(System.getProperty(ShelfLabelPrintouts.PROPERTY)), ".pdf");
    String text = Files.readString(pdf, StandardCharsets.ISO_8859_1);
    assertEquals(3, text.split("/Type /Page /Parent", -1).length - 1, "a page per label");
    assertTrue(text.contains("(EAN " + SCANNED + ") Tj") && text.contains("(PRICE " + Money.format(scanned.priceMinor())), text);
    String zpl = Files.readString(newest(Path.of(System.getProperty(ShelfLabelPrintouts.ZPL_PROPERTY)), ".zpl"));
    assertEquals(2, zpl.split("\\^XA", -1).length - 1, zpl);
    assertTrue(zpl.contains("^BEN,50,Y,N^FD" + SCANNED.substring(0, 12) + "^FS\n^PQ2\n"), zpl);

    R.key(SWT.ESC);
    Robot.waitFor("back at the till", () -> !R.showing("labels.scan"));
    R.focus("till.scan");
  }

  /** The optional plugin shows in `apotheca version` (the node's console prints the same lines in this process). */
  @Test
  @Order(4)
  void versionListsThePluginAsOptional() {
    String version = VersionReport.report();
    String labels = "optional org.apotheca.ui.labels "
        + FrameworkUtil.getBundle(ShelfLabelPrintouts.class).getVersion();
    assertTrue(version.lines().anyMatch(labels::equals), version);
    assertTrue(version.lines().noneMatch(l -> l.startsWith("bundle org.apotheca.ui.labels")), version);
  }

  private static Path newest(Path dir, String suffix) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).max(java.util.Comparator.naturalOrder()).orElseThrow();
    }
  }
}
