package org.apotheca.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apotheca.core.ledger.FefoPlan;
import org.apotheca.core.ledger.FefoPlan.Batch;
import org.apotheca.core.ledger.FefoPlan.Recall;
import org.apotheca.core.ledger.FefoPlan.Request;
import org.apotheca.core.ledger.FefoPlan.Take;
import org.apotheca.core.ledger.LedgerException;
import org.apotheca.node.api.Refusal;
import org.junit.jupiter.api.Test;

/** The FEFO planner alone: every allocation rule and every refusal code, no store. */
class FefoPlanTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 11, 30);
  private static final String WHAT = "Paracetamol 500mg (5012345678900)";

  private static Batch batch(String lot, String expiry, int quantity) {
    return new Batch("id-" + lot, lot, expiry, quantity, false, 0);
  }

  private static final List<Batch> SHELF = List.of(batch("B", "2027-06-30", 10), batch("A", "2027-01-31", 5),
      batch("C", "2027-03-31", 3), batch("OLD", "2026-11-29", 4), new Batch("id-Q", "Q", "2026-12-31", 7, true, 0));

  private static List<String> plan(Request r, List<Recall> recalls, List<Batch> shelf, Map<String, Integer> taken) {
    return FefoPlan.plan(r, recalls, shelf, taken, TODAY).stream().map(t -> t.batch().lot() + ":" + t.quantity()).toList();
  }

  private static Refusal refusal(Request r, List<Recall> recalls, List<Batch> shelf) {
    return assertThrows(LedgerException.class, () -> FefoPlan.plan(r, recalls, shelf, new HashMap<>(), TODAY)).refusal();
  }

  @Test
  void takesTheEarliestExpiryFirstAcrossBatchesAndSkipsExpiredAndQuarantined() {
    assertEquals(List.of("A:5", "C:2"), plan(new Request(WHAT, false, null, null, 7), List.of(), SHELF, new HashMap<>()));
  }

  @Test
  void aBatchExpiringTodayIsStillSold() {
    assertEquals(List.of("T:1"), plan(new Request(WHAT, false, null, null, 1), List.of(), List.of(batch("T", "2026-11-30", 1)), Map.of()));
  }

  @Test
  void earlierLinesOfTheBasketCountAgainstLaterOnes() {
    Map<String, Integer> taken = new HashMap<>(Map.of("id-A", 5));
    assertEquals(List.of("C:3", "B:1"), plan(new Request(WHAT, false, null, null, 4), List.of(), SHELF, taken));
  }

  @Test
  void aNamedLotSellsOnlyThatLot() {
    assertEquals(List.of("B:2"), plan(new Request(WHAT, false, "B", null, 2), List.of(), SHELF, Map.of()));
    assertEquals(List.of("B:2"), plan(new Request(WHAT, false, "B", "2027-06-30", 2), List.of(), SHELF, Map.of()));
  }

  @Test
  void refusalsCarryTheirCodes() {
    assertEquals(Refusal.LOT_NOT_HELD, refusal(new Request(WHAT, false, "ZZ", null, 1), List.of(), SHELF));
    assertEquals(Refusal.LOT_EXPIRY_MISMATCH, refusal(new Request(WHAT, false, "B", "2027-07-31", 1), List.of(), SHELF));
    assertEquals(Refusal.EXPIRED, refusal(new Request(WHAT, false, "OLD", null, 1), List.of(), SHELF));
    assertEquals(Refusal.EXPIRED, refusal(new Request(WHAT, false, null, null, 1), List.of(), List.of(batch("OLD", "2026-01-01", 3))));
    assertEquals(Refusal.NOT_ENOUGH_STOCK, refusal(new Request(WHAT, false, null, null, 19), List.of(), SHELF));
    assertEquals(Refusal.NOT_IN_STOCK, refusal(new Request(WHAT, false, null, null, 1), List.of(), List.of()));
    assertEquals(Refusal.WITHDRAWN, refusal(new Request(WHAT, true, null, null, 1), List.of(), SHELF));
    assertEquals(Refusal.BAD_QUANTITY, refusal(new Request(WHAT, false, null, null, 0), List.of(), SHELF));
    assertEquals(Refusal.BAD_QUANTITY, refusal(new Request(WHAT, false, null, null, 10_000), List.of(), SHELF));
  }

  @Test
  void recallsAreNeverSold() {
    Recall lotA = new Recall("R-000001", Set.of("A"), "contamination");
    assertEquals(List.of("C:3", "B:1"), plan(new Request(WHAT, false, null, null, 4), List.of(lotA), SHELF, Map.of()));
    assertEquals(Refusal.RECALLED, refusal(new Request(WHAT, false, "A", null, 1), List.of(lotA), SHELF));
    assertEquals(Refusal.RECALLED, refusal(new Request(WHAT, false, null, null, 1), List.of(new Recall("R-2", Set.of(), "all")), SHELF));
    LedgerException onlyRecalled = assertThrows(LedgerException.class, () -> FefoPlan.plan(new Request(WHAT, false, null, null, 1),
        List.of(lotA), List.of(batch("A", "2027-01-31", 5)), Map.of(), TODAY));
    assertEquals(Refusal.RECALLED, onlyRecalled.refusal());
    assertTrue(onlyRecalled.getMessage().contains("R-000001"), onlyRecalled.getMessage());
  }

  @Test
  void theMessagesSayWhatIsThere() {
    LedgerException e = assertThrows(LedgerException.class,
        () -> FefoPlan.plan(new Request(WHAT, false, null, null, 19), List.of(), SHELF, Map.of(), TODAY));
    assertEquals("Not enough stock of " + WHAT + ": 19 requested, 18 sellable, 4 expired, 7 quarantined", e.getMessage());
    List<Take> none = FefoPlan.plan(new Request(WHAT, false, null, null, 18), List.of(), SHELF, Map.of(), TODAY);
    assertEquals(18, none.stream().mapToInt(Take::quantity).sum());
  }
}
