package org.apotheca.ui.views;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.apotheca.core.catalogue.CatalogueRow;
import org.apotheca.core.catalogue.CatalogueSource;
import org.apotheca.core.catalogue.CentralCatalogue;
import org.apotheca.core.net.Endpoint;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.part.ViewPart;

/**
 * The catalogue as the pharmacist searches it: a filter box and a table of products with their prices.
 * Loading runs in a background job, never on the UI thread; when the server cannot be reached the status
 * line says so in plain words, keeps whatever was loaded before, and the job tries again by itself.
 */
public class CatalogueView extends ViewPart {

  public static final String ID = "org.apotheca.ui.views.catalogue";

  /** System property naming the server ("host:port"). */
  public static final String SERVER_PROPERTY = "apotheca.server";

  public static final String DEFAULT_SERVER = "127.0.0.1:2036";

  /** Enough for a pharmacy's working range; the table is not virtual, so this also bounds the UI cost. */
  public static final int MAX_ROWS = 5_000;

  public static final long RETRY_MILLIS = 5_000;

  /** A barcode scanner "types" 13 digits in a burst: filter once at the end, not 13 times over 5,000 rows. */
  private static final int FILTER_DELAY_MILLIS = 150;

  private Display display;
  private TableViewer viewer;
  private Text filter;
  private Label status;
  private Endpoint endpoint;
  private LoadJob job;
  private final Runnable applyFilter = this::applyFilter;
  private final TextFilter textFilter = new TextFilter();

  // Written by the UI thread only; volatile so tests may poll it from their own thread.
  private volatile boolean loaded;
  private volatile boolean disposed;
  private LocalTime loadedAt;

  @Override
  public void createPartControl(Composite parent) {
    display = parent.getDisplay();
    parent.setLayout(new GridLayout(1, false));
    filter = new Text(parent, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
    filter.setMessage("Search by name, barcode or active ingredient");
    GridDataFactory.fillDefaults().grab(true, false).applyTo(filter);

    viewer = new TableViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
    Table table = viewer.getTable();
    table.setHeaderVisible(true);
    table.setLinesVisible(true);
    GridDataFactory.fillDefaults().grab(true, true).applyTo(table);
    column("Barcode", 130, SWT.LEFT, CatalogueRow::barcode);
    column("Name", 380, SWT.LEFT, CatalogueRow::name);
    column("Active ingredient", 150, SWT.LEFT, CatalogueRow::ingredient);
    column("Pack", 80, SWT.LEFT, CatalogueRow::packSize);
    column("Price", 80, SWT.RIGHT, r -> CatalogueRow.formatMinor(r.listPriceMinor()));
    column("VAT", 70, SWT.RIGHT, CatalogueRow::vatPercent);
    column("Schedule", 130, SWT.LEFT, CatalogueRow::schedule);
    viewer.setContentProvider(ArrayContentProvider.getInstance());
    viewer.setInput(List.of());
    viewer.setFilters(textFilter);
    filter.addModifyListener(e -> display.timerExec(FILTER_DELAY_MILLIS, applyFilter));

    status = new Label(parent, SWT.NONE);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(status);

    Action refresh = new Action("Refresh") {
      @Override
      public void run() {
        reload();
      }
    };
    refresh.setToolTipText("Load the catalogue again from the server");
    getViewSite().getActionBars().getToolBarManager().add(refresh);

    endpoint = Endpoint.parse(System.getProperty(SERVER_PROPERTY, DEFAULT_SERVER));
    job = new LoadJob();
    reload();
  }

  private void column(String title, int width, int style, Function<CatalogueRow, String> text) {
    TableViewerColumn c = new TableViewerColumn(viewer, style);
    c.getColumn().setText(title);
    c.getColumn().setWidth(width);
    c.setLabelProvider(new ColumnLabelProvider() {
      @Override
      public String getText(Object element) {
        return text.apply((CatalogueRow) element);
      }
    });
  }

  /** Loads the catalogue again now (the toolbar's Refresh); call on the UI thread. */
  public void reload() {
    setStatus("Loading the catalogue from the Apotheca server at " + endpoint + "...", null);
    // Cancelling also drops a pending retry, so Refresh never waits out the retry delay.
    job.cancel();
    job.schedule();
  }

  public TableViewer getViewer() {
    return viewer;
  }

  public Text getFilterText() {
    return filter;
  }

  /** The status line's text; call on the UI thread. */
  public String getStatusText() {
    return status.getText();
  }

  /** True while the table shows what the server had at the last successful load. */
  public boolean isLoaded() {
    return loaded;
  }

  @Override
  public void setFocus() {
    filter.setFocus();
  }

  @Override
  public void dispose() {
    disposed = true;
    if (job != null) {
      job.cancel();
    }
    super.dispose();
  }

  private void applyFilter() {
    if (!viewer.getControl().isDisposed()) {
      textFilter.query = filter.getText().trim().toLowerCase(Locale.ROOT);
      viewer.refresh();
    }
  }

  private void setStatus(String text, String detail) {
    status.setText(text);
    status.setToolTipText(detail);
  }

  private void onUi(Runnable r) {
    if (disposed || display.isDisposed()) {
      return;
    }
    display.asyncExec(() -> {
      if (!disposed && !viewer.getControl().isDisposed()) {
        r.run();
      }
    });
  }

  private void showRows(List<CatalogueRow> rows, String text) {
    viewer.setInput(rows);
    loaded = true;
    loadedAt = LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
    setStatus(text, null);
  }

  private void showFailure(String reason, String detail) {
    loaded = false;
    String text = reason + " \u2013 retrying in " + RETRY_MILLIS / 1000 + " s";
    if (loadedAt != null) {
      // Offline first: the list loaded earlier stays usable, but the pharmacist must know it may be stale.
      text += "; showing the catalogue as loaded at " + loadedAt;
    }
    setStatus(text, detail);
  }

  /**
   * Core's messages read "plain sentence naming the endpoint: technical cause". The pharmacist gets the
   * sentence; the cause goes to the tooltip and the log, where support can find it.
   */
  static String plainReason(RuntimeException e, Endpoint endpoint) {
    String message = e.getMessage();
    String where = endpoint.toString();
    int at = message == null ? -1 : message.indexOf(where);
    return at < 0 ? "Could not load the catalogue from the Apotheca server at " + where
        : message.substring(0, at + where.length());
  }

  private final class LoadJob extends Job {

    private String lastFailure;

    LoadJob() {
      super("Loading the catalogue");
      setSystem(true);
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
      Endpoint target = endpoint;
      try (CatalogueSource source = CentralCatalogue.connect(target)) {
        List<CatalogueRow> rows = source.products(MAX_ROWS);
        int total = rows.size() < MAX_ROWS ? rows.size() : source.productCount();
        String text = rows.size() < total
            ? "First " + rows.size() + " of " + total + " products from " + source.describe()
                + " (the others are not loaded yet)"
            : rows.size() + " products from " + source.describe();
        // The launcher scripts wait for this line: it proves the view really loaded rows.
        System.out.println("Catalogue loaded " + rows.size() + " products from " + source.describe());
        lastFailure = null;
        onUi(() -> showRows(rows, text));
      } catch (RuntimeException e) {
        if (monitor.isCanceled() || disposed) {
          return Status.CANCEL_STATUS;
        }
        String reason = plainReason(e, target);
        String detail = e.getMessage();
        if (!reason.equals(lastFailure)) {
          // once per outage, not every five seconds
          System.out.println("Catalogue not loaded: " + detail + "; retrying every " + RETRY_MILLIS / 1000 + " s");
          lastFailure = reason;
        }
        onUi(() -> showFailure(reason, detail));
        schedule(RETRY_MILLIS);
      }
      return Status.OK_STATUS;
    }
  }

  private static final class TextFilter extends ViewerFilter {
    String query = "";

    @Override
    public boolean select(Viewer v, Object parentElement, Object element) {
      String q = query;
      if (q.isEmpty()) {
        return true;
      }
      CatalogueRow r = (CatalogueRow) element;
      return r.barcode().contains(q) || r.name().toLowerCase(Locale.ROOT).contains(q)
          || r.ingredient().toLowerCase(Locale.ROOT).contains(q);
    }
  }
}
