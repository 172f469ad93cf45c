package org.apotheca.core.ledger;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.core.catalogue.CatalogueIndex;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.catalogue.CatalogueRow;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.Barcode;
import org.apotheca.model.DailyJournal;
import org.apotheca.model.DocumentStatus;
import org.apotheca.model.GoodsReceipt;
import org.apotheca.model.GoodsReceiptLine;
import org.apotheca.model.MovementJournal;
import org.apotheca.model.MovementReason;
import org.apotheca.model.Payment;
import org.apotheca.model.Product;
import org.apotheca.model.Recall;
import org.apotheca.model.RecallLog;
import org.apotheca.model.RecallReceipt;
import org.apotheca.model.ReceivingDay;
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
import org.apotheca.model.ownership.Bounds;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.node.api.Allocation;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.PaymentMethod;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.RecallAlert;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.RefundInfo;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.branch.CDOBranch;
import org.eclipse.emf.cdo.common.revision.CDORevision;
import org.eclipse.emf.cdo.transaction.CDOTransaction;

/**
 * A pharmacy's stock and sales book on one CDO transaction of its site repository: baskets sold FEFO, refunds,
 * goods receipts, and what the tills read of them. Answers in the node API's plain records only: no live CDO
 * object leaves the ledger.
 * <p>
 * <b>One writer.</b> The ledger assumes it is the only writer of the site repository's pharmacy data (the node
 * funnels every till through one ledger). That is what makes FEFO exact while offline: two tills with their own
 * CDO transactions would each get their own offline branch and could both sell the last pack. It also lets the
 * ledger keep its batch index in memory instead of re-reading all stock per scan.
 * <p>
 * Stock is moved, never overwritten: every sale, refund or receipt appends {@link StockMovement}s (signed) to the
 * till's movement journal, and {@link StockBatch#getQuantity()} is the on-hand figure kept in step with them.
 * Every operation is one commit: when {@code commit()} returns it is durable (on Derby a synced log write); on any
 * failure it is rolled back whole and the caller gets a {@link LedgerException}. Sales, refunds and receipts carry
 * ids chosen by the till, so a retry after a lost answer finds the first attempt instead of recording it twice.
 */
public final class SiteLedger {

  private static final Logger LOG = Logger.getLogger(SiteLedger.class.getName());
  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;
  private static final int SALES_PER_JOURNAL = Bounds.max(ApothecaPackage.Literals.SALES_DAY__SALES);
  private static final int REFUNDS_PER_JOURNAL = Bounds.max(ApothecaPackage.Literals.SALES_DAY__REFUNDS);
  private static final int MOVEMENTS_PER_JOURNAL = Bounds.max(ApothecaPackage.Literals.MOVEMENT_JOURNAL__MOVEMENTS);
  private static final int RECEIPTS_PER_JOURNAL = Bounds.max(ApothecaPackage.Literals.RECEIVING_DAY__GOODS_RECEIPTS);
  private static final int BATCHES_PER_BUCKET = Bounds.max(ApothecaPackage.Literals.STOCK_BUCKET__BATCHES);
  private static final int RECALL_RECEIPTS_PER_LOG = Bounds.max(ApothecaPackage.Literals.RECALL_LOG__RECEIPTS);
  /** A sale's lines are one containment list: bounded like every list, and no till basket comes near it. */
  public static final int MAX_LINES = 100;
  public static final int MAX_REASON = 200;
  /** Far above any till's takings; below it no sum of lines can overflow a long. */
  private static final long MAX_AMOUNT_MINOR = 100_000_000_00L;
  /** GS1's character set 82 (what a lot may carry), printable ASCII without space and a few symbols. */
  private static final Pattern LOT = Pattern.compile("[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{1," + ReceiveRequest.MAX_LOT + "}");
  private static final Pattern DOCUMENT_ID = Pattern.compile("[A-Za-z0-9-]{8,64}");
  private static final Pattern TILL = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private final CDOTransaction tx;
  private final CatalogueIndex catalogue;
  private final String siteId;
  private final java.time.Clock clock;
  private final Map<String, List<StockBatch>> batchesByProduct = new HashMap<>();
  private final List<StockBucket> buckets = new ArrayList<>();
  /** Recall ids (and "id/lift") this pharmacy has already written a receipt for. */
  private final Set<String> recallReceipts = new HashSet<>();
  private final List<RecallLog> recallLogs = new ArrayList<>();
  private final ControlledDrugRegister register = new ControlledDrugRegister(this);
  private final Dispensary dispensary = new Dispensary(this);

  public SiteLedger(CDOTransaction tx, CatalogueIndex catalogue, String siteId, java.time.Clock clock) {
    this.tx = tx;
    this.catalogue = catalogue;
    this.siteId = Repositories.checkSiteId(siteId);
    this.clock = clock;
    tx.addTransactionHandler(new AppendOnlyGuard());
    reindex();
  }

  public String siteId() {
    return siteId;
  }

  /** Patients, prescriptions, dispensing: under this ledger's lock, one commit each. */
  public Dispensary dispensary() {
    return dispensary;
  }

  /** The controlled-drugs register: written only by this ledger's operations. */
  public ControlledDrugRegister register() {
    return register;
  }

  // ---- the branch the ledger writes on: only the merge agent moves it ----

  /** The branch the ledger writes on now: MAIN online, {@code MAIN/Offline-...} while offline work is unmerged. */
  public synchronized CDOBranch branch() {
    return tx.getBranch();
  }

  /** Runs {@code work} with no sale, refund or receipt in between (the merge agent merges under it). */
  public synchronized <T> T exclusive(java.util.function.Supplier<T> work) {
    return work.get();
  }

  /** Moves the ledger onto {@code branch} (back to MAIN after its offline branch was merged) and re-reads stock. */
  public synchronized void switchTo(CDOBranch target) {
    if (tx.getBranch() != target) {
      tx.setBranch(target);
      reindex();
    }
  }

  // ---- reads ----

  /** The product with this code and this pharmacy's stock of it. */
  public synchronized ProductInfo product(String code) {
    return info(product(code, null));
  }

  /** Search results with this pharmacy's stock of each. */
  public synchronized List<ProductInfo> search(String text, int limit) {
    List<ProductInfo> result = new ArrayList<>();
    for (CatalogueRow row : catalogue.search(text, Math.min(Math.max(limit, 0), 500))) {
      result.add(info(row, false, !catalogue.activeRecalls(row.id()).isEmpty()));
    }
    return result;
  }

  /** Batches of the product on hand (quantity &gt; 0), earliest expiry first. */
  public synchronized List<BatchInfo> batches(String code) {
    Product product = product(code, null);
    List<org.apotheca.model.Recall> recalls = catalogue.activeRecalls(product.getId());
    List<BatchInfo> result = new ArrayList<>();
    for (StockBatch b : batchesByProduct.getOrDefault(product.getId(), List.of())) {
      if (b.getQuantity() > 0) {
        result.add(info(b, recalls));
      }
    }
    result.sort(Comparator.comparing(BatchInfo::expiry).thenComparing(BatchInfo::lot));
    return result;
  }

  /** Recalls that hit stock on hand here: what every till must show until the stock is gone or the recall lifted. */
  public synchronized List<RecallAlert> recallAlerts() {
    List<RecallAlert> result = new ArrayList<>();
    for (Recall r : catalogue.allRecalls()) {
      if (r.getLiftedAt() != 0) {
        continue;
      }
      int units = 0;
      Set<String> lots = new java.util.TreeSet<>();
      for (StockBatch b : batchesByProduct.getOrDefault(r.getProductId(), List.of())) {
        if (b.getQuantity() > 0 && covers(r, b)) {
          units += b.getQuantity();
          lots.add(b.getLotNumber());
        }
      }
      if (units > 0) {
        Product p = r.getCode() == null ? null : catalogue.find(r.getCode());
        result.add(new RecallAlert(r.getNumber(), r.getCode(), p == null ? r.getCode() : p.getName(), List.copyOf(lots), units,
            r.getReason(), r.getIssuedAt()));
      }
    }
    return result;
  }

  /** The product's active recalls as "number:lot,lot" ("number:all" for every batch), for support staff. */
  public synchronized List<String> recallSummaries(String code) {
    List<String> result = new ArrayList<>();
    for (Recall r : catalogue.activeRecalls(product(code, null).getId())) {
      result.add(r.getNumber() + (r.getLotNumbers().isEmpty() ? ":all" : ":" + String.join(",", r.getLotNumbers())));
    }
    return result;
  }

  /** Prices a line and plans it FEFO, writing nothing. */
  public synchronized Quote quote(LineRequest line) {
    Priced p = price(line, new HashMap<>());
    refuseControlled(p.product);
    return new Quote(info(p.product), line, p.product.getListPriceMinor(), p.vat, p.lineTotal, p.vatMinor, allocations(p.takes));
  }

  public synchronized SalesReader.Summary summary() {
    return SalesReader.summary(tx, siteId);
  }

  /** True if the pharmacy has received any stock. */
  public synchronized boolean hasStock() {
    return batchesByProduct.values().stream().anyMatch(l -> !l.isEmpty());
  }

  // ---- selling ----

  /** A basket line priced and planned: what sell writes and quote shows. */
  private record Priced(LineRequest line, Product product, int vat, long lineTotal, long vatMinor, List<FefoPlan.Take> takes) {
  }

  private Priced price(LineRequest line, Map<String, Integer> taken) {
    if (line == null) {
      throw new LedgerException(Refusal.BAD_INPUT, "A basket line is missing");
    }
    Product product = product(line.code(), line.lot());
    String lot = line.lot() == null || line.lot().isBlank() ? null : line.lot().trim();
    if (lot != null && !LOT.matcher(lot).matches()) {
      throw lot.length() > ReceiveRequest.MAX_LOT
          ? new LedgerException(Refusal.FIELD_TOO_LONG, "Lot numbers have at most " + ReceiveRequest.MAX_LOT + " characters")
          : new LedgerException(Refusal.BAD_INPUT, "'" + lot + "' is not a lot number a pack could carry");
    }
    String expiry = line.expiry() == null || line.expiry().isBlank() ? null : isoDate(line.expiry(), "The scanned expiry");
    List<FefoPlan.Recall> recalls = new ArrayList<>();
    for (Recall r : catalogue.activeRecalls(product.getId())) {
      recalls.add(new FefoPlan.Recall(r.getNumber(), Set.copyOf(r.getLotNumbers()), r.getReason()));
    }
    List<FefoPlan.Batch> shelf = new ArrayList<>();
    for (StockBatch b : batchesByProduct.getOrDefault(product.getId(), List.of())) {
      shelf.add(new FefoPlan.Batch(b.getId(), b.getLotNumber(), b.getExpiryDate(), b.getQuantity(), b.isQuarantined(), b.getReceivedAt()));
    }
    List<FefoPlan.Take> takes = FefoPlan.plan(new FefoPlan.Request(what(product, line.code()), product.isWithdrawn(), lot, expiry,
        line.quantity()), recalls, shelf, taken, LocalDate.now(clock));
    for (FefoPlan.Take t : takes) {
      taken.merge(t.batch().id(), t.quantity(), Integer::sum);
    }
    int vat = product.getVatRate() == null ? 0 : product.getVatRate().getRateBasisPoints();
    long total = Money.times(product.getListPriceMinor(), line.quantity());
    return new Priced(line, product, vat, total, Money.vatIncluded(total, vat), takes);
  }

  /**
   * Records a basket with its payments as one sale (FEFO per line, one commit). The price is the catalogue's as
   * this node holds it now, copied into the sale. Asking again with the id of a recorded sale returns that sale.
   */
  public synchronized SaleInfo sell(String tillId, String userName, SaleRequest request) {
    checkTill(tillId);
    if (request == null || request.lines().isEmpty()) {
      throw new LedgerException(Refusal.BAD_INPUT, "The basket is empty");
    }
    if (request.lines().size() > MAX_LINES) {
      throw new LedgerException(Refusal.BAD_INPUT, "A sale has at most " + MAX_LINES + " lines: split the basket");
    }
    String saleId = documentId(request.saleId(), "sale");
    LocalDate today = LocalDate.now(clock);
    Sale existing = findSaleById(tillId, today, saleId);
    if (existing != null) {
      return saleInfo(existing);
    }
    Map<String, Integer> taken = new HashMap<>();
    List<Priced> lines = new ArrayList<>();
    long total = 0;
    long vatTotal = 0;
    for (LineRequest line : request.lines()) {
      Priced p = price(line, taken);
      refuseControlled(p.product);
      lines.add(p);
      total += p.lineTotal;
      vatTotal += p.vatMinor;
    }
    long change = checkPayments(request.payments(), total);

    long now = clock.millis();
    Sale sale = Ownership.stamp(F.createSale(), siteId);
    sale.setId(saleId);
    try {
      SalesDay journal = salesJournal(tillId, today, false);
      sale.setReceiptNumber(tillId + "-" + today.toString().replace("-", "") + "-"
          + (journal.getPart() * SALES_PER_JOURNAL + journal.getSales().size() + 1));
      sale.setSoldAt(now);
      sale.setStatus(SaleStatus.COMPLETED);
      sale.setUserId(userName);
      sale.setUserName(userName);
      sale.setTotalMinor(total);
      sale.setVatTotalMinor(vatTotal);
      for (PaymentRequest pr : request.payments()) {
        Payment payment = Ownership.stamp(F.createPayment(), siteId);
        payment.setMethod(pr.method() == PaymentMethod.CARD ? org.apotheca.model.PaymentMethod.CARD : org.apotheca.model.PaymentMethod.CASH);
        payment.setAmountMinor(pr.amountMinor());
        payment.setTenderedMinor(pr.tenderedMinor());
        payment.setChangeMinor(pr.tenderedMinor() - pr.amountMinor());
        payment.setPaidAt(now);
        sale.getPayments().add(payment);
      }
      journal.getSales().add(sale);
      for (Priced p : lines) {
        SaleLine line = Ownership.stamp(F.createSaleLine(), siteId);
        line.setProductId(p.product.getId());
        line.setBarcode(p.line.code().trim());
        line.setProductName(p.product.getName());
        line.setQuantity(p.line.quantity());
        line.setUnitPriceMinor(p.product.getListPriceMinor());
        line.setVatRateBasisPoints(p.vat);
        line.setLineTotalMinor(p.lineTotal);
        line.setVatMinor(p.vatMinor);
        sale.getLines().add(line);
        for (FefoPlan.Take t : p.takes) {
          move(tillId, userName, today, batch(p.product.getId(), t.batch().id()), -t.quantity(), MovementReason.SALE, saleId,
              line.getId(), now);
        }
      }
      tx.setCommitComment("sale " + sale.getReceiptNumber());
      tx.commit();
    } catch (Exception e) {
      LedgerException failure = failed("Sale of " + lines.size() + " line(s) was not recorded", e);
      Sale recorded = findSaleById(tillId, today, saleId);
      if (recorded != null) {
        // Write-through: the clone committed at central and locally, then failed on its way back (CDO 4.7 NPEs
        // in WriteThroughCommitContext when the link drops at that moment). The sale IS recorded; saying otherwise
        // would make the operator sell it again.
        LOG.warning(() -> "Sale " + saleId + " was recorded although its commit reported: " + failure.getMessage());
        return saleInfo(recorded);
      }
      throw failure;
    }
    LOG.fine(() -> "Sale " + sale.getReceiptNumber() + " total " + sale.getTotalMinor() + " change " + change);
    return saleInfo(sale);
  }

  /** A controlled drug leaves only by a dispensing, which writes its register entry; never over the counter. */
  private static void refuseControlled(Product p) {
    if (ControlledDrugRegister.controlled(p)) {
      throw new LedgerException(Refusal.NOT_ALLOWED, p.getName() + " is a controlled drug (" + p.getSchedule().getLiteral().toLowerCase()
          .replace('_', ' ') + "): dispense it against a prescription, not at the till");
    }
  }

  /** Sells one product paid exactly in cash: the console's and the benchmarks' single-line sale. */
  public SaleReceipt sellOne(String tillId, String userName, String barcode, String lot, int quantity, String saleId) {
    SaleInfo sale;
    synchronized (this) {
      Quote q = quote(new LineRequest(barcode, lot, null, quantity));
      sale = sell(tillId, userName, new SaleRequest(saleId, List.of(q.line()),
          List.of(PaymentRequest.cash(q.lineTotalMinor(), q.lineTotalMinor()))));
    }
    SaleInfo.Line line = sale.lines().get(0);
    List<SaleReceipt.Allocation> allocations = new ArrayList<>();
    for (Allocation a : line.allocations()) {
      allocations.add(new SaleReceipt.Allocation(a.batchId(), a.lot(), a.expiry(), a.quantity()));
    }
    return new SaleReceipt(sale.saleId(), sale.receiptNumber(), line.barcode(), line.productName(), line.quantity(),
        line.unitPriceMinor(), sale.totalMinor(), allocations, !sale.atCentral());
  }

  /** Returns the change; refuses payments that do not add up to the total. */
  private static long checkPayments(List<PaymentRequest> payments, long total) {
    if (payments == null || payments.isEmpty()) {
      throw new LedgerException(Refusal.BAD_PAYMENT, "No payment given");
    }
    long paid = 0;
    long change = 0;
    for (PaymentRequest p : payments) {
      if (p == null || p.method() == null) {
        throw new LedgerException(Refusal.BAD_PAYMENT, "A payment has no method (cash or card)");
      }
      if (p.amountMinor() <= 0 || p.amountMinor() > MAX_AMOUNT_MINOR || p.tenderedMinor() > MAX_AMOUNT_MINOR) {
        throw new LedgerException(Refusal.BAD_PAYMENT, "Payment amounts must be positive (got " + Money.toPlainString(p.amountMinor(), 2) + ")");
      }
      if (p.method() == PaymentMethod.CARD && p.tenderedMinor() != p.amountMinor()) {
        throw new LedgerException(Refusal.BAD_PAYMENT, "A card payment is for its exact amount: no change on cards");
      }
      if (p.tenderedMinor() < p.amountMinor()) {
        throw new LedgerException(Refusal.BAD_PAYMENT, "Cash tendered " + Money.toPlainString(p.tenderedMinor(), 2)
            + " is less than the " + Money.toPlainString(p.amountMinor(), 2) + " it pays");
      }
      paid += p.amountMinor();
      change += p.tenderedMinor() - p.amountMinor();
    }
    if (paid != total) {
      throw new LedgerException(Refusal.BAD_PAYMENT, "The payments add up to " + Money.toPlainString(paid, 2) + " but the sale is "
          + Money.toPlainString(total, 2));
    }
    return change;
  }

  /** A recorded sale by receipt number ({@code <till>-<yyyyMMdd>-<n>}). */
  public synchronized SaleInfo sale(String receiptNumber) {
    return saleInfo(saleByReceipt(receiptNumber));
  }

  /** Every sale of one business day (all tills), newest first. */
  public synchronized List<SaleInfo> sales(LocalDate day) {
    List<Sale> sales = new ArrayList<>();
    for (SalesDay journal : ResourceRoots.of(tx, Repositories.salesFolder(siteId) + "/" + day, SalesDay.class)) {
      sales.addAll(journal.getSales());
    }
    Map<String, Map<String, Integer>> refunded = refundedQuantities(sales, day);
    Map<String, List<StockMovement>> movements = saleMovements(day);
    List<SaleInfo> result = new ArrayList<>();
    for (Sale s : sales) {
      result.add(saleInfo(s, refunded.getOrDefault(s.getId(), Map.of()), movements));
    }
    result.sort(Comparator.comparingLong(SaleInfo::soldAt).reversed().thenComparing(SaleInfo::receiptNumber));
    return result;
  }

  // ---- refunds ----

  /**
   * Refunds some lines of an earlier sale at the price paid; the units go back to the batches they came from (the
   * latest-expiring first). Never more than was sold less what was refunded before.
   */
  public synchronized RefundInfo refund(String tillId, String userName, RefundRequest request) {
    checkTill(tillId);
    if (request == null || request.lines().isEmpty()) {
      throw new LedgerException(Refusal.BAD_INPUT, "Choose at least one line to refund");
    }
    String refundId = documentId(request.refundId(), "refund");
    String reason = request.reason() == null ? "" : request.reason().strip();
    if (reason.isEmpty()) {
      throw new LedgerException(Refusal.BAD_INPUT, "A refund needs a reason");
    }
    if (reason.length() > MAX_REASON) {
      throw new LedgerException(Refusal.FIELD_TOO_LONG, "The reason has at most " + MAX_REASON + " characters");
    }
    if (request.method() == null) {
      throw new LedgerException(Refusal.BAD_PAYMENT, "Say how the refund is paid: cash or card");
    }
    LocalDate today = LocalDate.now(clock);
    Refund done = findRefundById(tillId, today, refundId);
    if (done != null) {
      return refundInfo(done, saleByReceipt(request.receiptNumber()));
    }
    Sale sale = saleByReceipt(request.receiptNumber());
    LocalDate saleDay = dayOf(sale);
    Map<String, Integer> refundedBefore = refundedQuantities(List.of(sale), saleDay).getOrDefault(sale.getId(), Map.of());
    Map<String, List<StockMovement>> movements = saleMovements(saleDay);
    Map<String, Map<String, Integer>> returnedBefore = returnedPerBatch(sale, saleDay);
    Map<String, Integer> asked = new LinkedHashMap<>();
    for (RefundRequest.Line l : request.lines()) {
      if (l == null || l.saleLineId() == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "A refund line names no sale line");
      }
      asked.merge(l.saleLineId(), l.quantity(), Integer::sum);
    }
    long now = clock.millis();
    Refund refund = Ownership.stamp(F.createRefund(), siteId);
    refund.setId(refundId);
    long total = 0;
    try {
      for (Map.Entry<String, Integer> e : asked.entrySet()) {
        SaleLine line = sale.getLines().stream().filter(l -> l.getId().equals(e.getKey())).findFirst()
            .orElseThrow(() -> new LedgerException(Refusal.BAD_INPUT, "Sale " + sale.getReceiptNumber() + " has no such line"));
        int quantity = e.getValue();
        int left = line.getQuantity() - refundedBefore.getOrDefault(line.getId(), 0);
        if (quantity < 1) {
          throw new LedgerException(Refusal.BAD_QUANTITY, "Refund quantities must be at least 1 (got " + quantity + " of "
              + line.getProductName() + ")");
        }
        if (quantity > left) {
          throw new LedgerException(Refusal.REFUND_TOO_LARGE, "Only " + left + " of " + line.getProductName() + " on receipt "
              + sale.getReceiptNumber() + " can still be refunded (" + line.getQuantity() + " sold, "
              + (line.getQuantity() - left) + " refunded before)");
        }
        long amount = Money.times(line.getUnitPriceMinor(), quantity);
        RefundLine rl = Ownership.stamp(F.createRefundLine(), siteId);
        rl.setSaleLineId(line.getId());
        rl.setProductId(line.getProductId());
        rl.setBarcode(line.getBarcode());
        rl.setQuantity(quantity);
        rl.setAmountMinor(amount);
        rl.setReturnedToStock(true);
        refund.getLines().add(rl);
        total += amount;
        returnToBatches(tillId, userName, today, line, quantity, movements.getOrDefault(line.getId(), List.of()),
            returnedBefore.getOrDefault(line.getId(), Map.of()), refundId, now);
      }
      refund.setOriginalSaleId(sale.getId());
      refund.setRefundedAt(now);
      refund.setUserId(userName);
      refund.setReason(reason);
      refund.setMethod(request.method() == PaymentMethod.CARD ? org.apotheca.model.PaymentMethod.CARD : org.apotheca.model.PaymentMethod.CASH);
      refund.setTotalMinor(total);
      salesJournal(tillId, today, true).getRefunds().add(refund);
      tx.setCommitComment("refund " + sale.getReceiptNumber());
      tx.commit();
    } catch (Exception e) {
      LedgerException failure = failed("Refund of receipt " + sale.getReceiptNumber() + " was not recorded", e);
      Refund recorded = findRefundById(tillId, today, refundId);
      if (recorded != null) {
        LOG.warning(() -> "Refund " + refundId + " was recorded although its commit reported: " + failure.getMessage());
        return refundInfo(recorded, saleByReceipt(request.receiptNumber()));
      }
      throw failure;
    }
    return refundInfo(refund, sale);
  }

  /** Puts refunded units back where the sale took them, latest expiry first, never more than a batch gave. */
  private void returnToBatches(String tillId, String user, LocalDate today, SaleLine line, int quantity, List<StockMovement> taken,
      Map<String, Integer> returnedBefore, String refundId, long now) {
    List<StockMovement> sources = new ArrayList<>(taken);
    sources.sort(Comparator.comparing((StockMovement m) -> m.getBatch().getExpiryDate()).reversed());
    int remaining = quantity;
    for (StockMovement m : sources) {
      int room = -m.getQuantity() - returnedBefore.getOrDefault(m.getBatch().getId(), 0);
      int back = Math.min(room, remaining);
      if (back > 0) {
        move(tillId, user, today, m.getBatch(), back, MovementReason.RETURN, refundId, line.getId(), now);
        remaining -= back;
      }
    }
    if (remaining > 0) {
      // a sale recorded before movements named their line; nothing to trace the batch by
      throw new LedgerException(Refusal.REFUND_TOO_LARGE, "Cannot tell which batch " + remaining + " of " + line.getProductName()
          + " came from: refund them as a stock adjustment");
    }
  }

  // ---- receiving ----

  /** Receives one batch (goods receipt): a batch, a RECEIPT movement, a goods receipt document, one commit. */
  public synchronized BatchInfo receive(String tillId, String userName, ReceiveRequest request) {
    checkTill(tillId);
    if (request == null) {
      throw new LedgerException(Refusal.BAD_INPUT, "Nothing to receive");
    }
    String receiptId = documentId(request.receiptId(), "goods receipt");
    FefoPlan.checkQuantity(request.quantity());
    Product product = product(request.code(), null);
    String lot = request.lot() == null ? "" : request.lot().strip();
    if (lot.isEmpty()) {
      throw new LedgerException(Refusal.BAD_INPUT, "A lot number is required to receive " + product.getName());
    }
    if (lot.length() > ReceiveRequest.MAX_LOT) {
      throw new LedgerException(Refusal.FIELD_TOO_LONG, "Lot numbers have at most " + ReceiveRequest.MAX_LOT + " characters (got "
          + lot.length() + "): check the pack");
    }
    if (!LOT.matcher(lot).matches()) {
      throw new LedgerException(Refusal.BAD_INPUT, "Lot '" + lot + "' has characters no pack carries (letters, digits and - . / only)");
    }
    String supplier = request.supplier() == null ? "" : request.supplier().strip();
    if (supplier.length() > ReceiveRequest.MAX_SUPPLIER) {
      throw new LedgerException(Refusal.FIELD_TOO_LONG, "Supplier names have at most " + ReceiveRequest.MAX_SUPPLIER + " characters");
    }
    LocalDate expiry = LocalDate.parse(isoDate(request.expiry(), "Expiry date"));
    LocalDate today = LocalDate.now(clock);
    if (expiry.isBefore(today)) {
      throw new LedgerException(Refusal.EXPIRED, "Lot " + lot + " of " + product.getName() + " expired on " + expiry
          + ": expired stock cannot be received");
    }
    if (expiry.isAfter(today.plusYears(30))) {
      throw new LedgerException(Refusal.BAD_INPUT, "Expiry " + expiry + " is more than 30 years ahead: check the date");
    }
    if (request.unitCostMinor() < 0 || request.unitCostMinor() > MAX_AMOUNT_MINOR) {
      throw new LedgerException(Refusal.BAD_INPUT, "Unit cost must be between 0 and " + Money.toPlainString(MAX_AMOUNT_MINOR, 2));
    }
    GoodsReceipt existing = findReceiptById(tillId, today, receiptId);
    if (existing != null) {
      return info(existing.getLines().get(0).getBatch(), catalogue.activeRecalls(product.getId()));
    }
    long now = clock.millis();
    StockBatch batch = Ownership.stamp(F.createStockBatch(), siteId);
    GoodsReceipt receipt = Ownership.stamp(F.createGoodsReceipt(), siteId);
    receipt.setId(receiptId);
    try {
      batch.setProductId(product.getId());
      batch.setBarcode(request.code().trim());
      batch.setProductName(product.getName());
      batch.setLotNumber(lot);
      batch.setExpiryDate(expiry.toString());
      batch.setQuantityReceived(request.quantity());
      batch.setQuantity(0);
      batch.setUnitCostMinor(request.unitCostMinor());
      batch.setReceivedAt(now);
      batch.setSupplierName(supplier);
      batch.setReceivedByUserId(userName);
      stockBucket().getBatches().add(batch);
      move(tillId, userName, today, batch, request.quantity(), MovementReason.RECEIPT, receiptId, null, now);
      receipt.setSupplierName(supplier);
      receipt.setReceivedAt(now);
      receipt.setReceivedByUserId(userName);
      receipt.setStatus(DocumentStatus.VERIFIED);
      receipt.setTotalCostMinor(Money.times(request.unitCostMinor(), request.quantity()));
      GoodsReceiptLine line = Ownership.stamp(F.createGoodsReceiptLine(), siteId);
      line.setProductId(product.getId());
      line.setBarcode(request.code().trim());
      line.setProductName(product.getName());
      line.setLotNumber(lot);
      line.setExpiryDate(expiry.toString());
      line.setQuantity(request.quantity());
      line.setUnitCostMinor(request.unitCostMinor());
      line.setLineCostMinor(receipt.getTotalCostMinor());
      line.setBatch(batch);
      receipt.getLines().add(line);
      receivingJournal(tillId, today).getGoodsReceipts().add(receipt);
      register.received(product, batch, receiptId, supplier, request.quantity(), userName, userName, now);
      tx.setCommitComment("receipt " + lot + " of " + request.code().trim());
      tx.commit();
    } catch (Exception e) {
      LedgerException failure = failed("Receipt of lot " + lot + " of " + request.code() + " was not recorded", e);
      GoodsReceipt recorded = findReceiptById(tillId, today, receiptId);
      if (recorded != null) { // committed although the commit reported a failure: see sell
        LOG.warning(() -> "Goods receipt " + receiptId + " was recorded although its commit reported: " + failure.getMessage());
        return info(recorded.getLines().get(0).getBatch(), catalogue.activeRecalls(product.getId()));
      }
      throw failure;
    }
    batchesByProduct.computeIfAbsent(product.getId(), k -> new ArrayList<>()).add(batch);
    return info(batch, catalogue.activeRecalls(product.getId()));
  }

  // ---- recalls ----

  /**
   * Writes a receipt for every recall (and every lift) this pharmacy has not acknowledged yet, in one commit: central
   * reads them to tell which pharmacies are still exposed. Returns how many were written.
   */
  public synchronized int acknowledgeRecalls(List<Recall> recalls) {
    List<RecallReceipt> fresh = new ArrayList<>();
    long now = clock.millis();
    for (Recall r : recalls) {
      if (!recallReceipts.contains(r.getId())) {
        fresh.add(recallReceipt(r, false, now));
      }
      if (r.getLiftedAt() != 0 && !recallReceipts.contains(r.getId() + "/lift")) {
        fresh.add(recallReceipt(r, true, now));
      }
    }
    if (fresh.isEmpty()) {
      return 0;
    }
    try {
      for (RecallReceipt rr : fresh) {
        RecallLog log = recallLogs.isEmpty() ? null : recallLogs.get(recallLogs.size() - 1);
        if (log == null || log.getReceipts().size() >= RECALL_RECEIPTS_PER_LOG) {
          log = Ownership.stamp(F.createRecallLog(), siteId);
          log.setBucketKey(Repositories.bucketKey(recallLogs.size()));
          tx.getOrCreateResource(Repositories.recallLog(siteId, recallLogs.size())).getContents().add(log);
          recallLogs.add(log);
        }
        log.getReceipts().add(rr);
      }
      tx.setCommitComment("recall receipts");
      tx.commit();
    } catch (Exception e) {
      throw failed("Recall receipts were not recorded", e);
    }
    for (RecallReceipt rr : fresh) {
      recallReceipts.add(rr.isLifted() ? rr.getRecallId() + "/lift" : rr.getRecallId());
    }
    return fresh.size();
  }

  private RecallReceipt recallReceipt(Recall r, boolean lifted, long now) {
    RecallReceipt rr = Ownership.stamp(F.createRecallReceipt(), siteId);
    rr.setRecallId(r.getId());
    rr.setRecallNumber(r.getNumber());
    rr.setLifted(lifted);
    rr.setReceivedAt(now);
    return rr;
  }

  /**
   * Re-reads the batches from the transaction's current branch. Needed after the transaction changes branch
   * (offline branch ↔ MAIN) or after a failed commit was rolled back.
   */
  public synchronized void reindex() {
    register.reset();
    dispensary.reset();
    batchesByProduct.clear();
    buckets.clear();
    recallReceipts.clear();
    recallLogs.clear();
    for (RecallLog log : ResourceRoots.of(tx, "/sites/" + siteId + "/recalls", RecallLog.class)) {
      recallLogs.add(log);
      for (RecallReceipt rr : log.getReceipts()) {
        recallReceipts.add(rr.isLifted() ? rr.getRecallId() + "/lift" : rr.getRecallId());
      }
    }
    for (StockBucket bucket : ResourceRoots.of(tx, "/sites/" + siteId + "/stock", StockBucket.class)) {
      buckets.add(bucket);
      for (StockBatch b : bucket.getBatches()) {
        batchesByProduct.computeIfAbsent(b.getProductId(), k -> new ArrayList<>()).add(b);
      }
    }
  }

  // ---- lookups ----

  /**
   * The catalogue product for a code. GTINs compare as 14 digits: a UPC-A (12), an EAN-13 and its GTIN-14 name the
   * same product.
   */
  Product product(String code, String lot) {
    if (code == null || code.isBlank()) {
      throw new LedgerException(Refusal.BAD_INPUT, "No barcode given");
    }
    String c = code.strip();
    if (c.length() > 64) {
      throw new LedgerException(Refusal.FIELD_TOO_LONG, "A barcode has at most 64 characters");
    }
    Product product = catalogue.find(c);
    if (product == null && c.length() == 12 && c.chars().allMatch(Character::isDigit)) {
      product = catalogue.find("0" + c);
    }
    if (product == null && c.length() == 14 && c.startsWith("00")) {
      product = catalogue.find(c.substring(2));
    }
    if (product == null) {
      throw new LedgerException(Refusal.UNKNOWN_BARCODE, "Unknown barcode " + c + ": no product in the catalogue has it");
    }
    return product;
  }

  StockBatch batch(String productId, String batchId) {
    for (StockBatch b : batchesByProduct.getOrDefault(productId, List.of())) {
      if (b.getId().equals(batchId)) {
        return b;
      }
    }
    throw new IllegalStateException("batch " + batchId + " vanished from the ledger's index");
  }

  private Sale saleByReceipt(String receiptNumber) {
    String r = receiptNumber == null ? "" : receiptNumber.strip();
    int last = r.lastIndexOf('-');
    int dayDash = last <= 0 ? -1 : r.lastIndexOf('-', last - 1);
    if (dayDash <= 0 || r.length() > 64) {
      throw new LedgerException(Refusal.SALE_NOT_FOUND, "'" + r + "' is not a receipt number like till-1-20261130-42");
    }
    String till = r.substring(0, dayDash);
    String digits = r.substring(dayDash + 1, last);
    LocalDate day;
    try {
      day = LocalDate.parse(digits.substring(0, 4) + "-" + digits.substring(4, 6) + "-" + digits.substring(6, 8));
    } catch (RuntimeException e) {
      throw new LedgerException(Refusal.SALE_NOT_FOUND, "'" + r + "' is not a receipt number like till-1-20261130-42");
    }
    if (TILL.matcher(till).matches()) {
      for (SalesDay journal : tillJournals(till, day)) {
        for (Sale s : journal.getSales()) {
          if (r.equals(s.getReceiptNumber())) {
            return s;
          }
        }
      }
    }
    throw new LedgerException(Refusal.SALE_NOT_FOUND, "No sale with receipt number " + r + " at this pharmacy");
  }

  private List<SalesDay> tillJournals(String tillId, LocalDate day) {
    List<SalesDay> result = new ArrayList<>();
    for (int part = 0;; part++) {
      String path = Repositories.salesJournal(siteId, day, tillId, part);
      if (!tx.hasResource(path)) {
        return result;
      }
      result.add((SalesDay) tx.getResource(path).getContents().get(0));
    }
  }

  /** The sale with {@code saleId} in the till's journals of {@code day} as the store holds them now, or null. */
  private Sale findSaleById(String tillId, LocalDate day, String saleId) {
    return find(tillId, day, saleId, SalesDay::getSales, Sale::getId);
  }

  private Refund findRefundById(String tillId, LocalDate day, String refundId) {
    return find(tillId, day, refundId, SalesDay::getRefunds, Refund::getId);
  }

  private <T> T find(String tillId, LocalDate day, String id, Function<SalesDay, List<T>> list, Function<T, String> idOf) {
    try {
      for (SalesDay journal : tillJournals(tillId, day)) {
        for (T t : list.apply(journal)) {
          if (id.equals(idOf.apply(t))) {
            return t;
          }
        }
      }
      return null;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not check whether " + id + " was recorded", e);
      return null;
    }
  }

  private GoodsReceipt findReceiptById(String tillId, LocalDate day, String receiptId) {
    for (int part = 0;; part++) {
      String path = Repositories.receivingJournal(siteId, day, tillId, part);
      if (!tx.hasResource(path)) {
        return null;
      }
      for (GoodsReceipt g : ((ReceivingDay) tx.getResource(path).getContents().get(0)).getGoodsReceipts()) {
        if (receiptId.equals(g.getId())) {
          return g;
        }
      }
    }
  }

  /** The business day a sale belongs to: the date in its journal's path. */
  private static LocalDate dayOf(Sale sale) {
    return LocalDate.parse(((SalesDay) sale.eContainer()).getBusinessDate());
  }

  /** saleId → (saleLineId → units refunded so far), over the refunds recorded from {@code from} until today. */
  private Map<String, Map<String, Integer>> refundedQuantities(List<Sale> sales, LocalDate from) {
    Set<String> ids = new HashSet<>();
    for (Sale s : sales) {
      ids.add(s.getId());
    }
    Map<String, Map<String, Integer>> result = new HashMap<>();
    if (ids.isEmpty()) {
      return result;
    }
    for (LocalDate d = from; !d.isAfter(LocalDate.now(clock)); d = d.plusDays(1)) {
      for (SalesDay journal : ResourceRoots.of(tx, Repositories.salesFolder(siteId) + "/" + d, SalesDay.class)) {
        for (Refund r : journal.getRefunds()) {
          if (ids.contains(r.getOriginalSaleId())) {
            for (RefundLine l : r.getLines()) {
              result.computeIfAbsent(r.getOriginalSaleId(), k -> new HashMap<>()).merge(l.getSaleLineId(), l.getQuantity(), Integer::sum);
            }
          }
        }
      }
      if (d.isAfter(from.plusDays(3_660))) {
        break; // ten years: no refund reaches further back
      }
    }
    return result;
  }

  /** Sale movements of one day, by sale line id: where each line's units came from. */
  private Map<String, List<StockMovement>> saleMovements(LocalDate day) {
    Map<String, List<StockMovement>> result = new HashMap<>();
    for (MovementJournal j : ResourceRoots.of(tx, movementsFolder(day), MovementJournal.class)) {
      for (StockMovement m : j.getMovements()) {
        if (m.getReason() == MovementReason.SALE && m.getDocumentLineId() != null) {
          result.computeIfAbsent(m.getDocumentLineId(), k -> new ArrayList<>()).add(m);
        }
      }
    }
    return result;
  }

  /** saleLineId → (batchId → units returned by refunds so far). */
  private Map<String, Map<String, Integer>> returnedPerBatch(Sale sale, LocalDate from) {
    Set<String> lineIds = new HashSet<>();
    for (SaleLine l : sale.getLines()) {
      lineIds.add(l.getId());
    }
    Map<String, Map<String, Integer>> result = new HashMap<>();
    for (LocalDate d = from; !d.isAfter(LocalDate.now(clock)); d = d.plusDays(1)) {
      for (MovementJournal j : ResourceRoots.of(tx, movementsFolder(d), MovementJournal.class)) {
        for (StockMovement m : j.getMovements()) {
          if (m.getReason() == MovementReason.RETURN && lineIds.contains(m.getDocumentLineId())) {
            result.computeIfAbsent(m.getDocumentLineId(), k -> new HashMap<>()).merge(m.getBatch().getId(), m.getQuantity(), Integer::sum);
          }
        }
      }
    }
    return result;
  }

  private String movementsFolder(LocalDate day) {
    return "/sites/" + siteId + "/movements/" + day;
  }

  // ---- records out ----

  private ProductInfo info(Product p) {
    return info(CatalogueReader.row(p), p.isWithdrawn(), !catalogue.activeRecalls(p.getId()).isEmpty());
  }

  private ProductInfo info(CatalogueRow row, boolean withdrawn, boolean recalled) {
    int onHand = 0;
    int sellable = 0;
    LocalDate today = LocalDate.now(clock);
    List<Recall> recalls = recalled ? catalogue.activeRecalls(row.id()) : List.of();
    for (StockBatch b : batchesByProduct.getOrDefault(row.id(), List.of())) {
      if (b.getQuantity() <= 0) {
        continue;
      }
      onHand += b.getQuantity();
      boolean hit = recalls.stream().anyMatch(r -> covers(r, b));
      if (!hit && !b.isQuarantined() && b.getExpiryDate() != null && b.getExpiryDate().compareTo(today.toString()) >= 0) {
        sellable += b.getQuantity();
      }
    }
    boolean whollyRecalled = recalls.stream().anyMatch(r -> r.getLotNumbers().isEmpty());
    return new ProductInfo(row.id(), row.barcode(), gtin14(row.barcode()), row.name(), row.ingredient(), row.packSize(),
        row.listPriceMinor(), row.vatRateBasisPoints(), row.schedule(), withdrawn, recalled, onHand,
        withdrawn || whollyRecalled ? 0 : sellable);
  }

  private BatchInfo info(StockBatch b, List<Recall> recalls) {
    String recall = null;
    for (Recall r : recalls) {
      if (covers(r, b)) {
        recall = r.getNumber();
        break;
      }
    }
    int days = (int) java.time.temporal.ChronoUnit.DAYS.between(LocalDate.now(clock), LocalDate.parse(b.getExpiryDate()));
    return new BatchInfo(b.getId(), b.getProductId(), b.getBarcode(), b.getProductName(), b.getLotNumber(), b.getExpiryDate(), days,
        b.getQuantity(), b.getQuantityReceived(), b.getUnitCostMinor(), b.isQuarantined(), recall, b.getSupplierName(), b.getReceivedAt(),
        b.getReceivedByUserId());
  }

  private SaleInfo saleInfo(Sale s) {
    LocalDate day = dayOf(s);
    return saleInfo(s, refundedQuantities(List.of(s), day).getOrDefault(s.getId(), Map.of()), saleMovements(day));
  }

  private SaleInfo saleInfo(Sale s, Map<String, Integer> refunded, Map<String, List<StockMovement>> movements) {
    List<SaleInfo.Line> lines = new ArrayList<>();
    long refundedMinor = 0;
    for (SaleLine l : s.getLines()) {
      List<Allocation> allocations = new ArrayList<>();
      for (StockMovement m : movements.getOrDefault(l.getId(), List.of())) {
        allocations.add(new Allocation(m.getBatch().getId(), m.getBatch().getLotNumber(), m.getBatch().getExpiryDate(), -m.getQuantity()));
      }
      int back = refunded.getOrDefault(l.getId(), 0);
      refundedMinor += Money.times(l.getUnitPriceMinor(), back);
      lines.add(new SaleInfo.Line(l.getId(), l.getBarcode(), l.getProductName(), l.getQuantity(), l.getUnitPriceMinor(),
          l.getVatRateBasisPoints(), l.getLineTotalMinor(), l.getVatMinor(), allocations, back));
    }
    List<PaymentRequest> payments = new ArrayList<>();
    long change = 0;
    for (Payment p : s.getPayments()) {
      payments.add(new PaymentRequest(p.getMethod() == org.apotheca.model.PaymentMethod.CARD ? PaymentMethod.CARD : PaymentMethod.CASH,
          p.getAmountMinor(), p.getTenderedMinor()));
      change += p.getTenderedMinor() - p.getAmountMinor();
    }
    String till = ((SalesDay) s.eContainer()).getTillId();
    return new SaleInfo(s.getId(), s.getReceiptNumber(), s.getSoldAt(), till, s.getUserName(), lines, payments, s.getTotalMinor(),
        s.getVatTotalMinor(), change, refundedMinor, atCentral(s));
  }

  private RefundInfo refundInfo(Refund r, Sale sale) {
    List<Allocation> returned = new ArrayList<>();
    LocalDate day = LocalDate.parse(((SalesDay) r.eContainer()).getBusinessDate());
    for (MovementJournal j : ResourceRoots.of(tx, movementsFolder(day), MovementJournal.class)) {
      for (StockMovement m : j.getMovements()) {
        if (m.getReason() == MovementReason.RETURN && r.getId().equals(m.getDocumentId())) {
          returned.add(new Allocation(m.getBatch().getId(), m.getBatch().getLotNumber(), m.getBatch().getExpiryDate(), m.getQuantity()));
        }
      }
    }
    return new RefundInfo(r.getId(), sale.getReceiptNumber(), r.getRefundedAt(), r.getUserId(), r.getReason(),
        r.getMethod() == org.apotheca.model.PaymentMethod.CARD ? PaymentMethod.CARD : PaymentMethod.CASH, r.getTotalMinor(), returned,
        atCentral(r));
  }

  /** Written on MAIN (through to central, or merged there): central has it. On a local offline branch: not yet. */
  private static boolean atCentral(CDOObject o) {
    CDORevision rev = o.cdoRevision();
    return rev != null && !rev.getBranch().isLocal();
  }

  /** A recall without lots covers every batch of its product. */
  private static boolean covers(Recall r, StockBatch b) {
    return r.getLotNumbers().isEmpty() || r.getLotNumbers().contains(b.getLotNumber());
  }

  private static List<Allocation> allocations(List<FefoPlan.Take> takes) {
    List<Allocation> result = new ArrayList<>();
    for (FefoPlan.Take t : takes) {
      result.add(new Allocation(t.batch().id(), t.batch().lot(), t.batch().expiry(), t.quantity()));
    }
    return result;
  }

  private static String what(Product p, String code) {
    return p.getName() + " (" + code.strip() + ")";
  }

  /** The 14-digit form of an EAN-8/UPC-A/EAN-13 code; other codes as they are. */
  private static String gtin14(String code) {
    if (code != null && code.length() < 14 && code.length() >= 8 && code.chars().allMatch(Character::isDigit)) {
      return "0".repeat(14 - code.length()) + code;
    }
    return code;
  }

  // ---- checks ----

  private static String isoDate(String text, String what) {
    try {
      return LocalDate.parse(text == null ? "" : text.strip()).toString();
    } catch (DateTimeParseException e) {
      throw new LedgerException(Refusal.BAD_INPUT, what + " '" + text + "' is not a date like 2027-03-31");
    }
  }

  static String documentId(String id, String what) {
    if (id == null || !DOCUMENT_ID.matcher(id).matches()) {
      throw new LedgerException(Refusal.BAD_INPUT, "The till sent no valid id for this " + what + ": restart the till");
    }
    return id;
  }

  static void checkTill(String tillId) {
    if (tillId == null || !TILL.matcher(tillId).matches()) {
      throw new LedgerException(Refusal.BAD_INPUT, "'" + tillId + "' is not a valid till id (a-z, 0-9, '-')");
    }
  }

  // ---- for the ledger's own parts (dispensary, register): under the ledger's lock ----

  CDOTransaction tx() {
    return tx;
  }

  java.time.Clock clock() {
    return clock;
  }

  CatalogueIndex catalogue() {
    return catalogue;
  }

  /** The catalogue product with this id as held now, or null. */
  Product productById(String productId) {
    return catalogue.findById(productId);
  }

  /** Plans a line FEFO with the refusals of a sale (withdrawn, recalled, expired, not enough stock), writing nothing. */
  List<FefoPlan.Take> plan(LineRequest line, Map<String, Integer> taken) {
    return price(line, taken).takes;
  }

  /** Moves stock of one batch (signed) with a movement in the till's journal of the day. */
  void moveStock(String tillId, String user, LocalDate day, String productId, String batchId, int quantity, MovementReason reason,
      String documentId, String lineId, long now) {
    move(tillId, user, day, batch(productId, batchId), quantity, reason, documentId, lineId, now);
  }

  /** The movements a document made on {@code day}, every till. */
  List<StockMovement> movementsOf(LocalDate day, String documentId) {
    List<StockMovement> result = new ArrayList<>();
    for (MovementJournal j : ResourceRoots.of(tx, movementsFolder(day), MovementJournal.class)) {
      for (StockMovement m : j.getMovements()) {
        if (documentId.equals(m.getDocumentId())) {
          result.add(m);
        }
      }
    }
    return result;
  }

  Set<String> stockedProductIds() {
    return Set.copyOf(batchesByProduct.keySet());
  }

  /** Units on hand of a product, every batch (expired, quarantined and recalled ones too). */
  int onHand(String productId) {
    int n = 0;
    for (StockBatch b : batchesByProduct.getOrDefault(productId, List.of())) {
      n += b.getQuantity();
    }
    return n;
  }

  /** Commits the ledger's transaction: one user action, durable when it returns. */
  void commit(String comment) throws org.eclipse.emf.cdo.util.CommitException {
    tx.setCommitComment(comment);
    tx.commit();
  }

  // ---- writing ----

  private void move(String tillId, String user, LocalDate day, StockBatch batch, int quantity, MovementReason reason,
      String documentId, String lineId, long now) {
    StockMovement m = Ownership.stamp(F.createStockMovement(), siteId);
    m.setBatch(batch);
    m.setProductId(batch.getProductId());
    m.setQuantity(quantity);
    m.setReason(reason);
    m.setOccurredAt(now);
    m.setUserId(user);
    m.setDocumentId(documentId);
    m.setDocumentLineId(lineId);
    m.setUnitCostMinor(batch.getUnitCostMinor());
    movementJournal(tillId, day).getMovements().add(m);
    batch.setQuantity(batch.getQuantity() + quantity);
  }

  /** The till's open sales journal of the day: the first part with room for a sale (or a refund). */
  private SalesDay salesJournal(String tillId, LocalDate day, boolean forRefund) {
    return journal(tillId, day, Repositories::salesJournal, F::createSalesDay,
        d -> forRefund ? d.getRefunds().size() < REFUNDS_PER_JOURNAL : d.getSales().size() < SALES_PER_JOURNAL);
  }

  private MovementJournal movementJournal(String tillId, LocalDate day) {
    return journal(tillId, day, Repositories::movementJournal, F::createMovementJournal,
        j -> j.getMovements().size() < MOVEMENTS_PER_JOURNAL);
  }

  private ReceivingDay receivingJournal(String tillId, LocalDate day) {
    return journal(tillId, day, Repositories::receivingJournal, F::createReceivingDay,
        d -> d.getGoodsReceipts().size() < RECEIPTS_PER_JOURNAL);
  }

  /** Where a daily journal part lives: (site, day, till, part) → resource path. */
  private interface JournalPath {
    String of(String siteId, LocalDate day, String tillId, int part);
  }

  /**
   * The first part of the till's journal of the day that has room, created when none has: journals are bounded
   * containers, one resource each, per till so that no two tills ever append to one list.
   */
  @SuppressWarnings("unchecked")
  private <J extends DailyJournal> J journal(String tillId, LocalDate day, JournalPath path,
      java.util.function.Supplier<J> create, java.util.function.Predicate<J> hasRoom) {
    for (int part = 0;; part++) {
      String p = path.of(siteId, day, tillId, part);
      if (tx.hasResource(p)) {
        J j = (J) tx.getResource(p).getContents().get(0);
        if (hasRoom.test(j)) {
          return j;
        }
        continue;
      }
      J j = Ownership.stamp(create.get(), siteId);
      j.setTillId(tillId);
      j.setBusinessDate(day.toString());
      j.setPart(part);
      tx.createResource(p).getContents().add(j);
      return j;
    }
  }

  private StockBucket stockBucket() {
    if (!buckets.isEmpty() && buckets.get(buckets.size() - 1).getBatches().size() < BATCHES_PER_BUCKET) {
      return buckets.get(buckets.size() - 1);
    }
    StockBucket bucket = Ownership.stamp(F.createStockBucket(), siteId);
    bucket.setBucketKey(Repositories.bucketKey(buckets.size()));
    tx.createResource(Repositories.stockBucket(siteId, buckets.size())).getContents().add(bucket);
    buckets.add(bucket);
    return bucket;
  }

  LedgerException failed(String what, Exception e) {
    try {
      tx.rollback();
      // A commit can fail after the store has applied it (see sell). The committing session gets no invalidation
      // for it, so it would keep the old revisions and refuse every later commit on them as "historical".
      CdoClient.refresh(tx.getSession());
    } catch (RuntimeException refreshFailed) {
      LOG.log(Level.WARNING, "Could not refresh the ledger after a failed commit", refreshFailed);
    } finally {
      reindex();
    }
    if (e instanceof LedgerException le) {
      return le;
    }
    return new LedgerException(what + ": " + CdoClient.rootMessage(e), e);
  }

  /** Reads a barcode out of a product, primary first (for listings). */
  public static String primaryBarcode(Product p) {
    for (Barcode b : p.getBarcodes()) {
      if (b.isPrimary()) {
        return b.getCode();
      }
    }
    return p.getBarcodes().isEmpty() ? "" : p.getBarcodes().get(0).getCode();
  }
}
