package org.apotheca.core.ledger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.CashUp;
import org.apotheca.model.Payment;
import org.apotheca.model.Refund;
import org.apotheca.model.Sale;
import org.apotheca.model.SaleStatus;
import org.apotheca.model.SalesDay;
import org.apotheca.model.money.Money;
import org.apotheca.model.ownership.Bounds;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.node.api.CashUpDay;
import org.apotheca.node.api.CashUpFigures;
import org.apotheca.node.api.CashUpInfo;
import org.apotheca.node.api.CashUpRequest;
import org.apotheca.node.api.DenominationCount;
import org.apotheca.node.api.FloatRequest;
import org.apotheca.node.api.Refusal;

/**
 * Opening floats and cash-ups, owned by the {@link SiteLedger} and run under its lock.
 * <p>
 * A till's day is its own sales journals ({@code /sites/<id>/sales/<day>/<till>-<part>}): the sales it made and the
 * refunds it paid out, online or offline alike (the ledger writes both the same way, and reads them on the branch it
 * writes on). The cash-up lives there too, in {@code SalesDay.cashUps}: at most one closed {@link CashUp} per till
 * and day, under the id the closing till chose (a retry of the close finds it), and the opening float's record
 * ({@code closedAt} 0) when a float was recorded before the close. The float's record stays after the close rather
 * than being replaced: CDO 4.7's write-through cannot commit a removal (its commit delegation has no type for a
 * detached object), and nothing the node writes online may depend on a removal.
 */
public final class CashDesk {

  private static final Logger LOG = Logger.getLogger(CashDesk.class.getName());
  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;
  private static final int CASH_UPS_PER_JOURNAL = Bounds.max(ApothecaPackage.Literals.SALES_DAY__CASH_UPS);
  /** More of one note or coin than any drawer holds: a typing slip. */
  private static final int MAX_PIECES = 100_000;

  private final SiteLedger ledger;

  CashDesk(SiteLedger ledger) {
    this.ledger = ledger;
  }

  /** What one till took on one day and should have in its drawer. */
  public CashUpFigures figures(String tillId, LocalDate day) {
    synchronized (ledger) {
      SiteLedger.checkTill(tillId);
      return figures(tillId, checkDay(day), -1);
    }
  }

  /** Records (or replaces, before the close) the float a till's day starts with, one commit. */
  public CashUpFigures recordFloat(String user, FloatRequest request) {
    synchronized (ledger) {
      if (request == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "No float given");
      }
      SiteLedger.checkTill(request.tillId());
      LocalDate day = checkDay(request.day());
      checkAmount(request.openingFloatMinor(), "The opening float");
      CashUp closed = closed(request.tillId(), day);
      if (closed != null) {
        throw closedBefore(closed, request.tillId(), day);
      }
      CashUp cu = floatRecord(request.tillId(), day);
      try {
        if (cu == null) {
          cu = Ownership.stamp(F.createCashUp(), ledger.siteId());
          journal(request.tillId(), day).getCashUps().add(cu);
        }
        cu.setOpeningFloatMinor(request.openingFloatMinor());
        ledger.tx().setCommitComment("float " + request.tillId() + " " + day + " " + request.openingFloatMinor() + " by " + user);
        ledger.tx().commit();
      } catch (Exception e) {
        throw ledger.failed("The float of " + request.tillId() + " was not recorded", e);
      }
      return figures(request.tillId(), day, -1);
    }
  }

  /** Closes a till's day: figures now, the count, the difference and its note, the closing user; one commit. */
  public CashUpInfo close(String user, CashUpRequest request) {
    synchronized (ledger) {
      if (request == null) {
        throw new LedgerException(Refusal.BAD_INPUT, "No cash-up given");
      }
      String id = SiteLedger.documentId(request.cashUpId(), "cash-up");
      SiteLedger.checkTill(request.tillId());
      String till = request.tillId();
      LocalDate day = checkDay(request.day());
      CashUp closed = closed(till, day);
      if (closed != null) {
        if (id.equals(closed.getId())) {
          return info(closed);
        }
        throw closedBefore(closed, till, day);
      }
      checkAmount(request.openingFloatMinor(), "The opening float");
      CashUp opening = floatRecord(till, day);
      if (opening != null && opening.getOpeningFloatMinor() != request.openingFloatMinor()) {
        throw new LedgerException(Refusal.BAD_INPUT, "The opening float recorded for " + till + " on " + day + " was "
            + money(opening.getOpeningFloatMinor()) + ", not " + money(request.openingFloatMinor()));
      }
      Map<Long, Integer> pieces = denominations(request.counted());
      long counted = 0;
      for (Map.Entry<Long, Integer> e : pieces.entrySet()) {
        counted += Money.times(e.getKey(), e.getValue());
      }
      checkAmount(counted, "The counted cash");
      CashUpFigures f = figures(till, day, request.openingFloatMinor());
      long difference = counted - f.expectedCashMinor();
      String note = request.note() == null ? "" : request.note().strip();
      if (note.length() > CashUpRequest.MAX_NOTE) {
        throw new LedgerException(Refusal.FIELD_TOO_LONG, "The note has at most " + CashUpRequest.MAX_NOTE + " characters");
      }
      if (difference != 0 && note.isEmpty()) {
        throw new LedgerException(Refusal.BAD_INPUT, "Counted " + money(counted) + " but " + money(f.expectedCashMinor())
            + " was expected: a difference of " + (difference > 0 ? "+" : "") + money(difference) + " needs a note");
      }
      long now = ledger.clock().millis();
      CashUp cu = Ownership.stamp(F.createCashUp(), ledger.siteId());
      cu.setId(id);
      try {
        cu.setClosedAt(now);
        cu.setOpeningFloatMinor(request.openingFloatMinor());
        cu.setExpectedCashMinor(f.expectedCashMinor());
        cu.setCountedCashMinor(counted);
        cu.setDifferenceMinor(difference);
        cu.setCardTotalMinor(f.cardTotalMinor());
        cu.setNote(note.isEmpty() ? null : note);
        cu.setClosingUserId(user);
        cu.setClosingUserName(user);
        cu.setDenominations(format(pieces));
        journal(till, day).getCashUps().add(cu);
        ledger.tx().setCommitComment("cash-up " + till + " " + day + " difference " + difference + " by " + user);
        ledger.tx().commit();
      } catch (Exception e) {
        LedgerException failure = ledger.failed("The cash-up of " + till + " was not recorded", e);
        CashUp recorded = closed(till, day);
        if (recorded != null && id.equals(recorded.getId())) {
          LOG.warning(() -> "Cash-up " + id + " was recorded although its commit reported: " + failure.getMessage());
          return info(recorded);
        }
        throw failure;
      }
      return info(cu);
    }
  }

  /** Every till's figures of a day and the pharmacy's totals. */
  public CashUpDay day(LocalDate day) {
    synchronized (ledger) {
      LocalDate d = checkDay(day);
      java.util.Set<String> tills = new java.util.TreeSet<>();
      for (SalesDay j : ResourceRoots.of(ledger.tx(), Repositories.salesFolder(ledger.siteId()) + "/" + d, SalesDay.class)) {
        tills.add(j.getTillId());
      }
      List<CashUpFigures> figures = new ArrayList<>();
      long expected = 0;
      long counted = 0;
      long difference = 0;
      long card = 0;
      long sales = 0;
      long refunds = 0;
      int count = 0;
      int open = 0;
      for (String till : tills) {
        CashUpFigures f = figures(till, d, -1);
        figures.add(f);
        expected += f.closed() ? f.cashUp().expectedCashMinor() : f.expectedCashMinor();
        if (f.closed()) {
          counted += f.cashUp().countedCashMinor();
          difference += f.cashUp().differenceMinor();
        } else {
          open++;
        }
        card += f.cardTotalMinor();
        sales += f.salesTotalMinor();
        refunds += f.refundsMinor();
        count += f.sales();
      }
      return new CashUpDay(d, figures, expected, counted, difference, card, sales, refunds, count, open);
    }
  }

  // ---- figures ----

  /** @param openingFloat the float to count with, -1: the one recorded (0 when none) */
  private CashUpFigures figures(String tillId, LocalDate day, long openingFloat) {
    long cashSales = 0;
    long cardSales = 0;
    long cashRefunds = 0;
    long cardRefunds = 0;
    long total = 0;
    int sales = 0;
    int refunds = 0;
    int notAtCentral = 0;
    CashUp opening = null;
    CashUp closed = null;
    for (SalesDay j : ledger.tillJournals(tillId, day)) {
      for (Sale s : j.getSales()) {
        if (s.getStatus() == SaleStatus.VOIDED) {
          continue;
        }
        sales++;
        total += s.getTotalMinor();
        for (Payment p : s.getPayments()) {
          if (p.getMethod() == org.apotheca.model.PaymentMethod.CASH) {
            cashSales += p.getAmountMinor();
          } else if (p.getMethod() == org.apotheca.model.PaymentMethod.CARD) {
            cardSales += p.getAmountMinor();
          }
        }
        if (!SiteLedger.atCentral(s)) {
          notAtCentral++;
        }
      }
      for (Refund r : j.getRefunds()) {
        refunds++;
        if (r.getMethod() == org.apotheca.model.PaymentMethod.CASH) {
          cashRefunds += r.getTotalMinor();
        } else if (r.getMethod() == org.apotheca.model.PaymentMethod.CARD) {
          cardRefunds += r.getTotalMinor();
        }
        if (!SiteLedger.atCentral(r)) {
          notAtCentral++;
        }
      }
      for (CashUp c : j.getCashUps()) {
        if (c.getClosedAt() != 0) {
          closed = closed == null ? c : closed;
        } else {
          opening = opening == null ? c : opening;
        }
      }
    }
    CashUp recorded = closed != null ? closed : opening;
    long floatMinor = recorded == null ? 0 : recorded.getOpeningFloatMinor();
    long counted = openingFloat >= 0 ? openingFloat : floatMinor;
    return new CashUpFigures(tillId, day, recorded != null, floatMinor, cashSales, cashRefunds, counted + cashSales - cashRefunds,
        cardSales, cardRefunds, cardSales - cardRefunds, cashRefunds + cardRefunds, sales, refunds, total, notAtCentral, closed != null,
        closed == null ? null : info(closed));
  }

  /** The till's cash-up of the day, or null while it is open. */
  private CashUp closed(String tillId, LocalDate day) {
    return record(tillId, day, true);
  }

  /** The record of the till's opening float of the day, or null. */
  private CashUp floatRecord(String tillId, LocalDate day) {
    return record(tillId, day, false);
  }

  private CashUp record(String tillId, LocalDate day, boolean closed) {
    for (SalesDay j : ledger.tillJournals(tillId, day)) {
      for (CashUp c : j.getCashUps()) {
        if ((c.getClosedAt() != 0) == closed) {
          return c;
        }
      }
    }
    return null;
  }

  private SalesDay journal(String tillId, LocalDate day) {
    return ledger.journal(tillId, day, Repositories::salesJournal, F::createSalesDay, d -> d.getCashUps().size() < CASH_UPS_PER_JOURNAL);
  }

  private CashUpInfo info(CashUp cu) {
    SalesDay j = (SalesDay) cu.eContainer();
    return new CashUpInfo(cu.getId(), j.getTillId(), LocalDate.parse(j.getBusinessDate()), cu.getClosedAt(), cu.getClosingUserName(),
        cu.getOpeningFloatMinor(), cu.getExpectedCashMinor(), cu.getCountedCashMinor(), cu.getDifferenceMinor(), cu.getCardTotalMinor(),
        parse(cu.getDenominations()), cu.getNote(), SiteLedger.atCentral(cu));
  }

  private LedgerException closedBefore(CashUp cu, String till, LocalDate day) {
    return new LedgerException(Refusal.ALREADY_DONE, "Till " + till + " was cashed up for " + day + " by " + cu.getClosingUserName()
        + " at " + java.time.Instant.ofEpochMilli(cu.getClosedAt()).atZone(ledger.clock().getZone()).toLocalTime().withNano(0));
  }

  // ---- checks ----

  private LocalDate checkDay(LocalDate day) {
    LocalDate today = LocalDate.now(ledger.clock());
    if (day == null) {
      return today;
    }
    if (day.isAfter(today)) {
      throw new LedgerException(Refusal.BAD_INPUT, day + " has not begun yet");
    }
    return day;
  }

  private static void checkAmount(long minor, String what) {
    if (minor < 0 || minor > SiteLedger.MAX_AMOUNT_MINOR) {
      throw new LedgerException(Refusal.BAD_INPUT, what + " must be between 0 and " + money(SiteLedger.MAX_AMOUNT_MINOR)
          + " (got " + money(minor) + ")");
    }
  }

  /** Denomination → pieces, largest first; the same denomination twice is added up. */
  private static Map<Long, Integer> denominations(List<DenominationCount> counted) {
    if (counted.size() > CashUpRequest.MAX_DENOMINATIONS) {
      throw new LedgerException(Refusal.BAD_INPUT, "At most " + CashUpRequest.MAX_DENOMINATIONS + " denominations in one count");
    }
    Map<Long, Integer> result = new TreeMap<>(java.util.Comparator.reverseOrder());
    for (DenominationCount d : counted) {
      if (d == null || d.denominationMinor() <= 0 || d.denominationMinor() > 100_000_00L) {
        throw new LedgerException(Refusal.BAD_INPUT, "A note or coin must be worth more than 0 and at most " + money(100_000_00L)
            + (d == null ? "" : " (got " + money(d.denominationMinor()) + ")"));
      }
      if (d.count() < 0) {
        throw new LedgerException(Refusal.BAD_QUANTITY, "A count of notes or coins cannot be negative (" + d.count() + " of "
            + money(d.denominationMinor()) + ")");
      }
      int sum = result.getOrDefault(d.denominationMinor(), 0) + d.count();
      if (d.count() > MAX_PIECES || sum > MAX_PIECES) {
        throw new LedgerException(Refusal.BAD_QUANTITY, d.count() + " of " + money(d.denominationMinor()) + " is more than a drawer holds");
      }
      result.put(d.denominationMinor(), sum);
    }
    return result;
  }

  /** "5000x2 100x7": the model's text form (CashUp.denominations); zero counts are left out. */
  static String format(Map<Long, Integer> pieces) {
    StringBuilder b = new StringBuilder();
    pieces.forEach((value, n) -> {
      if (n > 0) {
        b.append(b.isEmpty() ? "" : " ").append(value).append('x').append(n);
      }
    });
    return b.toString();
  }

  static List<DenominationCount> parse(String text) {
    List<DenominationCount> result = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return result;
    }
    for (String pair : text.strip().split(" +")) {
      int x = pair.indexOf('x');
      try {
        result.add(new DenominationCount(Long.parseLong(pair.substring(0, x)), Integer.parseInt(pair.substring(x + 1))));
      } catch (RuntimeException e) {
        LOG.warning(() -> "A cash-up's denominations hold '" + pair + "', not value x count: left out");
      }
    }
    return result;
  }

  private static String money(long minor) {
    return Money.toPlainString(minor, 2);
  }
}
