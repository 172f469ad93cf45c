package org.apotheca.gs1;

import static org.apotheca.gs1.Gs1.GS;

import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apotheca.gs1.AiTable.Ai;
import org.apotheca.gs1.AiTable.Charset;
import org.apotheca.gs1.AiTable.Part;

/** One parse of one scan; positions in messages count from 1 in the text as received. */
final class ScanParser {

  /*
   * AIM symbology identifiers (ISO/IEC 15424) that announce GS1 element strings: GS1-128 (Code 128 with FNC1 first),
   * GS1 DataMatrix, GS1 DataBar, GS1 QR Code and GS1 DotCode. Every other identifier (]E0 EAN/UPC, ]E4 EAN-8, ]I1
   * ITF-14, ]A0 Code 39, ]C0 plain Code 128, ]d1 plain DataMatrix, ...) carries at most a plain product code.
   */
  private static final Set<String> GS1_SYMBOLOGIES = Set.of("]C1", "]d2", "]e0", "]Q3", "]J1");

  /** AIs holding a GTIN, whose check-digit message uses the word the packaging and the catalogue use. */
  private static final Set<String> GTINS = Set.of("01", "02", "03");

  private final String text;
  private final LocalDate today;
  private final Map<String, String> elements = new LinkedHashMap<>();

  ScanParser(String text, LocalDate today) {
    this.text = text;
    this.today = today;
  }

  Scan parse() {
    int start = 0;
    int end = text.length();
    while (start < end && blank(text.charAt(start))) {
      start++;
    }
    while (end > start && blank(text.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      throw refused("The scan is empty: scan again or type the code");
    }
    String symbology = null;
    if (end - start >= 3 && text.charAt(start) == ']' && Character.isLetter(text.charAt(start + 1))
        && Character.isLetterOrDigit(text.charAt(start + 2))) {
      symbology = text.substring(start, start + 3);
      start += 3;
    }
    // separators at either end carry nothing: some scanners send the symbol's leading FNC1 as a GS
    while (start < end && text.charAt(start) == GS) {
      start++;
    }
    while (end > start && text.charAt(end - 1) == GS) {
      end--;
    }
    if (start == end) {
      throw refused("The scan holds no data: scan again or type the code");
    }
    if (text.startsWith("[)>", start)) {
      throw refused("This barcode holds an IFA/ASC data format (it starts with '[)>'), not GS1 data: scan the pack's "
          + "GS1 or EAN barcode, or type the code");
    }
    char first = text.charAt(start);
    if (symbology != null && !GS1_SYMBOLOGIES.contains(symbology)) {
      return plain(text.substring(start, end), symbology);
    }
    if (first == '(') {
      return bracketed(start, end);
    }
    if (symbology == null) {
      String scanned = text.substring(start, end);
      if (scanned.indexOf(' ') >= 0 && scanned.chars().allMatch(c -> c == ' ' || c >= '0' && c <= '9')) {
        // copied from the digits printed under the bars, which come in groups
        throw refused("The code '" + scanned + "' has spaces in it: type the digits without spaces, or scan again");
      }
      // GS1 data with AI 01 is at least 16 digits, so a shorter run of digits can only be a plain code
      if (Gs1.allDigits(scanned) && scanned.length() < 16) {
        return plain(scanned, null);
      }
      if (first < '0' || first > '9') {
        throw refused("The scan '" + visible(scanned)
            + "' is neither a product code nor GS1 data: scan again or type the code");
      }
    }
    return elementString(start, end);
  }

  private Scan plain(String code, String symbology) {
    if (!Gs1.allDigits(code)) {
      throw refused("This barcode does not carry a product code (it reads '" + visible(code)
          + "'): scan the product barcode or type the code");
    }
    // under ]E0 eight digits are a UPC-E (EAN-8 has its own identifier, ]E4)
    String gtin = "]E0".equals(symbology) && code.length() == 8 ? upcE(code) : Gs1.toGtin14(code);
    elements.put("01", gtin);
    return new Scan(gtin, null, null, null, elements);
  }

  private static String upcE(String code) {
    char system = code.charAt(0);
    if (system != '0' && system != '1') {
      throw refused("The UPC-E code " + code + " must start with 0 or 1: scan again or type the code");
    }
    String m = code.substring(1, 7);
    char last = m.charAt(5);
    String body = switch (last) {
      case '0', '1', '2' -> m.substring(0, 2) + last + "0000" + m.substring(2, 5);
      case '3' -> m.substring(0, 3) + "00000" + m.substring(3, 5);
      case '4' -> m.substring(0, 4) + "00000" + m.charAt(4);
      default -> m.substring(0, 5) + "0000" + last;
    };
    String upcA = system + body + code.charAt(7);
    int expected = Gs1.expectedCheckDigit(upcA);
    if (upcA.charAt(11) - '0' != expected) {
      throw refused("Check digit of UPC-E " + code + " is wrong (expected " + expected
          + "): scan again or type the code");
    }
    return "00" + upcA;
  }

  private Scan elementString(int pos, int end) {
    while (pos < end) {
      if (text.charAt(pos) == GS) {
        pos++;
        continue;
      }
      int aiPos = pos;
      Ai ai = readAi(pos, end);
      pos += ai.code().length();
      int n = ai.maxLength();
      int valueEnd;
      if (ai.predefined()) {
        int gs = indexOfGs(pos, Math.min(end, pos + n));
        if (gs >= 0) {
          throw separatorInside(ai, gs - pos);
        }
        if (pos + n > end) {
          throw cutOff(ai, end - pos);
        }
        valueEnd = pos + n;
      } else {
        int gs = indexOfGs(pos, end);
        valueEnd = gs < 0 ? end : gs;
        if (ai.fixedLength() && valueEnd - pos < n) {
          throw gs < 0 ? cutOff(ai, valueEnd - pos) : separatorInside(ai, valueEnd - pos);
        }
      }
      accept(ai, text.substring(pos, valueEnd), aiPos);
      pos = valueEnd;
    }
    return finish();
  }

  private Ai readAi(int pos, int end) {
    String prefix = text.substring(pos, Math.min(end, pos + 2));
    if (!Gs1.allDigits(prefix)) {
      throw refused("The scan has '" + visible(prefix) + "' at position " + (pos + 1)
          + " where a GS1 application identifier (digits) should start: scan refused");
    }
    int length = prefix.length() < 2 ? 2 : AiTable.aiLength(Integer.parseInt(prefix));
    String code = text.substring(pos, Math.min(end, pos + Math.max(length, 2)));
    if (length != 0 && code.length() < length) {
      throw refused("The scan ends with an incomplete application identifier '" + code + "' at position " + (pos + 1)
          + ": scan again or type the code");
    }
    Ai ai = length == 0 || !Gs1.allDigits(code) ? null : AiTable.get(code);
    if (ai == null) {
      throw unknownAi(code, pos);
    }
    return ai;
  }


  /** The bracketed human-readable form; a value ends at the next '(' since no separator is needed there. */
  private Scan bracketed(int pos, int end) {
    while (pos < end) {
      char c = text.charAt(pos);
      if (blank(c) || c == GS) {
        pos++;
        continue;
      }
      if (c != '(') {
        throw refused("The scan has '" + visible(String.valueOf(c)) + "' at position " + (pos + 1)
            + " where '(' should open an application identifier: scan refused");
      }
      int close = text.indexOf(')', pos);
      if (close < 0 || close >= end) {
        throw refused("The bracket opened at position " + (pos + 1) + " is never closed: scan refused");
      }
      String code = text.substring(pos + 1, close).strip();
      Ai ai = code.length() >= 2 && Gs1.allDigits(code) ? AiTable.get(code) : null;
      if (ai == null) {
        throw unknownAi(code, pos + 1);
      }
      int next = text.indexOf('(', close + 1);
      if (next < 0 || next > end) {
        next = end;
      }
      // printed human-readable text puts spaces between the elements
      int valueStart = close + 1;
      int valueEnd = next;
      while (valueStart < valueEnd && (blank(text.charAt(valueStart)) || text.charAt(valueStart) == GS)) {
        valueStart++;
      }
      while (valueEnd > valueStart && (blank(text.charAt(valueEnd - 1)) || text.charAt(valueEnd - 1) == GS)) {
        valueEnd--;
      }
      String value = text.substring(valueStart, valueEnd);
      int gs = value.indexOf(GS);
      if (gs >= 0 && ai.fixedLength()) {
        throw separatorInside(ai, gs);
      }
      accept(ai, value, pos + 1);
      pos = next;
    }
    return finish();
  }

  private void accept(Ai ai, String value, int aiPos) {
    check(ai, value);
    String earlier = elements.putIfAbsent(ai.code(), value);
    if (earlier != null && !earlier.equals(value)) {
      throw refused("The scan carries the " + ai.title() + " (AI " + ai.code() + ") twice with different values, '"
          + visible(earlier) + "' and '" + visible(value) + "': scan refused");
    }
  }

  private Scan finish() {
    String gtin = elements.get("01");
    if (gtin == null) {
      throw refused("The scan has no product code (AI 01): scan the product barcode or type the code");
    }
    String expiry = elements.get("17");
    return new Scan(gtin, elements.get("10"), expiry == null ? null : date(expiry, 0, true), elements.get("21"),
        elements);
  }

  private void check(Ai ai, String value) {
    int length = value.length();
    String unit = ai.numeric() ? "digits" : "characters";
    if (length == 0) {
      throw refused(the(ai) + " is empty: scan refused");
    }
    if (ai.fixedLength() && length != ai.maxLength()) {
      throw refused(the(ai) + " must have exactly " + ai.maxLength() + " " + unit + ", not " + length
          + ": scan refused");
    }
    if (length > ai.maxLength()) {
      throw refused(the(ai) + " has " + length + " " + unit + ", more than the " + ai.maxLength()
          + " GS1 allows (a separator may be missing): scan refused");
    }
    if (length < ai.minLength()) {
      throw refused(the(ai) + " has " + length + " " + unit + ", fewer than the " + ai.minLength()
          + " GS1 requires: scan refused");
    }
    int offset = 0;
    for (Part part : ai.parts()) {
      if (offset == length && part.optional()) {
        break;
      }
      int take = part.variable() ? length - offset : part.length();
      if (offset + take > length || take > part.length()) {
        throw refused(the(ai) + " cannot be " + length + " " + unit + " long: scan refused");
      }
      for (int i = offset; i < offset + take; i++) {
        char c = value.charAt(i);
        if (!AiTable.allowed(part.charset(), c)) {
          throw refused(part.charset() == Charset.NUMERIC
              ? the(ai) + " may only contain digits, but has " + shown(c) + ": scan refused"
              : the(ai) + " contains " + shown(c) + ", which a GS1 barcode cannot carry there: scan refused");
        }
      }
      applyRule(ai, part, value, offset, take);
      offset += take;
    }
    if (offset < length) {
      throw refused(the(ai) + " cannot be " + length + " " + unit + " long: scan refused");
    }
  }

  private void applyRule(Ai ai, Part part, String value, int offset, int length) {
    switch (part.rule()) {
      case NONE -> {
      }
      case CSUM -> {
        String digits = value.substring(offset, offset + length);
        int expected = Gs1.expectedCheckDigit(digits);
        if (digits.charAt(length - 1) - '0' != expected) {
          throw refused(GTINS.contains(ai.code())
              ? "Check digit of GTIN " + digits + " is wrong (expected " + expected + "): scan again or type the code"
              : "Check digit of the " + name(ai) + ", " + digits + ", is wrong (expected " + expected
                  + "): scan refused");
        }
      }
      case YYMMD0 -> date(ai, value, offset, true);
      case YYMMDD -> date(ai, value, offset, false);
      case YYYYMMDD -> {
        int year = number(value, offset, 4);
        String problem = dateProblem(year, number(value, offset + 4, 2), number(value, offset + 6, 2), false);
        if (problem != null) {
          throw refused(the(ai) + " " + value.substring(offset, offset + 8) + " is not a real date (" + problem
              + "): scan refused");
        }
      }
      case HHMM, HH -> {
        int hours = number(value, offset, 2);
        int minutes = part.rule() == AiTable.Rule.HHMM ? number(value, offset + 2, 2) : 0;
        if (hours > 23 || minutes > 59) {
          throw refused(the(ai) + " has the impossible time " + value.substring(offset, offset + length)
              + " (hours 00-23, minutes 00-59): scan refused");
        }
      }
    }
  }

  private void date(Ai ai, String value, int offset, boolean zeroDayAllowed) {
    int year = year(number(value, offset, 2));
    String problem = dateProblem(year, number(value, offset + 2, 2), number(value, offset + 4, 2), zeroDayAllowed);
    if (problem != null) {
      throw refused(the(ai) + " " + value.substring(offset, offset + 6) + " is not a real date (" + problem
          + "): scan refused");
    }
  }

  /** A checked YYMMDD date; day 00 means the last day of the month. */
  private LocalDate date(String value, int offset, boolean zeroDayAllowed) {
    int year = year(number(value, offset, 2));
    int month = number(value, offset + 2, 2);
    int day = number(value, offset + 4, 2);
    return day == 0 && zeroDayAllowed ? YearMonth.of(year, month).atEndOfMonth() : LocalDate.of(year, month, day);
  }

  /**
   * GS1 General Specifications 7.12: a two-digit year lies within 49 years before and 50 years after the current
   * year, because expiry dates point ahead and production dates behind.
   */
  private int year(int yy) {
    int current = today.getYear();
    int century = current - Math.floorMod(current, 100);
    int difference = yy - Math.floorMod(current, 100);
    if (difference >= 51) {
      century -= 100;
    } else if (difference <= -50) {
      century += 100;
    }
    return century + yy;
  }

  private static String dateProblem(int year, int month, int day, boolean zeroDayAllowed) {
    if (month < 1 || month > 12) {
      return "there is no month " + String.format("%02d", month);
    }
    if (day == 0) {
      return zeroDayAllowed ? null : "day 00 is not allowed in this field";
    }
    YearMonth yearMonth = YearMonth.of(year, month);
    if (day > yearMonth.lengthOfMonth()) {
      return Month.of(month).getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + year + " has no day "
          + String.format("%02d", day);
    }
    return null;
  }

  private ScanRefusedException separatorInside(Ai ai, int after) {
    return refused("A separator interrupts the " + name(ai) + " after " + after + " of its " + ai.maxLength() + " " + (ai.numeric() ? "digits" : "characters")
        + ": scan refused");
  }

  private ScanRefusedException cutOff(Ai ai, int after) {
    return refused("The scan ends in the middle of the " + name(ai) + ", after " + after + " of its " + ai.maxLength() + " " + (ai.numeric() ? "digits" : "characters")
        + ": scan again or type the code");
  }

  private static ScanRefusedException unknownAi(String code, int pos) {
    return refused("Unknown GS1 application identifier '" + visible(code) + "' at position " + (pos + 1)
        + ": scan refused");
  }

  private static String the(Ai ai) {
    return "The " + name(ai);
  }

  private static String name(Ai ai) {
    return ai.title() + " (AI " + ai.code() + ")";
  }

  private static ScanRefusedException refused(String message) {
    return new ScanRefusedException(message);
  }

  private boolean digit(int pos) {
    char c = text.charAt(pos);
    return c >= '0' && c <= '9';
  }

  private int indexOfGs(int from, int to) {
    int i = text.indexOf(GS, from);
    return i >= 0 && i < to ? i : -1;
  }

  private static int number(String s, int offset, int length) {
    return Integer.parseInt(s, offset, offset + length, 10);
  }

  private static boolean blank(char c) {
    return c != GS && Character.isWhitespace(c);
  }

  private static String shown(char c) {
    if (c == ' ') {
      return "a space";
    }
    if (c == GS) {
      return "a group separator (GS)";
    }
    if (Character.isISOControl(c)) {
      return String.format("the control character U+%04X", (int) c);
    }
    return "'" + c + "'";
  }

  /** The text with control characters made readable, for messages. */
  static String visible(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == GS) {
        b.append("<GS>");
      } else if (Character.isISOControl(c)) {
        b.append(String.format("<U+%04X>", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
