package org.apotheca.core.reports;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.model.MovementJournal;
import org.apotheca.model.Refund;
import org.apotheca.model.RefundLine;
import org.apotheca.model.Sale;
import org.apotheca.model.SaleLine;
import org.apotheca.model.SaleStatus;
import org.apotheca.model.SalesDay;
import org.apotheca.model.StockBatch;
import org.apotheca.model.StockBucket;
import org.apotheca.model.StockMovement;
import org.apotheca.model.money.Money;
import org.apotheca.node.api.BatchInfo.ExpiryBand;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.ReportService;
import org.apotheca.node.api.ReportService.DaySales;
import org.apotheca.node.api.ReportService.ExpiringBatch;
import org.apotheca.node.api.ReportService.ExpiringStock;
import org.apotheca.node.api.ReportService.ProductSales;
import org.apotheca.node.api.ReportService.ProductStock;
import org.apotheca.node.api.ReportService.StockBand;
import org.apotheca.node.api.ReportService.StockValue;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * A pharmacy's figures ({@link ReportService}), computed from one view of its site repository: the node's (on the
 * branch its ledger writes) and central's (MAIN) run this same code, so they print the same figures for the same
 * data. Reads only what the site repository holds (sales journals with their refunds, stock movements, batches) plus
 * list prices from the catalogue; nothing a node alone knows.
 * <p>
 * A report reads the journals of its days (one round trip per journal resource) and is not safe for concurrent use
 * of the same view: give each report its own view, or hold the view's lock.
 */
public final class SiteFigures {

  private final CDOView view;
  private final String siteId;
  private final ListPrices prices;
  /** Sale lines by id, of every day read so far: refunds find their lines' VAT rate here. */
  private final Map<String, SaleLine> saleLines = new HashMap<>();
  private final Set<LocalDate> daysRead = new HashSet<>();
  private List<LocalDate> salesDays;

  public SiteFigures(CDOView view, String siteId, ListPrices prices) {
    this.view = view;
    this.siteId = Repositories.checkSiteId(siteId);
    this.prices = prices;
  }

  // ---- checks, shared by the node and central's console ----

  /** Refuses ({@link Refusal#BAD_INPUT}) a missing date, a range backwards or longer than {@link ReportService#MAX_DAYS}. */
  public static void checkRange(LocalDate from, LocalDate to) {
    if (from == null || to == null) {
      throw new NodeException(Refusal.BAD_INPUT, "Choose the first and the last day of the report.");
    }
    if (to.isBefore(from)) {
      throw new NodeException(Refusal.BAD_INPUT, "The report's last day (" + to + ") is before its first (" + from + ").");
    }
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    if (days > ReportService.MAX_DAYS) {
      throw new NodeException(Refusal.BAD_INPUT, "A report covers at most " + ReportService.MAX_DAYS + " days; " + from + " to "
          + to + " is " + days + ".");
    }
  }

  public static void checkLimit(int limit) {
    if (limit < 1 || limit > ReportService.MAX_PRODUCTS) {
      throw new NodeException(Refusal.BAD_INPUT, "A product ranking shows 1 to " + ReportService.MAX_PRODUCTS
          + " products (asked: " + limit + ").");
    }
  }

  public static void checkDays(int days) {
    if (days < 0 || days > ReportService.MAX_EXPIRY_DAYS) {
      throw new NodeException(Refusal.BAD_INPUT, "The expiry report looks 0 to " + ReportService.MAX_EXPIRY_DAYS
          + " days ahead (asked: " + days + ").");
    }
  }

  // ---- sales ----

  /** {@link ReportService#salesByDay}: one row per day from {@code from} to {@code to}, zero rows included. */
  public List<DaySales> salesByDay(LocalDate from, LocalDate to) {
    checkRange(from, to);
    List<DaySales> rows = new ArrayList<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      rows.add(trade(day).total.day(day));
    }
    return rows;
  }

  /** {@link ReportService#salesByProduct}: the range's trade per product, highest revenue first. */
  public List<ProductSales> salesByProduct(LocalDate from, LocalDate to, int limit) {
    checkRange(from, to);
    checkLimit(limit);
    Map<String, Figures> byProduct = new LinkedHashMap<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      trade(day).byProduct.forEach((id, f) -> byProduct.computeIfAbsent(id, k -> new Figures()).add(f));
    }
    List<Map.Entry<String, Figures>> ranked = new ArrayList<>(byProduct.entrySet());
    ranked.sort(Comparator.comparingLong((Map.Entry<String, Figures> e) -> -e.getValue().revenue())
        .thenComparing(e -> e.getValue().name, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER))
        .thenComparing(Map.Entry::getKey));
    List<ProductSales> rows = new ArrayList<>();
    for (Map.Entry<String, Figures> e : ranked.subList(0, Math.min(limit, ranked.size()))) {
      Figures f = e.getValue();
      rows.add(new ProductSales(rows.size() + 1, e.getKey(), f.barcode, f.name, f.units, f.revenue(), f.vat, f.net(), f.cost,
          f.margin(), f.marginBasisPoints()));
    }
    return rows;
  }

  /** One day's trade: the day's totals and the same per product. */
  private record Trade(Figures total, Map<String, Figures> byProduct) {
  }

  private Trade trade(LocalDate day) {
    Figures total = new Figures();
    Map<String, Figures> byProduct = new HashMap<>();
    List<SalesDay> journals = salesJournals(day);
    Map<String, List<StockMovement>> movements = movementsByDocument(day);
    for (SalesDay journal : journals) {
      for (Sale sale : journal.getSales()) {
        if (sale.getStatus() != SaleStatus.COMPLETED) {
          continue;
        }
        total.sales++;
        total.gross += sale.getTotalMinor();
        total.vat += sale.getVatTotalMinor();
        for (SaleLine line : sale.getLines()) {
          total.units += line.getQuantity();
          Figures p = product(byProduct, line.getProductId(), line.getBarcode(), line.getProductName());
          p.units += line.getQuantity();
          p.gross += line.getLineTotalMinor();
          p.vat += line.getVatMinor();
        }
        costOf(movements.get(sale.getId()), total, byProduct);
      }
      for (Refund refund : journal.getRefunds()) {
        total.refunds++;
        total.refunded += refund.getTotalMinor();
        for (RefundLine line : refund.getLines()) {
          SaleLine sold = saleLine(line.getSaleLineId(), day);
          long vat = Money.vatIncluded(line.getAmountMinor(), sold == null ? 0 : sold.getVatRateBasisPoints());
          total.units -= line.getQuantity();
          total.vat -= vat;
          Figures p = product(byProduct, line.getProductId(), line.getBarcode(), sold == null ? null : sold.getProductName());
          p.units -= line.getQuantity();
          p.refunded += line.getAmountMinor();
          p.vat -= vat;
        }
        costOf(movements.get(refund.getId()), total, byProduct);
      }
    }
    return new Trade(total, byProduct);
  }

  /** A sale's movements take units out (cost of goods sold), a refund's put them back (cost returned). */
  private static void costOf(List<StockMovement> movements, Figures total, Map<String, Figures> byProduct) {
    if (movements == null) {
      return;
    }
    for (StockMovement m : movements) {
      long cost = -Money.times(m.getUnitCostMinor(), m.getQuantity());
      total.cost += cost;
      product(byProduct, m.getProductId(), null, null).cost += cost;
    }
  }

  private static Figures product(Map<String, Figures> byProduct, String productId, String barcode, String name) {
    Figures f = byProduct.computeIfAbsent(productId == null ? "" : productId, k -> new Figures());
    if (f.barcode == null && barcode != null) {
      f.barcode = barcode;
    }
    if (f.name == null && name != null) {
      f.name = name;
    }
    return f;
  }

  private List<SalesDay> salesJournals(LocalDate day) {
    List<SalesDay> journals = ResourceRoots.of(view, Repositories.salesFolder(siteId) + "/" + day, SalesDay.class);
    if (daysRead.add(day)) {
      for (SalesDay j : journals) {
        for (Sale s : j.getSales()) {
          for (SaleLine l : s.getLines()) {
            saleLines.put(l.getId(), l);
          }
        }
      }
    }
    return journals;
  }

  /**
   * The sale line a refund line refunds: a refund names its sale's line by id, and its sale is of the same day or an
   * earlier one. Earlier days are read newest first, only as far back as needed.
   */
  private SaleLine saleLine(String lineId, LocalDate refundDay) {
    SaleLine line = saleLines.get(lineId);
    if (line != null || lineId == null) {
      return line;
    }
    for (LocalDate day : salesDays()) {
      if (!day.isAfter(refundDay) && !daysRead.contains(day)) {
        salesJournals(day);
        line = saleLines.get(lineId);
        if (line != null) {
          return line;
        }
      }
    }
    return null;
  }

  /** Every business day with a sales folder, newest first. */
  private List<LocalDate> salesDays() {
    if (salesDays == null) {
      TreeSet<LocalDate> days = new TreeSet<>(Comparator.reverseOrder());
      String folder = Repositories.salesFolder(siteId);
      if (view.hasResource(folder) && view.getResourceNode(folder) instanceof CDOResourceFolder f) {
        for (CDOResourceNode n : f.getNodes()) {
          try {
            days.add(LocalDate.parse(n.getName()));
          } catch (DateTimeParseException notADay) {
            // not a journal folder
          }
        }
      }
      salesDays = new ArrayList<>(days);
    }
    return salesDays;
  }

  private Map<String, List<StockMovement>> movementsByDocument(LocalDate day) {
    Map<String, List<StockMovement>> result = new HashMap<>();
    for (MovementJournal j : ResourceRoots.of(view, movementsFolder(siteId, day), MovementJournal.class)) {
      for (StockMovement m : j.getMovements()) {
        if (m.getDocumentId() != null) {
          result.computeIfAbsent(m.getDocumentId(), k -> new ArrayList<>()).add(m);
        }
      }
    }
    return result;
  }

  private static String movementsFolder(String siteId, LocalDate day) {
    return "/sites/" + siteId + "/movements/" + day;
  }

  /** Money and units of a day or a product; everything else is derived, so rows can never disagree with themselves. */
  private static final class Figures {
    int sales;
    int refunds;
    int units;
    long gross;
    long refunded;
    long vat;
    long cost;
    String barcode;
    String name;

    long revenue() {
      return gross - refunded;
    }

    long net() {
      return revenue() - vat;
    }

    long margin() {
      return net() - cost;
    }

    int marginBasisPoints() {
      return basisPoints(margin(), net());
    }

    void add(Figures o) {
      sales += o.sales;
      refunds += o.refunds;
      units += o.units;
      gross += o.gross;
      refunded += o.refunded;
      vat += o.vat;
      cost += o.cost;
      barcode = barcode != null ? barcode : o.barcode;
      name = name != null ? name : o.name;
    }

    DaySales day(LocalDate day) {
      return new DaySales(day, sales, refunds, units, gross, refunded, revenue(), vat, net(), cost, margin(), marginBasisPoints());
    }
  }

  /** part × 10000 / whole, rounded half away from zero; 0 when there is no whole. */
  static int basisPoints(long part, long whole) {
    if (whole == 0) {
      return 0;
    }
    long scaled = Math.multiplyExact(Math.abs(part), 10_000L);
    long bp = (scaled + Math.abs(whole) / 2) / Math.abs(whole);
    long signed = (part < 0) != (whole < 0) ? -bp : bp;
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, signed));
  }

  // ---- stock ----

  /** {@link ReportService#stockValue}, expiry bands counted from {@code on}. */
  public StockValue stockValue(LocalDate on) {
    Map<String, ProductStock> byProduct = new HashMap<>();
    Map<ExpiryBand, StockBand> bands = emptyBands(ExpiryBand.values());
    int batches = 0;
    int units = 0;
    long cost = 0;
    long list = 0;
    for (OnHand b : onHand(on)) {
      batches++;
      units += b.units;
      cost += b.cost;
      list += b.list;
      byProduct.merge(b.batch.getProductId(), new ProductStock(b.batch.getProductId(), b.batch.getBarcode(),
          b.batch.getProductName(), 1, b.units, b.cost, b.list), SiteFigures::plus);
      bands.merge(b.band, new StockBand(b.band, 1, b.units, b.cost, b.list), SiteFigures::plus);
    }
    List<ProductStock> products = new ArrayList<>(byProduct.values());
    products.sort(Comparator.comparingLong((ProductStock p) -> -p.costMinor())
        .thenComparing(ProductStock::productName, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER))
        .thenComparing(ProductStock::productId, Comparator.nullsLast(Comparator.naturalOrder())));
    return new StockValue(on, batches, units, cost, list, products, List.copyOf(bands.values()));
  }

  /** {@link ReportService#expiringStock}, counted from {@code on}. */
  public ExpiringStock expiringStock(LocalDate on, int days) {
    checkDays(days);
    Map<ExpiryBand, StockBand> bands = emptyBands(ExpiryBand.EXPIRED, ExpiryBand.DAYS_30, ExpiryBand.DAYS_60, ExpiryBand.DAYS_90);
    List<ExpiringBatch> batches = new ArrayList<>();
    for (OnHand b : onHand(on)) {
      if (b.expiry == null) {
        continue;
      }
      if (bands.containsKey(b.band)) {
        bands.merge(b.band, new StockBand(b.band, 1, b.units, b.cost, b.list), SiteFigures::plus);
      }
      if (b.daysToExpiry <= days) {
        StockBatch s = b.batch;
        batches.add(new ExpiringBatch(s.getId(), s.getProductId(), s.getBarcode(), s.getProductName(), s.getLotNumber(), b.expiry,
            (int) b.daysToExpiry, b.band, b.units, b.cost, b.list));
      }
    }
    batches.sort(Comparator.comparing(ExpiringBatch::expiry)
        .thenComparing(ExpiringBatch::productName, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER))
        .thenComparing(ExpiringBatch::lot, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(ExpiringBatch::batchId));
    return new ExpiringStock(on, days, List.copyOf(bands.values()), batches);
  }

  /** A batch with units on hand, valued. {@code expiry} null when the batch's date is unreadable (counted as LATER). */
  private record OnHand(StockBatch batch, int units, long cost, long list, LocalDate expiry, long daysToExpiry, ExpiryBand band) {
  }

  private List<OnHand> onHand(LocalDate on) {
    List<OnHand> result = new ArrayList<>();
    for (StockBucket bucket : ResourceRoots.of(view, "/sites/" + siteId + "/stock", StockBucket.class)) {
      for (StockBatch b : bucket.getBatches()) {
        int units = b.getQuantity();
        if (units <= 0) {
          continue;
        }
        LocalDate expiry;
        try {
          expiry = b.getExpiryDate() == null ? null : LocalDate.parse(b.getExpiryDate());
        } catch (DateTimeParseException e) {
          expiry = null;
        }
        long days = expiry == null ? Long.MAX_VALUE : ChronoUnit.DAYS.between(on, expiry);
        result.add(new OnHand(b, units, Money.times(b.getUnitCostMinor(), units),
            Money.times(prices.listPriceMinor(b.getProductId(), b.getBarcode()), units), expiry, days, ExpiryBand.of(days)));
      }
    }
    return result;
  }

  private static Map<ExpiryBand, StockBand> emptyBands(ExpiryBand... bands) {
    Map<ExpiryBand, StockBand> result = new EnumMap<>(ExpiryBand.class);
    for (ExpiryBand b : bands) {
      result.put(b, new StockBand(b, 0, 0, 0, 0));
    }
    return result;
  }

  private static ProductStock plus(ProductStock a, ProductStock b) {
    return new ProductStock(a.productId(), a.barcode(), a.productName(), a.batches() + b.batches(), a.units() + b.units(),
        a.costMinor() + b.costMinor(), a.listMinor() + b.listMinor());
  }

  private static StockBand plus(StockBand a, StockBand b) {
    return new StockBand(a.band(), a.batches() + b.batches(), a.units() + b.units(), a.costMinor() + b.costMinor(),
        a.listMinor() + b.listMinor());
  }
}
