package org.apotheca.core.ledger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import org.apotheca.core.ResourceRoots;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.MovementJournal;
import org.apotheca.model.MovementReason;
import org.apotheca.model.Product;
import org.apotheca.model.StockBatch;
import org.apotheca.model.StockMovement;
import org.apotheca.model.Stocktake;
import org.apotheca.model.StocktakeLine;
import org.apotheca.model.StocktakeSheet;
import org.apotheca.model.StocktakeStatus;
import org.apotheca.model.money.Money;
import org.apotheca.model.ownership.Bounds;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.node.api.AdjustmentReason;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.CountRequest;
import org.apotheca.node.api.ExpiryReport;
import org.apotheca.node.api.FinishRequest;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.StockChange;
import org.apotheca.node.api.StocktakeInfo;
import org.apotheca.node.api.StocktakeLineInfo;
import org.apotheca.node.api.StocktakeRequest;
import org.apotheca.node.api.SupplierReturnInfo;
import org.apotheca.node.api.SupplierReturnRequest;
import org.apotheca.node.api.WriteOffInfo;
import org.apotheca.node.api.WriteOffRequest;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;

/**
 * Stock control beside the till, owned by the {@link SiteLedger} and run under its lock: stocktakes while the shop
 * trades, supplier returns, the expiry report and expired-stock write-offs.
 * <p>
 * <b>The stocktake rule.</b> At the start the books' quantity of every batch in scope is written down (the snapshot
 * sheets). A count is compared with the books' quantity at the moment the count is recorded, which is the snapshot
 * plus every movement since (kept by the ledger, the one writer, in the batch's quantity): a pack sold between the
 * snapshot and the count is neither on the shelf nor on the books, a pack sold after the count is on both. So stock
 * that moves during the count never becomes a difference, and finishing posts {@code counted - expectedAtCount} for
 * each counted batch: the batch ends at its count plus whatever moved after it was counted.
 * <p>
 * Layout: {@code /sites/<id>/stocktakes/<stocktakeId>/} holds the header ({@code stocktake}) and its sheets
 * ({@code <till>-<sheetId>}), snapshot sheets and one count sheet per till and location, each bounded.
 */
public final class StockControl {

  private static final Logger LOG = Logger.getLogger(StockControl.class.getName());
  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;
  private static final int LINES_PER_SHEET = Bounds.max(ApothecaPackage.Literals.STOCKTAKE_SHEET__LINES);
  private static final int MAX_REASON = SiteLedger.MAX_REASON;
  /** No shelf holds more of one batch; a larger count is a typing slip. */
  private static final int MAX_COUNT = 1_000_000;

  private final SiteLedger ledger;

  StockControl(SiteLedger ledger) {
    this.ledger = ledger;
  }

  // ---- stocktake ----

  /** Starts a stocktake with its snapshot, one commit; the same id again returns it as it is. */
  public StocktakeInfo start(String tillId, String user, StocktakeRequest request) {
    synchronized (ledger) {
      SiteLedger.checkTill(tillId);
      if (request == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "Nothing to start");
      }
      String id = SiteLedger.documentId(request.stocktakeId(), "stocktake");
      Stocktake existing = header(id);
      if (existing != null) {
        return info(existing, true);
      }
      String description = request.description() == null ? "" : request.description().strip();
      if (description.isEmpty()) {
        throw new LedgerException(Refusal.BAD_INPUT, "Say what this stocktake counts (for example 'full store')");
      }
      if (description.length() > StocktakeRequest.MAX_DESCRIPTION) {
        throw new LedgerException(Refusal.FIELD_TOO_LONG, "A stocktake's description has at most " + StocktakeRequest.MAX_DESCRIPTION
            + " characters");
      }
      if (request.productCodes().size() > StocktakeRequest.MAX_PRODUCTS) {
        throw new LedgerException(Refusal.BAD_INPUT, "A stocktake of more than " + StocktakeRequest.MAX_PRODUCTS
            + " products is a whole-store one: choose no products");
      }
      Set<String> codes = new LinkedHashSet<>();
      Set<String> scope = new HashSet<>();
      for (String code : request.productCodes()) {
        Product p = ledger.product(code, null);
        codes.add(code.strip());
        scope.add(p.getId());
      }
      List<StockBatch> inScope = new ArrayList<>();
      for (List<StockBatch> batches : ledger.batchesByProduct().values()) {
        for (StockBatch b : batches) {
          if (b.getQuantity() > 0 && (scope.isEmpty() || scope.contains(b.getProductId()))) {
            inScope.add(b);
          }
        }
      }
      inScope.sort(BY_NAME_EXPIRY);
      long now = ledger.clock().millis();
      Stocktake st = Ownership.stamp(F.createStocktake(), ledger.siteId());
      st.setId(id);
      try {
        st.setDescription(description);
        st.setStatus(StocktakeStatus.IN_PROGRESS);
        st.setStartedAt(now);
        st.setStartedByUserId(user);
        st.getProductCodes().addAll(codes);
        ledger.tx().createResource(folder(id) + "/stocktake").getContents().add(st);
        StocktakeSheet sheet = null;
        for (StockBatch b : inScope) {
          if (sheet == null || sheet.getLines().size() >= LINES_PER_SHEET) {
            sheet = newSheet(id, tillId, user, "snapshot", true, now);
          }
          StocktakeLine line = line(b);
          line.setExpectedQuantity(b.getQuantity());
          sheet.getLines().add(line);
        }
        ledger.tx().setCommitComment("stocktake " + id + " started: " + inScope.size() + " batches");
        ledger.tx().commit();
      } catch (Exception e) {
        LedgerException failure = ledger.failed("Stocktake '" + description + "' was not started", e);
        Stocktake recorded = header(id);
        if (recorded != null) {
          LOG.warning(() -> "Stocktake " + id + " was recorded although its commit reported: " + failure.getMessage());
          return info(recorded, true);
        }
        throw failure;
      }
      return info(st, true);
    }
  }

  /** Every stocktake, newest first, without lines. */
  public List<StocktakeInfo> stocktakes() {
    synchronized (ledger) {
      List<StocktakeInfo> result = new ArrayList<>();
      String root = "/sites/" + ledger.siteId() + "/stocktakes";
      if (ledger.tx().hasResource(root) && ledger.tx().getResourceNode(root) instanceof CDOResourceFolder f) {
        for (CDOResourceNode n : f.getNodes()) {
          if (n instanceof CDOResourceFolder) {
            Stocktake st = header(n.getName());
            if (st != null) {
              result.add(info(st, false));
            }
          }
        }
      }
      result.sort(Comparator.comparingLong(StocktakeInfo::snapshotAt).reversed().thenComparing(StocktakeInfo::stocktakeId));
      return result;
    }
  }

  /** One stocktake with its lines. */
  public StocktakeInfo stocktake(String stocktakeId) {
    synchronized (ledger) {
      return info(existing(stocktakeId), true);
    }
  }

  /** Records one count on the till's sheet for its location, compared with the books at this moment. */
  public StocktakeLineInfo count(String tillId, String user, CountRequest request) {
    synchronized (ledger) {
      SiteLedger.checkTill(tillId);
      if (request == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "Nothing counted");
      }
      String countId = SiteLedger.documentId(request.countId(), "count");
      Stocktake st = existing(request.stocktakeId());
      Sheets sheets = sheets(st.getId());
      StocktakeLine done = sheets.lineById(countId);
      if (done != null) {
        return lineInfo(done.getBatch(), sheets);
      }
      if (st.getStatus() != StocktakeStatus.IN_PROGRESS) {
        throw new LedgerException(Refusal.ALREADY_DONE, "Stocktake '" + st.getDescription() + "' was "
            + (st.getStatus() == StocktakeStatus.COMPLETED ? "finished" : "cancelled") + ": nothing more can be counted for it");
      }
      if (request.countedQuantity() < 0) {
        throw new LedgerException(Refusal.BAD_QUANTITY, "A count cannot be negative (got " + request.countedQuantity() + ")");
      }
      if (request.countedQuantity() > MAX_COUNT) {
        throw new LedgerException(Refusal.BAD_QUANTITY, "A count of " + request.countedQuantity() + " is more than any shelf holds: check it");
      }
      String location = request.location() == null ? "" : request.location().strip();
      if (location.length() > CountRequest.MAX_LOCATION) {
        throw new LedgerException(Refusal.FIELD_TOO_LONG, "A location has at most " + CountRequest.MAX_LOCATION + " characters");
      }
      StockBatch batch = countedBatch(request);
      if (!sheets.snapshot.containsKey(batch.getId()) && !inScope(st, batch.getProductId())) {
        throw new LedgerException(Refusal.NOT_IN_STOCK, batch.getProductName() + " is not part of stocktake '" + st.getDescription() + "'");
      }
      long now = ledger.clock().millis();
      try {
        StocktakeSheet sheet = sheets.countSheet(tillId, location);
        if (sheet == null) {
          sheet = newSheet(st.getId(), tillId, user, location, false, now);
        }
        StocktakeLine line = line(batch);
        line.setId(countId);
        line.setExpectedQuantity(batch.getQuantity());
        line.setCountedQuantity(request.countedQuantity());
        line.setCountedAt(now);
        line.setCountedByUserId(user);
        sheet.getLines().add(line);
        sheet.setCountedAt(now);
        sheet.setCountedByUserId(user);
        ledger.tx().setCommitComment("stocktake " + st.getId() + " count " + batch.getLotNumber() + " of " + batch.getBarcode());
        ledger.tx().commit();
      } catch (Exception e) {
        LedgerException failure = ledger.failed("The count of lot " + batch.getLotNumber() + " was not recorded", e);
        Sheets again = sheets(st.getId());
        if (again.lineById(countId) != null) {
          return lineInfo(again.lineById(countId).getBatch(), again);
        }
        throw failure;
      }
      return lineInfo(batch, sheets(st.getId()));
    }
  }

  /** Posts the counted differences with their reasons, one commit, and closes the stocktake. */
  public StocktakeInfo finish(String tillId, String user, FinishRequest request) {
    synchronized (ledger) {
      SiteLedger.checkTill(tillId);
      if (request == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "Nothing to finish");
      }
      Stocktake st = existing(request.stocktakeId());
      checkOpen(st);
      Sheets sheets = sheets(st.getId());
      Map<String, FinishRequest.LineReason> reasons = new HashMap<>();
      for (FinishRequest.LineReason r : request.reasons()) {
        if (r == null || r.batchId() == null) {
          throw new LedgerException(Refusal.BAD_INPUT, "A reason names no batch");
        }
        if (!sheets.snapshot.containsKey(r.batchId()) && !sheets.counts.containsKey(r.batchId())) {
          throw new LedgerException(Refusal.BAD_INPUT, "A reason names a batch that is not part of stocktake '" + st.getDescription() + "'");
        }
        if (r.note() != null && r.note().strip().length() > FinishRequest.MAX_NOTE) {
          throw new LedgerException(Refusal.FIELD_TOO_LONG, "A note has at most " + FinishRequest.MAX_NOTE + " characters");
        }
        reasons.put(r.batchId(), r);
      }
      if (sheets.counts.isEmpty()) {
        throw new LedgerException(Refusal.BAD_INPUT, "Nothing has been counted in stocktake '" + st.getDescription()
            + "': count, or cancel it");
      }
      List<StocktakeLine> adjust = new ArrayList<>();
      for (StocktakeLine l : sheets.counts.values()) {
        int difference = l.getCountedQuantity() - l.getExpectedQuantity();
        if (difference == 0) {
          continue;
        }
        StockBatch b = l.getBatch();
        FinishRequest.LineReason r = reasons.get(b.getId());
        String what = b.getProductName() + " lot " + b.getLotNumber() + " (counted " + l.getCountedQuantity() + ", expected "
            + l.getExpectedQuantity() + ")";
        if (r == null || r.reason() == null || r.reason() == AdjustmentReason.NONE) {
          throw new LedgerException(Refusal.BAD_INPUT, what + " differs by " + signed(difference) + ": give a reason");
        }
        if (r.reason() == AdjustmentReason.OTHER && (r.note() == null || r.note().isBlank())) {
          throw new LedgerException(Refusal.BAD_INPUT, what + ": the reason 'other' needs a note saying what happened");
        }
        if (b.getQuantity() + difference < 0) {
          throw new LedgerException(Refusal.NOT_ENOUGH_STOCK, what + ": more left the batch after it was counted than the count; "
              + "count it again");
        }
        adjust.add(l);
      }
      long now = ledger.clock().millis();
      LocalDate today = LocalDate.now(ledger.clock());
      try {
        for (StocktakeLine l : adjust) {
          FinishRequest.LineReason r = reasons.get(l.getBatch().getId());
          String note = r.note() == null || r.note().isBlank() ? null : r.note().strip();
          l.setReason(org.apotheca.model.AdjustmentReason.getByName(r.reason().name()));
          l.setNote(note);
          StockMovement m = ledger.move(tillId, user, today, l.getBatch(), l.getCountedQuantity() - l.getExpectedQuantity(),
              MovementReason.STOCKTAKE, st.getId(), l.getId(), now);
          m.setNote(r.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + (note == null ? "" : ": " + note));
        }
        st.setStatus(StocktakeStatus.COMPLETED);
        st.setCompletedAt(now);
        st.setCompletedByUserId(user);
        ledger.tx().setCommitComment("stocktake " + st.getId() + " finished: " + adjust.size() + " adjustment(s)");
        ledger.tx().commit();
      } catch (Exception e) {
        throw recordedOr(st.getId(), StocktakeStatus.COMPLETED, ledger.failed("Stocktake '" + st.getDescription() + "' was not finished", e));
      }
      return info(st, true);
    }
  }

  /** Closes a stocktake without posting anything. */
  public StocktakeInfo cancel(String tillId, String user, String stocktakeId) {
    synchronized (ledger) {
      SiteLedger.checkTill(tillId);
      Stocktake st = existing(stocktakeId);
      checkOpen(st);
      try {
        st.setStatus(StocktakeStatus.CANCELLED);
        st.setCompletedAt(ledger.clock().millis());
        st.setCompletedByUserId(user);
        ledger.tx().setCommitComment("stocktake " + st.getId() + " cancelled");
        ledger.tx().commit();
      } catch (Exception e) {
        throw recordedOr(st.getId(), StocktakeStatus.CANCELLED, ledger.failed("Stocktake '" + st.getDescription() + "' was not cancelled", e));
      }
      return info(st, true);
    }
  }

  /** A failed finish or cancel that the store applied all the same (see SiteLedger.sell) is reported as done. */
  private LedgerException recordedOr(String id, StocktakeStatus status, LedgerException failure) {
    Stocktake again = header(id);
    if (again != null && again.getStatus() == status) {
      LOG.warning(() -> "Stocktake " + id + " was recorded " + status + " although its commit reported: " + failure.getMessage());
      return new LedgerException(Refusal.ALREADY_DONE, "Stocktake '" + again.getDescription() + "' is "
          + (status == StocktakeStatus.COMPLETED ? "finished" : "cancelled"));
    }
    return failure;
  }

  private void checkOpen(Stocktake st) {
    if (st.getStatus() != StocktakeStatus.IN_PROGRESS) {
      throw new LedgerException(Refusal.ALREADY_DONE, "Stocktake '" + st.getDescription() + "' was "
          + (st.getStatus() == StocktakeStatus.COMPLETED ? "finished" : "cancelled") + " before");
    }
  }

  private StockBatch countedBatch(CountRequest request) {
    if (request.batchId() != null && !request.batchId().isBlank()) {
      StockBatch b = ledger.batchById(request.batchId().strip());
      if (b == null) {
        throw new LedgerException(Refusal.NOT_IN_STOCK, "This pharmacy holds no such batch");
      }
      return b;
    }
    Product product = ledger.product(request.code(), null);
    String lot = request.lot() == null ? "" : request.lot().strip();
    if (lot.isEmpty()) {
      throw new LedgerException(Refusal.BAD_INPUT, "Say which lot of " + product.getName() + " was counted");
    }
    if (lot.length() > ReceiveRequest.MAX_LOT) {
      throw new LedgerException(Refusal.FIELD_TOO_LONG, "Lot numbers have at most " + ReceiveRequest.MAX_LOT + " characters");
    }
    List<StockBatch> found = new ArrayList<>();
    for (StockBatch b : ledger.batchesByProduct().getOrDefault(product.getId(), List.of())) {
      if (lot.equals(b.getLotNumber())) {
        found.add(b);
      }
    }
    if (found.isEmpty()) {
      throw new LedgerException(Refusal.LOT_NOT_HELD, "This pharmacy never received lot " + lot + " of " + product.getName());
    }
    if (found.size() > 1) {
      throw new LedgerException(Refusal.BAD_INPUT, "Lot " + lot + " of " + product.getName() + " was received " + found.size()
          + " times: count each delivery's batch from the list");
    }
    return found.get(0);
  }

  private boolean inScope(Stocktake st, String productId) {
    if (st.getProductCodes().isEmpty()) {
      return true;
    }
    for (String code : st.getProductCodes()) {
      Product p = ledger.catalogue().find(code);
      if (p != null && p.getId().equals(productId)) {
        return true;
      }
    }
    return false;
  }

  private StocktakeSheet newSheet(String stocktakeId, String tillId, String user, String location, boolean snapshot, long now) {
    StocktakeSheet sheet = Ownership.stamp(F.createStocktakeSheet(), ledger.siteId());
    sheet.setStocktakeId(stocktakeId);
    sheet.setTillId(tillId);
    sheet.setLocation(location);
    sheet.setSnapshot(snapshot);
    sheet.setCountedByUserId(user);
    sheet.setCountedAt(now);
    ledger.tx().createResource(folder(stocktakeId) + "/" + tillId + "-" + sheet.getId()).getContents().add(sheet);
    return sheet;
  }

  private StocktakeLine line(StockBatch b) {
    StocktakeLine line = Ownership.stamp(F.createStocktakeLine(), ledger.siteId());
    line.setBatch(b);
    line.setProductId(b.getProductId());
    line.setBarcode(b.getBarcode());
    line.setProductName(b.getProductName());
    line.setReason(org.apotheca.model.AdjustmentReason.NONE);
    return line;
  }

  private String folder(String stocktakeId) {
    return "/sites/" + ledger.siteId() + "/stocktakes/" + stocktakeId;
  }

  private Stocktake header(String id) {
    String path = folder(id) + "/stocktake";
    if (!ledger.tx().hasResource(path)) {
      return null;
    }
    return ledger.tx().getResource(path).getContents().get(0) instanceof Stocktake st ? st : null;
  }

  private Stocktake existing(String stocktakeId) {
    if (stocktakeId == null || stocktakeId.isBlank() || stocktakeId.length() > 64 || !stocktakeId.matches("[A-Za-z0-9-]+")) {
      throw new LedgerException(Refusal.NOT_FOUND, "No such stocktake");
    }
    Stocktake st = header(stocktakeId);
    if (st == null) {
      throw new LedgerException(Refusal.NOT_FOUND, "No stocktake " + stocktakeId + " at this pharmacy");
    }
    return st;
  }

  /** The sheets of one stocktake: the snapshot per batch, the latest count per batch, every count by id. */
  private final class Sheets {
    final List<StocktakeSheet> all;
    final Map<String, StocktakeLine> snapshot = new LinkedHashMap<>();
    final Map<String, StocktakeLine> counts = new LinkedHashMap<>();

    Sheets(List<StocktakeSheet> all) {
      this.all = all;
      for (StocktakeSheet s : all) {
        for (StocktakeLine l : s.getLines()) {
          if (l.getBatch() == null) {
            continue;
          }
          if (s.isSnapshot()) {
            snapshot.put(l.getBatch().getId(), l);
          } else {
            counts.merge(l.getBatch().getId(), l, (a, b) -> b.getCountedAt() >= a.getCountedAt() ? b : a);
          }
        }
      }
    }

    StocktakeLine lineById(String id) {
      for (StocktakeSheet s : all) {
        if (!s.isSnapshot()) {
          for (StocktakeLine l : s.getLines()) {
            if (id.equals(l.getId())) {
              return l;
            }
          }
        }
      }
      return null;
    }

    /** The till's sheet for this location with room for a line, or null. */
    StocktakeSheet countSheet(String tillId, String location) {
      for (StocktakeSheet s : all) {
        if (!s.isSnapshot() && tillId.equals(s.getTillId()) && location.equals(s.getLocation() == null ? "" : s.getLocation())
            && s.getLines().size() < LINES_PER_SHEET) {
          return s;
        }
      }
      return null;
    }
  }

  private Sheets sheets(String stocktakeId) {
    return new Sheets(ResourceRoots.of(ledger.tx(), folder(stocktakeId), StocktakeSheet.class));
  }

  private StocktakeInfo info(Stocktake st, boolean withLines) {
    Sheets sheets = sheets(st.getId());
    Map<String, StockBatch> batches = new LinkedHashMap<>();
    for (StocktakeLine l : sheets.snapshot.values()) {
      batches.put(l.getBatch().getId(), l.getBatch());
    }
    for (StocktakeLine l : sheets.counts.values()) {
      batches.putIfAbsent(l.getBatch().getId(), l.getBatch());
    }
    List<StocktakeLineInfo> lines = new ArrayList<>();
    int counted = 0;
    int differences = 0;
    int units = 0;
    long value = 0;
    for (StockBatch b : batches.values()) {
      StocktakeLineInfo line = lineInfo(b, sheets);
      lines.add(line);
      if (line.counted()) {
        counted++;
        if (line.difference() != 0) {
          differences++;
          units += line.difference();
          value += line.differenceValueMinor();
        }
      }
    }
    lines.sort(Comparator.comparing(StocktakeLineInfo::productName, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(StocktakeLineInfo::expiry, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(StocktakeLineInfo::batchId));
    StocktakeInfo.Status status = switch (st.getStatus()) {
    case COMPLETED -> StocktakeInfo.Status.FINISHED;
    case CANCELLED -> StocktakeInfo.Status.CANCELLED;
    default -> StocktakeInfo.Status.IN_PROGRESS;
    };
    return new StocktakeInfo(st.getId(), st.getDescription(), status, List.copyOf(st.getProductCodes()), st.getStartedAt(),
        st.getStartedByUserId(), st.getCompletedAt(), st.getCompletedByUserId(), batches.size(), counted, differences, units, value,
        withLines ? lines : List.of(), SiteLedger.atCentral(st));
  }

  private StocktakeLineInfo lineInfo(StockBatch b, Sheets sheets) {
    StocktakeLine snap = sheets.snapshot.get(b.getId());
    StocktakeLine count = sheets.counts.get(b.getId());
    int atSnapshot = snap == null ? 0 : snap.getExpectedQuantity();
    String till = null;
    if (count != null && count.eContainer() instanceof StocktakeSheet s) {
      till = s.getTillId();
    }
    if (count == null) {
      return new StocktakeLineInfo(b.getId(), b.getProductId(), b.getBarcode(), b.getProductName(), b.getLotNumber(), b.getExpiryDate(),
          b.getUnitCostMinor(), atSnapshot, b.getQuantity() - atSnapshot, false, 0, 0, null, null, 0, 0, AdjustmentReason.NONE, null);
    }
    int difference = count.getCountedQuantity() - count.getExpectedQuantity();
    AdjustmentReason reason = count.getReason() == null ? AdjustmentReason.NONE : AdjustmentReason.valueOf(count.getReason().getName());
    return new StocktakeLineInfo(b.getId(), b.getProductId(), b.getBarcode(), b.getProductName(), b.getLotNumber(), b.getExpiryDate(),
        b.getUnitCostMinor(), atSnapshot, count.getExpectedQuantity() - atSnapshot, true, count.getCountedQuantity(),
        count.getCountedAt(), count.getCountedByUserId(), till, difference, Money.times(b.getUnitCostMinor(), difference), reason,
        count.getNote());
  }

  private static final Comparator<StockBatch> BY_NAME_EXPIRY = Comparator
      .comparing(StockBatch::getProductName, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(StockBatch::getExpiryDate, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(StockBatch::getId);

  private static String signed(int n) {
    return n > 0 ? "+" + n : Integer.toString(n);
  }

  // ---- supplier returns ----

  /** Units of one batch back to a supplier: one movement (and a register entry for a controlled drug), one commit. */
  public SupplierReturnInfo returnToSupplier(String tillId, String user, SupplierReturnRequest request) {
    synchronized (ledger) {
      SiteLedger.checkTill(tillId);
      if (request == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "Nothing to return");
      }
      String id = SiteLedger.documentId(request.returnId(), "supplier return");
      LocalDate today = LocalDate.now(ledger.clock());
      StockMovement done = findMovement(today, id, MovementReason.SUPPLIER_RETURN);
      if (done != null) {
        return returnInfo(done);
      }
      StockBatch batch = ledger.batchById(request.batchId());
      if (batch == null) {
        throw new LedgerException(Refusal.NOT_IN_STOCK, "This pharmacy holds no such batch");
      }
      String reason = reason(request.reason(), "A supplier return");
      String supplier = request.supplier() == null || request.supplier().isBlank() ? batch.getSupplierName() : request.supplier().strip();
      if (supplier == null || supplier.isBlank()) {
        throw new LedgerException(Refusal.BAD_INPUT, "Say which supplier lot " + batch.getLotNumber() + " goes back to");
      }
      if (supplier.length() > ReceiveRequest.MAX_SUPPLIER) {
        throw new LedgerException(Refusal.FIELD_TOO_LONG, "Supplier names have at most " + ReceiveRequest.MAX_SUPPLIER + " characters");
      }
      if (request.quantity() < 1) {
        throw new LedgerException(Refusal.BAD_QUANTITY, "Return at least 1 unit (got " + request.quantity() + ")");
      }
      if (request.quantity() > batch.getQuantity()) {
        throw new LedgerException(Refusal.NOT_ENOUGH_STOCK, "Only " + batch.getQuantity() + " of " + batch.getProductName() + " lot "
            + batch.getLotNumber() + " are on hand");
      }
      long now = ledger.clock().millis();
      StockMovement m;
      try {
        m = ledger.move(tillId, user, today, batch, -request.quantity(), MovementReason.SUPPLIER_RETURN, id, null, now);
        m.setNote(reason);
        m.setSupplierName(supplier);
        // a controlled drug gets its register entry in the same commit; the register ignores other products
        ledger.register().returnedToSupplier(batch.getProductId(), request.quantity(), supplier, id, reason, user, user, now);
        ledger.tx().setCommitComment("supplier return " + batch.getLotNumber() + " of " + batch.getBarcode());
        ledger.tx().commit();
      } catch (Exception e) {
        LedgerException failure = ledger.failed("The return of lot " + batch.getLotNumber() + " was not recorded", e);
        StockMovement recorded = findMovement(today, id, MovementReason.SUPPLIER_RETURN);
        if (recorded != null) {
          LOG.warning(() -> "Supplier return " + id + " was recorded although its commit reported: " + failure.getMessage());
          return returnInfo(recorded);
        }
        throw failure;
      }
      return returnInfo(m);
    }
  }

  /** The supplier returns of one business day, newest first. */
  public List<SupplierReturnInfo> supplierReturns(LocalDate day) {
    synchronized (ledger) {
      List<SupplierReturnInfo> result = new ArrayList<>();
      for (StockMovement m : movements(day)) {
        if (m.getReason() == MovementReason.SUPPLIER_RETURN) {
          result.add(returnInfo(m));
        }
      }
      result.sort(Comparator.comparingLong(SupplierReturnInfo::returnedAt).reversed().thenComparing(SupplierReturnInfo::returnId));
      return result;
    }
  }

  private SupplierReturnInfo returnInfo(StockMovement m) {
    StockBatch b = m.getBatch();
    return new SupplierReturnInfo(m.getDocumentId(), b.getId(), b.getBarcode(), b.getProductName(), b.getLotNumber(), b.getExpiryDate(),
        -m.getQuantity(), m.getSupplierName(), m.getNote(), m.getOccurredAt(), m.getUserId(), Money.times(m.getUnitCostMinor(),
            -m.getQuantity()), SiteLedger.atCentral(m));
  }

  // ---- expiry ----

  /** Batches on hand expired or expiring within {@code days}, with totals per band. */
  public ExpiryReport expiryReport(int days) {
    if (days < 0 || days > 3660) {
      throw new LedgerException(Refusal.BAD_INPUT, "The expiry report looks 0 to 3660 days ahead (asked: " + days + ")");
    }
    synchronized (ledger) {
      LocalDate today = LocalDate.now(ledger.clock());
      String until = today.plusDays(days).toString();
      List<BatchInfo> batches = new ArrayList<>();
      for (Map.Entry<String, List<StockBatch>> e : ledger.batchesByProduct().entrySet()) {
        List<org.apotheca.model.Recall> recalls = null;
        for (StockBatch b : e.getValue()) {
          if (b.getQuantity() > 0 && b.getExpiryDate() != null && b.getExpiryDate().compareTo(until) <= 0) {
            if (recalls == null) {
              recalls = ledger.catalogue().activeRecalls(e.getKey());
            }
            batches.add(ledger.info(b, recalls));
          }
        }
      }
      batches.sort(Comparator.comparing(BatchInfo::expiry).thenComparing(BatchInfo::productName,
          Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(BatchInfo::batchId));
      Map<BatchInfo.ExpiryBand, long[]> totals = new EnumMap<>(BatchInfo.ExpiryBand.class);
      for (BatchInfo.ExpiryBand band : BatchInfo.ExpiryBand.values()) {
        if (band != BatchInfo.ExpiryBand.LATER || days > 90) {
          totals.put(band, new long[3]);
        }
      }
      for (BatchInfo b : batches) {
        long[] t = totals.get(b.band());
        t[0]++;
        t[1] += b.quantity();
        t[2] += Money.times(b.unitCostMinor(), b.quantity());
      }
      List<ExpiryReport.BandTotal> bands = new ArrayList<>();
      totals.forEach((band, t) -> bands.add(new ExpiryReport.BandTotal(band, (int) t[0], (int) t[1], t[2])));
      return new ExpiryReport(today, days, batches, bands);
    }
  }

  // ---- write-off ----

  /** Expired batches down to zero, one movement each (and register entries for controlled drugs), one commit. */
  public WriteOffInfo writeOffExpired(String tillId, String user, WriteOffRequest request) {
    synchronized (ledger) {
      SiteLedger.checkTill(tillId);
      if (request == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "Nothing to write off");
      }
      String id = SiteLedger.documentId(request.writeOffId(), "write-off");
      LocalDate today = LocalDate.now(ledger.clock());
      List<StockMovement> done = findMovements(today, id, MovementReason.EXPIRED_WRITE_OFF);
      if (!done.isEmpty()) {
        return writeOffInfo(id, done);
      }
      String reason = reason(request.reason(), "A write-off");
      String todayText = today.toString();
      List<StockBatch> batches = new ArrayList<>();
      if (request.batchIds().isEmpty()) {
        for (List<StockBatch> list : ledger.batchesByProduct().values()) {
          for (StockBatch b : list) {
            if (b.getQuantity() > 0 && b.getExpiryDate() != null && b.getExpiryDate().compareTo(todayText) < 0) {
              batches.add(b);
            }
          }
        }
        if (batches.isEmpty()) {
          throw new LedgerException(Refusal.BAD_INPUT, "No expired stock is on hand: nothing to write off");
        }
      } else {
        for (String batchId : new LinkedHashSet<>(request.batchIds())) {
          StockBatch b = ledger.batchById(batchId);
          if (b == null) {
            throw new LedgerException(Refusal.NOT_IN_STOCK, "This pharmacy holds no such batch");
          }
          if (b.getQuantity() <= 0) {
            throw new LedgerException(Refusal.NOT_IN_STOCK, "Nothing is left of " + b.getProductName() + " lot " + b.getLotNumber());
          }
          if (b.getExpiryDate() == null || b.getExpiryDate().compareTo(todayText) >= 0) {
            throw new LedgerException(Refusal.BAD_INPUT, b.getProductName() + " lot " + b.getLotNumber() + " has not expired (it expires "
                + b.getExpiryDate() + "): only expired stock is written off here");
          }
          batches.add(b);
        }
      }
      batches.sort(BY_NAME_EXPIRY);
      long now = ledger.clock().millis();
      List<StockMovement> written = new ArrayList<>();
      try {
        for (StockBatch b : batches) {
          int units = b.getQuantity();
          StockMovement m = ledger.move(tillId, user, today, b, -units, MovementReason.EXPIRED_WRITE_OFF, id, null, now);
          m.setNote(reason);
          written.add(m);
          ledger.register().destroyed(b.getProductId(), units, id, reason, user, user, now); // controlled drugs only
        }
        ledger.tx().setCommitComment("write-off " + batches.size() + " expired batch(es)");
        ledger.tx().commit();
      } catch (Exception e) {
        LedgerException failure = ledger.failed("The write-off was not recorded", e);
        List<StockMovement> recorded = findMovements(today, id, MovementReason.EXPIRED_WRITE_OFF);
        if (!recorded.isEmpty()) {
          LOG.warning(() -> "Write-off " + id + " was recorded although its commit reported: " + failure.getMessage());
          return writeOffInfo(id, recorded);
        }
        throw failure;
      }
      return writeOffInfo(id, written);
    }
  }

  private WriteOffInfo writeOffInfo(String id, List<StockMovement> movements) {
    List<StockChange> lines = new ArrayList<>();
    int units = 0;
    long value = 0;
    for (StockMovement m : movements) {
      StockBatch b = m.getBatch();
      long v = Money.times(m.getUnitCostMinor(), m.getQuantity());
      lines.add(new StockChange(b.getId(), b.getBarcode(), b.getProductName(), b.getLotNumber(), b.getExpiryDate(), m.getQuantity(), v));
      units -= m.getQuantity();
      value -= v;
    }
    StockMovement first = movements.get(0);
    return new WriteOffInfo(id, first.getOccurredAt(), first.getUserId(), first.getNote(), lines, units, value,
        movements.stream().allMatch(SiteLedger::atCentral));
  }

  // ---- reads ----

  private String reason(String text, String what) {
    String reason = text == null ? "" : text.strip();
    if (reason.isEmpty()) {
      throw new LedgerException(Refusal.BAD_INPUT, what + " needs a reason");
    }
    if (reason.length() > MAX_REASON) {
      throw new LedgerException(Refusal.FIELD_TOO_LONG, "The reason has at most " + MAX_REASON + " characters");
    }
    return reason;
  }

  private List<StockMovement> movements(LocalDate day) {
    List<StockMovement> result = new ArrayList<>();
    for (MovementJournal j : ResourceRoots.of(ledger.tx(), ledger.movementsFolder(day), MovementJournal.class)) {
      result.addAll(j.getMovements());
    }
    return result;
  }

  private StockMovement findMovement(LocalDate day, String documentId, MovementReason reason) {
    List<StockMovement> found = findMovements(day, documentId, reason);
    return found.isEmpty() ? null : found.get(0);
  }

  private List<StockMovement> findMovements(LocalDate day, String documentId, MovementReason reason) {
    List<StockMovement> result = new ArrayList<>();
    for (StockMovement m : movements(day)) {
      if (m.getReason() == reason && documentId.equals(m.getDocumentId())) {
        result.add(m);
      }
    }
    return result;
  }
}
