package org.apotheca.ui.till;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apotheca.node.api.Allocation;
import org.apotheca.node.api.PaymentMethod;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.ui.Money;

/** A sale as a till receipt: fixed-width lines, the same on screen and in the PDF. */
public final class ReceiptText {

  public static final int WIDTH = 44;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private ReceiptText() {
  }

  public static List<String> lines(SaleInfo sale) {
    List<String> out = new ArrayList<>();
    out.add(centre("APOTHECA PHARMACY"));
    out.add(centre("Receipt " + sale.receiptNumber()));
    out.add(centre(WHEN.format(Instant.ofEpochMilli(sale.soldAt()).atZone(ZoneId.systemDefault())) + "  "
        + sale.tillId() + "  " + sale.username()));
    out.add("-".repeat(WIDTH));
    for (SaleInfo.Line l : sale.lines()) {
      out.add(cut(l.productName(), WIDTH));
      out.add(pair("  " + l.quantity() + " x " + Money.format(l.unitPriceMinor()) + "  VAT " + Money.vat(l.vatBasisPoints()),
          Money.format(l.lineTotalMinor())));
      out.add("  Lot " + lots(l.allocations()));
    }
    out.add("-".repeat(WIDTH));
    out.add(pair("TOTAL", Money.format(sale.totalMinor())));
    out.add(pair("  of which VAT", Money.format(sale.vatMinor())));
    for (PaymentRequest p : sale.payments()) {
      if (p.method() == PaymentMethod.CASH) {
        out.add(pair("Cash", Money.format(p.tenderedMinor())));
      } else {
        out.add(pair("Card", Money.format(p.amountMinor())));
      }
    }
    if (sale.changeMinor() > 0) {
      out.add(pair("Change", Money.format(sale.changeMinor())));
    }
    out.add("-".repeat(WIDTH));
    out.add(centre("Thank you. Keep this receipt for refunds."));
    return out;
  }

  static String lots(List<Allocation> allocations) {
    Set<String> lots = new LinkedHashSet<>();
    for (Allocation a : allocations) {
      lots.add(a.lot() + " (exp " + a.expiry() + ")" + (allocations.size() > 1 ? " x" + a.quantity() : ""));
    }
    return String.join(", ", lots);
  }

  private static String pair(String left, String right) {
    int gap = WIDTH - left.length() - right.length();
    return gap >= 1 ? left + " ".repeat(gap) + right : cut(left, WIDTH - right.length() - 1) + " " + right;
  }

  private static String centre(String s) {
    String c = cut(s, WIDTH);
    return " ".repeat((WIDTH - c.length()) / 2) + c;
  }

  private static String cut(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "\u2026";
  }
}
