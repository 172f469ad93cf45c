package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real workbench (our application, in Tycho's UI harness, under Xvfb) against a real central server on
 * 127.0.0.1: first with the server down, then up. SWTBot is not on Maven Central, so the test reads the real
 * SWT widgets through {@link Display#syncExec}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogueViewTest {

  private static final int PRODUCTS = 200;
  private static final long TIMEOUT_MS = 90_000;

  @TempDir
  static Path dataDir;

  @Test
  @Order(1)
  void withoutAServerTheViewSaysSoInPlainWords() throws Exception {
    CatalogueView view = catalogueView();
    String status = waitFor("status names the unreachable server", () -> {
      String s = ui(view::getStatusText);
      return s.contains(System.getProperty("apotheca.server")) && s.contains("Retrying") ? s : null;
    });
    assertTrue(status.startsWith("Cannot"), status);
    assertEquals(0, ui(() -> view.getViewer().getTable().getItemCount()).intValue());
  }

  @Test
  @Order(2)
  void showsTheCatalogueFromTheServerAndFiltersIt() throws Exception {
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    ServerConfig config = ServerConfig.defaults(dataDir).withEndpoint(Endpoint.parse(System.getProperty("apotheca.server")))
        .withSampleProducts(PRODUCTS);
    CentralServer server = new CentralServer(config, container).start();
    try {
      CatalogueView view = catalogueView();
      ui(() -> {
        view.reload();
        return null;
      });
      waitFor("the table shows every product", () -> ui(() -> view.isLoaded() && view.getViewer().getTable().getItemCount() == PRODUCTS));

      IWorkbenchWindow window = ui(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow());
      assertEquals("Apotheca", ui(() -> window.getShell().getText()));
      assertEquals(PRODUCTS + " products from central " + config.endpoint(), ui(view::getStatusText));

      Table table = view.getViewer().getTable();
      String[] headers = ui(() -> {
        String[] h = new String[table.getColumnCount()];
        for (int i = 0; i < h.length; i++) {
          h[i] = table.getColumn(i).getText();
        }
        return h;
      });
      assertEquals("Barcode", headers[0]);
      assertEquals("Price", headers[4]);
      String[] first = ui(() -> row(table.getItem(0), table.getColumnCount()));
      assertTrue(first[0].matches("\\d{13}"), "barcode cell: " + first[0]);
      assertTrue(first[4].matches("\\d+\\.\\d{2}"), "price cell: " + first[4]);
      assertTrue(first[1].compareToIgnoreCase(ui(() -> table.getItem(1).getText(1))) <= 0, "sorted by name");

      // a barcode typed into the search box leaves exactly that product, with the catalogue's price
      String barcode = SampleCatalogue.barcode(42);
      ui(() -> {
        view.getFilterText().setText(barcode);
        return null;
      });
      waitFor("filtered to one row", () -> ui(() -> table.getItemCount() == 1));
      String[] only = ui(() -> row(table.getItem(0), table.getColumnCount()));
      assertEquals(barcode, only[0]);
      assertEquals(org.apotheca.core.catalogue.CatalogueRow.formatMinor(SampleCatalogue.listPriceMinor(42)), only[4]);

      ui(() -> {
        view.getFilterText().setText("warfarin");
        return null;
      });
      int warfarin = ui(table::getItemCount);
      assertTrue(warfarin > 0 && warfarin < PRODUCTS, "ingredient search: " + warfarin);
      ui(() -> {
        view.getFilterText().setText("");
        return null;
      });
      screenshot(window, "catalogue.png");
    } finally {
      server.stop();
      LifecycleUtil.deactivate(container);
    }
  }

  private static String[] row(TableItem item, int columns) {
    String[] cells = new String[columns];
    for (int i = 0; i < columns; i++) {
      cells[i] = item.getText(i);
    }
    return cells;
  }

  private static CatalogueView catalogueView() throws Exception {
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
      Rectangle bounds = shell.getBounds();
      Image image = new Image(display, bounds.width, bounds.height);
      GC gc = new GC(display);
      try {
        gc.copyArea(image, bounds.x, bounds.y);
        ImageData data = image.getImageData();
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { data };
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
    Display display = PlatformUI.getWorkbench().getDisplay();
    display.syncExec(() -> {
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

  /** Polls until the condition yields a non-null, non-false value; fails with the description at the deadline. */
  private static <T> T waitFor(String what, Callable<T> condition) throws Exception {
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    while (true) {
      T value = PlatformUI.isWorkbenchRunning() || what.equals("the workbench window") ? safeCall(condition) : null;
      if (value != null && !Boolean.FALSE.equals(value)) {
        return value;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  private static <T> T safeCall(Callable<T> c) throws Exception {
    try {
      return c.call();
    } catch (IllegalStateException workbenchNotYetCreated) {
      return null;
    }
  }
}
