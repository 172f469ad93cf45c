package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import org.apotheca.core.catalogue.CatalogueRow;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.ui.views.CatalogueView;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real workbench (our application, in Tycho's UI harness, under Xvfb) against a real central server on
 * 127.0.0.1, in one deterministic story: server down, server up, server gone again. SWTBot is not on Maven
 * Central, so the test drives and reads the real SWT widgets through {@link Display#syncExec}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogueViewTest {

  private static final int PRODUCTS = 200;
  private static final long TIMEOUT_MS = 60_000;

  @TempDir
  static Path dataDir;

  private static IManagedContainer container;
  private static CentralServer server;

  private static Endpoint endpoint() {
    // set by the pom (argLine/systemProperties) so the view under test and this server agree
    return Endpoint.parse(System.getProperty("apotheca.server"));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop();
    }
    LifecycleUtil.deactivate(container);
  }

  @Test
  @Order(1)
  void withoutAServerTheViewSaysSoInPlainWords() throws Exception {
    CatalogueView view = catalogueView();
    String expected = "Cannot reach the Apotheca server at " + endpoint();
    String status = waitFor("status names the unreachable server", () -> {
      String s = ui(view::getStatusText);
      return s.startsWith(expected) ? s : null;
    });
    assertTrue(status.contains("retrying in 5 s"), status);
    assertFalse(status.contains("Connector") || status.contains("Exception"), "no technical words: " + status);
    assertFalse(view.isLoaded());
    assertEquals(0, ui(() -> view.getViewer().getTable().getItemCount()).intValue());
  }

  @Test
  @Order(2)
  void showsTheCatalogueFromTheServerAndFiltersIt() throws Exception {
    container = ContainerUtil.createContainer();
    container.activate();
    server = new CentralServer(ServerConfig.defaults(dataDir).withEndpoint(endpoint()).withSampleProducts(PRODUCTS),
        container).start();

    CatalogueView view = catalogueView();
    Table table = view.getViewer().getTable();
    // Refresh instead of waiting for the next automatic retry: that is what a pharmacist would do.
    ui(() -> {
      view.reload();
      return null;
    });
    String loaded = PRODUCTS + " products from central " + endpoint();
    waitFor("the table shows every product", () -> ui(() -> view.isLoaded() && table.getItemCount() == PRODUCTS
        && view.getStatusText().equals(loaded)));

    IWorkbenchWindow window = ui(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow());
    assertEquals("Apotheca", ui(() -> window.getShell().getText()));

    String[] headers = ui(() -> {
      String[] h = new String[table.getColumnCount()];
      for (int i = 0; i < h.length; i++) {
        h[i] = table.getColumn(i).getText();
      }
      return h;
    });
    assertEquals("Barcode, Name, Active ingredient, Pack, Price, VAT, Schedule", String.join(", ", headers));
    String[] first = ui(() -> row(table.getItem(0)));
    assertTrue(first[0].matches("\\d{13}"), "barcode cell: " + first[0]);
    assertTrue(first[4].matches("\\d+\\.\\d{2}"), "price cell: " + first[4]);
    assertTrue(first[5].matches("\\d+(\\.\\d{2})? %"), "VAT cell: " + first[5]);
    assertTrue(first[1].compareToIgnoreCase(ui(() -> table.getItem(1).getText(1))) <= 0, "sorted by name");

    // a scanned barcode leaves exactly that product, with the catalogue's price
    String barcode = SampleCatalogue.barcode(42);
    typeIntoFilter(view, barcode);
    waitFor("filtered to the scanned product", () -> ui(() -> table.getItemCount() == 1));
    String[] only = ui(() -> row(table.getItem(0)));
    assertEquals(barcode, only[0]);
    assertEquals(CatalogueRow.formatMinor(SampleCatalogue.listPriceMinor(42)), only[4]);

    // ingredient search ignores case; the filter runs a moment after the last keystroke, so wait for it
    typeIntoFilter(view, "WARFARIN");
    int warfarin = waitFor("only warfarin products listed", () -> ui(() -> {
      int n = table.getItemCount();
      for (int i = 0; i < n; i++) {
        String[] cells = row(table.getItem(i));
        if (!(cells[1] + " " + cells[2]).toLowerCase().contains("warfarin")) {
          return null;
        }
      }
      return n > 0 ? n : null;
    }));
    assertTrue(warfarin < PRODUCTS, "ingredient search narrowed the list: " + warfarin);

    typeIntoFilter(view, "");
    waitFor("the whole catalogue again", () -> ui(() -> table.getItemCount() == PRODUCTS));
    screenshot(window, "catalogue.png");
  }

  @Test
  @Order(3)
  void whenTheServerGoesAwayTheLoadedCatalogueStaysAndTheStatusSaysSo() throws Exception {
    assertNotNull(server, "runs after the server test");
    server.stop();
    server = null;
    LifecycleUtil.deactivate(container);
    container = null;

    CatalogueView view = catalogueView();
    typeIntoFilter(view, "");
    ui(() -> {
      view.reload();
      return null;
    });
    String status = waitFor("status names the unreachable server", () -> {
      String s = ui(view::getStatusText);
      return s.startsWith("Cannot reach the Apotheca server at " + endpoint()) ? s : null;
    });
    assertTrue(status.contains("retrying in 5 s") && status.contains("showing the catalogue as loaded at"), status);
    waitFor("the earlier list still shown", () -> ui(() -> view.getViewer().getTable().getItemCount() == PRODUCTS));
    screenshot(ui(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow()), "catalogue-server-gone.png");
  }

  private static void typeIntoFilter(CatalogueView view, String text) throws Exception {
    ui(() -> {
      view.getFilterText().setText(text);
      return null;
    });
  }

  private static String[] row(TableItem item) {
    String[] cells = new String[item.getParent().getColumnCount()];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = item.getText(i);
    }
    return cells;
  }

  private static CatalogueView catalogueView() throws Exception {
    // The harness starts our application beside this thread: the workbench may not exist yet.
    waitFor("the workbench window", () -> PlatformUI.isWorkbenchRunning()
        && ui(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null));
    CatalogueView view = ui(() -> (CatalogueView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage()
        .findView(CatalogueView.ID));
    assertNotNull(view, "catalogue view open in the initial perspective");
    return view;
  }

  private static void screenshot(IWorkbenchWindow window, String name) throws Exception {
    Path dir = Path.of(System.getProperty("apotheca.screenshots", "target/screenshots"));
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    ui(() -> {
      Shell shell = window.getShell();
      Display display = shell.getDisplay();
      while (display.readAndDispatch()) {
        // let the table paint before copying the screen
      }
      // The client area, not getBounds(): without a window manager the trim SWT reports is not on screen.
      Rectangle area = display.map(shell, null, shell.getClientArea());
      Image image = new Image(display, area.width, area.height);
      GC gc = new GC(display);
      try {
        gc.copyArea(image, area.x, area.y);
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { image.getImageData() };
        loader.save(file.toString(), SWT.IMAGE_PNG);
      } finally {
        gc.dispose();
        image.dispose();
      }
      return null;
    });
    assertTrue(Files.size(file) > 1000, "screenshot written: " + file);
  }

  private static <T> T ui(Callable<T> c) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Exception> error = new AtomicReference<>();
    PlatformUI.getWorkbench().getDisplay().syncExec(() -> {
      try {
        result.set(c.call());
      } catch (Exception e) {
        error.set(e);
      }
    });
    if (error.get() != null) {
      throw error.get();
    }
    return result.get();
  }

  /**
   * Polls until the condition yields a non-null, non-false value. An exception counts as "not yet" (the
   * workbench may still be starting) but is attached to the failure at the deadline.
   */
  private static <T> T waitFor(String what, Callable<T> condition) throws Exception {
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    Exception last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        T value = condition.call();
        if (value != null && !Boolean.FALSE.equals(value)) {
          return value;
        }
      } catch (IllegalStateException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out after " + TIMEOUT_MS / 1000 + " s waiting for " + what, last);
  }
}
