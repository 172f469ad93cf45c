package org.apotheca.ui.labels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apotheca.node.api.ProductInfo;
import org.apotheca.ui.Money;

/**
 * One product's shelf-edge label, {@code copies} times: the text of the PDF page and the ZPL of a 50 × 30 mm thermal
 * label (203 dpi, 400 × 240 dots), the same four facts on both so what the printer makes matches the PDF.
 */
public record ShelfLabel(String name, String pack, long priceMinor, int vatBasisPoints, String barcode, int copies) {

  /** Characters per line of the PDF label (Courier): a shelf edge is narrow. */
  static final int WIDTH = 32;
  public static final int MAX_COPIES = 99;

  public static ShelfLabel of(ProductInfo p) {
    return new ShelfLabel(p.name(), p.pack(), p.priceMinor(), p.vatBasisPoints(), p.barcode(), 1);
  }

  public ShelfLabel withCopies(int n) {
    return new ShelfLabel(name, pack, priceMinor, vatBasisPoints, barcode, n);
  }

  /** The PDF page of one copy: the name over at most two lines, the pack, the price, the barcode's digits. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>(wrap(name, WIDTH, 2));
    if (!pack.isBlank()) {
      lines.add(pack);
    }
    lines.add("");
    lines.add("PRICE " + Money.format(priceMinor) + "   incl. VAT " + Money.vat(vatBasisPoints));
    lines.add((isEan13(barcode) ? "EAN " : "Code ") + barcode);
    return lines;
  }

  /** One ZPL label format, printed {@code copies} times ({@code ^PQ}). */
  public String zpl() {
    List<String> name2 = wrap(name, 30, 2);
    StringBuilder z = new StringBuilder();
    z.append("^XA\n^CI28\n^PW400\n^LL240\n^LH0,0\n");
    for (int i = 0; i < name2.size(); i++) {
      z.append("^FO16,").append(12 + 26 * i).append("^A0N,24,24^FH_^FD").append(field(name2.get(i))).append("^FS\n");
    }
    z.append("^FO16,66^A0N,22,22^FH_^FD").append(field(pack)).append("^FS\n");
    z.append("^FO16,92^A0N,44,44^FH_^FD").append(field(Money.format(priceMinor))).append("^FS\n");
    z.append("^FO240,104^A0N,20,20^FH_^FD").append(field("incl. VAT " + Money.vat(vatBasisPoints))).append("^FS\n");
    if (isEan13(barcode)) {
      // ^BE takes the first twelve digits and prints the check digit it computes (the same one: Gs1 checked it)
      z.append("^FO16,144^BY2^BEN,50,Y,N^FD").append(barcode, 0, 12).append("^FS\n");
    } else {
      z.append("^FO16,144^BY2^BCN,50,Y,N,N^FH_^FD").append(field(barcode)).append("^FS\n");
    }
    z.append("^PQ").append(copies).append('\n');
    z.append("^XZ\n");
    return z.toString();
  }

  static boolean isEan13(String code) {
    return code != null && code.length() == 13 && code.chars().allMatch(Character::isDigit);
  }

  /**
   * Text for a ZPL field after {@code ^FH_}: '^' and '~' would start a command and '_' is the escape itself, so they
   * and everything beyond printable ASCII go as _XX hex of their UTF-8 bytes ({@code ^CI28}).
   */
  static String field(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c < 32 || c > 126 || c == '^' || c == '~' || c == '_') {
        b.append('_').append(String.format("%02X", c));
      } else {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /** Words onto at most {@code max} lines of {@code width}; what does not fit ends the last line with "...". */
  static List<String> wrap(String text, int width, int max) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    String[] words = text.strip().split("\\s+");
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      if (line.length() > 0 && line.length() + 1 + w.length() > width) {
        if (lines.size() == max - 1) {
          lines.add(ellipsis(line + " " + String.join(" ", java.util.Arrays.copyOfRange(words, i, words.length)), width));
          return lines;
        }
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(w);
    }
    lines.add(ellipsis(line.toString(), width));
    return lines;
  }

  private static String ellipsis(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 3) + "...";
  }
}
