package org.apotheca.core.ledger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apotheca.node.api.Refusal;

/**
 * Which batches a sale line takes its units from: first expiry, first out, never an expired, quarantined or recalled
 * batch; only the named lot when a scan named one. A pure function of what it is given (no store, no clock of its
 * own), so every refusal is unit-tested in milliseconds and the same plan serves quotes, sales and dispensing.
 */
public final class FefoPlan {

  /** Largest quantity of one line: catches a barcode scanned into the quantity field. */
  public static final int MAX_QUANTITY = 9_999;

  /** A batch on the shelf. {@code expiry} is an ISO date; ISO dates compare correctly as text. */
  public record Batch(String id, String lot, String expiry, int quantity, boolean quarantined, long receivedAt) {
  }

  /** An active recall of the product: {@code lots} empty means every batch. */
  public record Recall(String number, Set<String> lots, String reason) {

    boolean covers(String lot) {
      return lots.isEmpty() || lots.contains(lot);
    }
  }

  /** Units to take from one batch. */
  public record Take(Batch batch, int quantity) {
  }

  /**
   * What the line asks for.
   *
   * @param what the product in words for messages ("Paracetamol 500mg (5012345678900)")
   * @param lot null, or the only lot to sell from
   * @param expiry null, or the expiry the scanned pack carries (ISO): must match the lot's batch on the shelf
   */
  public record Request(String what, boolean withdrawn, String lot, String expiry, int quantity) {
  }

  private FefoPlan() {
  }

  public static void checkQuantity(int quantity) {
    if (quantity < 1) {
      throw new LedgerException(Refusal.BAD_QUANTITY, "Quantity must be at least 1 (got " + quantity + ")");
    }
    if (quantity > MAX_QUANTITY) {
      throw new LedgerException(Refusal.BAD_QUANTITY,
          "Quantity " + quantity + " is more than " + MAX_QUANTITY + ": was a barcode scanned into the quantity?");
    }
  }

  /**
   * Plans the line against {@code batches}, less what earlier lines of the same basket already took
   * ({@code taken}: batch id → units), or refuses it.
   */
  public static List<Take> plan(Request request, List<Recall> recalls, List<Batch> batches, Map<String, Integer> taken,
      LocalDate today) {
    checkQuantity(request.quantity());
    String what = request.what();
    if (request.withdrawn()) {
      throw new LedgerException(Refusal.WITHDRAWN, "Cannot sell " + what + ": withdrawn from sale by central");
    }
    for (Recall r : recalls) {
      if (r.lots().isEmpty()) {
        throw new LedgerException(Refusal.RECALLED,
            "Cannot sell " + what + ": recalled, recall " + r.number() + " covers every batch: " + r.reason());
      }
    }
    String lot = request.lot();
    if (lot != null) {
      checkLot(request, recalls, batches, today);
    }
    List<Batch> sellable = new ArrayList<>();
    int onHand = 0;
    int expired = 0;
    int quarantined = 0;
    int recalled = 0;
    Recall recallHit = null;
    Batch firstExpired = null;
    for (Batch b : batches) {
      int left = b.quantity() - taken.getOrDefault(b.id(), 0);
      if (left <= 0 || lot != null && !lot.equals(b.lot())) {
        continue;
      }
      onHand += left;
      Recall recall = recallOf(recalls, b);
      if (recall != null) {
        recalled += left;
        recallHit = recallHit == null ? recall : recallHit;
      } else if (b.quarantined()) {
        quarantined += left;
      } else if (isExpired(b, today)) {
        expired += left;
        firstExpired = firstExpired == null || b.expiry().compareTo(firstExpired.expiry()) < 0 ? b : firstExpired;
      } else {
        sellable.add(new Batch(b.id(), b.lot(), b.expiry(), left, false, b.receivedAt()));
      }
    }
    sellable.sort(Comparator.comparing(Batch::expiry).thenComparingLong(Batch::receivedAt).thenComparing(Batch::id));
    int available = sellable.stream().mapToInt(Batch::quantity).sum();
    if (available < request.quantity()) {
      throw shortOf(request, available, onHand, expired, quarantined, recalled, recallHit, firstExpired);
    }
    List<Take> takes = new ArrayList<>();
    int remaining = request.quantity();
    for (Batch b : sellable) {
      if (remaining == 0) {
        break;
      }
      int take = Math.min(remaining, b.quantity());
      takes.add(new Take(b, take));
      remaining -= take;
    }
    return takes;
  }

  private static void checkLot(Request request, List<Recall> recalls, List<Batch> batches, LocalDate today) {
    String lot = request.lot();
    String what = request.what();
    Batch known = null;
    for (Batch b : batches) {
      if (lot.equals(b.lot())) {
        known = known == null || b.quantity() > 0 && known.quantity() <= 0 ? b : known;
        Recall recall = recallOf(recalls, b);
        if (recall != null) {
          throw new LedgerException(Refusal.RECALLED,
              "Cannot sell " + what + " lot " + lot + ": recalled, recall " + recall.number() + ": " + recall.reason());
        }
      }
    }
    if (known == null) {
      throw new LedgerException(Refusal.LOT_NOT_HELD, "Lot " + lot + " of " + what + " was never received here: check the pack");
    }
    if (request.expiry() != null && !request.expiry().equals(known.expiry())) {
      throw new LedgerException(Refusal.LOT_EXPIRY_MISMATCH, "The pack says lot " + lot + " expires " + request.expiry()
          + " but lot " + lot + " on the shelf here expires " + known.expiry() + ": check the pack before selling it");
    }
    if (isExpired(known, today)) {
      throw new LedgerException(Refusal.EXPIRED, "Cannot sell " + what + " lot " + lot + ": it expired on " + known.expiry());
    }
  }

  private static LedgerException shortOf(Request request, int available, int onHand, int expired, int quarantined,
      int recalled, Recall recallHit, Batch firstExpired) {
    String what = request.what();
    if (recallHit != null && available == 0 && expired == 0 && quarantined == 0) {
      return new LedgerException(Refusal.RECALLED, "Cannot sell " + what + ": recall " + recallHit.number() + " covers lot"
          + (recallHit.lots().size() > 1 ? "s " : " ") + String.join(", ", new java.util.TreeSet<>(recallHit.lots()))
          + ", the only stock on hand: " + recallHit.reason());
    }
    if (onHand == 0) {
      return new LedgerException(Refusal.NOT_IN_STOCK, "Not in stock: " + what + " has no units on hand"
          + (request.lot() == null ? "" : " in lot " + request.lot()));
    }
    if (available == 0 && expired > 0 && quarantined == 0 && recalled == 0) {
      return new LedgerException(Refusal.EXPIRED, "Cannot sell " + what + ": all " + expired + " units on hand are expired (lot "
          + firstExpired.lot() + " expired " + firstExpired.expiry() + ")");
    }
    StringBuilder sb = new StringBuilder("Not enough stock of ").append(what).append(": ").append(request.quantity())
        .append(" requested, ").append(available).append(" sellable");
    if (expired > 0) {
      sb.append(", ").append(expired).append(" expired");
    }
    if (quarantined > 0) {
      sb.append(", ").append(quarantined).append(" quarantined");
    }
    if (recalled > 0) {
      sb.append(", ").append(recalled).append(" recalled (").append(recallHit.number()).append(": ").append(recallHit.reason())
          .append(')');
    }
    return new LedgerException(Refusal.NOT_ENOUGH_STOCK, sb.toString());
  }

  static Recall recallOf(List<Recall> recalls, Batch b) {
    for (Recall r : recalls) {
      if (r.covers(b.lot())) {
        return r;
      }
    }
    return null;
  }

  /** A batch expiring today may still be sold today. */
  public static boolean isExpired(Batch b, LocalDate today) {
    return b.expiry() == null || b.expiry().compareTo(today.toString()) < 0;
  }
}
