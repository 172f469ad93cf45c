package org.apotheca.core.ledger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.core.catalogue.CatalogueIndex;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.Barcode;
import org.apotheca.model.MovementJournal;
import org.apotheca.model.MovementReason;
import org.apotheca.model.Payment;
import org.apotheca.model.PaymentMethod;
import org.apotheca.model.Product;
import org.apotheca.model.Recall;
import org.apotheca.model.RecallLog;
import org.apotheca.model.RecallReceipt;
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
import org.eclipse.emf.cdo.transaction.CDOTransaction;

/**
 * A pharmacy's stock and sales book on one CDO transaction of its site repository: FEFO selling, receiving, the
 * sales summary.
 * <p>
 * <b>One writer.</b> The ledger assumes it is the only writer of the site repository (the pharmacy node funnels
 * every till through one ledger). That is what makes FEFO exact while offline: two tills with their own CDO
 * transactions would each get their own offline branch and could both sell the last pack. It also lets the
 * ledger keep its batch index in memory instead of re-reading all stock per scan.
 * <p>
 * Stock is moved, never overwritten: every sale or receipt appends a {@link StockMovement} (signed) to the till's
 * movement journal, and {@link StockBatch#getQuantity()} is the on-hand figure kept in step with them. Every
 * operation is one commit: when {@code commit()} returns the sale is durable (the store's own transaction, on
 * Derby a synced log write); on any failure it is rolled back whole and the caller gets a {@link LedgerException}.
 */
public final class SiteLedger {

  private static final Logger LOG = Logger.getLogger(SiteLedger.class.getName());
  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;
  private static final int SALES_PER_JOURNAL = Bounds.max(ApothecaPackage.Literals.SALES_DAY__SALES);
  private static final int MOVEMENTS_PER_JOURNAL = Bounds.max(ApothecaPackage.Literals.MOVEMENT_JOURNAL__MOVEMENTS);
  private static final int BATCHES_PER_BUCKET = Bounds.max(ApothecaPackage.Literals.STOCK_BUCKET__BATCHES);
  private static final int RECEIPTS_PER_LOG = Bounds.max(ApothecaPackage.Literals.RECALL_LOG__RECEIPTS);
  /** A sane upper limit that catches a scanned barcode typed into the quantity field. */
  public static final int MAX_QUANTITY = 9_999;

  private final CDOTransaction tx;
  private final CatalogueIndex catalogue;
  private final String siteId;
  private final Clock clock;
  private final Map<String, List<StockBatch>> batchesByProduct = new HashMap<>();
  private final List<StockBucket> buckets = new ArrayList<>();
  /** Recall ids (and "id/lift") this pharmacy has already written a receipt for. */
  private final java.util.Set<String> recallReceipts = new java.util.HashSet<>();
  private final List<RecallLog> recallLogs = new ArrayList<>();

  public SiteLedger(CDOTransaction tx, CatalogueIndex catalogue, String siteId, Clock clock) {
    this.tx = tx;
    this.catalogue = catalogue;
    this.siteId = Repositories.checkSiteId(siteId);
    this.clock = clock;
    reindex();
  }

  public String siteId() {
    return siteId;
  }

  public CDOTransaction transaction() {
    return tx;
  }

  /**
   * Sells {@code quantity} packs of the product with {@code barcode}, taking them from the batches that expire
   * first; expired and quarantined batches are never sold. The price is the catalogue's price as this node holds
   * it now, copied into the sale.
   */
  public SaleReceipt sell(String tillId, String userName, String barcode, int quantity) {
    return sell(tillId, userName, barcode, null, quantity);
  }

  /**
   * As {@link #sell(String, String, String, int)}, but only from lot {@code lot} when it is given (a scanned
   * GS1 DataMatrix names the pack's lot): refused if that lot is recalled, expired or has too few units.
   */
  public SaleReceipt sell(String tillId, String userName, String barcode, String lot, int quantity) {
    return sell(tillId, userName, barcode, lot, quantity, null);
  }

  /**
   * As {@link #sell(String, String, String, String, int)} with the sale's id chosen by the caller (null: a new one).
   * Selling again under the id of an attempt whose outcome is unknown lets a merge recognise the same sale twice.
   */
  public synchronized SaleReceipt sell(String tillId, String userName, String barcode, String lot, int quantity,
      String saleId) {
    checkTill(tillId);
    checkQuantity(quantity);
    Product product = product(barcode);
    if (product.isWithdrawn()) {
      throw new LedgerException("Cannot sell " + product.getName() + " (" + barcode.trim() + "): withdrawn from sale by central");
    }
    List<Recall> recalls = catalogue.activeRecalls(product.getId());
    for (Recall r : recalls) {
      if (r.getLotNumbers().isEmpty()) {
        throw new LedgerException("Cannot sell " + product.getName() + " (" + barcode.trim() + "): recalled, recall "
            + r.getNumber() + " covers every batch: " + r.getReason());
      }
    }
    LocalDate today = LocalDate.now(clock);
    List<StockBatch> sellable = new ArrayList<>();
    int onHand = 0;
    int expiredUnits = 0;
    int quarantinedUnits = 0;
    int recalledUnits = 0;
    Recall recallHit = null;
    StockBatch firstExpired = null;
    if (lot != null) {
      boolean known = false;
      for (StockBatch b : batchesByProduct.getOrDefault(product.getId(), List.of())) {
        known |= lot.equals(b.getLotNumber());
        Recall recall = recallOf(recalls, b);
        if (lot.equals(b.getLotNumber()) && recall != null) {
          throw new LedgerException("Cannot sell " + product.getName() + " (" + barcode.trim() + ") lot " + lot + ": recalled, recall "
              + recall.getNumber() + ": " + recall.getReason());
        }
      }
      if (!known) {
        throw new LedgerException("Lot " + lot + " of " + product.getName() + " (" + barcode.trim() + ") was never received here");
      }
    }
    for (StockBatch b : batchesByProduct.getOrDefault(product.getId(), List.of())) {
      if (b.getQuantity() <= 0 || lot != null && !lot.equals(b.getLotNumber())) {
        continue;
      }
      onHand += b.getQuantity();
      Recall recall = recallOf(recalls, b);
      if (recall != null) {
        recalledUnits += b.getQuantity();
        recallHit = recallHit == null ? recall : recallHit;
      } else if (b.isQuarantined()) {
        quarantinedUnits += b.getQuantity();
      } else if (isExpired(b, today)) {
        expiredUnits += b.getQuantity();
        firstExpired = firstExpired == null ? b : firstExpired;
      } else {
        sellable.add(b);
      }
    }
    sellable.sort(Comparator.comparing(StockBatch::getExpiryDate).thenComparingLong(StockBatch::getReceivedAt));
    int available = sellable.stream().mapToInt(StockBatch::getQuantity).sum();
    if (available < quantity) {
      if (recallHit != null && available == 0 && expiredUnits == 0 && quarantinedUnits == 0) {
        throw new LedgerException("Cannot sell " + product.getName() + " (" + barcode.trim() + "): recall "
            + recallHit.getNumber() + " covers lot" + (recallHit.getLotNumbers().size() > 1 ? "s " : " ")
            + String.join(", ", recallHit.getLotNumbers()) + ", the only stock on hand: " + recallHit.getReason());
      }
      String msg = refusal(product, barcode, quantity, available, onHand, expiredUnits, quarantinedUnits, firstExpired);
      throw new LedgerException(recalledUnits == 0 ? msg
          : msg + ", " + recalledUnits + " recalled (" + recallHit.getNumber() + ": " + recallHit.getReason() + ")");
    }

    long now = clock.millis();
    String day = today.toString();
    Sale sale = F.createSale();
    if (saleId != null) {
      sale.setId(saleId);
    }
    Ownership.stamp(sale, siteId);
    SaleLine line = Ownership.stamp(F.createSaleLine(), siteId);
    List<SaleReceipt.Allocation> allocations = new ArrayList<>();
    try {
      SalesDay journal = salesJournal(tillId, today);
      sale.setReceiptNumber(tillId + "-" + day.replace("-", "") + "-" + (journal.getPart() * SALES_PER_JOURNAL
          + journal.getSales().size() + 1));
      sale.setSoldAt(now);
      sale.setStatus(SaleStatus.COMPLETED);
      sale.setUserName(userName);
      line.setProductId(product.getId());
      line.setBarcode(barcode.trim());
      line.setProductName(product.getName());
      line.setQuantity(quantity);
      line.setUnitPriceMinor(product.getListPriceMinor());
      int vat = product.getVatRate() == null ? 0 : product.getVatRate().getRateBasisPoints();
      line.setVatRateBasisPoints(vat);
      line.setLineTotalMinor(Money.times(product.getListPriceMinor(), quantity));
      line.setVatMinor(Money.vatIncluded(line.getLineTotalMinor(), vat));
      sale.getLines().add(line);
      sale.setTotalMinor(line.getLineTotalMinor());
      sale.setVatTotalMinor(line.getVatMinor());
      Payment payment = Ownership.stamp(F.createPayment(), siteId);
      payment.setMethod(PaymentMethod.CASH);
      payment.setAmountMinor(sale.getTotalMinor());
      payment.setTenderedMinor(sale.getTotalMinor());
      payment.setPaidAt(now);
      sale.getPayments().add(payment);
      journal.getSales().add(sale);

      int remaining = quantity;
      for (StockBatch b : sellable) {
        if (remaining == 0) {
          break;
        }
        int take = Math.min(remaining, b.getQuantity());
        move(tillId, today, b, -take, MovementReason.SALE, sale.getId(), line.getId(), now);
        allocations.add(new SaleReceipt.Allocation(b.getId(), b.getLotNumber(), b.getExpiryDate(), take));
        remaining -= take;
      }
      tx.commit();
    } catch (Exception e) {
      // read before the rollback turns the new objects transient
      String id = sale.getId();
      String receiptNumber = sale.getReceiptNumber();
      long unitPrice = line.getUnitPriceMinor();
      long total = sale.getTotalMinor();
      boolean offline = tx.getBranch().isLocal();
      LedgerException failure = failed("Sale of " + quantity + " x " + barcode + " was not recorded", e);
      if (findSale(tillId, today, id) != null) {
        // Write-through: the clone committed at central and locally, then failed on its way back (CDO 4.7 NPEs
        // in WriteThroughCommitContext when the link drops at that moment). The sale IS recorded; saying otherwise
        // would make the operator sell it again.
        LOG.warning(() -> "Sale " + id + " was recorded although its commit reported: " + failure.getMessage());
        return new SaleReceipt(id, receiptNumber, barcode.trim(), product.getName(), quantity, unitPrice, total,
            List.copyOf(allocations), offline);
      }
      throw failure;
    }
    boolean offline = tx.getBranch().isLocal();
    return new SaleReceipt(sale.getId(), sale.getReceiptNumber(), barcode.trim(), product.getName(), quantity,
        line.getUnitPriceMinor(), sale.getTotalMinor(), List.copyOf(allocations), offline);
  }

  /** The sale with {@code saleId} in the till's journals of {@code day} as the store holds them now, or null. */
  private Sale findSale(String tillId, LocalDate day, String saleId) {
    try {
      for (int part = 0;; part++) {
        String path = Repositories.salesJournal(siteId, day, tillId, part);
        if (!tx.hasResource(path)) {
          return null;
        }
        for (Sale s : ((SalesDay) tx.getResource(path).getContents().get(0)).getSales()) {
          if (saleId.equals(s.getId())) {
            return s;
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not check whether sale " + saleId + " was recorded", e);
      return null;
    }
  }

  /** Receives a new batch into stock: one batch, one RECEIPT movement, one commit. Returns the batch. */
  public synchronized StockBatch receive(String tillId, String barcode, String lotNumber, String expiryDate, int quantity,
      long unitCostMinor) {
    checkTill(tillId);
    checkQuantity(quantity);
    Product product = product(barcode);
    if (lotNumber == null || lotNumber.isBlank()) {
      throw new LedgerException("A lot number is required to receive " + product.getName());
    }
    LocalDate expiry;
    try {
      expiry = LocalDate.parse(expiryDate);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new LedgerException("Expiry date '" + expiryDate + "' is not a date like 2027-03-31");
    }
    LocalDate today = LocalDate.now(clock);
    if (expiry.isBefore(today)) {
      throw new LedgerException("Lot " + lotNumber + " of " + product.getName() + " expired on " + expiry
          + ": expired stock cannot be received");
    }
    if (unitCostMinor < 0) {
      throw new LedgerException("Unit cost cannot be negative (got " + unitCostMinor + ")");
    }
    long now = clock.millis();
    StockBatch batch = Ownership.stamp(F.createStockBatch(), siteId);
    try {
      batch.setProductId(product.getId());
      batch.setBarcode(barcode.trim());
      batch.setProductName(product.getName());
      batch.setLotNumber(lotNumber.trim());
      batch.setExpiryDate(expiry.toString());
      batch.setQuantityReceived(quantity);
      batch.setQuantity(0);
      batch.setUnitCostMinor(unitCostMinor);
      batch.setReceivedAt(now);
      stockBucket().getBatches().add(batch);
      move(tillId, today, batch, quantity, MovementReason.RECEIPT, batch.getId(), null, now);
      tx.commit();
    } catch (Exception e) {
      String batchId = batch.getId();
      LedgerException failure = failed("Receipt of lot " + lotNumber + " of " + barcode + " was not recorded", e);
      StockBatch recorded = batchId == null ? null
          : batchesByProduct.getOrDefault(product.getId(), List.of()).stream().filter(b -> batchId.equals(b.getId()))
              .findFirst().orElse(null);
      if (recorded != null) { // committed although the commit reported a failure: see sell
        LOG.warning(() -> "Batch " + batchId + " was recorded although its commit reported: " + failure.getMessage());
        return recorded;
      }
      throw failure;
    }
    batchesByProduct.computeIfAbsent(product.getId(), k -> new ArrayList<>()).add(batch);
    return batch;
  }

  /**
   * Writes a receipt for every recall (and every lift) this pharmacy has not acknowledged yet, in one commit: central
   * reads them to tell which pharmacies are still exposed. Returns how many were written.
   */
  public synchronized int acknowledgeRecalls(List<Recall> recalls) {
    List<RecallReceipt> fresh = new ArrayList<>();
    long now = clock.millis();
    for (Recall r : recalls) {
      if (!recallReceipts.contains(r.getId())) {
        fresh.add(receipt(r, false, now));
      }
      if (r.getLiftedAt() != 0 && !recallReceipts.contains(r.getId() + "/lift")) {
        fresh.add(receipt(r, true, now));
      }
    }
    if (fresh.isEmpty()) {
      return 0;
    }
    try {
      for (RecallReceipt rr : fresh) {
        RecallLog log = recallLogs.isEmpty() ? null : recallLogs.get(recallLogs.size() - 1);
        if (log == null || log.getReceipts().size() >= RECEIPTS_PER_LOG) {
          log = Ownership.stamp(F.createRecallLog(), siteId);
          log.setBucketKey(Repositories.bucketKey(recallLogs.size()));
          tx.getOrCreateResource(Repositories.recallLog(siteId, recallLogs.size())).getContents().add(log);
          recallLogs.add(log);
        }
        log.getReceipts().add(rr);
      }
      tx.commit();
    } catch (Exception e) {
      throw failed("Recall receipts were not recorded", e);
    }
    for (RecallReceipt rr : fresh) {
      recallReceipts.add(rr.isLifted() ? rr.getRecallId() + "/lift" : rr.getRecallId());
    }
    return fresh.size();
  }

  private RecallReceipt receipt(Recall r, boolean lifted, long now) {
    RecallReceipt rr = Ownership.stamp(F.createRecallReceipt(), siteId);
    rr.setRecallId(r.getId());
    rr.setRecallNumber(r.getNumber());
    rr.setLifted(lifted);
    rr.setReceivedAt(now);
    return rr;
  }

  /** Batches of the product with {@code barcode} that still have stock, earliest expiry first. */
  public synchronized List<StockBatch> stock(String barcode) {
    Product product = product(barcode);
    List<StockBatch> result = new ArrayList<>();
    for (StockBatch b : batchesByProduct.getOrDefault(product.getId(), List.of())) {
      if (b.getQuantity() > 0) {
        result.add(b);
      }
    }
    result.sort(Comparator.comparing(StockBatch::getExpiryDate));
    return result;
  }

  public synchronized SalesReader.Summary summary() {
    return SalesReader.summary(tx, siteId);
  }

  /** True if the product has no stock at all at this pharmacy (used to seed demo stock once). */
  public synchronized boolean hasStock() {
    return batchesByProduct.values().stream().anyMatch(l -> !l.isEmpty());
  }

  /**
   * Re-reads the batches from the transaction's current branch. Needed after the transaction changes branch
   * (offline branch ↔ MAIN) or after a failed commit was rolled back.
   */
  public synchronized void reindex() {
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

  private Product product(String barcode) {
    if (barcode == null || barcode.isBlank()) {
      throw new LedgerException("No barcode given");
    }
    Product product = catalogue.find(barcode);
    if (product == null) {
      throw new LedgerException("Unknown barcode " + barcode.trim() + ": no product in the catalogue has it");
    }
    return product;
  }

  private static void checkQuantity(int quantity) {
    if (quantity < 1) {
      throw new LedgerException("Quantity must be at least 1 (got " + quantity + ")");
    }
    if (quantity > MAX_QUANTITY) {
      throw new LedgerException("Quantity " + quantity + " is more than " + MAX_QUANTITY + ": was a barcode scanned into the quantity?");
    }
  }

  private static void checkTill(String tillId) {
    if (tillId == null || !tillId.matches("[a-z0-9][a-z0-9-]{0,31}")) {
      throw new IllegalArgumentException("'" + tillId + "' is not a valid till id (a-z, 0-9, '-')");
    }
  }

  private static Recall recallOf(List<Recall> recalls, StockBatch b) {
    for (Recall r : recalls) {
      if (r.getLotNumbers().contains(b.getLotNumber())) {
        return r;
      }
    }
    return null;
  }

  private static boolean isExpired(StockBatch b, LocalDate today) {
    // ISO dates compare as text; a batch expiring today may still be sold today
    return b.getExpiryDate() == null || b.getExpiryDate().compareTo(today.toString()) < 0;
  }

  private static String refusal(Product p, String barcode, int wanted, int available, int onHand, int expired,
      int quarantined, StockBatch firstExpired) {
    String what = p.getName() + " (" + barcode.trim() + ")";
    if (onHand == 0) {
      return "Not in stock: " + what + " has no units on hand";
    }
    if (available == 0 && expired > 0 && quarantined == 0) {
      return "Cannot sell " + what + ": all " + expired + " units on hand are expired (lot " + firstExpired.getLotNumber()
          + " expired " + firstExpired.getExpiryDate() + ")";
    }
    StringBuilder sb = new StringBuilder("Not enough stock of ").append(what).append(": ").append(wanted)
        .append(" requested, ").append(available).append(" sellable");
    if (expired > 0) {
      sb.append(", ").append(expired).append(" expired");
    }
    if (quarantined > 0) {
      sb.append(", ").append(quarantined).append(" quarantined");
    }
    return sb.toString();
  }

  private void move(String tillId, LocalDate day, StockBatch batch, int quantity, MovementReason reason,
      String documentId, String lineId, long now) {
    StockMovement m = Ownership.stamp(F.createStockMovement(), siteId);
    m.setBatch(batch);
    m.setProductId(batch.getProductId());
    m.setQuantity(quantity);
    m.setReason(reason);
    m.setOccurredAt(now);
    m.setDocumentId(documentId);
    m.setDocumentLineId(lineId);
    m.setUnitCostMinor(batch.getUnitCostMinor());
    movementJournal(tillId, day).getMovements().add(m);
    batch.setQuantity(batch.getQuantity() + quantity);
  }

  private SalesDay salesJournal(String tillId, LocalDate day) {
    for (int part = 0;; part++) {
      String path = Repositories.salesJournal(siteId, day, tillId, part);
      if (tx.hasResource(path)) {
        SalesDay d = (SalesDay) tx.getResource(path).getContents().get(0);
        if (d.getSales().size() < SALES_PER_JOURNAL) {
          return d;
        }
        continue;
      }
      SalesDay d = Ownership.stamp(F.createSalesDay(), siteId);
      d.setTillId(tillId);
      d.setBusinessDate(day.toString());
      d.setPart(part);
      tx.createResource(path).getContents().add(d);
      return d;
    }
  }

  private MovementJournal movementJournal(String tillId, LocalDate day) {
    for (int part = 0;; part++) {
      String path = Repositories.movementJournal(siteId, day, tillId, part);
      if (tx.hasResource(path)) {
        MovementJournal j = (MovementJournal) tx.getResource(path).getContents().get(0);
        if (j.getMovements().size() < MOVEMENTS_PER_JOURNAL) {
          return j;
        }
        continue;
      }
      MovementJournal j = Ownership.stamp(F.createMovementJournal(), siteId);
      j.setTillId(tillId);
      j.setBusinessDate(day.toString());
      j.setPart(part);
      tx.createResource(path).getContents().add(j);
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

  private LedgerException failed(String what, Exception e) {
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
