package org.apotheca.core.reports;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.apotheca.core.CommandArgs;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.ReportService.DaySales;
import org.apotheca.node.api.ReportService.ExpiringBatch;
import org.apotheca.node.api.ReportService.ExpiringStock;
import org.apotheca.node.api.ReportService.ProductSales;
import org.apotheca.node.api.ReportService.ProductStock;
import org.apotheca.node.api.ReportService.StockBand;
import org.apotheca.node.api.ReportService.StockValue;

/**
 * {@code apotheca report sales|products|stock|expiry ...} on central's console (per pharmacy) and on the node's (its
 * own pharmacy): one parser and one printer, so both consoles print the same lines for the same data (docs/console.md).
 * Replies are lines {@code word key=value ...}; money in minor units; a name last, quoted.
 */
public final class ReportConsole {

  public static final String USAGE = "usage: apotheca report sales%1$s [--from yyyy-MM-dd] [--to yyyy-MM-dd] "
      + "| apotheca report products%1$s [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--limit N] "
      + "| apotheca report stock%1$s [--on yyyy-MM-dd] [--limit N] | apotheca report expiry%1$s [--days N] [--on yyyy-MM-dd]";
  /** The reports, as the command's first word after {@code report}. */
  public static final List<String> KINDS = List.of("sales", "products", "stock", "expiry");
  /** Without --from, a sales report covers the week that ends on its last day. */
  static final int DEFAULT_DAYS = 7;
  static final int DEFAULT_LIMIT = 20;
  static final int DEFAULT_EXPIRY_DAYS = 90;

  private ReportConsole() {
  }

  /** The usage line with the site argument central's console takes (" <site>") or the node's does not (""). */
  public static String usage(String siteWord) {
    return String.format(USAGE, siteWord);
  }

  /**
   * Runs one report.
   *
   * @param kind sales, products, stock or expiry
   * @param args the options after the kind (and after the site on central's console)
   * @param today the day a report without dates is about
   * @param figures runs the computation on a view of the site repository
   * @param siteWord for the usage line in errors
   * @throws IllegalArgumentException with the one line the person sees (bad kind, option, date, number, range)
   */
  public static String run(String siteId, String kind, String[] args, LocalDate today,
      Function<Function<SiteFigures, String>, String> figures, String siteWord) {
    try {
      return switch (kind) {
        case "sales" -> {
          CommandArgs a = options(args, Set.of("from", "to"), siteWord);
          LocalDate to = date(a, "to", today);
          LocalDate from = date(a, "from", to.minusDays(DEFAULT_DAYS - 1));
          SiteFigures.checkRange(from, to);
          yield figures.apply(f -> sales(siteId, from, to, f.salesByDay(from, to)));
        }
        case "products" -> {
          CommandArgs a = options(args, Set.of("from", "to", "limit"), siteWord);
          LocalDate to = date(a, "to", today);
          LocalDate from = date(a, "from", to.minusDays(DEFAULT_DAYS - 1));
          int limit = number(a, "limit", DEFAULT_LIMIT);
          SiteFigures.checkRange(from, to);
          SiteFigures.checkLimit(limit);
          yield figures.apply(f -> products(siteId, from, to, limit, f.salesByProduct(from, to, limit)));
        }
        case "stock" -> {
          CommandArgs a = options(args, Set.of("on", "limit"), siteWord);
          LocalDate on = date(a, "on", today);
          int limit = number(a, "limit", DEFAULT_LIMIT);
          SiteFigures.checkLimit(limit);
          yield figures.apply(f -> stock(siteId, f.stockValue(on), limit));
        }
        case "expiry" -> {
          CommandArgs a = options(args, Set.of("on", "days"), siteWord);
          LocalDate on = date(a, "on", today);
          int days = number(a, "days", DEFAULT_EXPIRY_DAYS);
          SiteFigures.checkDays(days);
          yield figures.apply(f -> expiry(siteId, f.expiringStock(on, days)));
        }
        default -> throw new IllegalArgumentException("unknown report '" + kind + "'. " + usage(siteWord));
      };
    } catch (NodeException refused) {
      throw new IllegalArgumentException(refused.getMessage(), refused);
    }
  }

  private static CommandArgs options(String[] args, Set<String> allowed, String siteWord) {
    CommandArgs a = CommandArgs.parse(args, 0, allowed);
    if (!a.positional().isEmpty()) {
      throw new IllegalArgumentException("unexpected '" + a.positional().get(0) + "'. " + usage(siteWord));
    }
    return a;
  }

  private static LocalDate date(CommandArgs a, String option, LocalDate def) {
    String v = a.value(option, null);
    if (v == null) {
      return def;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--" + option + " needs a date like 2026-12-01, not '" + v + "'");
    }
  }

  private static int number(CommandArgs a, String option, int def) {
    long n = a.longValue(option, def);
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--" + option + " is far too large: " + n);
    }
    return (int) n;
  }

  // ---- printing ----

  static String sales(String siteId, LocalDate from, LocalDate to, List<DaySales> days) {
    StringBuilder sb = new StringBuilder("report sales site=").append(siteId).append(" from=").append(from).append(" to=")
        .append(to).append(" days=").append(days.size());
    int sales = 0;
    int refunds = 0;
    int units = 0;
    long gross = 0;
    long refunded = 0;
    long vat = 0;
    long cost = 0;
    for (DaySales d : days) {
      sb.append("\nday date=").append(d.day()).append(" sales=").append(d.sales()).append(" refunds=").append(d.refunds())
          .append(" units=").append(d.units());
      money(sb, d.grossMinor(), d.refundedMinor(), d.revenueMinor(), d.vatMinor(), d.netMinor(), d.costMinor(), d.marginMinor(),
          d.marginBasisPoints());
      sales += d.sales();
      refunds += d.refunds();
      units += d.units();
      gross += d.grossMinor();
      refunded += d.refundedMinor();
      vat += d.vatMinor();
      cost += d.costMinor();
    }
    long revenue = gross - refunded;
    long net = revenue - vat;
    sb.append("\ntotal sales=").append(sales).append(" refunds=").append(refunds).append(" units=").append(units);
    money(sb, gross, refunded, revenue, vat, net, cost, net - cost, SiteFigures.basisPoints(net - cost, net));
    return sb.toString();
  }

  private static void money(StringBuilder sb, long gross, long refunded, long revenue, long vat, long net, long cost, long margin,
      int marginBp) {
    sb.append(" gross=").append(gross).append(" refunded=").append(refunded).append(" revenue=").append(revenue).append(" vat=")
        .append(vat).append(" net=").append(net).append(" cost=").append(cost).append(" margin=").append(margin)
        .append(" marginBp=").append(marginBp);
  }

  static String products(String siteId, LocalDate from, LocalDate to, int limit, List<ProductSales> rows) {
    StringBuilder sb = new StringBuilder("report products site=").append(siteId).append(" from=").append(from).append(" to=")
        .append(to).append(" limit=").append(limit).append(" shown=").append(rows.size());
    for (ProductSales p : rows) {
      sb.append("\nproduct rank=").append(p.rank()).append(" id=").append(p.productId()).append(" barcode=")
          .append(word(p.barcode())).append(" units=").append(p.units()).append(" revenue=").append(p.revenueMinor())
          .append(" vat=").append(p.vatMinor()).append(" net=").append(p.netMinor()).append(" cost=").append(p.costMinor())
          .append(" margin=").append(p.marginMinor()).append(" marginBp=").append(p.marginBasisPoints()).append(" name=")
          .append(quoted(p.productName()));
    }
    return sb.toString();
  }

  static String stock(String siteId, StockValue v, int limit) {
    StringBuilder sb = new StringBuilder("report stock site=").append(siteId).append(" on=").append(v.on()).append(" batches=")
        .append(v.batches()).append(" units=").append(v.units()).append(" cost=").append(v.costMinor()).append(" list=")
        .append(v.listMinor()).append(" products=").append(v.products().size()).append(" shown=")
        .append(Math.min(limit, v.products().size()));
    bands(sb, v.bands());
    for (ProductStock p : v.products().subList(0, Math.min(limit, v.products().size()))) {
      sb.append("\nproduct id=").append(p.productId()).append(" barcode=").append(word(p.barcode())).append(" batches=")
          .append(p.batches()).append(" units=").append(p.units()).append(" cost=").append(p.costMinor()).append(" list=")
          .append(p.listMinor()).append(" name=").append(quoted(p.productName()));
    }
    return sb.toString();
  }

  static String expiry(String siteId, ExpiringStock e) {
    StringBuilder sb = new StringBuilder("report expiry site=").append(siteId).append(" on=").append(e.on()).append(" days=")
        .append(e.days()).append(" batches=").append(e.batches().size());
    bands(sb, e.bands());
    for (ExpiringBatch b : e.batches()) {
      sb.append("\nbatch expiry=").append(b.expiry()).append(" days=").append(b.daysToExpiry()).append(" band=").append(b.band())
          .append(" lot=").append(word(b.lot())).append(" barcode=").append(word(b.barcode())).append(" units=").append(b.units())
          .append(" cost=").append(b.costMinor()).append(" list=").append(b.listMinor()).append(" id=").append(b.batchId())
          .append(" name=").append(quoted(b.productName()));
    }
    return sb.toString();
  }

  private static void bands(StringBuilder sb, List<StockBand> bands) {
    for (StockBand b : bands) {
      sb.append("\nband band=").append(b.band()).append(" batches=").append(b.batches()).append(" units=").append(b.units())
          .append(" cost=").append(b.costMinor()).append(" list=").append(b.listMinor());
    }
  }

  /** A value that is one word: blanks (a lot number may hold none, but a barcode may be empty) become "-". */
  private static String word(String s) {
    return s == null || s.isBlank() ? "-" : s.replaceAll("\\s+", "_");
  }

  private static String quoted(String s) {
    return "\"" + (s == null ? "" : s.replace('"', '\'').replaceAll("[\\r\\n\\t]+", " ")) + "\"";
  }
}
