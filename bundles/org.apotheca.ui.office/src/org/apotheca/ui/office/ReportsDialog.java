package org.apotheca.ui.office;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.ReportService;
import org.apotheca.node.api.ReportService.DaySales;
import org.apotheca.node.api.ReportService.ExpiringStock;
import org.apotheca.node.api.ReportService.ProductSales;
import org.apotheca.node.api.ReportService.ProductStock;
import org.apotheca.node.api.ReportService.StockBand;
import org.apotheca.node.api.ReportService.StockValue;
import org.apotheca.node.api.Role;
import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Money;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * The pharmacy's figures at a glance, as charts (SWTChart) over a range of days: sales per day, margin per day, the
 * top products, stock value per product and the stock expiring within 90 days, plus the totals in words. Read-only;
 * a pharmacist or manager only.
 */
final class ReportsDialog extends OfficeDialog {

  /** Bars a product chart holds with every name readable beside its bar. */
  static final int TOP = 6;
  static final int EXPIRY_DAYS = 90;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
  /** Day labels under a bar: short enough for a month of bars. */
  private static final DateTimeFormatter BAR_DAY = DateTimeFormatter.ofPattern("d/M", Locale.ENGLISH);
  private static final String MONEY = "#,##0.00";
  /** A calm blue for margin: not one of the till's signal colours, so it never reads as a warning. */
  private static final Color MARGIN = new Color(new RGB(52, 101, 164));
  private static final Color STOCK = new Color(new RGB(117, 80, 123));
  /** The 90-day band's colour in the till is a tint for a table row, too pale for a bar: a darker one of its kind. */
  private static final Color DAYS_90_BAR = new Color(new RGB(196, 160, 0));

  private Text from;
  private Text to;
  private BarChart sales;
  private BarChart margin;
  private BarChart top;
  private BarChart stock;
  private BarChart expiring;
  private Label totals;
  private int loads;

  ReportsDialog(Shell parent) {
    super(parent, "Reports", "reports");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(3).equalWidth(true).margins(16, 12).spacing(10, 10).applyTo(area);
    heading(area, 1, "Reports");
    Composite range = new Composite(area, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(7).spacing(8, 0).applyTo(range);
    GridDataFactory.fillDefaults().span(2, 1).align(SWT.END, SWT.CENTER).applyTo(range);
    label(range, "&From");
    from = field(range, "reports.from", 130);
    label(range, "&To");
    to = field(range, "reports.to", 130);
    LocalDate today = LocalDate.now();
    from.setText(today.minusDays(6).toString());
    to.setText(today.toString());
    for (Text t : new Text[] { from, to }) {
      t.setMessage("yyyy-MM-dd");
      t.addListener(SWT.Traverse, e -> {
        if (e.detail == SWT.TRAVERSE_RETURN) {
          e.doit = false; // Enter in From moves to To; in To it shows the range
          if (t == from) {
            to.setFocus();
          } else {
            load();
          }
        }
      });
    }
    rangeButton(range, "&7 days", "reports.week", 7);
    rangeButton(range, "&30 days", "reports.month", 30);
    Button refresh = Ids.id(new Button(range, SWT.PUSH), "reports.refresh");
    refresh.setText("Refresh (F5)");
    refresh.setFont(big);
    refresh.addListener(SWT.Selection, e -> load());

    Palette p = Palette.get(area.getDisplay());
    sales = chart(area, "reports.sales", "Sales per day", "EUR, VAT incl.", false, p.ok()).labels(false);
    margin = chart(area, "reports.margin", "Margin per day", "EUR", false, MARGIN).labels(false);
    top = chart(area, "reports.top", "Top products (revenue)", "EUR", true, p.ok());
    stock = chart(area, "reports.stock", "Stock value at cost", "EUR", true, STOCK);
    expiring = chart(area, "reports.expiring", "Expiring within " + EXPIRY_DAYS + " days", "EUR at cost", true, p.warn());
    totals = Ids.id(new Label(area, SWT.WRAP), "reports.totals");
    totals.setFont(big);
    GridDataFactory.fillDefaults().grab(true, true).applyTo(totals);
    message(area, 3);
    keys(area, 3, "Alt+F / Alt+T the days, Enter shows them \u00b7 Alt+7 last 7 days \u00b7 Alt+3 last 30 days \u00b7 F5 refresh \u00b7 Esc close");
    onKey(SWT.F5, this::load);
    if (may(Role.PHARMACIST, Role.MANAGER)) {
      load();
    } else {
      error(onlyWho("see the reports", Role.PHARMACIST, Role.MANAGER));
      from.setEnabled(false);
      to.setEnabled(false);
    }
    return area;
  }

  private BarChart chart(Composite parent, String id, String title, String unit, boolean horizontal, Color colour) {
    BarChart c = new BarChart(parent, id, title, unit, horizontal, colour, bold);
    GridDataFactory.fillDefaults().grab(true, true).hint(300, 220).applyTo(c.control());
    return c;
  }

  private void rangeButton(Composite parent, String text, String id, int days) {
    Button b = Ids.id(new Button(parent, SWT.PUSH), id);
    b.setText(text);
    b.setFont(big);
    b.addListener(SWT.Selection, e -> {
      LocalDate today = LocalDate.now();
      from.setText(today.minusDays(days - 1).toString());
      to.setText(today.toString());
      load();
    });
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "reports.close");
  }

  @Override
  protected void okPressed() {
    // Enter belongs to the date fields
  }

  private void load() {
    if (!may(Role.PHARMACIST, Role.MANAGER)) {
      return;
    }
    LocalDate f;
    LocalDate t;
    try {
      f = LocalDate.parse(from.getText().strip());
      t = LocalDate.parse(to.getText().strip());
    } catch (DateTimeParseException e) {
      error("Write the days as year-month-day, e.g. " + LocalDate.now() + ".");
      return;
    }
    if (t.isBefore(f)) {
      error("The last day comes before the first.");
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    int seq = ++loads;
    info("Loading the figures...");
    Async.call(totals, () -> {
      ReportService node = Node.get().service();
      return new Object[] { node.salesByDay(token, f, t), node.salesByProduct(token, f, t, TOP), node.stockValue(token),
          node.expiringStock(token, EXPIRY_DAYS) };
    }, r -> {
      if (seq == loads) {
        show(f, t, cast(r[0]), cast(r[1]), (StockValue) r[2], (ExpiringStock) r[3]);
      }
    }, e -> {
      if (seq == loads) {
        error(e.getMessage());
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> cast(Object o) {
    return (List<T>) o;
  }

  private void show(LocalDate f, LocalDate t, List<DaySales> days, List<ProductSales> products, StockValue value,
      ExpiringStock soon) {
    String[] dayNames = days.stream().map(d -> BAR_DAY.format(d.day())).toArray(String[]::new);
    sales.show(dayNames, days.stream().mapToDouble(d -> euros(d.revenueMinor())).toArray(), MONEY, "No sales in these days.");
    margin.show(dayNames, days.stream().mapToDouble(d -> euros(d.marginMinor())).toArray(), MONEY, "No sales in these days.");
    top.show(products.stream().map(x -> shortName(x.productName())).toArray(String[]::new),
        products.stream().mapToDouble(x -> euros(x.revenueMinor())).toArray(), MONEY, "No sales in these days.");
    List<ProductStock> held = value.products().stream().limit(TOP).toList();
    stock.show(held.stream().map(x -> shortName(x.productName())).toArray(String[]::new),
        held.stream().mapToDouble(x -> euros(x.costMinor())).toArray(), MONEY, "No stock on hand.");
    Palette p = Palette.get(totals.getDisplay());
    List<StockBand> bands = soon.bands();
    expiring.show(bands.stream().map(b -> bandWord(b.band()) + " " + Money.format(b.costMinor())).toArray(String[]::new),
        bands.stream().mapToDouble(b -> euros(b.costMinor())).toArray(), MONEY,
        bands.stream().map(b -> bandColour(p, b.band())).toArray(Color[]::new), "Nothing expires within " + EXPIRY_DAYS + " days.");

    long revenue = days.stream().mapToLong(DaySales::revenueMinor).sum();
    long net = days.stream().mapToLong(DaySales::netMinor).sum();
    long marginSum = days.stream().mapToLong(DaySales::marginMinor).sum();
    int count = days.stream().mapToInt(DaySales::sales).sum();
    int units = days.stream().mapToInt(DaySales::units).sum();
    long expiringCost = bands.stream().mapToLong(StockBand::costMinor).sum();
    totals.setText(DAY.format(f) + " to " + DAY.format(t) + "\n"
        + "Revenue " + Money.format(revenue) + " from " + count + (count == 1 ? " sale, " : " sales, ") + units + (units == 1 ? " unit\n" : " units\n")
        + "Margin " + Money.format(marginSum) + (net == 0 ? "" : " (" + Money.vat((int) (marginSum * 10000 / net)) + " of net)") + "\n"
        + "Stock " + value.units() + " units: " + Money.format(value.costMinor()) + " at cost, "
        + Money.format(value.listMinor()) + " at list price\n"
        + "Expired or expiring within " + EXPIRY_DAYS + " days: " + Money.format(expiringCost) + " at cost");
    info("Figures of " + DAY.format(f) + " to " + DAY.format(t) + " as the pharmacy node holds them now.");
    getShell().layout(true, true);
  }

  private static String bandWord(BatchInfo.ExpiryBand band) {
    return switch (band) {
      case EXPIRED -> "Expired";
      case DAYS_30 -> "0\u201330 days";
      case DAYS_60 -> "31\u201360 days";
      case DAYS_90 -> "61\u201390 days";
      case LATER -> "Later";
    };
  }

  /** The till's expiry colours, strong enough for a bar. */
  private static Color bandColour(Palette p, BatchInfo.ExpiryBand band) {
    return switch (band) {
      case EXPIRED -> p.danger();
      case DAYS_30 -> p.warn();
      case DAYS_60 -> p.caution();
      case DAYS_90, LATER -> DAYS_90_BAR;
    };
  }

  private static double euros(long minor) {
    return minor / 100.0;
  }

  /** Long product names do not fit beside a bar. */
  static String shortName(String name) {
    return name.length() <= 20 ? name : name.substring(0, 19) + "\u2026";
  }
}
