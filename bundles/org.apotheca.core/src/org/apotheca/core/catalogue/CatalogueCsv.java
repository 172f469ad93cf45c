package org.apotheca.core.catalogue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apotheca.model.ControlledDrugSchedule;

/**
 * The catalogue file central staff import and export (docs/catalogue.md): CSV as RFC 4180 writes it, UTF-8 with or
 * without a byte-order mark, a header row naming the columns, one product per row keyed by its barcode.
 * <p>
 * Reading is a pure function of the file's bytes: it checks every row and returns every problem with the line it is
 * on, so that the person who made the file can fix all of them at once instead of one per attempt. Nothing here
 * knows the catalogue; what only the catalogue can say (is there such a VAT rate, such an ingredient) is checked by
 * {@link CatalogueEditor#importFile} before anything is written.
 */
public final class CatalogueCsv {

  /** The columns of the file, in the order the export writes them. */
  public enum Column {
    BARCODE("barcode", true), NAME("name", true), PRICE_MINOR("price_minor", true), VAT_BP("vat_bp", true),
    GENERIC_NAME("generic_name", false), FORM("form", false), STRENGTH("strength", false), PACK_SIZE("pack_size", false),
    PACK_UNIT("pack_unit", false), MANUFACTURER("manufacturer", false), ATC_CODE("atc_code", false),
    SCHEDULE("schedule", false), PRESCRIPTION_ONLY("prescription_only", false), DISCONTINUED("discontinued", false),
    INGREDIENTS("ingredients", false);

    private final String header;
    private final boolean required;

    Column(String header, boolean required) {
      this.header = header;
      this.required = required;
    }

    /** The name in the header row. */
    public String header() {
      return header;
    }

    public boolean required() {
      return required;
    }

    static Column byHeader(String name) {
      for (Column c : values()) {
        if (c.header.equals(name)) {
          return c;
        }
      }
      return null;
    }
  }

  /** How many problems a refusal lists; the rest are counted ("and 412 more"), so a wrong file still reads. */
  public static final int MAX_LISTED_PROBLEMS = 100;

  public static final long MAX_PRICE_MINOR = 99_999_999L;
  public static final int MAX_VAT_BP = 10_000;
  public static final int MAX_NAME_LENGTH = 200;
  public static final int MAX_TEXT_LENGTH = 500;
  public static final int MAX_PACK_SIZE = 1_000_000;
  /** Larger than any real catalogue file (100,000 products are about 15 MB). */
  public static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  /** Separates ingredient names in the {@code ingredients} column. */
  public static final String INGREDIENT_SEPARATOR = ";";

  private static final String ALL_COLUMNS = String.join(",", Arrays.stream(Column.values()).map(Column::header).toList());

  private CatalogueCsv() {
  }

  /**
   * One product row. A field is null when its column is not in the file (an update then leaves it as it is);
   * a text column that is present but empty is "" (the field is cleared).
   *
   * @param line the line the row starts on (header = line 1), 0 for rows made from the catalogue
   * @param gtin the barcode as a 14-digit GTIN (zero-padded), the key rows are matched by
   */
  public record Entry(int line, String barcode, String gtin, String name, long priceMinor, int vatBasisPoints,
      String genericName, String form, String strength, Integer packSize, String packUnit, String manufacturer,
      String atcCode, ControlledDrugSchedule schedule, Boolean prescriptionOnly, Boolean discontinued,
      List<String> ingredients) {
  }

  /** A problem of the file, on a line (0: the file as a whole). */
  public record Problem(int line, String message) {
    @Override
    public String toString() {
      return (line > 0 ? "line " + line : "file") + ": " + message;
    }
  }

  /**
   * What a file holds: the columns it has, the rows that passed every check, and every problem found. A file with
   * problems must not be applied; its good rows are still given so that the catalogue's own checks can run on them
   * and the refusal can list everything at once.
   */
  public record Parsed(List<Column> columns, List<Entry> entries, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }

    public boolean has(Column c) {
      return columns.contains(c);
    }
  }

  /** A refused file: its message is every problem (up to {@link #MAX_LISTED_PROBLEMS}), one line each. */
  public static final class RefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public RefusedException(String file, List<Problem> problems) {
      super(message(file, problems));
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }

    private static String message(String file, List<Problem> problems) {
      StringBuilder sb = new StringBuilder("catalogue file ").append(file).append(" refused, nothing was changed: ")
          .append(problems.size()).append(problems.size() == 1 ? " error" : " errors");
      int listed = Math.min(problems.size(), MAX_LISTED_PROBLEMS);
      for (int i = 0; i < listed; i++) {
        sb.append('\n').append(problems.get(i));
      }
      if (problems.size() > listed) {
        sb.append("\nand ").append(problems.size() - listed).append(" more errors (fix these and import again to see them)");
      }
      return sb.toString();
    }
  }

  /** Reads and checks a file; a missing or unreadable file is an {@link IllegalArgumentException} in words. */
  public static Parsed read(Path file) {
    return parse(bytes(file));
  }

  /** A catalogue file's bytes (products or interaction rules); a missing, huge or unreadable file in words. */
  public static byte[] bytes(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException(file + " is a directory, not a catalogue file");
      }
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(file + " is " + size / (1024 * 1024) + " MB; a catalogue file may have at most "
            + MAX_FILE_BYTES / (1024 * 1024) + " MB");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("No file " + file + " (a path on central's computer)");
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Checks every row of a file's bytes and returns its rows and all problems found. */
  public static Parsed parse(byte[] bytes) {
    List<Problem> problems = new ArrayList<>();
    String text = decode(bytes, problems);
    if (text == null) {
      return new Parsed(List.of(), List.of(), problems);
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    List<Record> records = tokenize(text);
    Record header = null;
    int first = 0;
    while (first < records.size() && header == null) {
      Record r = records.get(first++);
      if (!r.blank()) {
        header = r;
      }
    }
    if (header == null) {
      problems.add(new Problem(0, "the file is empty: its first line must name the columns, e.g. " + ALL_COLUMNS));
      return new Parsed(List.of(), List.of(), problems);
    }
    List<Column> columns = header(header, problems);
    if (!problems.isEmpty()) {
      return new Parsed(columns, List.of(), problems);
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> lineOfGtin = new HashMap<>();
    for (int i = first; i < records.size(); i++) {
      Record r = records.get(i);
      if (r.blank()) {
        continue;
      }
      if (r.syntaxError() != null) {
        problems.add(new Problem(r.line(), r.syntaxError()));
        continue;
      }
      if (r.fields().size() != columns.size()) {
        problems.add(new Problem(r.line(), r.fields().size() + (r.fields().size() == 1 ? " field" : " fields") + ", but the header has "
            + columns.size() + " columns (a comma inside a value needs the value in double quotes)"));
        continue;
      }
      Entry e = entry(r, columns, lineOfGtin, problems);
      if (e != null) {
        entries.add(e);
      }
    }
    if (entries.isEmpty() && problems.isEmpty()) {
      problems.add(new Problem(0, "the file has a header but no product rows"));
    }
    return new Parsed(columns, List.copyOf(entries), List.copyOf(problems));
  }

  /** Writes a complete file (header with every column, then one row per entry), lines ended by CRLF as RFC 4180 has. */
  public static void write(Writer out, List<Entry> entries) {
    try {
      out.write(ALL_COLUMNS);
      out.write("\r\n");
      StringBuilder line = new StringBuilder(256);
      for (Entry e : entries) {
        line.setLength(0);
        field(line, e.barcode()).append(',');
        field(line, e.name()).append(',');
        line.append(e.priceMinor()).append(',');
        line.append(e.vatBasisPoints()).append(',');
        field(line, e.genericName()).append(',');
        field(line, e.form()).append(',');
        field(line, e.strength()).append(',');
        line.append(e.packSize() == null ? "" : e.packSize().toString()).append(',');
        field(line, e.packUnit()).append(',');
        field(line, e.manufacturer()).append(',');
        field(line, e.atcCode()).append(',');
        line.append(e.schedule() == null || e.schedule() == ControlledDrugSchedule.NONE ? "" : e.schedule().getName()).append(',');
        line.append(yesNo(e.prescriptionOnly())).append(',');
        line.append(yesNo(e.discontinued())).append(',');
        field(line, e.ingredients() == null ? "" : String.join(INGREDIENT_SEPARATOR, e.ingredients()));
        line.append("\r\n");
        out.append(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The 14-digit GTIN of an 8-, 12-, 13- or 14-digit barcode (zero-padded on the left). */
  public static String gtin(String barcode) {
    return barcode.length() >= 14 ? barcode : "0".repeat(14 - barcode.length()) + barcode;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static String yesNo(Boolean b) {
    return b != null && b ? "yes" : "no";
  }

  static StringBuilder field(StringBuilder sb, String value) {
    String v = value == null ? "" : value;
    boolean quote = !v.isEmpty() && (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
        || Character.isWhitespace(v.charAt(0)) || Character.isWhitespace(v.charAt(v.length() - 1)));
    if (!quote) {
      return sb.append(v);
    }
    sb.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    return sb.append('"');
  }

  /** UTF-8, strictly: a byte sequence that is not UTF-8 is named by its line (a file saved as Latin-1 or UTF-16). */
  static String decode(byte[] bytes, List<Problem> problems) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      boolean utf16 = bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE) || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF));
      problems.add(new Problem(line, "the file is not UTF-8 (byte 0x" + String.format("%02X", bytes[in.position()] & 0xFF)
          + (utf16 ? "; it looks like UTF-16" : "") + "): save it as \"CSV UTF-8\""));
      return null;
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  /** One CSV record: the line it starts on, its fields, or why it could not be read. */
  record Record(int line, List<String> fields, String syntaxError) {
    boolean blank() {
      if (syntaxError != null) {
        return false;
      }
      for (String f : fields) {
        if (!f.isBlank()) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Splits text into records as RFC 4180 has them: fields separated by commas, records by CRLF (LF and CR alone are
   * taken too); a field in double quotes may hold commas, line breaks and doubled quotes. Line numbers count line
   * breaks, also those inside quoted fields, so they are the lines an editor shows.
   */
  static List<Record> tokenize(String s) {
    List<Record> records = new ArrayList<>();
    int n = s.length();
    int i = 0;
    int line = 1;
    StringBuilder f = new StringBuilder();
    while (i < n) {
      int start = line;
      List<String> fields = new ArrayList<>();
      String error = null;
      boolean endOfRecord = false;
      while (!endOfRecord) {
        f.setLength(0);
        if (i < n && s.charAt(i) == '"') {
          int quoteLine = line;
          i++;
          boolean closed = false;
          while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
              if (i + 1 < n && s.charAt(i + 1) == '"') {
                f.append('"');
                i += 2;
                continue;
              }
              i++;
              closed = true;
              break;
            }
            if (c == '\r' || c == '\n') {
              i += (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') ? 2 : 1;
              line++;
              f.append('\n');
              continue;
            }
            f.append(c);
            i++;
          }
          if (!closed) {
            error = error != null ? error : "a quoted field opened on this line is never closed (a missing \")"
                + (quoteLine == start ? "" : " on line " + quoteLine);
            fields.add(f.toString());
            break;
          }
          // after the closing quote only spaces may come before the comma or the line end
          int junk = i;
          while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\r' && s.charAt(i) != '\n') {
            i++;
          }
          if (!s.substring(junk, i).isBlank() && error == null) {
            error = "text after a closing quote (\"" + s.substring(junk, i).strip()
                + "\"): inside a quoted value, write a quote as two quotes \"\"";
          }
          fields.add(f.toString());
        } else {
          while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\r' && s.charAt(i) != '\n') {
            char c = s.charAt(i);
            if (c == '"' && error == null) {
              error = "a quote inside an unquoted value: put the whole value in double quotes and double the quote (\"a \"\"b\"\" c\")";
            }
            f.append(c);
            i++;
          }
          fields.add(f.toString().strip());
        }
        if (i >= n) {
          endOfRecord = true;
        } else if (s.charAt(i) == ',') {
          i++;
          if (i >= n) {
            fields.add(""); // a trailing comma at the very end of the file is an empty last field
            endOfRecord = true;
          }
        } else {
          i += (s.charAt(i) == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') ? 2 : 1;
          line++;
          endOfRecord = true;
        }
      }
      records.add(new Record(start, fields, error));
    }
    return records;
  }

  private static List<Column> header(Record header, List<Problem> problems) {
    if (header.syntaxError() != null) {
      problems.add(new Problem(header.line(), "the header: " + header.syntaxError()));
      return List.of();
    }
    List<Column> columns = new ArrayList<>();
    Map<Column, Integer> seen = new LinkedHashMap<>();
    for (String raw : header.fields()) {
      String name = raw.strip().toLowerCase(Locale.ROOT);
      Column c = Column.byHeader(name);
      if (c == null) {
        problems.add(new Problem(header.line(), name.isEmpty() ? "the header has an empty column name (column " + (columns.size() + 1) + ")"
            : "unknown column '" + raw.strip() + "' (the columns are " + ALL_COLUMNS + ")"));
      } else if (seen.containsKey(c)) {
        problems.add(new Problem(header.line(), "column '" + c.header() + "' is named twice"));
      } else {
        seen.put(c, columns.size());
      }
      columns.add(c);
    }
    for (Column c : Column.values()) {
      if (c.required() && !seen.containsKey(c)) {
        problems.add(new Problem(header.line(), "the header has no column '" + c.header() + "' (required: barcode, name, price_minor, vat_bp)"));
      }
    }
    return columns;
  }

  private static Entry entry(Record r, List<Column> columns, Map<String, Integer> lineOfGtin, List<Problem> problems) {
    int line = r.line();
    int before = problems.size();
    Map<Column, String> v = new HashMap<>();
    for (int k = 0; k < columns.size(); k++) {
      v.put(columns.get(k), r.fields().get(k));
    }
    String barcode = v.get(Column.BARCODE).strip();
    String gtin = barcode(line, barcode, problems);
    if (gtin != null) {
      Integer first = lineOfGtin.putIfAbsent(gtin, line);
      if (first != null) {
        problems.add(new Problem(line, "barcode " + barcode + " is also on line " + first + " (one row per product)"));
      }
    }
    String name = v.get(Column.NAME).strip();
    if (name.isEmpty()) {
      problems.add(new Problem(line, "no name"));
    } else if (name.indexOf('\n') >= 0) {
      problems.add(new Problem(line, "the name has a line break (a name prints on one receipt line)"));
    } else if (name.length() > MAX_NAME_LENGTH) {
      problems.add(new Problem(line, "the name has " + name.length() + " characters, at most " + MAX_NAME_LENGTH));
    }
    long price = price(line, v.get(Column.PRICE_MINOR).strip(), problems);
    int vat = vat(line, v.get(Column.VAT_BP).strip(), problems);
    String genericName = text(line, Column.GENERIC_NAME, v, problems);
    String form = text(line, Column.FORM, v, problems);
    String strength = text(line, Column.STRENGTH, v, problems);
    Integer packSize = packSize(line, v, problems);
    String packUnit = text(line, Column.PACK_UNIT, v, problems);
    String manufacturer = text(line, Column.MANUFACTURER, v, problems);
    String atc = text(line, Column.ATC_CODE, v, problems);
    ControlledDrugSchedule schedule = schedule(line, v, problems);
    Boolean rx = yesNo(line, Column.PRESCRIPTION_ONLY, v, problems);
    Boolean discontinued = yesNo(line, Column.DISCONTINUED, v, problems);
    List<String> ingredients = null;
    if (v.containsKey(Column.INGREDIENTS)) {
      ingredients = new ArrayList<>();
      for (String part : v.get(Column.INGREDIENTS).split(INGREDIENT_SEPARATOR, -1)) {
        if (!part.isBlank()) {
          ingredients.add(part.strip());
        }
      }
      ingredients = List.copyOf(ingredients);
    }
    if (problems.size() > before || gtin == null) {
      return null;
    }
    return new Entry(line, barcode, gtin, name, price, vat, genericName, form, strength, packSize, packUnit, manufacturer, atc,
        schedule, rx, discontinued, ingredients);
  }

  /** The GTIN-14 of a valid barcode, or null after adding the problem. */
  private static String barcode(int line, String barcode, List<Problem> problems) {
    if (barcode.isEmpty()) {
      problems.add(new Problem(line, "no barcode"));
      return null;
    }
    for (int i = 0; i < barcode.length(); i++) {
      if (barcode.charAt(i) < '0' || barcode.charAt(i) > '9') {
        problems.add(new Problem(line, "barcode '" + barcode + "' has characters other than digits"
            + (barcode.matches("\\d+[.,]\\d+E\\+?\\d+") ? " (a spreadsheet turned it into a number: format the column as text)" : "")));
        return null;
      }
    }
    int len = barcode.length();
    if (len != 8 && len != 12 && len != 13 && len != 14) {
      problems.add(new Problem(line, "barcode " + barcode + " has " + len + " digits; a barcode has 8, 12, 13 or 14 (EAN-8, UPC-A, EAN-13, GTIN-14)"));
      return null;
    }
    int expected = org.apotheca.gs1.Gs1.expectedCheckDigit(barcode);
    if (barcode.charAt(len - 1) - '0' != expected) {
      problems.add(new Problem(line, "barcode " + barcode + " has a wrong check digit (expected " + expected + ")"));
      return null;
    }
    return gtin(barcode);
  }

  private static long price(int line, String s, List<Problem> problems) {
    if (s.isEmpty()) {
      problems.add(new Problem(line, "no price (price_minor, in minor units: 1299 for 12.99)"));
      return -1;
    }
    if (s.startsWith("-") && s.length() > 1 && s.substring(1).chars().allMatch(Character::isDigit)) {
      problems.add(new Problem(line, "price_minor " + s + " is negative"));
      return -1;
    }
    if (!s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      problems.add(new Problem(line, "price_minor '" + s + "' is not a whole number of minor units"
          + (s.matches("\\d+[.,]\\d{1,2}") ? " (write " + s.replaceAll("[.,]", "") + (s.matches("\\d+[.,]\\d") ? "0" : "") + " for " + s + ")" : " (1299 for 12.99)")));
      return -1;
    }
    if (s.length() > 12 || Long.parseLong(s) > MAX_PRICE_MINOR) {
      problems.add(new Problem(line, "price_minor " + s + " is more than " + MAX_PRICE_MINOR));
      return -1;
    }
    return Long.parseLong(s);
  }

  private static int vat(int line, String s, List<Problem> problems) {
    if (s.isEmpty()) {
      problems.add(new Problem(line, "no VAT rate (vat_bp, in basis points: 2000 for 20 %)"));
      return -1;
    }
    if (!s.matches("-?\\d{1,9}")) {
      problems.add(new Problem(line, "vat_bp '" + s + "' is not a whole number of basis points (2000 for 20 %)"));
      return -1;
    }
    int bp = Integer.parseInt(s);
    if (bp < 0 || bp > MAX_VAT_BP) {
      problems.add(new Problem(line, "vat_bp " + s + " is out of range: 0 to " + MAX_VAT_BP + " basis points (2000 for 20 %)"));
      return -1;
    }
    return bp;
  }

  private static String text(int line, Column c, Map<Column, String> v, List<Problem> problems) {
    if (!v.containsKey(c)) {
      return null;
    }
    String s = v.get(c).strip();
    if (s.length() > MAX_TEXT_LENGTH) {
      problems.add(new Problem(line, c.header() + " has " + s.length() + " characters, at most " + MAX_TEXT_LENGTH));
    }
    return s;
  }

  private static Integer packSize(int line, Map<Column, String> v, List<Problem> problems) {
    if (!v.containsKey(Column.PACK_SIZE)) {
      return null;
    }
    String s = v.get(Column.PACK_SIZE).strip();
    if (s.isEmpty()) {
      return 0;
    }
    if (!s.matches("\\d{1,7}") || Integer.parseInt(s) > MAX_PACK_SIZE) {
      problems.add(new Problem(line, "pack_size '" + s + "' is not a whole number from 0 to " + MAX_PACK_SIZE));
      return null;
    }
    return Integer.parseInt(s);
  }

  private static ControlledDrugSchedule schedule(int line, Map<Column, String> v, List<Problem> problems) {
    if (!v.containsKey(Column.SCHEDULE)) {
      return null;
    }
    String s = v.get(Column.SCHEDULE).strip().toUpperCase(Locale.ROOT).replace(' ', '_');
    if (s.isEmpty()) {
      return ControlledDrugSchedule.NONE;
    }
    for (ControlledDrugSchedule d : ControlledDrugSchedule.VALUES) {
      if (d.getName().equals(s)) {
        return d;
      }
    }
    problems.add(new Problem(line, "schedule '" + v.get(Column.SCHEDULE).strip() + "' is not one of "
        + String.join(", ", ControlledDrugSchedule.VALUES.stream().map(ControlledDrugSchedule::getName).toList()) + " (empty: NONE)"));
    return null;
  }

  private static Boolean yesNo(int line, Column c, Map<Column, String> v, List<Problem> problems) {
    if (!v.containsKey(c)) {
      return null;
    }
    switch (v.get(c).strip().toLowerCase(Locale.ROOT)) {
      case "yes", "y", "true", "1" -> {
        return true;
      }
      case "no", "n", "false", "0", "" -> {
        return false;
      }
      default -> {
        problems.add(new Problem(line, c.header() + " '" + v.get(c).strip() + "' is not yes or no"));
        return null;
      }
    }
  }
}
