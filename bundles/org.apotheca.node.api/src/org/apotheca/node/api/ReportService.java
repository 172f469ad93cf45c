package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;

/**
 * The pharmacy's figures: sales per day and per product, margin, stock value, expiring stock. Each is computed from the
 * pharmacy's own recorded documents (sales journals, refunds, stock movements, batches) and the catalogue's list prices,
 * by the same code on the node and at central ({@code apotheca report ...} on central's console), so both show the same
 * figures once the node's work has reached central.
 * <p>
 * Definitions (money in minor units, all {@code long}):
 * <ul>
 * <li><b>gross</b>: the totals of the completed sales made that day, VAT included;</li>
 * <li><b>refunded</b>: what the refunds made that day paid back, VAT included (a refund counts on the day it is made,
 * like the till's cash, not on the day of the sale it refunds);</li>
 * <li><b>revenue</b> = gross − refunded (VAT included); <b>VAT</b> = VAT of the sales − VAT of the refunds (each refund
 * line at its sale line's rate); <b>net</b> = revenue − VAT;</li>
 * <li><b>cost</b> (cost of goods sold) = Σ units each sale took from a batch × that batch's unit cost, − Σ units a
 * refund put back × the batch's unit cost (read from the stock movements the documents made);</li>
 * <li><b>margin</b> = net − cost; <b>margin basis points</b> = margin × 10000 / net (0 when net is 0).</li>
 * </ul>
 * Stock is valued per batch on hand: units × the batch's unit cost ("at cost") and units × the product's current list
 * price in the catalogue, VAT included ("at list price").
 * <p>
 * Every call needs the session of a pharmacist or manager ({@link Refusal#NOT_LOGGED_IN}, {@link Refusal#NOT_ALLOWED});
 * none writes anything. Part of {@link NodeService}: refusals carry a {@link Refusal} code and one sentence.
 */
public interface ReportService {

  /** The longest range of days a sales report covers. */
  int MAX_DAYS = 366;
  /** The most products {@link #salesByProduct} ranks. */
  int MAX_PRODUCTS = 1000;
  /** The furthest ahead {@link #expiringStock} looks. */
  int MAX_EXPIRY_DAYS = 3660;

  /**
   * One row per business day from {@code from} to {@code to} (both included, oldest first), days without trade
   * included as zero rows, so a chart's x axis is continuous. Refuses ({@link Refusal#BAD_INPUT}) a null date, a
   * {@code to} before {@code from}, or a range longer than {@value #MAX_DAYS} days.
   */
  List<DaySales> salesByDay(String token, LocalDate from, LocalDate to);

  /**
   * The products sold from {@code from} to {@code to} (both included), net of the refunds made in that range, ranked
   * by revenue (highest first, then by name), at most {@code limit} (1 to {@value #MAX_PRODUCTS}). Same refusals as
   * {@link #salesByDay}, and {@link Refusal#BAD_INPUT} for a limit out of range.
   */
  List<ProductSales> salesByProduct(String token, LocalDate from, LocalDate to, int limit);

  /**
   * What the stock on hand (every batch with units, quarantined and expired ones included) is worth now, in total,
   * per product (highest value at cost first) and per expiry band (every {@link BatchInfo.ExpiryBand}, in its order,
   * zero rows included), bands counted from the node's today.
   */
  StockValue stockValue(String token);

  /**
   * The batches on hand that expired or expire within {@code days} days of today (0 to {@value #MAX_EXPIRY_DAYS}),
   * earliest expiry first, and their value per band EXPIRED, DAYS_30, DAYS_60, DAYS_90 (always those four rows, the
   * ones beyond {@code days} counted too, so the 30/60/90 chart never depends on {@code days}). Refuses a negative or
   * too large {@code days} ({@link Refusal#BAD_INPUT}).
   */
  ExpiringStock expiringStock(String token, int days);

  /**
   * A day's trade.
   *
   * @param sales completed sales made that day
   * @param refunds refunds made that day
   * @param units units sold that day less units refunded that day
   * @param grossMinor sales' totals, VAT included
   * @param refundedMinor refunds' totals, VAT included
   * @param revenueMinor gross − refunded, VAT included
   * @param vatMinor VAT in the revenue
   * @param netMinor revenue − VAT
   * @param costMinor cost of the goods sold (less the cost of the goods refunds put back)
   * @param marginMinor net − cost
   * @param marginBasisPoints margin as hundredths of a percent of net, 0 when net is 0
   */
  record DaySales(LocalDate day, int sales, int refunds, int units, long grossMinor, long refundedMinor, long revenueMinor,
      long vatMinor, long netMinor, long costMinor, long marginMinor, int marginBasisPoints) {
  }

  /**
   * One product's trade over a range: the sales of the range less the refunds made in the range.
   *
   * @param rank 1 for the highest revenue
   * @param units units sold less units refunded
   */
  record ProductSales(int rank, String productId, String barcode, String productName, int units, long revenueMinor,
      long vatMinor, long netMinor, long costMinor, long marginMinor, int marginBasisPoints) {
  }

  /**
   * The stock on hand.
   *
   * @param on the day the expiry bands are counted from
   * @param costMinor Σ units × batch unit cost
   * @param listMinor Σ units × current list price (VAT included)
   * @param products one row per product with units on hand, highest value at cost first
   * @param bands one row per {@link BatchInfo.ExpiryBand}, in its order
   */
  record StockValue(LocalDate on, int batches, int units, long costMinor, long listMinor, List<ProductStock> products,
      List<StockBand> bands) {

    public StockValue {
      products = List.copyOf(products);
      bands = List.copyOf(bands);
    }
  }

  /** One product's stock on hand and its value. */
  record ProductStock(String productId, String barcode, String productName, int batches, int units, long costMinor,
      long listMinor) {
  }

  /** The stock of one expiry band and its value. */
  record StockBand(BatchInfo.ExpiryBand band, int batches, int units, long costMinor, long listMinor) {
  }

  /**
   * Stock near its expiry.
   *
   * @param days how far ahead {@code batches} looks
   * @param bands EXPIRED, DAYS_30, DAYS_60, DAYS_90, in that order
   * @param batches the batches expired or expiring within {@code days}, earliest first
   */
  record ExpiringStock(LocalDate on, int days, List<StockBand> bands, List<ExpiringBatch> batches) {

    public ExpiringStock {
      bands = List.copyOf(bands);
      batches = List.copyOf(batches);
    }
  }

  /**
   * One batch near its expiry.
   *
   * @param daysToExpiry negative when expired
   */
  record ExpiringBatch(String batchId, String productId, String barcode, String productName, String lot, LocalDate expiry,
      int daysToExpiry, BatchInfo.ExpiryBand band, int units, long costMinor, long listMinor) {
  }
}
