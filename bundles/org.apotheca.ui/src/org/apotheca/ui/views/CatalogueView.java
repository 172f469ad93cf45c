package org.apotheca.ui.views;

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
 * line says so in plain words and the job tries again by itself.
 */
public class CatalogueView extends ViewPart {

  public static final String ID = "org.apotheca.ui.views.catalogue";

  /** System property naming the server ("host:port"). */
  public static final String SERVER_PROPERTY = "apotheca.server";

  static final int MAX_ROWS = 5_000;

  static final long RETRY_MILLIS = 5_000;

  private TableViewer viewer;
  private Text filter;
  private Label status;
  private volatile boolean loaded;
  private LoadJob job;

  @Override
  public void createPartControl(Composite parent) {
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
    viewer.setFilters(new TextFilter());
    filter.addModifyListener(e -> viewer.refresh());

    status = new Label(parent, SWT.NONE);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(status);
    status.setText("Loading the catalogue...");

    Action refresh = new Action("Refresh") {
      @Override
      public void run() {
        reload();
      }
    };
    refresh.setToolTipText("Load the catalogue again from the server");
    getViewSite().getActionBars().getToolBarManager().add(refresh);

    job = new LoadJob(Endpoint.parse(System.getProperty(SERVER_PROPERTY, "127.0.0.1:2036")));
    job.schedule();
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

  /** Loads the catalogue again now (the toolbar's Refresh). */
  public void reload() {
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

  /** True once a load has succeeded (the table shows what the server has). */
  public boolean isLoaded() {
    return loaded;
  }

  @Override
  public void setFocus() {
    filter.setFocus();
  }

  @Override
  public void dispose() {
    if (job != null) {
      job.cancel();
    }
    super.dispose();
  }

  private void onUi(Runnable r) {
    Display display = viewer.getControl().getDisplay();
    if (!display.isDisposed()) {
      display.asyncExec(() -> {
        if (!viewer.getControl().isDisposed()) {
          r.run();
        }
      });
    }
  }

  private final class LoadJob extends Job {
    private final Endpoint endpoint;

    LoadJob(Endpoint endpoint) {
      super("Loading the catalogue");
      this.endpoint = endpoint;
      setSystem(true);
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
      try (CatalogueSource source = CentralCatalogue.connect(endpoint)) {
        List<CatalogueRow> rows = source.products(MAX_ROWS);
        int total = rows.size() < MAX_ROWS ? rows.size() : source.productCount();
        String text = rows.size() < total
            ? "Showing the first " + rows.size() + " of " + total + " products from " + source.describe() + " (search to narrow down)"
            : total + " products from " + source.describe();
        // The launcher scripts wait for this line: it proves the view really loaded rows.
        System.out.println("Catalogue loaded " + rows.size() + " products from " + source.describe());
        onUi(() -> {
          viewer.setInput(rows);
          status.setText(text);
          loaded = true;
        });
      } catch (RuntimeException e) {
        if (monitor.isCanceled()) {
          return Status.CANCEL_STATUS;
        }
        String text = e.getMessage() + ". Retrying in " + RETRY_MILLIS / 1000 + " s.";
        System.out.println("Catalogue not loaded: " + text);
        onUi(() -> {
          status.setText(text);
          loaded = false;
        });
        schedule(RETRY_MILLIS);
      }
      return Status.OK_STATUS;
    }
  }

  private final class TextFilter extends ViewerFilter {
    @Override
    public boolean select(Viewer v, Object parentElement, Object element) {
      String q = filter.getText().trim().toLowerCase(Locale.ROOT);
      if (q.isEmpty()) {
        return true;
      }
      CatalogueRow r = (CatalogueRow) element;
      return r.name().toLowerCase(Locale.ROOT).contains(q) || r.barcode().contains(q)
          || r.ingredient().toLowerCase(Locale.ROOT).contains(q);
    }
  }
}
